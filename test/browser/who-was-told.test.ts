/**
 * "Who was told" under the silence procedure, as people see it: a deputy opening the initiative in Russian on a
 * phone finds their state's opening in the table at once; the Secretariat, in English at desktop width, sees
 * each state's opening and acknowledgement. No axe violation, nothing wider than the screen.
 */
import { addDeputy, addPerson, asPerson, startedInitiative } from '../support/api-client';
import {
  axeViolations,
  DESKTOP,
  openBrowser,
  overflowsSideways,
  PHONE,
  signInThroughEmail,
  snap,
  textOf,
  englishLeft,
} from './support';

describe('who was told', () => {
  it('shows a deputy their state’s opening at once, and the Secretariat every state’s opening and acknowledgement', async () => {
    const id = await startedInitiative('told-web', {
      to: 'signoff',
      silenceProcedure: true,
      texts: { text: 'Article 1. The Secretariat rotates.', textRu: 'Статья 1. Секретариат меняется.' },
    });
    const acknowledged = await asPerson('rep-tj').post(`/api/initiatives/${id}/acknowledgements`, { state: 'TJ' });
    expect(acknowledged.status).toBe(200);
    const byName = acknowledged.body.round.acknowledged.TJ.byName as string;
    const deputy = await addDeputy('UZ', 'told-web-deputy', 'ru');
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
      expect(await englishLeft(page, ['Charter'])).toEqual([]);
      await snap(page, 'who-was-told-ru');
    } finally {
      await b.close();
      await deputy.endDelegation();
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
