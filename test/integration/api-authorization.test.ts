/** The authorization matrix: every role against every state-changing endpoint, on real workflows. */
import { addPerson, anonymous, asPerson, Client, settled, signIn, startedInitiative } from '../support/api-client';
import { uniqueId } from '../support/stack';

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

const secretariat = asPerson('secretariat');
const repKz = asPerson('rep-kz');
const deputyKz = asPerson('deputy-kz');
const officialKz = asPerson('official-kz');
const officialKg = asPerson('official-kg');
const repKg = asPerson('rep-kg');
const chair = asPerson('rep-tm'); // Turkmenistan chairs in 2026

interface Attempt {
  who: Client;
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
  expect: number;
}

/** Runs each attempt and lists every one whose status differs, so a failure names them all. */
async function expectStatuses(attempts: Attempt[]): Promise<void> {
  const wrong: string[] = [];
  for (const a of attempts) {
    const res = await a.who.request(a.method, a.path, a.body);
    if (res.status !== a.expect)
      wrong.push(
        `${a.who.label} ${a.method} ${a.path}: ${res.status} (expected ${a.expect}) ${res.text.slice(0, 200)}`,
      );
    else if (res.status >= 400) expect(res.contentType).toContain('application/problem+json');
  }
  expect(wrong).toEqual([]);
}

let expiredDeputy: Client;
let expired: { id: string; email: string };
beforeAll(async () => {
  // A deputy of Azerbaijan whose delegation ended last year: they sign in, but decide for nobody.
  expired = await addPerson(
    { roles: ['deputy'], state: 'AZ', deputyOf: 'rep-az', delegation: { from: '2024-01-01', to: '2025-06-30' } },
    'ex-deputy',
  );
  expiredDeputy = await signIn(expired.email);
});
afterAll(async () => {
  // Out of the deputies, so other suites' sign-off rounds do not email them.
  await secretariat.put(`/api/directory/people/${expired.id}`, {
    name: 'Former deputy',
    email: expired.email,
    roles: ['official'],
    state: 'AZ',
  });
});

describe('who may do what', () => {
  it('only the Secretariat starts, assigns, extends, withdraws, returns to drafting, adds milestones, completes and edits the directory', async () => {
    const id = await startedInitiative('authz-sec');
    const others = [repKz, deputyKz, officialKz, chair, expiredDeputy];
    const secretariatOnly: Omit<Attempt, 'who' | 'expect'>[] = [
      {
        method: 'POST',
        path: '/api/initiatives',
        body: {
          id: uniqueId('nope'),
          title: 'Not for you',
          proposingState: 'KZ',
          summit: 'tashkent-2025',
          category: 'x',
        },
      },
      {
        method: 'POST',
        path: `/api/initiatives/${id}/assignment`,
        body: { leadState: 'KZ', officialId: 'official-kz', draftDueAt: inDays(10) },
      },
      {
        method: 'POST',
        path: `/api/initiatives/${id}/deadlines`,
        body: { step: 'assignment', dueAt: inDays(20), reason: 'more time' },
      },
      { method: 'POST', path: `/api/initiatives/${id}/withdrawal`, body: { reason: 'no' } },
      { method: 'POST', path: `/api/initiatives/${id}/return-to-drafting`, body: { reason: 'no' } },
      {
        method: 'POST',
        path: `/api/initiatives/${id}/milestones`,
        body: { title: 'A milestone', ownerId: 'official-kz', dueAt: inDays(30) },
      },
      { method: 'POST', path: `/api/initiatives/${id}/completion`, body: {} },
      {
        method: 'PUT',
        path: '/api/directory/states/KZ',
        body: { name: { en: 'Kazakhstan', ru: 'Казахстан' }, timeZone: 'Asia/Almaty', admittedOn: '2018-03-15' },
      },
      {
        method: 'PUT',
        path: '/api/directory/people/official-kz',
        body: { name: 'Focal point', email: 'official-kz@example.org', roles: ['secretariat'] },
      },
      {
        method: 'PUT',
        path: '/api/directory/rotation/2027',
        body: { chairState: 'KZ', from: '2027-01-01', to: '2027-12-31' },
      },
    ];
    await expectStatuses(others.flatMap((who) => secretariatOnly.map((a) => ({ ...a, who, expect: 403 }))));

    // Nothing changed, and the Secretariat itself may.
    const view = await secretariat.get(`/api/initiatives/${id}`);
    expect(view.body).toMatchObject({ stage: 'proposed', revision: 0 });
    await expectStatuses([
      {
        who: secretariat,
        method: 'POST',
        path: `/api/initiatives/${id}/deadlines`,
        body: { step: 'assignment', dueAt: inDays(20), reason: 'more time' },
        expect: 200,
      },
      {
        who: secretariat,
        method: 'POST',
        path: `/api/initiatives/${id}/assignment`,
        body: { leadState: 'KZ', officialId: 'official-kz', draftDueAt: inDays(10) },
        expect: 200,
      },
      {
        who: secretariat,
        method: 'POST',
        path: `/api/initiatives/${id}/withdrawal`,
        body: { reason: 'test over' },
        expect: 200,
      },
    ]);
  });

  it("only the lead official (or the lead state's representative) submits the draft", async () => {
    const id = await startedInitiative('authz-draft', { to: 'assigned' });
    const draft = { title: 'Draft one', link: 'https://example.org/d1' };
    const path = `/api/initiatives/${id}/drafts`;
    await expectStatuses([
      { who: officialKg, method: 'POST', path, body: draft, expect: 403 }, // an official, but not assigned to this one
      { who: repKg, method: 'POST', path, body: draft, expect: 403 }, // another state's representative
      { who: secretariat, method: 'POST', path, body: draft, expect: 403 },
      { who: chair, method: 'POST', path, body: draft, expect: 403 },
      { who: officialKz, method: 'POST', path, body: draft, expect: 200 },
    ]);
    expect((await secretariat.get(`/api/initiatives/${id}`)).body).toMatchObject({ stage: 'signoff', revision: 1 });
  });

  it('a representative decides only for their own state; a deputy only within the delegation dates, recorded with the representative', async () => {
    const id = await startedInitiative('authz-decide', { to: 'signoff' });
    const path = `/api/initiatives/${id}/decisions`;
    const approve = (state: string) => ({ state, decision: 'approve', revision: 1 });
    await expectStatuses([
      { who: repKz, method: 'POST', path, body: approve('KG'), expect: 403 }, // for another state
      { who: officialKz, method: 'POST', path, body: approve('KZ'), expect: 403 }, // an official of the state
      { who: secretariat, method: 'POST', path, body: approve('KZ'), expect: 403 },
      { who: chair, method: 'POST', path, body: approve('KZ'), expect: 403 },
      { who: expiredDeputy, method: 'POST', path, body: approve('AZ'), expect: 403 }, // delegation over
      { who: deputyKz, method: 'POST', path, body: approve('KZ'), expect: 200 },
      { who: repKg, method: 'POST', path, body: approve('KG'), expect: 200 },
    ]);

    const view = (await secretariat.get(`/api/initiatives/${id}`)).body;
    expect(view.round.decisions.KZ).toMatchObject({ decision: 'approve', by: 'deputy-kz', onBehalfOf: 'rep-kz' });
    expect(view.pendingStates).not.toContain('KZ');
    const events = await settled('the decision in the audit trail', async () => {
      const e = (await secretariat.get(`/api/initiatives/${id}/events`)).body as {
        type: string;
        data: { state?: string };
        actor?: Record<string, unknown>;
      }[];
      return e.filter((x) => x.type === 'decided').length === 2 ? e : undefined;
    });
    const byDeputy = events.find((e) => e.type === 'decided' && e.data.state === 'KZ')!;
    expect(byDeputy.actor).toMatchObject({
      personId: 'deputy-kz',
      name: 'Deputy Special Representative of Kazakhstan',
      state: 'KZ',
      onBehalfOf: 'rep-kz',
      roles: ['deputy'],
    });
  });

  it('an official completes only the milestones they own', async () => {
    // One approval adopts it (a quorum of one), which keeps the test's emails few.
    const id = await startedInitiative('authz-ms', { to: 'signoff', policy: { rule: 'quorum', quorum: 1 } });
    expect(
      (await repKz.post(`/api/initiatives/${id}/decisions`, { state: 'KZ', decision: 'approve', revision: 1 })).status,
    ).toBe(200);
    expect((await secretariat.get(`/api/initiatives/${id}`)).body.stage).toBe('adopted');
    const added = await secretariat.post(`/api/initiatives/${id}/milestones`, {
      id: 'first-corridor',
      title: 'First corridor',
      ownerId: 'official-kz',
      dueAt: inDays(40),
    });
    expect(added.status).toBe(200);
    const path = `/api/initiatives/${id}/milestones/first-corridor/completion`;
    await expectStatuses([
      { who: officialKg, method: 'POST', path, body: {}, expect: 403 },
      { who: repKz, method: 'POST', path, body: {}, expect: 403 },
      { who: officialKz, method: 'POST', path, body: { note: 'done' }, expect: 200 },
    ]);
    await expectStatuses([
      { who: repKz, method: 'POST', path: `/api/initiatives/${id}/completion`, body: {}, expect: 403 },
      { who: secretariat, method: 'POST', path: `/api/initiatives/${id}/completion`, body: {}, expect: 200 },
    ]);
  });

  it('everyone signed in reads; nobody else does', async () => {
    const id = await startedInitiative('authz-read');
    for (const who of [repKz, deputyKz, officialKg, chair, expiredDeputy]) {
      for (const path of [
        `/api/initiatives/${id}`,
        '/api/initiatives',
        `/api/initiatives/${id}/events`,
        '/api/inbox',
        '/api/directory/people',
        '/api/directory/states',
        '/api/directory/rotation',
      ]) {
        expect([who.label, path, (await who.get(path)).status]).toEqual([who.label, path, 200]);
      }
    }
    expect((await anonymous().get(`/api/initiatives/${id}`)).status).toBe(401);
    expect((await anonymous().get('/api/directory/people')).status).toBe(401);
  });
});

describe('a delegation runs by the calendar where the deputy is', () => {
  it("counts the dates of a delegation in the deputy's own time zone, not in UTC", async () => {
    // A zone whose date differs from UTC's right now: ahead of it (Kiritimati, UTC+14) from 10:00 UTC, behind it
    // (Pago Pago, UTC-11) before. The delegation covers today in UTC but not today where the deputy is.
    const now = new Date();
    const utcToday = now.toISOString().slice(0, 10);
    const shift = (days: number) =>
      new Date(Date.parse(`${utcToday}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const ahead = now.getUTCHours() >= 10;
    const timeZone = ahead ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const delegation = ahead ? { from: shift(-10), to: utcToday } : { from: utcToday, to: shift(10) };
    const deputy = await addPerson(
      { roles: ['deputy'], state: 'TJ', deputyOf: 'rep-tj', delegation, timeZone },
      'zoned-deputy',
    );
    try {
      const browser = await signIn(deputy.email);
      const me = await browser.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.roles).not.toContain('deputy');
      // The same delegation a day wider where the deputy is: a deputy again.
      const wider = ahead ? { ...delegation, to: shift(1) } : { ...delegation, from: shift(-1) };
      expect(
        (
          await secretariat.put(`/api/directory/people/${deputy.id}`, {
            name: 'Zoned deputy',
            email: deputy.email,
            locale: 'en',
            roles: ['deputy'],
            state: 'TJ',
            deputyOf: 'rep-tj',
            delegation: wider,
            timeZone,
          })
        ).status,
      ).toBe(200);
      expect((await browser.get('/api/me')).body.roles).toContain('deputy');
    } finally {
      await secretariat.put(`/api/directory/people/${deputy.id}`, {
        name: 'Former deputy',
        email: deputy.email,
        locale: 'en',
        roles: ['official'],
        state: 'TJ',
      });
    }
  });
});
