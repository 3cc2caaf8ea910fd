/**
 * 503 when Temporal or MongoDB cannot be reached, provoked for real: an API process of its own, on a
 * Temporal dev server and a FerretDB of its own, which the test stops (the shared stack keeps running).
 * Its access log, at info level, shows every request and never a credential.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { directoryModels } from '../../src/persistence/directory';
import { issueMagicLink, magicLinkModel } from '../../src/persistence/magic-links';
import { issueToken, tokenModel } from '../../src/persistence/tokens';
import { cleanEnv, spawnChild, type Child } from '../../src/stack/child';
import { freePort } from '../../src/stack/ports';
import { httpStatus, mongoPing, tcpOpen, waitUntilReady } from '../../src/stack/probes';
import { loadToolPaths } from '../../src/stack/tools';
import { eventually } from '../support/stack';

const ROOT = path.resolve(__dirname, '..', '..');
const TOKEN = `sfu_${randomBytes(24).toString('base64url')}`;
const OPERATOR_TOKEN = randomBytes(24).toString('base64url');

let dir: string;
let temporal: Child;
let ferretdb: Child;
let api: Child;
let apiUrl: string;
let magicToken: string;
let secondMagicToken: string;

/** As the seeded Secretariat's API token, or with another bearer secret (the operator's). */
async function call(method: string, p: string, body?: unknown, bearer = TOKEN) {
  const started = Date.now();
  const res = await fetch(`${apiUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    retryAfter: res.headers.get('retry-after'),
    body: text ? JSON.parse(text) : undefined,
    ms: Date.now() - started,
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-outage-'));
  fs.mkdirSync(path.join(dir, 'ferretdb'));
  const tools = loadToolPaths();
  const [tPort, mPort, aPort, deadSmtp] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env = cleanEnv();
  temporal = spawnChild(
    'temporal',
    tools.temporal,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(tPort),
      '--headless',
      '--db-filename',
      path.join(dir, 'temporal.db'),
      '--log-level',
      'error',
    ],
    {
      cwd: dir,
      env,
      logFile: path.join(dir, 'temporal.log'),
    },
  );
  ferretdb = spawnChild(
    'ferretdb',
    tools.ferretdb,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/ferretdb/`,
      `--state-dir=${dir}/ferretdb`,
      `--listen-addr=127.0.0.1:${mPort}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    {
      cwd: dir,
      env,
      logFile: path.join(dir, 'ferretdb.log'),
    },
  );
  await Promise.all([
    waitUntilReady(temporal, () => tcpOpen(tPort), { what: 'Temporal port', timeoutMs: 60_000 }),
    waitUntilReady(ferretdb, () => mongoPing(mPort), { what: 'MongoDB ping', timeoutMs: 60_000 }),
  ]);

  const mongoUrl = `mongodb://127.0.0.1:${mPort}/outage`;
  const conn = await mongoose.createConnection(mongoUrl).asPromise();
  await directoryModels(conn).people.create({
    _id: 'secretariat',
    name: 'Secretariat duty desk',
    email: 'secretariat@example.org',
    roles: ['secretariat'],
    locale: 'en',
  });
  await issueToken(tokenModel(conn), 'secretariat', 'outage test', TOKEN);
  magicToken = (await issueMagicLink(magicLinkModel(conn), 'secretariat', 60_000)).token;
  secondMagicToken = (await issueMagicLink(magicLinkModel(conn), 'secretariat', 60_000)).token;
  await conn.close();

  apiUrl = `http://127.0.0.1:${aPort}`;
  api = spawnChild('api', path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'src', 'cli', 'api.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`,
      MONGODB_URL: mongoUrl,
      SMTP_PORT: String(deadSmtp),
      API_PORT: String(aPort),
      // As in production behind TLS: cookies are Secure and __Host-, and HSTS is sent.
      PUBLIC_URL: 'https://summit.example.org',
      APP_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      OPERATOR_TOKEN,
    },
    logFile: path.join(dir, 'api.log'),
  });
  await waitUntilReady(api, async () => (await httpStatus(`${apiUrl}/healthz`)) === 200, {
    what: 'API /healthz',
    timeoutMs: 60_000,
  });
});

afterAll(async () => {
  await Promise.all([api, temporal, ferretdb].map((c) => c?.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('with an https PUBLIC_URL the session cookie is Secure and __Host-, and HSTS is on', async () => {
  const res = await fetch(`${apiUrl}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: secondMagicToken }),
  });
  expect(res.status).toBe(201);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-sfu_session='));
  expect(cookie).toMatch(/; Path=\/;.*HttpOnly; Secure; SameSite=Lax/);
  expect(cookie).not.toMatch(/Domain=/i);
  expect(res.headers.get('strict-transport-security')).toContain('max-age=');
  expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  // The cookie authenticates, and a change from another origin is refused even with the CSRF token.
  const session = {
    cookie: cookie!.split(';')[0],
    'x-csrf-token': ((await res.json()) as { session: { csrfToken: string } }).session.csrfToken,
  };
  expect((await fetch(`${apiUrl}/api/me`, { headers: session })).status).toBe(200);
  const foreign = await fetch(`${apiUrl}/api/tokens`, {
    method: 'POST',
    headers: { ...session, origin: 'https://evil.example', 'content-type': 'application/json' },
    body: '{"label":"x"}',
  });
  expect(foreign.status).toBe(403);
  const same = await fetch(`${apiUrl}/api/tokens`, {
    method: 'POST',
    headers: { ...session, origin: 'https://summit.example.org', 'content-type': 'application/json' },
    body: '{"label":"x"}',
  });
  expect(same.status).toBe(201);
});

test('limits sign-in requests from one IP address (100 per 15 minutes by default), whatever the addresses asked for', async () => {
  const ask = (i: number) =>
    fetch(`${apiUrl}/api/auth/magic-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `probe-${i}@example.org` }),
    });
  const statuses: number[] = [];
  for (let i = 0; i < 110; i += 10)
    statuses.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => ask(i + j)))).map((r) => r.status));
  // One sign-in (the https test above) already counted against this address.
  expect(statuses.filter((s) => s === 202)).toHaveLength(99);
  expect(statuses.filter((s) => s === 429)).toHaveLength(11);
});

test('503 problem+json with Retry-After when Temporal is down; reads of MongoDB still work', async () => {
  expect((await call('GET', '/api/initiatives')).status).toBe(200);
  await temporal.stop();

  const read = await call('GET', '/api/initiatives/rail-corridor');
  expect(read.status).toBe(503);
  expect(read.contentType).toContain('application/problem+json');
  expect(read.body).toMatchObject({
    type: expect.stringMatching(/service-unavailable$/),
    detail: expect.stringContaining('Temporal'),
  });
  expect(read.retryAfter).toBe('5');
  console.log(`Temporal down: GET /api/initiatives/:id answered 503 in ${read.ms} ms`);

  const start = await call('POST', '/api/initiatives', {
    id: 'rail-corridor',
    title: 'Rail corridor',
    proposingState: 'KZ',
    summit: 'tashkent-2025',
    category: 'transport',
  });
  // The start checks the proposing state in MongoDB first: it is unknown here, which is a 422 before Temporal is asked.
  expect(start.status).toBe(422);
  const act = await call('POST', '/api/initiatives/rail-corridor/withdrawal', { reason: 'outage' });
  expect(act.status).toBe(503);
  console.log(`Temporal down: an act answered 503 in ${act.ms} ms`);

  expect((await call('GET', '/api/initiatives')).status).toBe(200);
  const ready = await call('GET', '/readyz', undefined, OPERATOR_TOKEN);
  expect(ready.status).toBe(503);
  expect(ready.body.checks).toMatchObject({ temporal: 'unreachable', mongodb: 'ok', smtp: 'unreachable' });
});

test('503 when MongoDB is down, and the access log holds every request but no credential', async () => {
  expect((await fetch(`${apiUrl}/auth/sign-in?token=${magicToken}`)).status).toBe(200);
  await ferretdb.stop();
  const inbox = await call('GET', '/api/inbox');
  expect(inbox.status).toBe(503);
  expect(inbox.body.detail).toContain('MongoDB');
  console.log(`MongoDB down: GET /api/inbox answered 503 in ${inbox.ms} ms`);
  expect((await call('GET', '/readyz', undefined, OPERATOR_TOKEN)).body.checks.mongodb).toBe('unreachable');

  // The access log is written when the answer is sent; the file may take a moment to show it.
  type Line = { msg: string; status?: number; url?: string; route?: string; personId?: string };
  const requestsIn = (text: string): Line[] =>
    text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.msg === 'request');
  const log = await eventually('the 503 in the access log', async () => {
    const text = fs.readFileSync(path.join(dir, 'api.log'), 'utf8');
    return requestsIn(text).some((r) => r.url === '/api/inbox' && r.status === 503) ? text : undefined;
  });
  const requests = requestsIn(log);
  expect(requests.some((r) => r.url === '/api/inbox' && r.status === 503)).toBe(true);
  expect(requests.some((r) => r.url === '/api/initiatives' && r.status === 200 && r.personId === 'secretariat')).toBe(
    true,
  );
  expect(requests.some((r) => r.url === '/auth/sign-in?token=[redacted]' && r.route === '/auth/sign-in')).toBe(true);
  expect(log).not.toContain(TOKEN);
  expect(log).not.toContain(magicToken);
  expect(log).not.toMatch(/authorization|bearer/i);
});
