/**
 * The signing page as a representative sees it: both authentic texts, the text's hash, the redline since the
 * revision their state last decided on, and the language version they approve, in Russian on a phone and in
 * English at desktop width, with no axe violation and nothing wider than the screen.
 */
import { addDeputy, asPerson, settled, startedInitiative } from '../support/api-client';
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

const EN1 = 'Article 4. The Parties shall exchange customs data within 30 days.';
const RU1 = 'Статья 4. Стороны обмениваются таможенными данными в течение 30 дней.';
const EN2 = 'Article 4. The Parties shall exchange the customs data listed in Annex 1 within 30 days.';
const RU2 = 'Статья 4. Стороны обмениваются таможенными данными, перечисленными в Приложении 1, в течение 30 дней.';

describe('the signing page', () => {
  it('shows a representative what changed since their state last decided, and records the language they approve', async () => {
    const id = await startedInitiative('web-text', { to: 'assigned' });
    const lead = asPerson('official-kz');
    expect(
      (await lead.post(`/api/initiatives/${id}/drafts`, { title: 'Corridor', text: EN1, textRu: RU1 })).status,
    ).toBe(200);
    const back = await asPerson('rep-kg').post(`/api/initiatives/${id}/decisions`, {
      state: 'KG',
      decision: 'request_changes',
      revision: 1,
      reason: 'name the data',
    });
    expect(back.status).toBe(200);
    expect(
      (await lead.post(`/api/initiatives/${id}/drafts`, { title: 'Corridor', text: EN2, textRu: RU2 })).status,
    ).toBe(200);
    // The redline reads revision 1's texts from the recorded trail, which the worker writes in the background.
    await settled('revision 2 in the recorded trail', async () => {
      const events = (await asPerson('secretariat').get(`/api/initiatives/${id}/events`)).body as {
        type: string;
        revision: number;
      }[];
      return events.some((e) => e.type === 'draft_submitted' && e.revision === 2);
    });

    // Kyrgyzstan's deputy, within a delegation covering these days, signs in.
    const deputy = await addDeputy('KG', 'signing-deputy', 'ru');
    const b = await openBrowser({ locale: 'ru' });
    try {
      const { page } = b;
      await page.setViewportSize(PHONE);
      await signInThroughEmail(b, deputy.email, `/initiatives/${id}`);
      const draft = page.locator('section[aria-labelledby="draft-h"]');
      expect(await textOf(draft)).toContain('русский аутентичный');
      expect(await textOf(draft)).toContain(
        'Изменения по сравнению с редакцией 1, которую ваше государство видело последней — русский',
      );
      const added = await draft.locator('.redline[lang="ru"] ins').allInnerTexts();
      expect(added.join(' ')).toMatch(/^\[добавлено:[\s\S]*перечисленными[\s\S]*Приложении/);
      const language = page.getByLabel('Языковая версия, которую вы одобряете');
      expect(await language.inputValue()).toBe('ru');
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page, ['Corridor', 'name the data'])).toEqual([]);
      await snap(page, 'signing-ru-phone');

      await follow(page, page.getByRole('button', { name: 'Одобрить' }));
      const row = page.locator('section[aria-labelledby="dec-h"] tr').filter({ hasText: 'Кыргызстан' });
      expect(await textOf(row)).toContain('Одобрено (на языке: русский)');

      await follow(page, page.getByRole('link', { name: 'English' }));
      await page.setViewportSize(DESKTOP);
      expect(await textOf(page.locator('section[aria-labelledby="draft-h"]'))).toContain('English authentic');
      expect(
        await textOf(page.locator('section[aria-labelledby="dec-h"] tr').filter({ hasText: 'Kyrgyzstan' })),
      ).toContain('Approved (in Russian)');
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'signing-desktop');
    } finally {
      await b.close();
      await deputy.endDelegation();
    }
  });
});
