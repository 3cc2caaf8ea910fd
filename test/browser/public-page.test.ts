/**
 * The public accountability page in the browser: the Secretariat publishes an initiative from its page; a
 * visitor who never signed in finds it under "Public page" in both languages, on a desktop and a phone, with
 * no axe violation, and finds nothing of an initiative left to the member states.
 */
import { addPerson, anonymous, settled, startedInitiative } from '../support/api-client';
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

describe('the public accountability page', () => {
  it('shows a visitor what the Secretariat published, and nothing else', async () => {
    const published = await startedInitiative('public-web', { to: 'signoff' });
    const kept = await startedInitiative('kept-web');
    const secretariat = await addPerson({ roles: ['secretariat'] }, 'public-sec');

    const sec = await openBrowser();
    try {
      await signInThroughEmail(sec, secretariat.email, `/initiatives/${published}`);
      const { page } = sec;
      const tier = page.getByLabel('Who may see this initiative');
      expect(await tier.inputValue()).toBe('members');
      await tier.selectOption('public');
      await follow(page, page.getByRole('region', { name: 'Publication' }).getByRole('button', { name: 'Save' }));
      expect(await textOf(page.getByRole('status'))).toBe('Saved: Also the public page, without signing in.');
      expect(await page.getByLabel('Who may see this initiative').inputValue()).toBe('public');
    } finally {
      await sec.close();
    }

    // The public page reads the read model, which the worker brings up to the sign-off in the background.
    await settled('the sign-off on the public record', async () => {
      const one = await anonymous().get(`/api/public/initiatives/${published}`);
      return one.body?.stage === 'signoff';
    });
    const visitor = await openBrowser();
    try {
      const { page } = visitor;
      await page.goto('/sign-in');
      await follow(page, page.getByRole('link', { name: 'Public page' }));
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('What became of the summits’ decisions');
      const card = page.getByRole('article').filter({ hasText: published });
      expect(await textOf(card)).toContain('0 of 6 states have approved.');
      expect(await page.getByText(kept).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'public');

      await follow(page, card.getByRole('link', { name: `Test initiative ${published}` }));
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe(`Test initiative ${published}`);
      await follow(page, page.getByRole('link', { name: 'Русский' }));
      expect(await textOf(page.locator('article'))).toContain('Одобрили 0 из 6 государств.');
      expect(await textOf(page.locator('article'))).toContain('Предложило государство: Казахстан');
      await page.setViewportSize(PHONE);
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page)).toEqual([]);
      await snap(page, 'public-initiative-ru-phone');

      // One left to the member states is not found, as if it did not exist.
      const hidden = await page.goto(`/public/initiatives/${kept}`);
      expect(hidden?.status()).toBe(404);
    } finally {
      await visitor.close();
    }
  });
});
