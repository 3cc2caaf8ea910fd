/**
 * "Who was told" under the silence procedure, as people see it: a deputy opening the initiative in Russian on a
 * phone finds their state's opening in the table at once; the Secretariat, in English at desktop width, sees
 * each state's opening and acknowledgement. No axe violation, nothing wider than the screen.
 */
import { addPerson, asPerson } from '../support/api-client';
import { uniqueId } from '../support/stack';
import {
  axeViolations,
  DESKTOP,
  openBrowser,
  overflowsSideways,
  PHONE,
  signInThroughEmail,
  snap,
  textOf,
} from './support';

jest.setTimeout(240_000);

async function underSilence(): Promise<string> {
  const sec = asPerson('secretariat');
  const id = uniqueId('told-web');
  const started = await sec.post('/api/initiatives', {
    id,
    title: `Charter of the Secretariat ${id}`,
    proposingState: 'KZ',
    summit: 'tashkent-2025',
    category: 'institutions',
    silenceProcedure: true,
  });
  expect(started.status).toBe(201);
  const assigned = await sec.post(`/api/initiatives/${id}/assignment`, {
    leadState: 'KZ',
    officialId: 'official-kz',
    draftDueAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
  });
  expect(assigned.status).toBe(200);
  const drafted = await asPerson('official-kz').post(`/api/initiatives/${id}/drafts`, {
    title: 'Charter',
    text: 'Article 1. The Secretariat rotates with the chairmanship.',
    textRu: 'Статья 1. Секретариат меняется вместе с председательством.',
  });
  expect(drafted.status).toBe(200);
  return id;
}

describe('who was told', () => {
  it('shows a deputy their state’s opening at once, and the Secretariat every state’s opening and acknowledgement', async () => {
    const id = await underSilence();
    const acknowledged = await asPerson('rep-tj').post(`/api/initiatives/${id}/acknowledgements`, { state: 'TJ' });
    expect(acknowledged.status).toBe(200);
    const byName = acknowledged.body.round.acknowledged.TJ.byName as string;
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const deputy = await addPerson(
      { roles: ['deputy'], state: 'UZ', deputyOf: 'rep-uz', delegation: { from: day(-1), to: day(1) }, locale: 'ru' },
      'told-web-deputy',
    );
    const b = await openBrowser({ locale: 'ru' });
    try {
      const { page } = b;
      await page.setViewportSize(PHONE);
      await signInThroughEmail(b, deputy.email, `/initiatives/${id}`);
      const told = page.locator('section[aria-labelledby="reach-h"]');
      expect(await textOf(told.locator('h2'))).toBe('Кто был уведомлён');
      expect(await textOf(told.locator('tr').filter({ hasText: 'Узбекистан' }))).toContain('на странице инициативы');
      expect(await textOf(told.locator('tr').filter({ hasText: 'Таджикистан' }))).toContain(`(${byName})`);
      expect(await textOf(told.locator('tr').filter({ hasText: 'Туркменистан' }))).toContain('ещё нет');
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'who-was-told-ru');
    } finally {
      await b.close();
      // The delegation ends: the deputy no longer speaks for Uzbekistan in other tests' rounds.
      await asPerson('secretariat').put(`/api/directory/people/${deputy.id}`, {
        name: 'Former deputy',
        email: deputy.email,
        locale: 'ru',
        roles: ['official'],
        state: 'UZ',
      });
    }

    const officer = await addPerson({ roles: ['secretariat'] }, 'told-web-sec');
    const s = await openBrowser();
    try {
      const { page } = s;
      await page.setViewportSize(DESKTOP);
      await signInThroughEmail(s, officer.email, `/initiatives/${id}`);
      const told = page.locator('section[aria-labelledby="reach-h"]');
      expect(await textOf(told.locator('caption'))).toBe('Revision 1, state by state');
      expect(await textOf(told.locator('tr').filter({ hasText: 'Uzbekistan' }))).toContain('(the initiative’s page)');
      expect(await textOf(told.locator('tr').filter({ hasText: 'Tajikistan' }))).toContain(`(${byName})`);
      // The Secretariat's own view of the page is no state's opening.
      expect(await textOf(told.locator('tr').filter({ hasText: 'Kazakhstan' }))).toMatch(/not yet.*not yet$/s);
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'who-was-told');
    } finally {
      await s.close();
    }
  });
});
