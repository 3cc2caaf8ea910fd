/**
 * Each state's working calendar on the real stack: read with the source of every day off, corrected by the
 * Secretariat alone (all or nothing), and a sign-off due date moved onto a member's holiday flagged.
 */
import { addPerson, asPerson, settled, signIn, startedInitiative } from '../support/api-client';

describe("each state's working calendar", () => {
  it('shows where each day off comes from: the holiday data file for Kyrgyzstan, date-holidays for Kazakhstan', async () => {
    const reader = asPerson('rep-kz');
    const kg = await reader.get('/api/directory/states/KG/calendar?year=2026');
    expect(kg.status).toBe(200);
    expect(kg.body).toMatchObject({ state: 'KG', timeZone: 'Asia/Bishkek', year: 2026, weekend: [6, 7] });
    expect(kg.body.holidays).toContainEqual({
      date: '2026-08-31',
      name: expect.stringMatching(/Independence/),
      nameRu: 'День независимости',
      source: expect.stringMatching(/^kg-/),
    });
    const kz = await reader.get('/api/directory/states/KZ/calendar?year=2027');
    expect(kz.body.holidays).toContainEqual(
      expect.objectContaining({ date: '2027-03-22', source: 'date-holidays 3.37.0 (Kazakhstan public holidays)' }),
    );
    expect((await reader.get('/api/directory/states/XX/calendar')).status).toBe(404);
  });

  it('is corrected by the Secretariat only, every edit checked before any is saved', async () => {
    const sec = asPerson('secretariat');
    const path = '/api/directory/states/KG/calendar';
    const edit = { added: [{ date: '2031-01-02', name: 'Day of national mourning', source: 'Secretariat' }] };
    expect((await asPerson('rep-kg').put(path, edit)).status).toBe(403);

    const notADate = await sec.put(path, { ...edit, removed: ['2031-02-30'] });
    expect([notADate.status, notADate.body.errors]).toEqual([
      422,
      [{ field: 'removed.0', message: 'Invalid ISO date' }],
    ]);
    const twice = await sec.put(path, { ...edit, weekend: [6, 7, 7] });
    expect(twice.status).toBe(422);
    expect(JSON.stringify(twice.body.errors)).toMatch(/weekend/i);
    expect((await sec.get(`${path}?year=2031`)).body.holidays).not.toContainEqual(
      expect.objectContaining({ date: '2031-01-02' }),
    );

    try {
      const saved = await sec.put(path, edit);
      expect(saved.status).toBe(200);
      expect(saved.body.calendar).toEqual(edit);
      const after = await sec.get(`${path}?year=2031`);
      expect(after.body.holidays).toContainEqual({
        date: '2031-01-02',
        name: 'Day of national mourning',
        source: 'Secretariat',
      });
      expect(after.body.edits).toEqual(edit);
      // Editing the state itself keeps its calendar.
      const state = (await sec.get('/api/directory/states/KG')).body;
      const { code: _code, calendar: _calendar, ...fields } = state;
      expect((await sec.put('/api/directory/states/KG', fields)).status).toBe(200);
      expect((await sec.get(`${path}?year=2031`)).body.edits).toEqual(edit);
    } finally {
      expect((await sec.put(path, {})).status).toBe(200);
    }
  });

  it("flags a sign-off due date moved onto Kazakhstan's Nauryz, on the page, in the round and in the record", async () => {
    const sec = asPerson('secretariat');
    const id = await startedInitiative('day-off', { to: 'signoff' });
    const moved = await sec.post(`/api/initiatives/${id}/deadlines`, {
      step: 'signoff',
      dueAt: '2027-03-22T06:00:00Z',
      reason: 'time for the translations',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.round.daysOff).toContainEqual({
      state: 'KZ',
      date: '2027-03-22',
      name: expect.stringMatching(/Nauryz/),
      nameRu: expect.stringMatching(/Наурыз/),
      kind: 'holiday',
    });
    expect(moved.body.round.daysOff.map((o: { state: string }) => o.state)).not.toContain('KG');
    const recorded = await settled('the extension in the trail', async () => {
      const events = (await sec.get(`/api/initiatives/${id}/events`)).body as { type: string; data: any }[];
      return events.find((e) => e.type === 'deadline_extended');
    });
    expect(recorded.data.daysOff).toEqual(moved.body.round.daysOff);

    const browser = await signIn((await addPerson({ roles: ['secretariat'] }, 'cal-sec')).email);
    const page = await browser.get(`/initiatives/${id}`, { accept: 'text/html' });
    expect(page.text).toMatch(/The due date falls on a day off in: [^<]*Kazakhstan — [^<]*\(2027-03-22\)/);

    // The extension form offers the first day, at the same hour, that every member state works (by its calendar).
    const form = page.text.slice(page.text.indexOf('id="act-extendDeadline"'));
    const offered = /name="dueAt"[^>]*value="(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})"/.exec(form);
    expect(offered).not.toBeNull();
    expect(form).toMatch(
      /Offered: 2027-\d\d-\d\d \d\d:\d\d, the first day at this hour that is a working day in every member state/,
    );
    const [, date, time] = offered!;
    expect(date > '2027-03-22').toBe(true);
    expect(time).toBe('11:00'); // the due date's hour, in the Secretariat's zone (Tashkent)
    for (const code of moved.body.round.members as string[]) {
      const cal = (await sec.get(`/api/directory/states/${code}/calendar?year=2027`)).body;
      expect(cal.holidays.map((h: { date: string }) => h.date)).not.toContain(date);
      const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
      expect(cal.weekend).not.toContain(weekday);
    }
  });

  it('gives every member state N working days on its own calendar when the sign-off is set in working days', async () => {
    const sec = asPerson('secretariat');
    const id = await startedInitiative('working-days', { to: 'signoff' });
    const set = await sec.post(`/api/initiatives/${id}/deadlines`, {
      step: 'signoff',
      workingDays: 10,
      reason: 'ten working days each',
    });
    expect(set.status).toBe(200);
    const recorded = await settled('the working days in the trail', async () => {
      const events = (await sec.get(`/api/initiatives/${id}/events`)).body as { type: string; data: any }[];
      return events.find((e) => e.type === 'deadline_extended');
    });
    const byState = recorded.data.dueByState as Record<string, string>;
    expect(Object.keys(byState).sort()).toEqual([...(set.body.round.members as string[])].sort());
    // The round ends with the last state's last working day; every state's own end is a working day there.
    expect(set.body.round.dueAt).toBe(Object.values(byState).sort().at(-1));
    expect(recorded.data).toMatchObject({ workingDays: 10, to: set.body.round.dueAt });
    for (const [code, end] of Object.entries(byState)) {
      const year = Number(end.slice(0, 4));
      const cal = (await sec.get(`/api/directory/states/${code}/calendar?year=${year}`)).body;
      const local = new Intl.DateTimeFormat('en-CA', { timeZone: cal.timeZone }).format(new Date(end));
      expect(cal.holidays.map((h: { date: string }) => h.date)).not.toContain(local);
      expect(cal.weekend).not.toContain(((new Date(`${local}T00:00:00Z`).getUTCDay() + 6) % 7) + 1);
    }

    const draftStep = await sec.post(`/api/initiatives/${id}/deadlines`, {
      step: 'draft',
      workingDays: 5,
      reason: 'x',
    });
    expect([draftStep.status, draftStep.body.errors]).toEqual([
      422,
      [{ field: 'workingDays', message: 'counts for each member state: national sign-off only' }],
    ]);
    const both = await sec.post(`/api/initiatives/${id}/deadlines`, {
      step: 'signoff',
      workingDays: 5,
      dueAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
      reason: 'x',
    });
    expect([both.status, both.body.errors]).toEqual([
      422,
      [{ field: 'workingDays', message: 'give dueAt or workingDays, not both' }],
    ]);
  });

  it("flags a draft due on the lead state's holiday on the initiative's page", async () => {
    const sec = asPerson('secretariat');
    const id = await startedInitiative('draft-day-off');
    const assigned = await sec.post(`/api/initiatives/${id}/assignment`, {
      leadState: 'KZ',
      officialId: 'official-kz',
      draftDueAt: '2027-03-22T06:00:00Z',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.draftDayOff).toEqual({
      state: 'KZ',
      date: '2027-03-22',
      name: expect.stringMatching(/Nauryz/),
      nameRu: expect.stringMatching(/Наурыз/),
      kind: 'holiday',
    });
    const browser = await signIn((await addPerson({ roles: ['secretariat'] }, 'draft-off-sec')).email);
    const page = (await browser.get(`/initiatives/${id}`, { accept: 'text/html' })).text;
    const deadlines = page.slice(page.indexOf('id="dl-h"'), page.indexOf('</section>', page.indexOf('id="dl-h"')));
    expect(deadlines).toMatch(/The due date falls on a day off in: Kazakhstan — [^<]*\(2027-03-22\)/);
  });
});
