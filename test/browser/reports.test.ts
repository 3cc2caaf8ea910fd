/**
 * The reports for the next summit in the browser: the Secretariat keeps today's report from the Initiatives page
 * and finds it listed; the links download a real PDF with the session; the section reads in Russian on a phone
 * without widening the page, with no axe violation.
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

describe('the reports for the next summit', () => {
  it('are kept and downloaded from the Initiatives page, in both languages', async () => {
    // At least one initiative of the summit on record, whatever else this stack holds.
    const id = await startedInitiative('reports-web');
    await settled('the initiative in the progress report', async () => {
      const reply = await asPerson('secretariat').get('/api/reports/progress?summit=tashkent-2025');
      return reply.status === 200 && reply.body.initiatives.some((i: { id: string }) => i.id === id);
    });
    const secretariat = await addPerson({ roles: ['secretariat'] }, 'reports-sec');
    const sec = await openBrowser();
    try {
      await signInThroughEmail(sec, secretariat.email, '/initiatives');
      const { page } = sec;
      const section = page.getByRole('region', { name: 'Reports for the next summit' });
      expect(await textOf(section)).toContain(
        'Progress report on the decisions of the 7th Consultative Meeting of the Heads of State of Central Asia',
      );
      const note = `Before the senior officials ${Date.now()}`;
      await section.getByLabel('Why it is kept (optional)').fill(note);
      await follow(page, section.getByRole('button', { name: "Keep today's report" }));
      expect(await textOf(page.getByRole('status'))).toBe('The report is kept as it stands today.');
      const kept = page.getByRole('region', { name: 'Reports for the next summit' });
      await kept.getByText(/Kept reports \(\d+\)/).click();
      expect(await textOf(kept)).toContain(note);

      // The link downloads the PDF with the browser's session.
      const download = page.waitForEvent('download');
      await kept.getByRole('link', { name: 'PDF' }).first().click();
      const file = await (await download).path();
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(file!).subarray(0, 5).toString()).toBe('%PDF-');
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'reports-desktop');

      await follow(page, page.getByRole('link', { name: 'Русский' }));
      await page.setViewportSize(PHONE);
      const ru = page.getByRole('region', { name: 'Доклады к следующему саммиту' });
      expect(await textOf(ru)).toContain('Передача дел Председателю');
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await ru.scrollIntoViewIfNeeded();
      expect(await englishLeft(page, [note])).toEqual([]);
      await snap(page, 'reports-ru-phone');
    } finally {
      await sec.close();
    }
  });
});
