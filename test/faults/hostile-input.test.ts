/**
 * Hostile input: at least 10,000 requests generated with fast-check from the API's own /openapi.json
 * (every operation, mostly valid values with hostile ones mixed in), then named cases: oversized and
 * deeply nested JSON, MongoDB operators in fields, CRLF in everything that reaches an email header, path
 * traversal and oversized files in the summit import, invalid time zones and dates, Unicode edge cases in
 * names. No 5xx, no crashed process, no half-written document, no workflow stuck on a failing task.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { OutboxStatus } from '../../src/persistence/outbox';
import { directoryModels } from '../../src/persistence/directory';
import { isValidTimeZone } from '../../src/domain/time';
import { outboxSettled, readModelBehind } from './support/checks';
import { call, eventually, type FaultStack, type Reply, sinkEmails, startFaultStack } from './support/fault-stack';
import { type FuzzRequest, operationsOf, requestsFor } from './support/fuzz';
import { recordSection, ROOT } from './support/report';
import { runSeed, toSignoff } from './support/rounds';

const TOTAL_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 6;

let stack: FaultStack;
const seed = runSeed();
const failures: string[] = [];
/** The failures recorded since a test began (every test also adds to the run's list). */
const since = (mark: number) => failures.slice(mark);
const byStatus: Record<string, number> = {};
const named: { name: string; requests: number; outcome: string }[] = [];
let requests = 0;
const started = Date.now();

beforeAll(async () => {
  stack = await startFaultStack('hostile');
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

/** Sends one request as someone; any 5xx or missing answer is a failure with its reproduction. */
async function send(r: FuzzRequest, label: string): Promise<Reply> {
  const auth: Record<string, string> =
    r.as === 'none'
      ? {}
      : r.as === 'forged'
        ? { authorization: 'Bearer sfu_forgedforgedforgedforgedforged' }
        : { authorization: `Bearer ${stack.tokens.get(r.as)}` };
  const reply = await call(stack, null, r.method, r.url, r.body, { ...auth, ...r.headers }, 30_000);
  requests += 1;
  byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
  if (reply.status >= 500 || reply.status === 0) {
    failures.push(
      `${label}: ${r.method} ${r.url.slice(0, 300)} as ${r.as} answered ${reply.status || 'nothing'} ${reply.text.slice(0, 200)}; body ${String(r.body).slice(0, 300)}`,
    );
  }
  return reply;
}

async function inBatches<T>(items: T[], f: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await f(items[next++]);
    }),
  );
}

test(`${TOTAL_REQUESTS} schema-driven requests to every operation of /openapi.json: no 5xx`, async () => {
  const mark = failures.length;
  const spec = (await call(stack, null, 'GET', '/openapi.json')).body;
  // Signing out everywhere takes no input to fuzz, and would end the credentials every later request here is
  // sent with (test/integration/security-credentials.test.ts covers it).
  const ops = operationsOf(spec).filter((op) => op.path !== '/api/me/sign-out-everywhere');
  // Real ids for path parameters, so requests also reach initiatives in each stage.
  const ids: string[] = [];
  for (const [i, lead] of ['KZ', 'UZ', 'AZ'].entries()) {
    const id = `fuzz-target-${Date.now().toString(36)}-${i}`;
    await toSignoff(stack, id, lead, []);
    ids.push(id);
  }
  const known = { id: ids, code: ['KZ', 'UZ', 'AZ', 'TM'], milestoneId: ['m1'], year: ['2026'] };
  const perOp = Math.ceil(TOTAL_REQUESTS / ops.length);
  const generated: { r: FuzzRequest; op: string }[] = [];
  for (const [i, op] of ops.entries()) {
    for (const r of fc.sample(requestsFor(op, known), { numRuns: perOp, seed: seed + i }))
      generated.push({ r, op: `${op.method} ${op.path}` });
  }
  // Interleave operations, as a crowd of clients would.
  generated.sort(
    (a, b) => ((a.r.url.length * 7 + a.r.method.length) % 13) - ((b.r.url.length * 7 + b.r.method.length) % 13),
  );
  await inBatches(generated, ({ r, op }) => send(r, op));
  named.push({
    name: `schema-driven requests (${ops.length} operations, seed ${seed})`,
    requests: generated.length,
    outcome: Object.entries(byStatus)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', '),
  });
  expect(since(mark)).toEqual([]);
});

test('oversized and deeply nested JSON', async () => {
  const mark = failures.length;
  const before = requests;
  const bodies: [string, string][] = [
    ['300 KB string', JSON.stringify({ title: 'x'.repeat(300_000), proposingState: 'KZ', summit: 's', category: 'c' })],
    ['8 MB body', JSON.stringify({ title: 'y'.repeat(8 * 1024 * 1024) })],
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['50,000 nested objects', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
    [
      '1,000 nested objects under title',
      JSON.stringify({
        title: JSON.parse(`${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`),
        proposingState: 'KZ',
        summit: 's',
        category: 'c',
      }),
    ],
    ['100,000 keys', JSON.stringify(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])))],
    ['truncated JSON', '{"title": "a'],
    ['JSON with a BOM', '\ufeff{"title":"x","proposingState":"KZ","summit":"s","category":"c"}'],
  ];
  const outcomes: string[] = [];
  for (const [name, body] of bodies) {
    for (const p of ['/api/initiatives', `/api/initiatives/none-such/decisions`, '/api/auth/magic-links']) {
      const r = await send(
        { method: 'POST', url: p, headers: { 'content-type': 'application/json' }, body, as: 'secretariat' },
        `nested/oversized: ${name}`,
      );
      outcomes.push(`${name} → ${r.status}`);
      if (r.status < 400) failures.push(`${name} to ${p} was accepted (${r.status})`);
    }
  }
  // An urlencoded form with a huge number of fields, and a body with a lying Content-Length.
  const form = await send(
    {
      method: 'POST',
      url: '/auth/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Array.from({ length: 5000 }, (_, i) => `f${i}=1`).join('&'),
      as: 'none',
    },
    'form with 5,000 fields',
  );
  outcomes.push(`form with 5,000 fields → ${form.status}`);
  named.push({
    name: 'oversized and deeply nested JSON (limit 256 KB)',
    requests: requests - before,
    outcome: [...new Set(outcomes)].join('; '),
  });
  expect(since(mark)).toEqual([]);
});

test('MongoDB operators in fields, queries and paths are refused, and match nothing', async () => {
  const mark = failures.length;
  const before = requests;
  const cases: FuzzRequest[] = [
    {
      method: 'POST',
      url: '/api/initiatives',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: { $gt: '' }, proposingState: 'KZ', summit: 's', category: 'c' }),
      as: 'secretariat',
    },
    {
      method: 'POST',
      url: '/api/initiatives',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ $where: 'sleep(1000)', title: 't', proposingState: 'KZ', summit: 's', category: 'c' }),
      as: 'secretariat',
    },
    {
      method: 'POST',
      url: '/api/auth/magic-links',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: { $gt: '' } }),
      as: 'none',
    },
    {
      method: 'POST',
      url: '/api/auth/session',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: { $ne: null } }),
      as: 'none',
    },
    {
      method: 'POST',
      url: '/auth/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token[$ne]=x&nonce[$gt]=',
      as: 'none',
    },
    { method: 'GET', url: '/api/initiatives?stage[$ne]=completed', headers: {}, as: 'secretariat' },
    { method: 'GET', url: '/api/initiatives?q[$regex]=.*', headers: {}, as: 'secretariat' },
    { method: 'GET', url: '/api/initiatives?q=.*&lead=%24ne', headers: {}, as: 'secretariat' },
    { method: 'GET', url: '/api/directory/people?state[$gt]=', headers: {}, as: 'secretariat' },
    { method: 'GET', url: `/api/initiatives/${encodeURIComponent('{"$gt":""}')}`, headers: {}, as: 'secretariat' },
    { method: 'GET', url: '/api/directory/people/%24where', headers: {}, as: 'secretariat' },
    {
      method: 'PUT',
      url: '/api/directory/people/fuzz-op',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n', email: 'fuzz-op@example.org', roles: ['official'], state: { $gt: '' } }),
      as: 'secretariat',
    },
    {
      method: 'POST',
      url: '/api/initiatives/x/decisions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'KZ', decision: 'approve', revision: { $gt: 0 } }),
      as: 'rep-kz',
    },
    { method: 'GET', url: '/api/me', headers: { authorization: 'Bearer {"$ne":null}' }, as: 'none' },
  ];
  const outcomes: string[] = [];
  for (const c of cases) {
    const r = await send(c, 'operator');
    outcomes.push(String(r.status));
    if (r.status < 400)
      failures.push(
        `an operator was accepted: ${c.method} ${c.url} ${c.body ?? ''} → ${r.status} ${r.text.slice(0, 200)}`,
      );
  }
  // A text search for "." finds titles with a dot only, not everything (it is not a regex).
  const dot = await send(
    { method: 'GET', url: '/api/initiatives?q=.*', headers: {}, as: 'secretariat' },
    'operator: q=.*',
  );
  if (dot.status === 200 && dot.body.total > 0)
    failures.push(`q=.* matched ${dot.body.total} initiatives: the search reads it as a regular expression`);
  named.push({
    name: 'MongoDB operators ({"$gt": ""}, $where, q[$regex], dotted keys) in bodies, queries, forms, paths and headers',
    requests: requests - before,
    outcome: `all refused: ${[...new Set(outcomes)].join(', ')}`,
  });
  expect(since(mark)).toEqual([]);
});

test('CRLF in everything that reaches an email header injects no header and no recipient', async () => {
  const mark = failures.length;
  const before = requests;
  const crlf = '\r\nBcc: evil@attacker.example\r\nX-Injected: yes';
  const outcomes: string[] = [];
  // A title (the subject of every email of the initiative), a person's name (the To display name), a reason and a draft title.
  const id = `crlf-${Date.now().toString(36)}`;
  const start = await send(
    {
      method: 'POST',
      url: '/api/initiatives',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, title: `Corridor${crlf}`, proposingState: 'KZ', summit: `s${crlf}`, category: 'c' }),
      as: 'secretariat',
    },
    'crlf: start',
  );
  outcomes.push(`title with CRLF → ${start.status}`);
  const personId = `crlf-${Date.now().toString(36)}`;
  const person = await send(
    {
      method: 'PUT',
      url: `/api/directory/people/${personId}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Eve${crlf}`, email: `${personId}@example.org`, roles: ['official'], state: 'KZ' }),
      as: 'secretariat',
    },
    'crlf: person',
  );
  outcomes.push(`person name with CRLF → ${person.status}`);
  const badEmail = await send(
    {
      method: 'PUT',
      url: `/api/directory/people/${personId}-2`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Eve', email: `eve@example.org${crlf}`, roles: ['official'], state: 'KZ' }),
      as: 'secretariat',
    },
    'crlf: email',
  );
  outcomes.push(`email address with CRLF → ${badEmail.status}`);
  const magic = await send(
    {
      method: 'POST',
      url: '/api/auth/magic-links',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `secretariat@example.org${crlf}` }),
      as: 'none',
    },
    'crlf: magic link',
  );
  outcomes.push(`sign-in email with CRLF → ${magic.status}`);
  if (start.status === 201) {
    const assign = await send(
      {
        method: 'POST',
        url: `/api/initiatives/${id}/assignment`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          leadState: 'KZ',
          officialId: person.status < 300 ? personId : 'official-kz',
          draftDueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        }),
        as: 'secretariat',
      },
      'crlf: assign',
    );
    outcomes.push(`assignment to that person → ${assign.status}`);
    const draft = await send(
      {
        method: 'POST',
        url: `/api/initiatives/${id}/drafts`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Draft${crlf}`, text: `body${crlf}` }),
        as: 'rep-kz',
      },
      'crlf: draft',
    );
    outcomes.push(`draft title with CRLF → ${draft.status}`);
    const objection = await send(
      {
        method: 'POST',
        url: `/api/initiatives/${id}/decisions`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'UZ', decision: 'object', revision: 1, reason: `no${crlf}` }),
        as: 'rep-uz',
      },
      'crlf: objection',
    );
    outcomes.push(`objection reason with CRLF → ${objection.status}`);
    await eventually("the CRLF initiative's emails", () => outboxSettled(stack, [id]), 120_000);
  }
  await new Promise((r) => setTimeout(r, 3000));
  const mails = await sinkEmails(stack.mailUrl);
  const leaked = mails.filter(
    (m) =>
      m.to.some((t) => /attacker\.example/i.test(t.address)) ||
      Object.keys(m.headers ?? {}).some((h) => /^(bcc|x-injected)$/i.test(h)),
  );
  for (const m of leaked)
    failures.push(
      `an injected header or recipient reached the sink: "${m.subject}" to ${m.to.map((t) => t.address).join(', ')}`,
    );
  const ofInitiative = (await stack.outbox.find({ initiativeId: id }).lean()).length;
  named.push({
    name: 'CRLF in titles, names, reasons, drafts and addresses (everything that reaches Subject, To or a header)',
    requests: requests - before,
    outcome: `${outcomes.join('; ')}; ${ofInitiative} emails of that initiative sent, none with an injected header or recipient`,
  });
  expect(since(mark)).toEqual([]);
});

function runImport(file: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; ms: number }> {
  const t = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'import.ts'), file],
      { cwd: ROOT, env, timeout: 120_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        resolve({
          code: err ? Number((err as { code?: number }).code ?? 1) : 0,
          out: `${stdout}${stderr}`,
          ms: Date.now() - t,
        });
      },
    );
  });
}

test('the summit import refuses path traversal, oversized, non-regular and malformed files, and writes nothing', async () => {
  const mark = failures.length;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-import-'));
  const good = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'tashkent-2025.json'), 'utf8'));
  const write = (name: string, content: string | Buffer) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  };
  fs.symlinkSync('/etc/passwd', path.join(dir, 'link.json'));
  fs.mkdirSync(path.join(dir, 'a-directory.json'));
  const cases: [string, string][] = [
    ['path traversal to /etc/passwd', path.join(dir, '..', '..', '..', '..', '..', 'etc', 'passwd')],
    ['symbolic link to /etc/passwd', path.join(dir, 'link.json')],
    ['/dev/zero (endless, not a file)', '/dev/zero'],
    ['a directory', path.join(dir, 'a-directory.json')],
    ['6 MB file', write('big.json', Buffer.alloc(6 * 1024 * 1024, 0x20))],
    ['4 MB of nested arrays', write('nested.json', `${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}`)],
    [
      'ids with ../',
      write(
        'traversal-ids.json',
        JSON.stringify({ ...good, people: [{ ...good.people[0], id: '../../etc/passwd' }], initiatives: [] }),
      ),
    ],
    [
      'state with an invalid time zone',
      write(
        'bad-zone.json',
        JSON.stringify({ ...good, states: [{ ...good.states[0], timeZone: 'Mars/Olympus_Mons' }], initiatives: [] }),
      ),
    ],
    [
      'operator in a field',
      write(
        'operator.json',
        JSON.stringify({ ...good, states: [{ ...good.states[0], code: { $gt: '' } }], initiatives: [] }),
      ),
    ],
    [
      'CRLF in a name',
      write(
        'crlf.json',
        JSON.stringify({
          ...good,
          people: [{ ...good.people[0], email: 'a@example.org\r\nBcc: evil@attacker.example' }],
          initiatives: [],
        }),
      ),
    ],
  ];
  const env = { ...stack.seeded.env, LOG_LEVEL: 'error' };
  const people = directoryModels(stack.mongo).people;
  const count = () => people.countDocuments({});
  const before = await count();
  const outcomes: string[] = [];
  for (const [name, file] of cases) {
    const r = await runImport(file, env);
    outcomes.push(`${name}: exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
    if (r.code === 0) failures.push(`import of ${name} succeeded: ${r.out.slice(0, 300)}`);
    if (/\n\s+at .+\(.*:\d+:\d+\)/.test(r.out))
      failures.push(`import of ${name} printed a stack trace: ${r.out.slice(0, 500)}`);
  }
  const after = await count();
  if (after !== before)
    failures.push(`the refused imports changed the directory: ${before} people before, ${after} after`);
  const control = await runImport(write('valid.json', JSON.stringify({ ...good, initiatives: [] })), env);
  if (control.code !== 0) failures.push(`a valid summit file was refused: ${control.out.slice(0, 300)}`);
  named.push({
    name: 'summit import (`npm run import -- FILE`): traversal, links, devices, directories, oversized and malformed files',
    requests: cases.length + 1,
    outcome: `${outcomes.join('; ')}; a valid file: exit ${control.code}`,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(since(mark)).toEqual([]);
});

test('invalid time zones and dates are refused; extreme valid ones leave every workflow healthy', async () => {
  const mark = failures.length;
  const before = requests;
  const zones = [
    'Mars/Olympus_Mons',
    '../../usr/share/zoneinfo/UTC',
    'Etc/GMT+99',
    'UTC\r\nX: y',
    '',
    'asia/almaty',
    'Asia/Almaty ',
    '+05:00',
    'Local',
    'EST5EDT,M3.2.0,M11.1.0',
  ];
  const dates = [
    '2026-02-30T09:00:00Z',
    '2026-13-01T09:00:00Z',
    '2026-11-28T25:00:00Z',
    '2026-11-28T10:00:00+25:00',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '1970-01-01T00:00:00Z',
    '2026-11-28',
    'tomorrow',
    '2026-11-28T10:00:00',
    '2026-12-31T23:59:60Z',
    '9999-12-31T23:59:59Z',
    '2099-12-31T23:59:59+14:00',
  ];
  const outcomes: string[] = [];
  for (const z of zones) {
    const r = await send(
      {
        method: 'PUT',
        url: '/api/directory/states/ZZ',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: { en: 'Zed', ru: 'Зед' }, timeZone: z, admittedOn: '2026-01-01' }),
        as: 'secretariat',
      },
      `time zone ${JSON.stringify(z)}`,
    );
    const valid = isValidTimeZone(z);
    outcomes.push(`zone ${JSON.stringify(z)} → ${r.status}`);
    if (!valid && r.status < 400) failures.push(`time zone ${JSON.stringify(z)} was accepted`);
    const p = await send(
      {
        method: 'PUT',
        url: '/api/directory/people/tz-person',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Tz', email: 'tz@example.org', roles: ['official'], state: 'KZ', timeZone: z }),
        as: 'secretariat',
      },
      `person time zone ${JSON.stringify(z)}`,
    );
    if (!valid && p.status < 400) failures.push(`a person's time zone ${JSON.stringify(z)} was accepted`);
  }
  const accepted: string[] = [];
  for (const [i, d] of dates.entries()) {
    const id = `dates-${Date.now().toString(36)}-${i}`;
    const r = await send(
      {
        method: 'POST',
        url: '/api/initiatives',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          title: `Dates ${d}`,
          proposingState: 'KZ',
          summit: 's',
          category: 'c',
          assignmentDueAt: d,
        }),
        as: 'secretariat',
      },
      `assignmentDueAt ${d}`,
    );
    outcomes.push(`assignmentDueAt ${d} → ${r.status}`);
    if (r.status === 201) accepted.push(id);
    for (const q of [
      `/api/directory/states?memberOn=${encodeURIComponent(d)}`,
      `/api/directory/rotation/${encodeURIComponent(d)}`,
    ])
      await send({ method: 'GET', url: q, headers: {}, as: 'secretariat' }, `date in ${q}`);
  }
  // Deadlines pushed to the edges, on an initiative in sign-off.
  const target = `dates-target-${Date.now().toString(36)}`;
  await toSignoff(stack, target, 'KZ', []);
  accepted.push(target);
  for (const d of dates) {
    const r = await send(
      {
        method: 'POST',
        url: `/api/initiatives/${target}/deadlines`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ step: 'signoff', dueAt: d, reason: 'edge' }),
        as: 'secretariat',
      },
      `deadline ${d}`,
    );
    outcomes.push(`signoff deadline ${d} → ${r.status}`);
  }
  // Every workflow that accepted an extreme date still runs its tasks (no failing timer), and its read model is current.
  await new Promise((r) => setTimeout(r, 5000));
  for (const id of accepted) {
    const handle = stack.temporal.workflow.getHandle(`initiative-${id}`);
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') failures.push(`${id} is ${d.status.name} after an extreme date`);
    const history = await handle.fetchHistory();
    const failedTasks = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
    if (failedTasks.length)
      failures.push(
        `${id}: ${failedTasks.length} failed workflow tasks after an extreme date (${failedTasks[0].workflowTaskFailedEventAttributes?.failure?.message ?? ''})`,
      );
  }
  const behind = await eventually(
    'the read model',
    async () => {
      const b = await readModelBehind(stack, accepted);
      return b.length === 0 ? b : undefined;
    },
    60_000,
  ).catch(() => readModelBehind(stack, accepted));
  failures.push(...behind.map((b) => `read model behind after an extreme date: ${b}`));
  named.push({
    name: 'invalid time zones and dates (zones, offsets, leap days, year 0 and 275760, leap seconds, far-future deadlines)',
    requests: requests - before,
    outcome: `${outcomes.filter((o) => !o.endsWith('422')).join('; ') || 'all 422'}; the rest 422; ${accepted.length} workflows with extreme dates healthy`,
  });
  expect(since(mark)).toEqual([]);
});

test('Unicode edge cases in names round-trip or are refused, and their emails are sent', async () => {
  const mark = failures.length;
  const before = requests;
  const names = [
    '\ud800',
    'a\udfffb',
    '\u0000',
    'Ада\u0000',
    '\u202eevil',
    '\ufeffBOM',
    '👨‍👩‍👧‍👦🇰🇿',
    'Z̸̢̛̤̈́ͅa̵̞͋l̷̰̾g̶̱̓o̶̦̕',
    'Ўзбекистон Республикаси',
    'اَلْعَرَبِيَّةُ',
    '\u2028\u2029',
    ' ',
    '\u200b',
    'e\u0301',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    'ß'.repeat(200),
    '한'.repeat(201),
  ];
  const outcomes: string[] = [];
  const startedIds: string[] = [];
  for (const [i, name] of names.entries()) {
    const personId = `uni-${Date.now().toString(36)}-${i}`;
    const p = await send(
      {
        method: 'PUT',
        url: `/api/directory/people/${personId}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, email: `${personId}@example.org`, roles: ['official'], state: 'KZ' }),
        as: 'secretariat',
      },
      `unicode name ${JSON.stringify(name)}`,
    );
    outcomes.push(`${JSON.stringify(name).slice(0, 24)} → ${p.status}`);
    if (p.status < 300) {
      const back = await send(
        { method: 'GET', url: `/api/directory/people/${personId}`, headers: {}, as: 'secretariat' },
        'unicode read back',
      );
      if (back.status !== 200)
        failures.push(`person ${personId} stored with name ${JSON.stringify(name)} reads back ${back.status}`);
    }
    const id = `uni-${Date.now().toString(36)}-${i}`;
    const s = await send(
      {
        method: 'POST',
        url: '/api/initiatives',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, title: name, proposingState: 'KZ', summit: 's', category: name }),
        as: 'secretariat',
      },
      `unicode title ${JSON.stringify(name)}`,
    );
    if (s.status === 201) startedIds.push(id);
    if (s.status === 201 && p.status < 300) {
      await send(
        {
          method: 'POST',
          url: `/api/initiatives/${id}/assignment`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            leadState: 'KZ',
            officialId: personId,
            draftDueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
          }),
          as: 'secretariat',
        },
        'unicode assignment',
      );
    }
  }
  const settled = await eventually(
    "the Unicode initiatives' emails",
    () => outboxSettled(stack, startedIds),
    180_000,
  ).catch(() => false);
  if (!settled) failures.push('emails of initiatives with Unicode names are still pending after 3 minutes');
  const failed = await stack.outbox
    .find({ initiativeId: { $in: startedIds }, status: { $in: [OutboxStatus.Failed, OutboxStatus.Unconfirmed] } })
    .lean();
  for (const f of failed) failures.push(`email ${f._id} ${f.status}: ${f.lastError ?? ''}`);
  named.push({
    name: 'Unicode edge cases in names and titles (lone surrogates, NUL, bidi override, BOM, ZWJ emoji, combining marks, line separators, long multi-byte)',
    requests: requests - before,
    outcome: `${outcomes.join('; ')}; ${startedIds.length} initiatives with such titles sent every email`,
  });
  expect(since(mark)).toEqual([]);
});

test('afterwards: no process crashed, no half-written document, no workflow stuck', async () => {
  const crashed = stack.exits();
  for (const c of crashed) failures.push(`${c.service} exited (code ${c.code}, signal ${c.signal})`);
  // Let every recording and email finish, then inspect every document.
  const allIds = (await stack.initiatives.find({}).select({ _id: 1 }).lean()).map((d) => d._id);
  await eventually('the outbox to settle', () => outboxSettled(stack, allIds), 240_000, 2000).catch(() => undefined);
  const half: string[] = [];
  for (const d of await stack.initiatives.find({}).lean()) {
    if (
      typeof d.version !== 'number' ||
      typeof d.stage !== 'string' ||
      typeof d.title !== 'string' ||
      !Array.isArray(d.pendingStates)
    )
      half.push(`initiative ${d._id}`);
  }
  for (const e of await stack.events.find({}).lean()) {
    if (
      typeof e.initiativeId !== 'string' ||
      typeof e.seq !== 'number' ||
      typeof e.type !== 'string' ||
      typeof e.at !== 'string'
    )
      half.push(`event ${e._id}`);
  }
  const statuses = new Set<string>(Object.values(OutboxStatus));
  for (const o of await stack.outbox.find({}).select({ html: 0, text: 0, ics: 0 }).lean()) {
    if (!o.to || !o.subject || !o.messageId || !statuses.has(o.status)) half.push(`outbox ${o._id}`);
    if (o.status === OutboxStatus.Pending || o.status === OutboxStatus.Sending)
      half.push(`outbox ${o._id} still ${o.status}`);
  }
  const models = directoryModels(stack.mongo);
  for (const p of await models.people.find({}).lean()) {
    if (!p.name || !p.email || !Array.isArray(p.roles) || p.roles.length === 0) half.push(`person ${p._id}`);
  }
  for (const s of await models.states.find({}).lean()) {
    if (!s.name?.en || !isValidTimeZone(s.timeZone)) half.push(`state ${s._id}`);
  }
  failures.push(...half.map((h) => `half-written or invalid document: ${h}`));
  const behind = await readModelBehind(stack, allIds);
  failures.push(...behind.map((b) => `read model behind: ${b}`));
  let failedTasks = 0;
  let workflows = 0;
  for await (const w of stack.temporal.workflow.list({ query: "WorkflowType = 'initiativeWorkflow'" })) {
    workflows += 1;
    if (w.status.name === 'FAILED' || w.status.name === 'TERMINATED' || w.status.name === 'TIMED_OUT')
      failures.push(`workflow ${w.workflowId} ${w.status.name}`);
    const history = await stack.temporal.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
    const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
    if (failed.length) {
      failedTasks += failed.length;
      failures.push(
        `workflow ${w.workflowId}: ${failed.length} failed workflow tasks (${failed[0].workflowTaskFailedEventAttributes?.failure?.message ?? ''})`,
      );
    }
  }
  const emails = (await sinkEmails(stack.mailUrl)).length;
  recordSection({
    id: 'hostile-input',
    title: 'Hostile input: schema-driven fuzzing and named cases',
    injected: named.map((n) => `${n.name}: ${n.requests} requests or runs. ${n.outcome}`),
    figures: {
      requests,
      'answers by status': Object.entries(byStatus)
        .sort()
        .map(([s, n]) => `${s}: ${n}`)
        .join(', '),
      '5xx or no answer':
        (byStatus['0'] ?? 0) +
        Object.entries(byStatus)
          .filter(([s]) => Number(s) >= 500)
          .reduce((n, [, c]) => n + c, 0),
      'processes crashed': crashed.length,
      'initiatives created by the fuzzer (each checked)': allIds.length,
      'workflows inspected for failed tasks': workflows,
      'failed workflow tasks': failedTasks,
      'half-written or invalid documents': half.length,
      'emails the fuzzing caused, all delivered': emails,
      'fast-check seed (FAULT_SEED)': seed,
    },
    failures: [...new Set(failures)],
    durationS: (Date.now() - started) / 1000,
  });
  expect([...new Set(failures)]).toEqual([]);
});
