/** What people read: the inbox, the audit trail as JSON and CSV, the directory, calendar feeds, and the API's own description and metrics. */
import { addPerson, anonymous, asPerson, settled, signIn, startedInitiative } from '../support/api-client';
import { testStack, uniqueId } from '../support/stack';

const secretariat = asPerson('secretariat');
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

describe('the inbox', () => {
  it('lists what awaits each person, soonest due first, and drops what is done', async () => {
    const { id: officialId, email } = await addPerson({ roles: ['official'], state: 'TJ' }, 'inbox-off');
    const official = await signIn(email);
    const later = await startedInitiative('inbox-later', {
      to: 'assigned',
      lead: 'TJ',
      official: officialId,
      draftDueDays: 20,
    });
    const sooner = await startedInitiative('inbox-sooner', {
      to: 'assigned',
      lead: 'TJ',
      official: officialId,
      draftDueDays: 5,
    });

    const items = await settled('both drafts in the inbox', async () => {
      const r = await official.get('/api/inbox');
      return r.body.items.length === 2 ? r.body.items : undefined;
    });
    expect(items.map((i: { initiativeId: string }) => i.initiativeId)).toEqual([sooner, later]);
    expect(items[0]).toMatchObject({
      kind: 'draft',
      step: 'draft',
      stage: 'assigned',
      overdue: false,
      what: 'submit the draft (revision 1)',
    });

    // The Secretariat has both to assign? No: they are assigned. A new one is.
    const proposed = await startedInitiative('inbox-proposed');
    await settled("the assignment in the Secretariat's inbox", async () =>
      (await secretariat.get('/api/inbox')).body.items.find(
        (i: { initiativeId: string; kind: string }) => i.initiativeId === proposed && i.kind === 'assignment',
      ),
    );

    // The draft goes in: the official's item goes, every member's representative (and deputy) gets a decision.
    expect(
      (await official.post(`/api/initiatives/${sooner}/drafts`, { title: 'Draft', text: 'The text.' })).status,
    ).toBe(200);
    await settled("the draft gone from the official's inbox", async () =>
      (await official.get('/api/inbox')).body.items.length === 1 ? true : undefined,
    );
    for (const who of ['rep-kz', 'deputy-kz']) {
      const item = await settled(`the decision in ${who}'s inbox`, async () =>
        (await asPerson(who).get('/api/inbox')).body.items.find(
          (i: { initiativeId: string }) => i.initiativeId === sooner,
        ),
      );
      expect(item).toMatchObject({ kind: 'decision', state: 'KZ', revision: 1, what: 'decide for KZ on revision 1' });
    }
    const all = (await asPerson('rep-kz').get('/api/inbox')).body.items as { dueAt?: string }[];
    const dues = all.map((i) => i.dueAt ?? '~');
    expect(dues).toEqual([...dues].sort());
  });
});

describe('the audit trail', () => {
  it('comes as JSON and as CSV, naming the deputy and the representative', async () => {
    const id = await startedInitiative('trail', { to: 'signoff' });
    expect(
      (
        await asPerson('deputy-kz').post(`/api/initiatives/${id}/decisions`, {
          state: 'KZ',
          decision: 'object',
          revision: 1,
          reason: '=cmd|calc, "quoted"',
        })
      ).status,
    ).toBe(200);
    const json = await settled('the objection in the trail', async () => {
      const r = await secretariat.get(`/api/initiatives/${id}/events`);
      return r.body.some((e: { type: string }) => e.type === 'round_blocked') ? r.body : undefined;
    });
    expect(json.map((e: { type: string }) => e.type)).toEqual([
      'started',
      'assigned',
      'draft_submitted',
      'signoff_opened',
      'decided',
      'round_blocked',
    ]);

    const csv = await secretariat.get(`/api/initiatives/${id}/events?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(`${id}-events.csv`);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,at,type,revision,actor,actor_name,on_behalf_of,actor_state,data');
    expect(lines).toHaveLength(7);
    const decided = lines.find((l) => l.includes(',decided,'))!;
    expect(decided).toContain(',deputy-kz,Deputy Special Representative of Kazakhstan,rep-kz,KZ,');
    expect(decided).toContain('""reason"":""=cmd|calc, '); // quotes doubled inside a quoted cell
    const byAccept = await asPerson('rep-tj').get(`/api/initiatives/${id}/events`, { accept: 'text/csv' });
    expect(byAccept.text).toBe(csv.text);
    expect((await secretariat.get(`/api/initiatives/${uniqueId('missing')}/events`)).status).toBe(404);
  });
});

describe('the directory', () => {
  it('shows states with time zones and membership dates, people with roles and deputies, and the rotation', async () => {
    const states = (await asPerson('official-kg').get('/api/directory/states')).body.items;
    expect(states.find((s: { code: string }) => s.code === 'AZ')).toEqual({
      code: 'AZ',
      name: { en: 'Azerbaijan', ru: 'Азербайджан' },
      timeZone: 'Asia/Baku',
      admittedOn: '2025-11-16',
    });
    const before = (await asPerson('official-kg').get('/api/directory/states?memberOn=2025-11-15')).body.items.map(
      (s: { code: string }) => s.code,
    );
    expect(before).toEqual(['KG', 'KZ', 'TJ', 'TM', 'UZ']);
    const deputies = (await asPerson('official-kg').get('/api/directory/people?role=deputy&state=KZ')).body.items;
    expect(deputies.map((p: { id: string }) => p.id)).toContain('deputy-kz');
    expect(deputies.find((p: { id: string }) => p.id === 'deputy-kz')).toMatchObject({
      deputyOf: 'rep-kz',
      delegation: { from: '2025-11-16', to: '2026-12-31' },
    });
    const rotation = (await asPerson('rep-az').get('/api/directory/rotation')).body.items;
    expect(rotation.find((r: { year: number }) => r.year === 2026)).toMatchObject({
      chairState: 'TM',
      from: '2026-01-01',
      to: '2026-12-31',
    });
    expect((await asPerson('rep-az').get('/api/directory/people/nobody-here')).status).toBe(404);
  });

  it('lets the Secretariat edit it, naming each invalid field', async () => {
    const badState = await secretariat.put('/api/directory/states/XK', {
      name: { en: 'X', ru: '' },
      timeZone: 'Mars/Olympus',
      admittedOn: '2026-01-01',
      leftOn: '2025-01-01',
    });
    expect(badState.status).toBe(422);
    expect(badState.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'leftOn',
      'name.ru',
      'timeZone',
    ]);

    const badPerson = await secretariat.put(`/api/directory/people/${uniqueId('bad')}`, {
      name: 'Someone',
      email: 'rep-kz@example.org',
      roles: ['deputy'],
      state: 'KG',
      deputyOf: 'rep-kz',
      delegation: { from: '2026-01-01', to: '2026-12-31' },
    });
    expect(badPerson.status).toBe(422);
    expect(badPerson.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['deputyOf', 'email']);
    const incomplete = await secretariat.put(`/api/directory/people/${uniqueId('bad')}`, {
      name: 'Someone',
      email: 'x@example.org',
      roles: ['deputy', 'deputy'],
    });
    expect(incomplete.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'delegation',
      'deputyOf',
      'roles',
      'state',
    ]);

    const overlap = await secretariat.put('/api/directory/rotation/2031', {
      chairState: 'KZ',
      from: '2026-06-01',
      to: '2027-05-31',
    });
    expect(overlap.status).toBe(422);
    expect(overlap.body.errors).toEqual([
      expect.objectContaining({ field: 'from', message: expect.stringContaining('overlaps 2026') }),
    ]);

    const year = 2040 + Math.floor(Math.random() * 100);
    const created = await secretariat.put(`/api/directory/rotation/${year}`, {
      chairState: 'KZ',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
    });
    expect([created.status, created.body]).toEqual([
      201,
      { year, chairState: 'KZ', from: `${year}-01-01`, to: `${year}-12-31` },
    ]);
    const replaced = await secretariat.put(`/api/directory/rotation/${year}`, {
      chairState: 'KG',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
    });
    expect(replaced.status).toBe(200);
    expect(
      (await asPerson('rep-kg').get('/api/directory/rotation')).body.items.find(
        (r: { year: number }) => r.year === year,
      ).chairState,
    ).toBe('KG');
  });
});

describe('undelivered emails', () => {
  it('are listed for the Secretariat only', async () => {
    const res = await secretariat.get('/api/emails/undelivered?limit=5');
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.items)).toBe(true);
    expect(res.body.items.length).toBeLessThanOrEqual(5);
    expect((await asPerson('rep-kz').get('/api/emails/undelivered')).status).toBe(403);
  });
});

describe('calendar feeds', () => {
  it("serve a person's deadlines at a private URL that can be replaced and revoked", async () => {
    const { id: officialId, email } = await addPerson({ roles: ['official'], state: 'UZ' }, 'cal');
    const official = await signIn(email);
    const id = await startedInitiative('cal', { to: 'assigned', lead: 'UZ', official: officialId, draftDueDays: 9 });
    const due = (await secretariat.get(`/api/initiatives/${id}`)).body.deadlines[0].dueAt as string;

    expect((await official.get('/api/calendar-feed')).body).toEqual({ active: false });
    const feed = await official.post('/api/calendar-feed');
    expect(feed.status).toBe(201);
    expect(feed.body.url).toMatch(/\/calendar\/sfc_[A-Za-z0-9_-]+\.ics$/);
    const path = new URL(feed.body.url).pathname;

    const ics = await settled('the deadline in the feed', async () => {
      const r = await anonymous().get(path);
      return r.text.includes('BEGIN:VEVENT') ? r : undefined;
    });
    expect(ics.status).toBe(200);
    expect(ics.contentType).toBe('text/calendar; charset=utf-8');
    expect(ics.text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.text).toContain(`UID:${id}.draft@summit-followup.example.org`);
    expect(ics.text).toContain(`DTEND:${due.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    expect(ics.text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect((await official.get('/api/calendar-feed')).body).toMatchObject({
      active: true,
      lastUsedAt: expect.any(String),
    });

    const replaced = await official.post('/api/calendar-feed');
    expect((await anonymous().get(path)).status).toBe(404);
    const newPath = new URL(replaced.body.url).pathname;
    expect((await anonymous().get(newPath)).status).toBe(200);
    expect((await official.del('/api/calendar-feed')).status).toBe(204);
    expect((await anonymous().get(newPath)).status).toBe(404);
    expect((await official.del('/api/calendar-feed')).status).toBe(404);
  });
});

describe('the API describes itself', () => {
  it('serves OpenAPI 3.1 built from the request schemas, and a docs page', async () => {
    const spec = (await anonymous().get('/openapi.json')).body;
    expect(spec.openapi).toBe('3.1.0');
    const decide = spec.paths['/api/initiatives/{id}/decisions'].post;
    const body = decide.requestBody.content['application/json'].schema;
    // One shape per decision (oneOf): requesting changes, amending and objecting require a reason, approving and
    // abstaining do not; an amendment requires the text it proposes.
    expect(body.oneOf.map((v: { properties: { decision: { const: string } } }) => v.properties.decision.const)).toEqual(
      ['approve', 'abstain', 'request_changes', 'amend', 'object'],
    );
    for (const v of body.oneOf) {
      const kind = v.properties.decision.const;
      expect(v.required).toEqual(expect.arrayContaining(['state', 'decision', 'revision']));
      expect(v.required.includes('reason')).toBe(kind !== 'approve' && kind !== 'abstain');
      expect(v.required.includes('amendment')).toBe(kind === 'amend');
      expect(v.additionalProperties).toBe(false);
    }
    expect(decide.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'header:Idempotency-Key',
    ]);
    expect(Object.keys(decide.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '409', '422', '429', '503']),
    );
    expect(decide.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [], csrfToken: [] }]);
    expect(spec.paths['/api/initiatives'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'stage',
      'lead',
      'pending',
      'overdue',
      'q',
      'limit',
      'offset',
    ]);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/inbox',
        '/api/tokens',
        '/api/directory/people/{id}',
        '/calendar/{file}',
        '/act/{token}',
        '/api/auth/magic-links',
      ]),
    );
    expect(spec.components.responses.Problem422.content['application/problem+json']).toBeDefined();
    expect(Object.keys(spec.paths['/api/initiatives/{id}/events'].get.responses['200'].content)).toEqual([
      'application/json',
      'text/csv',
    ]);
    // Well formed: unique operation ids, every path parameter declared, every $ref resolvable.
    const ops = Object.entries(
      spec.paths as Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[] }>>,
    ).flatMap(([path, methods]) => Object.values(methods).map((op) => ({ path, ...op })));
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    for (const op of ops) {
      const declared = op.parameters
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect([op.path, declared]).toEqual([op.path, [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort()]);
    }
    for (const ref of JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? []) {
      const target = ref
        .slice(8, -1)
        .replace('#/', '')
        .split('/')
        .reduce((o: Record<string, unknown> | undefined, k) => o?.[k] as Record<string, unknown> | undefined, spec);
      expect([ref, target !== undefined]).toEqual([ref, true]);
    }

    const docs = await anonymous().get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('<script src="/docs/docs.js"></script>');
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(docs.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests'); // PUBLIC_URL is http here
    expect(docs.headers.get('strict-transport-security')).toBeNull();
    const js = await anonymous().get('/docs/docs.js');
    expect(js.contentType).toContain('javascript');
    expect(js.text).toContain("fetch('/openapi.json')");
  });

  it('exposes Prometheus metrics: requests by route, workflow starts, acts, emails', async () => {
    const id = await startedInitiative('metrics', { to: 'assigned' });
    await asPerson('rep-kz').post(`/api/initiatives/${id}/assignment`, {
      leadState: 'KZ',
      officialId: 'official-kz',
      draftDueAt: inDays(3),
    });
    const text = await settled('emails counted', async () => {
      const r = await anonymous().get('/metrics', { authorization: `Bearer ${testStack().operatorToken}` });
      return /summit_emails\{status="sent"\} [1-9]/.test(r.text) ? r.text : undefined;
    });
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/initiatives\/:id",status="200"\} \d+/);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/api\/initiatives\/:id\/assignment"\} \d+/,
    );
    expect(text).toMatch(/summit_workflow_starts_total\{outcome="created"\} [1-9]/);
    expect(text).toMatch(/summit_acts_total\{act="assign",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/summit_acts_total\{act="assign",outcome="forbidden"\} [1-9]/);
    expect(text).not.toMatch(/sf[umc]_[A-Za-z0-9]{10}/);
  });

  it('counts the acts done on the web pages too, where the service attempts them', async () => {
    // An act no other test attempts: completing a milestone of an initiative that does not exist, from the web form.
    const counted = async () => {
      const r = await anonymous().get('/metrics', { authorization: `Bearer ${testStack().operatorToken}` });
      return Number(/summit_acts_total\{act="complete_milestone",outcome="not_found"\} (\d+)/.exec(r.text)?.[1] ?? 0);
    };
    const before = await counted();
    const browser = await signIn('official-kz@example.org');
    const form = new URLSearchParams({ note: 'done', _csrf: browser.csrfToken }).toString();
    const res = await browser.post(`/initiatives/${uniqueId('nowhere')}/milestones/pilot/completion`, form, {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    });
    expect(res.status).toBe(404);
    expect(await counted()).toBe(before + 1);
  });
});
