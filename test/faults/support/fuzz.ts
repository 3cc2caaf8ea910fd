/**
 * Schema-driven request generation for the hostile-input suite: fast-check arbitraries built from the
 * API's own /openapi.json (the same zod schemas that validate requests), mostly valid values with
 * hostile ones mixed in at every level: operator objects, CRLF, traversal, broken Unicode, odd dates.
 */
import fc from 'fast-check';

type Json = Record<string, any>;

/** Strings that have broken services elsewhere; each must come back as a 4xx or be stored harmlessly. */
export const HOSTILE_STRINGS: string[] = [
  '',
  ' ',
  'x\r\nBcc: evil@attacker.example',
  'subject\r\nX-Injected: yes\r\n\r\nbody',
  '\n',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '/etc/passwd\u0000.json',
  '\u0000',
  '\ud800',
  'a\udfffb',
  '\u202eevil.exe',
  '\ufeffBOM',
  '\u2028\u2029',
  '👨‍👩‍👧‍👦🇰🇿',
  'Z̸̢̛̤̈́ͅa̵̞͋l̷̰̾g̶̱̓o̶̦̕',
  'Қазақстан Ўзбекистон Тоҷикистон',
  'اَلْعَرَبِيَّةُ',
  'x'.repeat(10_001),
  'é'.repeat(3000),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%s%s%n',
  '${jndi:ldap://x}',
  '$where',
  '$gt',
  'a.b',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-28T25:00:00Z',
  '2026-11-28T10:00:00+25:00',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '1970-01-01T00:00:00Z',
  '2026-02-29',
  'Mars/Olympus_Mons',
  '../../usr/share/zoneinfo/UTC',
  'Etc/GMT+99',
  'UTC\r\nX: y',
];

/** Values of any type for any field. */
export const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53 + 1,
  1e308,
  -1e308,
  [],
  {},
  [[[[[]]]]],
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  { 'a.b': 1 },
  JSON.parse('{"__proto__": {"admin": true}}'),
  { constructor: { prototype: { admin: true } } },
  ['$gt', ''],
];

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_VALUES),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);

const DAY = 86_400_000;
function isoFrom(d: Date, offsetMin: number): string {
  if (offsetMin === 0) return d.toISOString();
  const local = new Date(d.getTime() + offsetMin * 60_000).toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
const futureInstant = fc
  .tuple(fc.integer({ min: 60, max: 400 * 24 * 60 }), fc.constantFrom(0, 0, 300, 330, -240, 345, 840, -720))
  .map(([minutes, offset]) => isoFrom(new Date(Date.now() + minutes * 60_000), offset));
const anyInstant = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2300-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const day = fc
  .date({ min: new Date(Date.now() - 3 * 365 * DAY), max: new Date(Date.now() + 3 * 365 * DAY), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const TIME_ZONES = [
  'Asia/Almaty',
  'Asia/Tashkent',
  'Asia/Baku',
  'UTC',
  'Pacific/Kiritimati',
  'America/St_Johns',
  'Asia/Kathmandu',
];

/** An arbitrary for a value that the JSON schema describes; `hostility` is the weight of hostile values against 10 of valid ones. */
export function fromSchema(schema: Json | undefined, hostility = 1, depth = 0): fc.Arbitrary<unknown> {
  const valid = validFromSchema(schema ?? {}, hostility, depth);
  return hostility > 0 ? fc.oneof({ arbitrary: valid, weight: 10 }, { arbitrary: hostile, weight: hostility }) : valid;
}

function validFromSchema(s: Json, hostility: number, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  // A union of whole shapes (decisions); oneOf/anyOf beside an object's own properties (a person's role rules, a
  // draft's link or text) only narrow that object, which is generated from its properties.
  const union = (s.oneOf ?? s.anyOf) as Json[] | undefined;
  if (union && !s.properties) return fc.oneof(...union.map((u) => fromSchema(u, hostility, depth + 1)));
  switch (s.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1_000_000;
      const max = typeof s.maximum === 'number' ? s.maximum : 1_000_000;
      return s.type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
    }
    case 'array': {
      const items = fromSchema(s.items as Json, hostility, depth + 1);
      return fc.array(items, { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 5) });
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Json>;
      const required = new Set<string>(s.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props))
        record[k] = depth > 4 ? fc.constant(undefined) : fromSchema(v, hostility, depth + 1);
      const requiredKeys = Object.keys(props).filter((k) => required.has(k));
      const base = fc.record(record, { requiredKeys: requiredKeys as never[] }) as fc.Arbitrary<
        Record<string, unknown>
      >;
      if (hostility === 0) return base;
      // Now and then: a required key dropped, or a key no schema has (an operator, a dotted path, a prototype).
      return fc
        .tuple(base, fc.nat(20), fc.constantFrom('$where', '$set', 'a.b', '__proto__', 'extra', 'role'), hostile)
        .map(([o, roll, key, value]) => {
          const out = { ...o };
          if (roll === 0 && requiredKeys.length) delete out[requiredKeys[0]];
          if (roll === 1)
            Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
          return out;
        });
    }
    case 'string':
    default:
      return stringFromSchema(s, hostility);
  }
}

function stringFromSchema(s: Json, hostility: number): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [];
  if (s.format === 'date-time') options.push(futureInstant, futureInstant, anyInstant);
  else if (s.format === 'date') options.push(day);
  else if (s.format === 'email')
    options.push(
      fc.emailAddress().filter((e) => e.length <= 254),
      fc.constant('fuzz@example.org'),
    );
  else if (s.format === 'uri') options.push(fc.webUrl());
  else if (typeof s.pattern === 'string') {
    try {
      options.push(fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 10_000)));
    } catch {
      /* a pattern fast-check cannot generate from: fall back to plain strings */
    }
  }
  if (options.length === 0) {
    options.push(
      fc.string({
        minLength: Math.max(1, s.minLength ?? 0),
        maxLength: Math.min(s.maxLength ?? 40, 80),
        unit: 'grapheme',
      }),
    );
    if (/zone/i.test(String(s.description ?? ''))) options.push(fc.constantFrom(...TIME_ZONES));
  }
  const valid = fc.oneof(...options);
  return hostility > 0
    ? fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: hostileString, weight: hostility })
    : valid;
}

/** One operation of /openapi.json. */
export interface Operation {
  method: string;
  path: string;
  operationId: string;
  params: { name: string; in: 'path' | 'query' | 'header'; schema: Json; required: boolean }[];
  body?: { schema: Json; form: boolean };
}

export function operationsOf(spec: Json): Operation[] {
  const ops: Operation[] = [];
  for (const [p, byMethod] of Object.entries(spec.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const content = op.requestBody?.content as Record<string, Json> | undefined;
      ops.push({
        method: method.toUpperCase(),
        path: p,
        operationId: op.operationId,
        params: (op.parameters ?? []) as Operation['params'],
        body: content
          ? {
              schema: (content['application/json'] ?? Object.values(content)[0]).schema,
              form: 'application/x-www-form-urlencoded' in content,
            }
          : undefined,
      });
    }
  }
  return ops;
}

export interface FuzzRequest {
  method: string;
  /** Path with its parameters filled in, and the query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Who sends it: a seeded person, nobody, or a forged token. */
  as: string;
}

const PEOPLE = ['secretariat', 'secretariat', 'secretariat', 'rep-kz', 'official-kz', 'deputy-uz', 'none', 'forged'];

/** A path segment: percent-encoded, or now and then raw (a stray %, a dot-dot) as a hostile client sends it. */
function encodeSegment(v: unknown, raw: boolean): string {
  // A lone surrogate cannot be percent-encoded (URIError); a client would send U+FFFD's bytes.
  const s = String(typeof v === 'string' ? v : JSON.stringify(v)).replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
  return raw ? s.replace(/[\s?#\u{80}-\u{10ffff}]/gu, (c) => encodeURIComponent(c)) : encodeURIComponent(s);
}

/** Requests for one operation; known ids (initiatives that exist) are mixed into path parameters. */
export function requestsFor(op: Operation, known: Record<string, string[]>, hostility = 1): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');
  const pathArbs = pathParams.map((p) => {
    const ids = known[p.name] ?? [];
    const gen = fromSchema(p.schema, hostility);
    return fc
      .tuple(ids.length ? fc.oneof(gen, fc.constantFrom(...ids)) : gen, fc.nat(9))
      .map(([v, roll]) => encodeSegment(v, roll === 0));
  });
  const queryArb = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fromSchema(p.schema, hostility)])), {
    requiredKeys: [],
  });
  const extraQuery = fc.oneof(
    { arbitrary: fc.constant(''), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        'stage[$ne]=x',
        'q[$regex]=.*',
        '__proto__[admin]=1',
        'limit=-1',
        'offset=1e9',
        'a.b=1',
        'format=../../x',
      ),
      weight: 1,
    },
  );
  const headerArb = fc.record(Object.fromEntries(headerParams.map((p) => [p.name, fromSchema(p.schema, hostility)])), {
    requiredKeys: [],
  });
  const bodyArb = op.body ? fromSchema(op.body.schema, hostility) : fc.constant(undefined);
  const formArb = fc.boolean();
  return fc
    .tuple(fc.tuple(...pathArbs), queryArb, extraQuery, headerArb, bodyArb, formArb, fc.constantFrom(...PEOPLE))
    .map(([pathValues, query, extra, hdrs, body, asForm, as]) => {
      let i = 0;
      const filled = op.path.replace(/\{[^}]+\}/g, () => String(pathValues[i++]));
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query as Record<string, unknown>))
        if (v !== undefined) qs.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      const search = [qs.toString(), extra].filter(Boolean).join('&');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(hdrs as Record<string, unknown>)) {
        // Header values cannot carry CR, LF or NUL (fetch refuses them before sending).
        if (v !== undefined)
          headers[k] = String(typeof v === 'string' ? v : JSON.stringify(v))
            .replace(/[\r\n\0]/g, ' ')
            .replace(/[^\x20-\x7e]/g, '?');
      }
      let payload: string | undefined;
      if (op.body && body !== undefined) {
        if (op.body.form && asForm && body && typeof body === 'object' && !Array.isArray(body)) {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          payload = new URLSearchParams(
            Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [
              k,
              typeof v === 'string' ? v : JSON.stringify(v),
            ]),
          ).toString();
        } else {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(body);
        }
      }
      return { method: op.method, url: `${filled}${search ? `?${search}` : ''}`, headers, body: payload, as };
    });
}
