/**
 * The Chair's choice of procedure for an amended text, as the Secretariat makes it: in Russian on a phone, the
 * form offers the other procedure than the one the next revision would run, a refusal keeps what was typed, and
 * the outcome and the timeline say what was chosen and why. No axe violation, nothing wider than the screen.
 */
import { addPerson, asPerson, settled, startedInitiative } from '../support/api-client';
import {
  axeViolations,
  follow,
  openBrowser,
  overflowsSideways,
  PHONE,
  signInThroughEmail,
  snap,
  textOf,
  englishLeft,
} from './support';

describe("the Chair's choice of procedure", () => {
  it('puts an amended text to explicit decisions from the page, in Russian on a phone', async () => {
    const id = await startedInitiative('procedure-web', {
      to: 'signoff',
      silenceProcedure: true,
      texts: { text: 'Article 1. The Secretariat rotates.', textRu: 'Статья 1. Секретариат меняется.' },
    });
    const amended = await asPerson('rep-tj').post(`/api/initiatives/${id}/decisions`, {
      state: 'TJ',
      revision: 1,
      decision: 'amend',
      reason: 'a term is needed',
      amendment: 'Article 1. The Secretariat rotates every two years.',
    });
    expect(amended.status).toBe(200);
    const officer = await addPerson({ roles: ['secretariat'], locale: 'ru' }, 'procedure-web-sec');
    const b = await openBrowser({ locale: 'ru' });
    try {
      const { page } = b;
      await page.setViewportSize(PHONE);
      await signInThroughEmail(b, officer.email, `/initiatives/${id}`);
      const form = page.locator('form[action$="/procedure"]');
      const choice = form.getByLabel('Следующая редакция выносится');
      // The next revision would open a silence period: the form offers the other procedure first.
      expect(await choice.inputValue()).toBe('false');
      expect(await textOf(form)).toContain('Сейчас для следующей редакции будет открыт свой срок умолчания.');
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);

      // A reason of spaces passes the browser's check and is refused by the server, next to the field.
      await form.getByLabel('Причина').fill('   ');
      await follow(page, form.getByRole('button'));
      expect(await textOf(page.locator('#outcome'))).toBe('Исправьте отмеченные ниже поля.');
      expect(await textOf(page.locator('form[action$="/procedure"]'))).toContain('ПричинаЗаполните это поле.');
      expect(
        await page.locator('form[action$="/procedure"]').getByLabel('Следующая редакция выносится').inputValue(),
      ).toBe('false');

      await page.locator('form[action$="/procedure"]').getByLabel('Причина').fill('Поправка изменила статью 1');
      await follow(page, page.locator('form[action$="/procedure"]').getByRole('button'));
      expect(await textOf(page.locator('#outcome'))).toContain('процедура для следующей редакции записана');
      // The timeline is the recorded trail, which the worker writes a moment after the act: a later load shows it.
      await settled('the choice in the trail', async () => {
        const trail = (await asPerson('secretariat').get(`/api/initiatives/${id}/events`)).body as { type: string }[];
        return trail.some((e) => e.type === 'procedure_chosen');
      });
      await page.reload();
      expect(await textOf(page.locator('.timeline, ol').filter({ hasText: 'Выбрана процедура' }))).toContain(
        'редакция 2 — на явное решение каждого государства — Поправка изменила статью 1',
      );
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(
        await englishLeft(page, ['Charter', 'Article 1. The Secretariat rotates every two years.', 'a term is needed']),
      ).toEqual([]);
      await snap(page, 'procedure-choice-ru');
    } finally {
      await b.close();
    }
    const view = (await asPerson('secretariat').get(`/api/initiatives/${id}`)).body;
    expect(view.policy.silenceProcedure).toBe(false);
  });
});
