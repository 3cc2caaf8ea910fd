/**
 * The inbox as a work queue for the Secretariat and the Chair, the initiative's stepper and badges,
 * and every signed-in page at phone width, in English and Russian, checked by axe-core.
 */
import { addPerson, asPerson, startedInitiative } from '../support/api-client';
import { eventually } from '../support/stack';
import {
  axeViolations,
  Browser,
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

const todayUtc = () => new Date().toISOString().slice(0, 10);

/** The state chairing today; when the rotation names none for this year, Turkmenistan is entered for it. */
async function chairToday(): Promise<string> {
  const sec = asPerson('secretariat');
  const periods = (await sec.get('/api/directory/rotation')).body.items as {
    chairState: string;
    from: string;
    to: string;
  }[];
  const day = todayUtc();
  const current = periods.find((p) => p.from <= day && day <= p.to);
  if (current) return current.chairState;
  const year = Number(day.slice(0, 4));
  const put = await sec.put(`/api/directory/rotation/${year}`, {
    chairState: 'TM',
    from: `${year}-01-01`,
    to: `${year}-12-31`,
  });
  if (put.status !== 201 && put.status !== 200) throw new Error(`rotation answered ${put.status}: ${put.text}`);
  return 'TM';
}

describe('the work queue', () => {
  let secretariat: Browser;
  let late: string;
  let blocked: string;

  beforeAll(async () => {
    // Due twelve seconds from now: overdue by the time the queue is read, so it is escalated.
    late = await startedInitiative('queue-late', {
      to: 'assigned',
      lead: 'KG',
      official: 'official-kg',
      draftDueDays: 12 / 86_400,
    });
    blocked = await startedInitiative('queue-blocked', { to: 'signoff' });
    const objected = await asPerson('rep-tm').post(`/api/initiatives/${blocked}/decisions`, {
      state: 'TM',
      decision: 'object',
      revision: 1,
      reason: 'The timetable is not feasible',
    });
    expect(objected.status).toBe(200);
    const person = await addPerson({ roles: ['secretariat'] }, 'queue-sec');
    secretariat = await openBrowser();
    await signInThroughEmail(secretariat, person.email);
  });
  afterAll(async () => {
    await secretariat?.close();
  });

  const row = (b: Browser, group: string, id: string) =>
    b.page.locator(`section.group-${group} li`, { hasText: `Test initiative ${id}` });

  it("groups the Secretariat's tasks by urgency with counts: an objection before routine work, others' late steps to chase", async () => {
    const { page } = secretariat;
    await eventually(
      'the late step and the objection in the queue',
      async () => {
        await page.goto('/');
        return (
          (await row(secretariat, 'escalated', late).count()) === 1 &&
          (await row(secretariat, 'blocked', blocked).count()) === 1
        );
      },
      60_000,
    );
    expect(await textOf(row(secretariat, 'escalated', late))).toMatch(
      /Escalation: Overdue, waiting on Focal point, Kyrgyzstan\./,
    );
    expect(await textOf(row(secretariat, 'escalated', late))).toMatch(/overdue by \d+ (minute|hour|day)s?/);
    expect(await textOf(row(secretariat, 'blocked', blocked))).toContain('Turkmenistan objected: return the draft');

    // Groups in order of urgency, each heading counting its rows, and the counts at the top agreeing.
    const ids = await page.locator('section.group').evaluateAll((els) => els.map((e) => e.className));
    const order = ['overdue', 'blocked', 'escalated', 'week', 'later'];
    const seen = ids.map((c) => order.findIndex((g) => c.includes(`group-${g}`)));
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    for (const group of ['blocked', 'escalated']) {
      const n = await page.locator(`section.group-${group} li`).count();
      expect(await textOf(page.locator(`section.group-${group} h2`))).toContain(`(${n})`);
      expect(await textOf(page.locator(`.counts a[href="#group-${group}"]`))).toMatch(new RegExp(`^${n} `));
    }
    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'inbox-secretariat');

    // The filter stays chosen on the next visit.
    await page.getByLabel('Show').selectOption('escalation');
    await follow(page, page.getByRole('button', { name: 'Apply' }));
    expect(await page.locator('section.group-blocked').count()).toBe(0);
    await page.goto('/');
    expect(await page.getByLabel('Show').inputValue()).toBe('escalation');
    expect(await row(secretariat, 'escalated', late).count()).toBe(1);
    await page.getByLabel('Show').selectOption('all');
    await follow(page, page.getByRole('button', { name: 'Apply' }));

    await follow(page, page.getByRole('link', { name: 'Русский' }));
    expect(await textOf(page.locator('section.group-escalated h2'))).toContain('Просрочено другими, нужно напомнить');
    expect(await textOf(row(secretariat, 'escalated', late))).toMatch(
      /Эскалация: Просрочено, ожидается: Focal point, Kyrgyzstan\./,
    );
    expect(await textOf(row(secretariat, 'escalated', late))).toMatch(/просрочено на \d+ (минут|час|дн|день)/);
    expect(await axeViolations(page)).toEqual([]);
    expect(await englishLeft(page)).toEqual([]);
    await snap(page, 'inbox-secretariat-ru');
    await follow(page, page.getByRole('link', { name: 'English' }));
  });

  it("shows the chairing state's representative the escalations under the Chair's heading", async () => {
    const chair = await chairToday();
    const b = await openBrowser();
    try {
      await signInThroughEmail(b, `rep-${chair.toLowerCase()}@example.org`);
      await eventually('the late step in the Chair’s queue', async () => {
        await b.page.goto('/');
        return (await row(b, 'escalated', late).count()) === 1;
      });
      // Representatives read Russian (their directory locale).
      expect(await textOf(b.page.locator('section.group-escalated h2'))).toContain(
        'Для Председателя: просрочено другими',
      );
      expect(await axeViolations(b.page)).toEqual([]);
      await snap(b.page, 'inbox-chair-ru');
    } finally {
      await b.close();
    }
  });

  it('shows the stage on a stepper with badges for a blocked round and a passed deadline', async () => {
    const { page } = secretariat;
    await page.goto(`/initiatives/${blocked}`);
    const stepper = page.getByRole('list', { name: 'Lifecycle' });
    expect(await textOf(stepper.locator('[aria-current="step"]'))).toBe('National sign-off');
    expect(await stepper.locator('li').allTextContents()).toEqual([
      'Proposed (done)',
      'Assigned (done)',
      'Drafting (done)',
      'National sign-off',
      'Adopted',
      'Implementing',
      'Completed',
    ]);
    expect(await textOf(page.locator('.badge-blocked'))).toBe('Blocked by an objection');
    expect(await axeViolations(page)).toEqual([]);
    await snap(page, 'initiative-blocked');
    await page.goto(`/initiatives/${late}`);
    expect(await textOf(page.locator('p .badge-overdue'))).toBe('Overdue');
  });

  it('fits every signed-in page to a phone: one line of navigation, no sideways page, scroll boxes reachable by keyboard, no axe violation', async () => {
    const { page } = secretariat;
    await page.setViewportSize(PHONE);
    try {
      for (const lang of ['English', 'Русский']) {
        await page.goto('/');
        const other = page.getByRole('link', { name: lang });
        if (await other.count()) await follow(page, other);
        for (const path of [
          '/',
          '/initiatives',
          '/matrix',
          '/rotation',
          `/initiatives/${blocked}`,
          '/secretariat/directory',
        ]) {
          await page.goto(path);
          expect([path, lang, await overflowsSideways(page)]).toEqual([path, lang, []]);
          expect([path, lang, await axeViolations(page)]).toEqual([path, lang, []]);
          const nav = await page.locator('header nav ul').boundingBox();
          expect(nav!.height).toBeLessThan(48);
          for (const box of await page.locator('.table-wrap').all())
            expect(await box.getAttribute('tabindex')).toBe('0');
        }
      }
    } finally {
      await page.setViewportSize(DESKTOP);
      await page.goto('/');
      const english = page.getByRole('link', { name: 'English' });
      if (await english.count()) await follow(page, english);
    }
  });
});
