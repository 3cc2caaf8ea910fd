/** "My settings" in the browser: language, zone, digest and reminders saved for the pages and emails; the calendar feed created, read and revoked. */
import { addPerson, asPerson } from '../support/api-client';
import { testStack } from '../support/stack';
import { axeViolations, follow, openBrowser, signInThroughEmail, snap, textOf, englishLeft } from './support';

describe('my settings', () => {
  it('saves language, time zone, digest and reminders, and gives, then revokes, a private calendar feed', async () => {
    const person = await addPerson({ roles: ['official'], state: 'KG' }, 'settings');
    const b = await openBrowser();
    try {
      const { page } = b;
      await signInThroughEmail(b, person.email);
      await follow(page, page.getByRole('link', { name: 'My settings' }));
      expect(await page.getByLabel('Time zone').inputValue()).toBe('');
      expect(await page.getByLabel('Time zone').locator('option:checked').textContent()).toBe(
        "My state's zone (Asia/Bishkek)",
      );
      expect(await page.getByLabel('Email me deadline reminders').isChecked()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'settings');

      await page.getByLabel('Language of the pages and emails').selectOption('ru');
      await page.getByLabel('Time zone').selectOption('Europe/Berlin');
      await page.getByLabel(/One digest email a day/).check();
      await page.getByLabel('Email me deadline reminders').uncheck();
      await follow(page, page.getByRole('button', { name: 'Save' }));
      expect(await textOf(page.getByRole('status'))).toBe('Ваши настройки сохранены.');
      expect(await page.getAttribute('html', 'lang')).toBe('ru');
      expect(await textOf(page.locator('footer'))).toContain('Europe/Berlin');
      expect(await page.getByLabel('Присылать напоминания о сроках').isChecked()).toBe(false);
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page)).toEqual([]);
      await snap(page, 'settings-ru');

      // What the emails are rendered with: the directory entry, changed by its person, and on the trail as theirs.
      const stored = await asPerson('secretariat').get(`/api/directory/people/${person.id}`);
      expect(stored.body).toMatchObject({ locale: 'ru', timeZone: 'Europe/Berlin' });
      const trail = await asPerson('secretariat').get(`/api/directory/events?subject=${person.id}`);
      expect(trail.body.items[0]).toMatchObject({ source: 'self', changed: ['locale', 'timeZone'] });

      await follow(page, page.getByRole('button', { name: 'Создать адрес подписки' }));
      const url = (await textOf(page.locator('.feed-url'))).trim();
      expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]+\.ics$/);
      const feedPath = new URL(url).pathname;
      const feed = await fetch(`${testStack().apiUrl}${feedPath}`);
      expect([feed.status, feed.headers.get('content-type')]).toEqual([200, 'text/calendar; charset=utf-8']);
      expect(await feed.text()).toContain('BEGIN:VCALENDAR');
      await page.goto('/settings');
      expect(await page.locator('.feed-url').count()).toBe(0); // shown once only
      await follow(page, page.getByRole('button', { name: 'Отозвать подписку' }));
      expect(await textOf(page.getByRole('status'))).toContain('Календарная подписка отозвана');
      expect((await fetch(`${testStack().apiUrl}${feedPath}`)).status).toBe(404);
    } finally {
      await b.close();
    }
  });
});
