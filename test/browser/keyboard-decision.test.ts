/**
 * The decision flow by keyboard alone, as a representative who does not use a mouse meets it, in Russian on a
 * phone: Tab reaches the decision's buttons, Enter submits; after a refusal and after the decision the outcome
 * has the focus and is announced, the field in error says why, and what was typed is still there.
 */
import type { Page } from 'playwright-core';
import { addPerson, startedInitiative } from '../support/api-client';
import { axeViolations, focusedId, openBrowser, PHONE, signInThroughEmail, snap, textOf, englishLeft } from './support';

/** Presses Tab until the focused element matches `label` (its text or accessible name); fails after 150 presses. */
async function tabTo(page: Page, label: RegExp): Promise<void> {
  for (let i = 0; i < 150; i += 1) {
    await page.keyboard.press('Tab');
    // Evaluated in the page (a string: the test's TypeScript has no DOM types).
    const focused = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el) return '';
      const label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
      return [el.textContent, el.getAttribute('aria-label'), label && label.textContent].filter(Boolean).join(' ').trim();
    })()`)) as string;
    if (label.test(focused)) return;
  }
  throw new Error(`Tab never reached ${label}`);
}

describe('deciding by keyboard alone', () => {
  it('reaches the buttons with Tab, submits with Enter, and puts the focus on each outcome', async () => {
    const id = await startedInitiative('keyboard', { to: 'signoff', lead: 'KG', official: 'official-kg' });
    const rep = await addPerson({ roles: ['representative'], state: 'UZ', locale: 'ru' }, 'keyboard-rep');
    const b = await openBrowser({ locale: 'ru' });
    try {
      const { page } = b;
      await page.setViewportSize(PHONE);
      await signInThroughEmail(b, rep.email, `/initiatives/${id}`);

      // An objection needs a reason: typed without one, it is refused, the outcome has the focus (an alert)
      // and the reason field says what is missing; the statement typed is kept.
      await tabTo(page, /Заявление/);
      await page.keyboard.type('Заявление для протокола');
      await tabTo(page, /^Возразить/);
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(await focusedId(page)).toBe('outcome');
      expect(await page.locator('#outcome').getAttribute('role')).toBe('alert');
      const form = page.locator('form[action$="/decisions"]');
      expect(await textOf(form)).toMatch(/Причина.*(обязательн|требуется|укажите)/is);
      expect(await form.getByLabel('Заявление').inputValue()).toBe('Заявление для протокола');
      expect(await axeViolations(page)).toEqual([]);

      // Approving: the outcome has the focus, announced as a status, and says what was recorded.
      await page.locator('#outcome').focus();
      await tabTo(page, /^Одобрить/);
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(await focusedId(page)).toBe('outcome');
      expect(await page.locator('#outcome').getAttribute('role')).toBe('status');
      expect(await textOf(page.locator('#outcome'))).toMatch(
        /^Вы записали решение «Одобрено» за Узбекистан по редакции 1, .*Одобрили 1 из 6 государств; раунд открыт до /,
      );
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page, ['Draft one'])).toEqual([]);
      await snap(page, 'keyboard-decision-ru');
    } finally {
      await b.close();
    }
  });
});
