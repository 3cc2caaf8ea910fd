/**
 * The commitment register in the browser: the Secretariat registers a commitment on an adopted initiative; a
 * Kyrgyz focal point updates Kyrgyzstan's part on a phone in Russian, is refused another state's, follows the
 * initiative; the matrix shows who has delivered what, and its CSV comes back as an upload, all or nothing.
 */
import { addPerson, adoptedInitiative, asPerson } from '../support/api-client';
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

describe('the commitment register', () => {
  it('is registered by the Secretariat, updated by a focal point, and read as a matrix', async () => {
    const id = await adoptedInitiative('register-web');
    const title = `Publish the national transit tariffs ${Date.now()}`;
    const secretariat = await addPerson({ roles: ['secretariat'] }, 'cm-sec');
    const focal = await addPerson({ roles: ['official'], state: 'KG', locale: 'ru' }, 'cm-kg');

    const sec = await openBrowser();
    try {
      await signInThroughEmail(sec, secretariat.email, `/initiatives/${id}`);
      const { page } = sec;
      const section = page.getByRole('region', { name: 'Commitments' });
      expect(await textOf(section)).toContain('No commitment is registered yet.');
      await section.getByText('Register a commitment').first().click();
      await section.getByLabel('What is to be done').fill(title);
      await follow(page, section.getByRole('button', { name: 'Register a commitment' }));
      expect(await textOf(page.getByRole('status'))).toBe(`Registered: ${title}.`);
      const card = page.locator('li.commitment', { hasText: title });
      expect(await textOf(card.locator('tr[data-party="KG"]'))).toContain('not started');
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'commitments-initiative-desktop');
    } finally {
      await sec.close();
    }

    const kg = await openBrowser({ locale: 'ru' });
    try {
      const { page } = kg;
      await page.setViewportSize(PHONE);
      await signInThroughEmail(kg, focal.email, `/initiatives/${id}`);
      const card = page.locator('li.commitment', { hasText: title });
      // Only Kyrgyzstan's part has a form for a Kyrgyz focal point.
      expect(await card.locator('tr[data-party="UZ"] form').count()).toBe(0);
      const row = card.locator('tr[data-party="KG"]');
      await row.locator('summary').click();
      await row.getByLabel('Статус').selectOption('in_progress');
      await row.getByLabel('Выполнено (%)').fill('60');
      await row.getByLabel('Ссылка на подтверждение (необязательно)').fill('https://example.kg/tariffs-2026');
      await follow(page, row.getByRole('button', { name: 'Сохранить' }));
      expect(await textOf(page.getByRole('status'))).toContain('выполняется, 60 %');
      expect(await textOf(page.locator('li.commitment', { hasText: title }).locator('tr[data-party="KG"]'))).toContain(
        'tariffs-2026',
      );

      // A refusal says why, and the part stays as it was.
      const again = page.locator('li.commitment', { hasText: title }).locator('tr[data-party="KG"]');
      await again.locator('summary').click();
      await again.getByLabel('Статус').selectOption('blocked');
      await again.getByLabel('Примечание').fill('');
      await follow(page, again.getByRole('button', { name: 'Сохранить' }));
      expect(await textOf(page.getByRole('alert').first())).toBe(
        'Не сохранено: Примечание: укажите в примечании, что мешает',
      );

      await follow(page, page.getByRole('button', { name: 'Следить за инициативой' }));
      expect(await textOf(page.getByRole('status'))).toBe('Теперь вы следите за этой инициативой.');
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page, [title, 'Draft one'])).toEqual([]);
      await snap(page, 'commitments-initiative-ru-phone');

      // The matrix, and its CSV back as an upload: one bad row, nothing changes; then the good file.
      await follow(page, page.getByRole('link', { name: 'Обязательства' }).first());
      const cm = page.locator(`tr[data-commitment]`, { hasText: title });
      expect(await textOf(cm)).toContain('выполняется · 60 %');
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page, [title, 'Draft one'])).toEqual([]);
      await snap(page, 'commitments-matrix-ru-phone');

      const csv = await (await page.request.get('/commitments.csv')).text();
      const line = csv.split('\n').find((l) => l.includes(title))!;
      expect(line).toMatch(/,KG,in_progress,60,/);
      const commitmentId = line.split(',')[0].replace(/^\uFEFF/, '');
      const upload = async (rows: string) => {
        await page.getByLabel('Файл CSV').setInputFiles({
          name: 'kg.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(`commitment,party,status,progress,note,evidence\n${rows}`),
        });
        await follow(page, page.getByRole('button', { name: 'Сохранить' }));
      };
      await upload(`${commitmentId},KG,delivered,,,\n${commitmentId},UZ,delivered,,,\n`);
      expect(await textOf(page.getByRole('alert').first())).toMatch(/строка 3.*only UZ's focal points/);
      const parts = async () =>
        (await asPerson('secretariat').get(`/api/initiatives/${id}/commitments`)).body.items[0].parties;
      expect((await parts()).KG).toMatchObject({ status: 'in_progress', progress: 60 });

      await upload(`${commitmentId},KG,delivered,,Published in the official gazette.,\n`);
      expect(await textOf(page.getByRole('status'))).toBe('Обновлено частей: 1.');
      expect((await parts()).KG).toMatchObject({ status: 'delivered', progress: 100 });
    } finally {
      await kg.close();
    }
  });
});
