/**
 * The dashboard and dependencies in the browser: the Secretariat makes one initiative wait for another from its
 * page and sees it on both; the dashboard draws its figures and lists the path to the next summit, in English at
 * desktop width and in Russian on a phone, with no axe violation and nothing wider than the screen.
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

describe('the dashboard', () => {
  it('shows dependencies on the initiatives and the figures per state and chair year', async () => {
    const charter = await startedInitiative('web-charter', { to: 'assigned' });
    const body = await startedInitiative('web-secretariat-body');
    // The page shows the stage of what it waits for as the read model has it: wait until it holds the assignment.
    await settled(`${charter} assigned in the read model`, async () => {
      const listed = await asPerson('secretariat').get(`/api/initiatives?q=${charter}`);
      return listed.body.items?.some((i: { id: string; stage: string }) => i.id === charter && i.stage === 'assigned');
    });
    const secretariat = await addPerson({ roles: ['secretariat'] }, 'dash-sec');
    const b = await openBrowser();
    try {
      const { page } = b;
      await signInThroughEmail(b, secretariat.email, `/initiatives/${body}`);
      const deps = page.getByRole('region', { name: 'Dependencies' });
      await deps.getByText('Make it wait for another initiative').first().click();
      await deps.getByLabel('The initiative it waits for').selectOption(charter);
      await deps.getByLabel('Why (optional)').fill('Established by the Charter.');
      await follow(page, deps.getByRole('button', { name: 'Make it wait for another initiative' }));
      expect(await textOf(page.getByRole('status'))).toBe(`Recorded: it waits for Test initiative ${charter}.`);
      const region = page.getByRole('region', { name: 'Dependencies' });
      expect(await textOf(region.getByRole('heading', { level: 3 }))).toBe('Waits for');
      const item = await textOf(region.getByRole('listitem').filter({ hasText: charter }));
      expect(item).toContain(`Test initiative ${charter} · adopted · Assigned · Established by the Charter.`);
      expect(await axeViolations(page)).toEqual([]);

      await follow(page, page.getByRole('link', { name: `Test initiative ${charter}` }));
      const theirs = page.getByRole('region', { name: 'Dependencies' });
      expect(await textOf(theirs.getByRole('heading', { level: 3 }))).toBe('Waited for by');
      expect(await textOf(theirs.getByRole('listitem'))).toContain(`Test initiative ${body}`);

      await follow(page, page.getByRole('link', { name: 'Dashboard' }));
      expect(await page.locator('figure.chart svg[role="img"]').count()).toBe(3);
      expect(await textOf(page.getByRole('region', { name: 'Per member state' }))).toContain('Kyrgyzstan');
      const path = await textOf(page.locator('section[aria-labelledby="path-h"]'));
      expect(path.indexOf(`Test initiative ${charter}`)).toBeLessThan(path.indexOf(`Test initiative ${body}`));
      expect(await axeViolations(page)).toEqual([]);
      await snap(page, 'dashboard-desktop');

      await follow(page, page.getByRole('link', { name: 'Русский' }));
      await page.setViewportSize(PHONE);
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Сводка');
      expect(await textOf(page.getByRole('region', { name: 'По государствам-членам' }))).toContain('Кыргызстан');
      expect(await overflowsSideways(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await englishLeft(page)).toEqual([]);
      await snap(page, 'dashboard-ru-phone');
    } finally {
      await b.close();
    }
  });
});
