/**
 * The lead official's job in the browser: drafting both language versions on a phone, in Russian; a refusal
 * keeps what was typed and says what is wrong beside the field; the submission opens national sign-off, as the
 * outcome and the stepper say; then the same page in English at desktop width.
 */
import { addPerson, startedInitiative } from '../support/api-client';
import {
  axeViolations,
  DESKTOP,
  follow,
  openBrowser,
  overflowsSideways,
  PHONE,
  signInThroughEmail,
  snap,
  textOf,
  englishLeft,
} from './support';

describe("the lead official's draft", () => {
  it('is written on a phone in both languages, refused without a title, and opens sign-off when submitted', async () => {
    const official = await addPerson({ roles: ['official'], state: 'KG', locale: 'ru' }, 'drafting-official');
    const id = await startedInitiative('drafting', { to: 'assigned', lead: 'KG', official: official.id });
    const b = await openBrowser({ locale: 'ru' });
    try {
      const { page } = b;
      await page.setViewportSize(PHONE);
      await signInThroughEmail(b, official.email, `/initiatives/${id}`);
      const form = () => page.locator('form[action$="/drafts"]');
      expect(await textOf(form().locator('legend'))).toBe('Представить проект (Редакция 1)');
      expect(await axeViolations(page)).toEqual([]);

      // A title of spaces passes the browser's check; the server refuses it beside the field and keeps the texts.
      await form().getByLabel('Название проекта').fill('   ');
      await form().getByLabel('Текст на английском языке').fill('Article 1. A single window for transit.');
      await form().getByLabel('Текст на русском языке').fill('Статья 1. Единое окно для транзита.');
      await follow(page, form().getByRole('button', { name: 'Представить проект' }));
      expect(await textOf(page.locator('#outcome'))).toBe('Исправьте отмеченные ниже поля.');
      expect(await textOf(form())).toMatch(/Название проекта.*Заполните это поле\./s);
      expect(await form().getByLabel('Текст на русском языке').inputValue()).toBe(
        'Статья 1. Единое окно для транзита.',
      );
      expect(await form().getByLabel('Текст на английском языке').inputValue()).toBe(
        'Article 1. A single window for transit.',
      );

      await form().getByLabel('Название проекта').fill('Цифровой транзитный коридор');
      await follow(page, form().getByRole('button', { name: 'Представить проект' }));
      expect(await textOf(page.locator('#outcome'))).toContain('проект представлен, национальное согласование открыто');
      expect(await textOf(page.locator('.stepper [aria-current="step"], .stepper .current').first())).toContain(
        'Национальное согласование',
      );
      expect(await page.locator('form[action$="/drafts"]').count()).toBe(0);
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page)).toEqual([]);
      await snap(page, 'drafting-ru');

      await page.setViewportSize(DESKTOP);
      await follow(page, page.getByRole('link', { name: 'English' }));
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await textOf(page.locator('.stepper [aria-current="step"], .stepper .current').first())).toContain(
        'National sign-off',
      );
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
