/**
 * The Secretariat's job in Russian on a phone, as web-interface.test.ts walks it in English at desktop width:
 * start an initiative with its Russian title, assign it, extend the draft's deadline, withdraw it. Each act is
 * refused once the way a hurried person would slip; the page says why, in Russian, beside the field or in the
 * outcome, keeping what was typed; after each act its outcome has the focus. axe-core runs on every page.
 */
import { addPerson, asPerson, settled } from '../support/api-client';
import { uniqueId } from '../support/stack';
import {
  axeViolations,
  englishLeft,
  focusedId,
  follow,
  localInDays,
  openBrowser,
  overflowsSideways,
  PHONE,
  signInThroughEmail,
  snap,
  textOf,
} from './support';

describe("the Secretariat's job in Russian on a phone", () => {
  it('starts, assigns, extends and withdraws an initiative, each refused once and then done', async () => {
    const secretariat = await addPerson({ roles: ['secretariat'], locale: 'ru' }, 'sec-ru');
    const id = uniqueId('sec-ru-job');
    const titleRu = `Транзитный коридор ${id}`;
    const b = await openBrowser({ locale: 'ru' });
    try {
      const { page } = b;
      await page.setViewportSize(PHONE);
      await signInThroughEmail(b, secretariat.email, '/secretariat/start');
      const outcome = page.locator('#outcome');
      const looked = async (name: string) => {
        expect(await page.getAttribute('html', 'lang')).toBe('ru');
        expect(await overflowsSideways(page)).toEqual([]);
        expect(await axeViolations(page)).toEqual([]);
        expect(await englishLeft(page, [id])).toEqual([]);
        await snap(page, name);
      };

      // Start without the English title: refused beside the field, everything typed is still there.
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Начать инициативу');
      await page.getByLabel('Название по-русски (необязательно)').fill(titleRu);
      await page.getByLabel('Идентификатор (необязательно)').fill(id);
      await page.getByLabel('Предложившее государство').selectOption('KG');
      await page.getByLabel('Саммит', { exact: true }).fill('tashkent-2025');
      await page.getByLabel('Категория').fill('transport');
      await follow(page, page.getByRole('button', { name: 'Начать', exact: true }));
      expect(await textOf(outcome)).toBe('Исправьте отмеченные ниже поля.');
      expect(await focusedId(page)).toBe('outcome');
      expect(await textOf(page.locator('main form'))).toMatch(/Название\s*Заполните это поле\./);
      expect(await page.getByLabel('Название по-русски (необязательно)').inputValue()).toBe(titleRu);
      expect(await page.getByLabel('Предложившее государство').inputValue()).toBe('KG');
      await looked('secretariat-ru-start-refused');

      await page.getByLabel('Название', { exact: true }).fill(`Transit corridor ${id}`);
      await follow(page, page.getByRole('button', { name: 'Начать', exact: true }));
      expect(await textOf(page.getByRole('status'))).toBe(`Инициатива «${titleRu}» начата.`);
      expect((await textOf(page.getByRole('heading', { level: 1 }))).trim()).toBe(titleRu);
      expect((await textOf(page.locator('.stage').first())).trim()).toBe('Предложена');
      await looked('secretariat-ru-started');

      // Assign without an official: refused beside that field; the lead state chosen stays.
      const assign = page.locator('#act-assign');
      await assign.getByLabel('Ведущее государство').selectOption('KG');
      await assign.getByLabel('Срок проекта').fill(localInDays(10));
      await follow(page, assign.getByRole('button', { name: 'Назначить' }));
      expect(await textOf(outcome)).toBe('Исправьте отмеченные ниже поля.');
      expect(await textOf(page.locator('#assign-f-officialId-error'))).toBe('Заполните это поле.');
      expect(await assign.getByLabel('Ведущее государство').inputValue()).toBe('KG');
      await assign.getByLabel('Ответственное лицо').selectOption('official-kg');
      await follow(page, assign.getByRole('button', { name: 'Назначить' }));
      expect(await focusedId(page)).toBe('outcome');
      expect(await textOf(outcome)).toMatch(/^Готово: ведущее государство и ответственное лицо назначены \(.+\)\.$/);
      expect((await textOf(page.locator('.stage').first())).trim()).toBe('Назначена');
      await looked('secretariat-ru-assigned');

      // Extend the draft's deadline into the past: the refusal says why in Russian and keeps the reason.
      const extend = page.locator('#act-extendDeadline');
      await extend.getByLabel('Новый срок (дата и время)').fill('2020-01-01T10:00');
      await extend.getByLabel('Причина').fill('Консультации с экспертами');
      await follow(page, extend.getByRole('button', { name: 'Продлить срок' }));
      expect(await focusedId(page)).toBe('outcome');
      expect(await textOf(outcome)).toBe('Отклонено: этот срок уже прошёл');
      expect(await extend.getByLabel('Причина').inputValue()).toBe('Консультации с экспертами');
      await looked('secretariat-ru-extend-refused');

      const due = localInDays(20);
      await extend.getByLabel('Новый срок (дата и время)').fill(due);
      await follow(page, extend.getByRole('button', { name: 'Продлить срок' }));
      expect(await textOf(outcome)).toMatch(/^Готово: срок продлён \(.+\)\.$/);
      const stored = (await asPerson('secretariat').get(`/api/initiatives/${id}`)).body;
      // The time typed is read in the reader's zone (Tashkent, UTC+5, no daylight saving).
      expect(stored.deadlines).toEqual([
        expect.objectContaining({ step: 'draft', dueAt: new Date(`${due}:00+05:00`).toISOString() }),
      ]);

      // Withdraw without ticking the box: refused beside the box, the reason kept; then withdrawn.
      const withdraw = page.locator('#act-withdraw');
      await withdraw.getByLabel('Причина').fill('Объединена с другой инициативой');
      await follow(page, withdraw.getByRole('button', { name: 'Отозвать инициативу' }));
      expect(await textOf(page.locator('#withdraw-f-confirm-error'))).toBe(
        'Отметьте поле, чтобы подтвердить: это действие нельзя отменить.',
      );
      expect(await withdraw.getByLabel('Причина').inputValue()).toBe('Объединена с другой инициативой');
      expect((await textOf(page.locator('.stage').first())).trim()).toBe('Назначена');
      await withdraw.getByLabel(/Я понимаю, что это прекращает контроль исполнения/).check();
      await follow(page, withdraw.getByRole('button', { name: 'Отозвать инициативу' }));
      expect(await focusedId(page)).toBe('outcome');
      expect(await textOf(outcome)).toMatch(/^Готово: инициатива отозвана \(.+\)\.$/);
      expect((await textOf(page.locator('.stage').first())).trim()).toBe('Отозвана');
      expect(await page.locator('form.act').count()).toBe(0);
      await looked('secretariat-ru-withdrawn');
      // The timeline (once the worker has recorded the start) says the recorded policy in Russian too.
      await settled('the start in the timeline', async () => {
        if ((await page.locator('ol.timeline').count()) > 0) return true;
        await page.reload();
        return false;
      });
      expect(await textOf(page.locator('ol.timeline'))).toContain('консенсус всех членов');
    } finally {
      await b.close();
    }
  });
});
