/**
 * The web interface in Debian's Chromium: sign-in through the emailed link, the Secretariat's forms,
 * a representative's decision showing in the matrix, no decision buttons for another state, and a
 * whole act with JavaScript turned off. Every page is saved at desktop and phone widths.
 */
import { addPerson, asPerson, settled, startedInitiative } from '../support/api-client';
import { eventually, uniqueId } from '../support/stack';
import {
  axeViolations,
  Browser,
  DESKTOP,
  follow,
  localInDays,
  openBrowser,
  PHONE,
  signInThroughEmail,
  snap,
  textOf,
  englishLeft,
} from './support';

describe('the web interface', () => {
  let secretariat: Browser;
  let secretariatEmail: string;

  beforeAll(async () => {
    secretariatEmail = (await addPerson({ roles: ['secretariat'] }, 'web-sec')).email;
    secretariat = await openBrowser();
  });
  afterAll(async () => {
    await secretariat?.close();
  });

  it('signs in through the magic link read from the mail sink and returns to the page asked for', async () => {
    const { page } = secretariat;
    await page.goto('/initiatives');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await snap(page, 'sign-in');
    await signInThroughEmail(secretariat, secretariatEmail, page.url());
    expect(new URL(page.url()).pathname).toBe('/initiatives');
    expect(await textOf(page.getByRole('status'))).toMatch(/Welcome, Test person web-sec/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await snap(page, 'initiatives');
  });

  it('lets the Secretariat start and assign an initiative from the forms, showing errors beside their fields', async () => {
    const { page } = secretariat;
    const id = uniqueId('web-start');
    await follow(page, page.getByRole('link', { name: 'Start an initiative' }));
    await page.getByLabel('Title', { exact: true }).fill(`Web-started initiative ${id}`);
    await page.getByLabel('Identifier (optional)').fill(id);
    await page.getByLabel('Proposing state').selectOption('KG');
    await page.getByLabel('Summit', { exact: true }).fill('tashkent-2025');
    await page.getByLabel('Category').fill('transport');
    await snap(page, 'secretariat-start');
    await follow(page, page.getByRole('button', { name: 'Start', exact: true }));
    expect((await textOf(page.getByRole('heading', { level: 1 }))).trim()).toBe(`Web-started initiative ${id}`);
    expect(await textOf(page.getByRole('status'))).toMatch(/started/);
    expect((await textOf(page.locator('.stage').first())).trim()).toBe('Proposed');

    // No official chosen: the form comes back with the error next to its field.
    const assign = page.locator('#act-assign');
    await assign.getByLabel('Lead state').selectOption('KG');
    await assign.getByLabel('Draft due').fill(localInDays(10));
    await follow(page, assign.getByRole('button', { name: 'Assign' }));
    expect(await textOf(page.locator('#assign-f-officialId-error'))).toBe('Please fill this in.');
    expect(await page.locator('#assign-f-officialId').getAttribute('aria-invalid')).toBe('true');
    await snap(page, 'initiative-assign-error');

    await assign.getByLabel('Responsible official').selectOption('official-kg');
    await follow(page, assign.getByRole('button', { name: 'Assign' }));
    expect(await textOf(page.getByRole('status'))).toMatch(/Done/);
    expect((await textOf(page.locator('.stage').first())).trim()).toBe('Assigned');
    expect(await textOf(page.locator('dl.meta'))).toContain('Focal point, Kyrgyzstan');
    // What the page shows is the workflow's state: the API says the same.
    const api = await asPerson('secretariat').get(`/api/initiatives/${id}`);
    expect(api.body).toMatchObject({ stage: 'assigned', lead: { state: 'KG', officialId: 'official-kg' } });
    await snap(page, 'initiative-secretariat');

    for (const [link, name] of [
      ['Directory', 'secretariat-directory'],
      ['Import a summit file', 'secretariat-import'],
      ['Rotation year', 'rotation'],
      ['My inbox', 'inbox-secretariat'],
    ] as const) {
      await follow(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }));
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await snap(page, name);
    }
    await page.goto('/secretariat/directory/person?id=rep-kg');
    await snap(page, 'secretariat-person');
  });

  it('imports a summit file uploaded by the Secretariat, and names what is wrong in a bad one', async () => {
    const { page } = secretariat;
    const id = uniqueId('web-import');
    const file = {
      summit: {
        id: 'web-summit',
        date: '2026-11-16',
        city: 'Tashkent',
        title: `Upload test ${id}`,
        source: 'browser test',
      },
      initiatives: [
        { id, title: `Imported initiative ${id}`, proposingState: 'UZ', summit: 'web-summit', category: 'culture' },
      ],
    };
    await page.goto('/secretariat/import');
    await page
      .getByLabel('Summit file')
      .setInputFiles({ name: 'summit.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await follow(page, page.getByRole('button', { name: 'Import' }));
    // First what the file would do, with nothing started yet.
    expect(await textOf(page.locator('h1'))).toBe(`Before importing: Upload test ${id}`);
    expect(await textOf(page.locator('section[aria-labelledby="imp-i-h"]'))).toContain(
      `To be started: 1Imported initiative ${id} ${id}`,
    );
    expect((await asPerson('secretariat').get(`/api/initiatives/${id}`)).status).toBe(404);
    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'secretariat-import-preview');
    await follow(page, page.getByRole('button', { name: 'Start the import' }));
    expect(new URL(page.url()).pathname).toBe('/initiatives');
    expect(await textOf(page.getByRole('status'))).toMatch(/1 initiatives started, 0 already running/);
    expect((await asPerson('secretariat').get(`/api/initiatives/${id}`)).status).toBe(200);

    await page.goto('/secretariat/import');
    const bad = { ...file, initiatives: [{ ...file.initiatives[0], proposingState: 'Uzbekistan' }] };
    await page.getByLabel('Summit file').setInputFiles({
      name: '../../etc/passwd',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    await follow(page, page.getByRole('button', { name: 'Import' }));
    expect(await textOf(page.locator('#f-file-error'))).toMatch(/not a valid summit file/);
    expect(await textOf(page.locator('.problems'))).toContain('initiatives.0.proposingState');
    await snap(page, 'secretariat-import-errors');
  });

  it("records a representative's decision and the matrix shows it; no decision buttons for another state", async () => {
    const id = await startedInitiative('web-decide', { to: 'signoff', lead: 'KG', official: 'official-kg' });
    const rep = await addPerson({ roles: ['representative'], state: 'KG' }, 'web-rep-kg');
    const b = await openBrowser();
    try {
      const { page } = b;
      await signInThroughEmail(b, rep.email);
      const cell = (state: string) => page.locator(`tr[data-initiative="${id}"] td[data-state="${state}"]`);
      // The matrix reads the read model, which the workflow's activity writes a moment after each change.
      await eventually('the matrix to show the round', async () => {
        await page.goto('/matrix');
        return (await cell('KG').count()) > 0 && /pending · rev\. 1/.test((await cell('KG').textContent()) ?? '');
      });
      await page.getByRole('columnheader', { name: 'KG' }).first().waitFor();
      await snap(page, 'matrix-before');

      await page.goto('/');
      await page
        .getByRole('link', { name: `Test initiative ${id}` })
        .first()
        .waitFor();
      await snap(page, 'inbox-representative');
      await page.goto(`/initiatives/${id}`);
      const decide = page.locator('#act-decide');
      expect(await textOf(decide.getByRole('group'))).toContain('Decide for Kyrgyzstan on revision 1');
      // A representative of Kyrgyzstan decides for Kyrgyzstan only, while other states are pending too.
      expect(await page.locator('form[action$="/decisions"]').count()).toBe(1);
      await snap(page, 'initiative-representative');
      // On a phone, where the acts panel is far down the page, the outcome is what the person sees and what has focus.
      await page.setViewportSize(PHONE);
      await follow(page, decide.getByRole('button', { name: 'Approve' }));
      expect(await textOf(page.getByRole('status'))).toMatch(
        /^You recorded “Approved” for Kyrgyzstan on revision 1, .+\. 1 of \d states have approved; the round is open until /,
      );
      expect(await page.locator('#outcome').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
      // In view once the (smooth) scroll to the fragment has ended.
      await eventually('the outcome in view on the phone', async () => {
        const box = await page.locator('#outcome').boundingBox();
        return box && box.y >= -1 && box.y + box.height <= PHONE.height;
      });
      await page.setViewportSize(DESKTOP);
      expect(await page.locator('form[action$="/decisions"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      expect(await textOf(page.getByRole('row', { name: /Kazakhstan/ }))).toContain('pending');

      await eventually('the matrix to show the approval', async () => {
        await page.goto('/matrix');
        return /approved · rev\. 1/.test((await cell('KG').textContent()) ?? '');
      });
      expect(await textOf(cell('KZ'))).toMatch(/pending/);
      await snap(page, 'matrix-after');
    } finally {
      await b.close();
    }
  });

  it('shows an official no decision buttons at all, only the acts of their own role', async () => {
    const id = await startedInitiative('web-official', { to: 'signoff', lead: 'KG', official: 'official-kg' });
    const official = await addPerson({ roles: ['official'], state: 'KZ' }, 'web-off-kz');
    const b = await openBrowser();
    try {
      await signInThroughEmail(b, official.email);
      await b.page.goto(`/initiatives/${id}`);
      await b.page.getByText('There is nothing you may do on this initiative now.').first().waitFor();
      expect(await b.page.locator('form[action$="/decisions"]').count()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('works with JavaScript turned off: filter the list, withdraw an initiative, switch to Russian', async () => {
    const id = await startedInitiative('web-nojs');
    const b = await openBrowser({ javaScriptEnabled: false });
    try {
      const { page } = b;
      // The Secretariat's session, carried over from the first browser.
      await b.context.addCookies(await secretariat.context.cookies());
      await page.goto('/initiatives');
      await page.getByLabel('Stage').selectOption('proposed');
      await page.getByLabel('Title contains').fill(id);
      await follow(page, page.getByRole('button', { name: 'Apply' }));
      expect(new URL(page.url()).searchParams.get('stage')).toBe('proposed');
      // The list reads what the worker has recorded, which under a whole suite's load comes a while after the start.
      const link = page.getByRole('link', { name: `Test initiative ${id}` });
      await settled('the filtered list to show the new initiative', async () => {
        if ((await link.count()) > 0) return true;
        await page.reload();
        return false;
      });
      await follow(page, link);
      const withdraw = page.locator('#act-withdraw');
      // The server checks what the browser would (forms are novalidate): an empty reason comes back beside its field.
      await follow(page, withdraw.getByRole('button', { name: 'Withdraw the initiative' }));
      expect(await textOf(page.locator('#withdraw-f-reason-error'))).toBe('Please fill this in.');
      expect(await page.locator('#withdraw-f-reason').getAttribute('aria-describedby')).toContain(
        'withdraw-f-reason-error',
      );
      await withdraw.getByLabel('Reason').fill('Merged into another initiative');
      // Nothing that ends an initiative goes through without the box that says the person means it.
      await follow(page, withdraw.getByRole('button', { name: 'Withdraw the initiative' }));
      expect(await textOf(page.locator('#withdraw-f-confirm-error'))).toBe(
        'Tick the box to confirm: this cannot be undone.',
      );
      expect(await withdraw.getByLabel('Reason').inputValue()).toBe('Merged into another initiative');
      expect((await textOf(page.locator('.stage').first())).trim()).toBe('Proposed');
      await withdraw.getByLabel(/I understand that this ends the follow-up/).check();
      await follow(page, withdraw.getByRole('button', { name: 'Withdraw the initiative' }));
      expect(await textOf(page.getByRole('status'))).toMatch(/^Done: the initiative is withdrawn \(.+\)\.$/);
      expect((await textOf(page.locator('.stage').first())).trim()).toBe('Withdrawn');
      expect(await page.locator('form.act').count()).toBe(0);

      await follow(page, page.getByRole('link', { name: 'Русский' }));
      expect(await page.getAttribute('html', 'lang')).toBe('ru');
      expect((await textOf(page.locator('.stage').first())).trim()).toBe('Отозвана');
      await page.getByRole('heading', { name: 'Хронология' }).first().waitFor();
      expect(await englishLeft(page, ['Merged into another initiative'])).toEqual([]);
      await snap(page, 'initiative-withdrawn-ru');
      await page.goto('/matrix');
      await snap(page, 'matrix-ru');
    } finally {
      await b.close();
    }
  });
});
