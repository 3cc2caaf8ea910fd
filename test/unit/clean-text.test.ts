/**
 * Issue 12, text and links: every string a person or a file can send refuses control characters other than
 * LF and TAB (single-line fields refuse LF too), and links are http(s) only. Every string field of every
 * request schema is tried with each bad character, so a new field without the rule fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import * as s from '../../src/app/schemas';
import { isHttpUrl } from '../../src/email/http-url';
import { summitFile } from '../../src/seed/summit-file';

type Json = Record<string, unknown>;

const FUTURE = '2030-01-10T09:00:00.000Z';

/**
 * A valid value of every request body, query and form schema, with every string field present. A sample may
 * come before its schema: schemas that another change is adding are tried once they are exported.
 */
const SAMPLE_VALUES: Record<string, Json> = {
  startInitiativeBody: {
    id: 'digital-corridor',
    title: 'Digital Transit Corridor',
    summary: 'Shared customs data.\nSingle-window permits.',
    titleRu: 'Цифровой транзитный коридор',
    summaryRu: 'Общие таможенные данные.\nРазрешения через единое окно.',
    proposingState: 'KG',
    summit: 'tashkent-2025',
    category: 'transport',
    source: { document: 'News.Az, 2025-11-21', quote: 'a “Digital Transit Corridor”' },
    policy: { rule: 'quorum', quorum: 4 },
    assignmentDueAt: FUTURE,
  },
  assignBody: { leadState: 'KG', officialId: 'official-kg', draftDueAt: FUTURE },
  draftBody: {
    title: 'Corridor agreement, draft 1',
    link: 'https://docs.example.org/corridor-r1',
    text: 'Article 1.\nArticle 2.',
    textRu: 'Статья 1.\nСтатья 2.',
    authentic: ['en', 'ru'],
  },
  acknowledgementBody: { state: 'KZ' },
  editorialBody: {
    title: 'Corridor agreement, draft 2',
    text: 'Article 1.\nArticle 2, corrected.',
    textRu: 'Статья 1.\nСтатья 2 с правкой.',
    authentic: ['en'],
    reason: 'A typo in Article 2.\nNo change of substance.',
  },
  decisionBody: {
    state: 'KZ',
    decision: 'amend',
    amendment: 'Article 2. The Parties exchange the customs data fields of Annex 1.\nSee annex.',
    statement: 'Kazakhstan reads Article 2 as covering transit cargo only.\nNo more.',
    revision: 1,
    textHash: '3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f',
    language: 'ru',
    reason: 'Article 2 conflicts with our customs code.\nSee annex.',
  },
  deadlineBody: { step: 'draft', dueAt: FUTURE, reason: 'Translation takes longer.' },
  reasonBody: { reason: 'Overtaken by events.' },
  procedureBody: { silenceProcedure: false, reason: 'The amendment rewrote Article 1.' },
  milestoneBody: { id: 'pilot', title: 'Pilot at the Dostyk crossing', ownerId: 'official-kz', dueAt: FUTURE },
  noteBody: { note: 'Done at the summit.' },
  listQuery: { stage: 'signoff', lead: 'KZ', pending: 'UZ', overdue: 'true', q: 'corridor' },
  createTokenBody: { label: 'laptop' },
  actionForm: {
    initiative: 'digital-corridor',
    revision: '2',
    textHash: '3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f',
    language: 'en',
    decision: 'request_changes',
    statement: 'For the record, a statement of some length.\nEnd.',
    amendment: 'Article 3, clarified in its first paragraph.\nEnd.',
    reason: 'Please clarify article 3.',
  },
  calendarBody: {
    weekend: [6, 7],
    added: [{ date: '2027-01-04', name: 'Day of national mourning', source: 'Secretariat' }],
    removed: ['2027-03-23'],
    workingDays: [{ date: '2027-01-09', source: 'Cabinet decree of 2026-12-20' }],
  },
  calendarQuery: { year: '2027' },
  stateBody: {
    name: { en: 'Kazakhstan', ru: 'Казахстан' },
    timeZone: 'Asia/Almaty',
    admittedOn: '2018-03-15',
    leftOn: '2040-01-01',
  },
  personBody: {
    name: 'Айгүл Асанова',
    email: 'aigul@example.org',
    roles: ['deputy'],
    state: 'KG',
    deputyOf: 'rep-kg',
    delegation: { from: '2030-01-01', to: '2030-02-01' },
    locale: 'ru',
    timeZone: 'Asia/Bishkek',
  },
  rotationBody: {
    chairState: 'UZ',
    from: '2025-01-01',
    to: '2025-12-31',
    summit: {
      date: '2025-11-16',
      city: 'Tashkent',
      title: '7th Consultative Meeting',
      cityRu: 'Ташкент',
      titleRu: 'Седьмая Консультативная встреча',
    },
  },
  magicLinkBody: { email: 'rep-kz@example.org' },
  eventsQuery: { format: 'csv' },
  peopleQuery: { state: 'KZ', role: 'representative' },
  statesQuery: { memberOn: '2026-01-01' },
  undeliveredQuery: { initiative: 'digital-corridor' },
  signInPageQuery: { token: 'sfm_abcdefghijklmnopqrstuvwx' },
  redeemBody: { token: 'sfm_abcdefghijklmnopqrstuvwx' },
  signInForm: { token: 'sfm_abcdefghijklmnopqrstuvwx', nonce: 'abcdefghijklmnop' },
  unsubscribeForm: { 'List-Unsubscribe': 'One-Click' },
  ownSettingsForm: { locale: 'ru', timeZone: 'Europe/Berlin', digest: 'true', reminders: 'true' },
  notificationPreferencesBody: { digest: true },
  publicationBody: { tier: 'public', reason: 'Agreed by the senior officials.' },
  directoryEventsQuery: { format: 'csv', subject: 'rep-kz', before: '2026-01-01T00:00:00.000Z-0123456789' },
  progressReportQuery: { summit: 'tashkent-2025', lang: 'ru', format: 'pdf', since: '0123456789abcdef' },
  reportSnapshotsQuery: { summit: 'tashkent-2025' },
  reportSnapshotBody: { summit: 'tashkent-2025', note: 'For the senior officials, 12 March' },
  reportSnapshotQuery: { lang: 'en', format: 'docx' },
  handoverQuery: { year: '2027', lang: 'ru', format: 'docx' },
  revocationBody: { reason: 'left the post' },
  commitmentBody: {
    title: 'Designate the national contact point',
    to: 'all',
    dueAt: FUTURE,
    milestones: [{ title: 'Decree tabled', dueAt: FUTURE }],
  },
  deliveryBody: {
    status: 'blocked',
    progress: 40,
    note: 'Waiting for the budget law.\nSecond reading in March.',
    evidence: [{ url: 'https://gov.kg/decree-17', title: 'Decree 17' }],
  },
  deliveryRowsBody: {
    rows: [
      {
        commitmentId: '0123456789abcdef',
        party: 'KG',
        status: 'in_progress',
        progress: 40,
        note: 'Tabled.\nFirst reading done.',
        evidence: [{ url: 'https://gov.kg/decree-17', title: 'Decree 17' }],
      },
    ],
  },
  dependencyBody: {
    blockedBy: 'consultative-meeting-charter',
    until: 'adopted',
    milestoneId: 'pilot',
    reason: 'The Secretariat is established by the Charter.\nArticle 9.',
  },
  matrixQuery: { summit: 'tashkent-2025' },
  evidenceQuery: { format: 'pdf', lang: 'ru' },
};

const REQUEST_SCHEMA = /(Body|Query|Form)$/;
const exported = s as unknown as Record<string, z.ZodType>;
const SAMPLES: [string, z.ZodType, Json][] = Object.entries(SAMPLE_VALUES)
  .filter(([name]) => exported[name] !== undefined)
  .map(([name, value]) => [name, exported[name], value]);

/** The fields where LF is a line break people mean; every other free text is one line. */
const MULTI_LINE = new Set([
  'startInitiativeBody.summary',
  'startInitiativeBody.summaryRu',
  'startInitiativeBody.source.quote',
  'draftBody.text',
  'draftBody.textRu',
  'editorialBody.text',
  'editorialBody.textRu',
  'editorialBody.reason',
  'decisionBody.reason',
  'decisionBody.statement',
  'decisionBody.amendment',
  'actionForm.statement',
  'actionForm.amendment',
  'deadlineBody.reason',
  'reasonBody.reason',
  'procedureBody.reason',
  'noteBody.note',
  'actionForm.reason',
  'publicationBody.reason',
  'deliveryBody.note',
  'deliveryRowsBody.rows.0.note',
  'dependencyBody.reason',
]);

/** Paths of every string property the schema declares (as /openapi.json shows it), arrays by their first item. */
function stringPaths(js: Json, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  const variants = [js, ...((js.anyOf ?? js.oneOf ?? js.allOf ?? []) as Json[])];
  for (const v of variants) {
    if (v.type === 'string' && prefix.length) out.push(prefix);
    if (v.type === 'array' && v.items) out.push(...stringPaths(v.items as Json, [...prefix, '0']));
    for (const [k, sub] of Object.entries((v.properties ?? {}) as Record<string, Json>))
      out.push(...stringPaths(sub, [...prefix, k]));
  }
  return out;
}

function get(o: unknown, p: string[]): unknown {
  return p.reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o);
}

function withValue(o: Json, p: string[], value: unknown): Json {
  const copy = structuredClone(o);
  let x: Record<string, unknown> = copy;
  for (const k of p.slice(0, -1)) x = x[k] as Record<string, unknown>;
  x[p[p.length - 1]] = value;
  return copy;
}

/** Inserts a character in the middle of a value: not where trimming would remove it. */
const inMiddle = (v: string, ch: string) =>
  `${v.slice(0, Math.ceil(v.length / 2))}${ch}${v.slice(Math.ceil(v.length / 2))}`;

const fieldsOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.path.map(String).join('.'));
};

const BAD = ['\r', '\u0000', '\u0007', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009b'];

describe('every string field of every request schema', () => {
  it('every exported body, query and form schema has a sample here', () => {
    expect(
      Object.keys(exported)
        .filter((k) => REQUEST_SCHEMA.test(k))
        .filter((k) => !(k in SAMPLE_VALUES)),
    ).toEqual([]);
  });

  it.each(SAMPLES)('%s: the sample is valid and sets every string field', (_name, schema, sample) => {
    expect(schema.safeParse(sample).success).toBe(true);
    const paths = stringPaths(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json);
    for (const p of paths) expect([p.join('.'), typeof get(sample, p)]).toEqual([p.join('.'), 'string']);
  });

  it.each(SAMPLES)(
    '%s: a CR, NUL, ESC, DEL or C1 control in any string field is refused, naming that field',
    (_name, schema, sample) => {
      const paths = stringPaths(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json);
      for (const p of paths) {
        for (const ch of BAD) {
          const bad = withValue(sample, p, inMiddle(String(get(sample, p)), ch));
          expect([p.join('.'), JSON.stringify(ch), fieldsOf(schema, bad)]).toEqual([
            p.join('.'),
            JSON.stringify(ch),
            expect.arrayContaining([p.join('.')]),
          ]);
        }
      }
    },
  );

  it.each(SAMPLES)(
    '%s: a line break is refused in single-line fields and kept in multi-line ones; CRLF is read as LF',
    (name, schema, sample) => {
      const paths = stringPaths(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json);
      for (const p of paths) {
        const key = `${name}.${p.join('.')}`;
        const value = String(get(sample, p));
        const lf = schema.safeParse(withValue(sample, p, inMiddle(value, '\n')));
        const crlf = schema.safeParse(withValue(sample, p, inMiddle(value, '\r\n')));
        if (MULTI_LINE.has(key)) {
          expect([key, lf.success, crlf.success]).toEqual([key, true, true]);
          expect(get(crlf.data, p)).toBe(inMiddle(value, '\n'));
        } else {
          expect([key, lf.success, crlf.success]).toEqual([key, false, false]);
        }
      }
    },
  );
});

describe('the clean-text helpers', () => {
  it('single-line: refuses CR, LF and other controls with a message naming the character; keeps TAB and any script', () => {
    const title = s.singleLine(300);
    expect(title.parse('  Цифровой транзитный коридор 👨‍👩‍👧 ')).toBe('Цифровой транзитный коридор 👨‍👩‍👧');
    expect(title.parse('a\tb')).toBe('a\tb');
    const cr = title.safeParse('Corridor\rEND:VEVENT');
    expect(cr.success).toBe(false);
    expect(cr.error?.issues[0].message).toBe(
      'must be one line without control characters; found a carriage return (U+000D) at character 9',
    );
    expect(title.safeParse('Corridor\r').success).toBe(false); // checked before trimming: not silently cut
    expect(title.safeParse('a\nb').error?.issues[0].message).toContain('a line break (U+000A) at character 2');
    expect(title.safeParse('\u001b[31mred').error?.issues[0].message).toContain(
      'the control character U+001B at character 1',
    );
    expect(title.safeParse('   ').success).toBe(false);
  });

  it('multi-line: LF and TAB stay, CRLF becomes LF, a CR alone or another control is refused', () => {
    const reason = s.multiLine(5000);
    expect(reason.parse('one\r\ntwo\n\tthree\r\n')).toBe('one\ntwo\n\tthree');
    expect(reason.safeParse('one\rtwo').error?.issues[0].message).toBe(
      'must not contain control characters other than line breaks and tabs; found a carriage return (U+000D) at character 4',
    );
    expect(reason.safeParse('one\r\rtwo').success).toBe(false);
    expect(reason.safeParse('a\u0000').success).toBe(false);
    expect(s.multiLine(10, 0).parse('')).toBe('');
  });

  it('the list search refuses controls but keeps its own rules (may be empty, not trimmed)', () => {
    expect(s.listQuery.parse({ q: '' }).q).toBe('');
    expect(s.listQuery.safeParse({ q: 'a\rb' }).success).toBe(false);
  });
});

describe('links are http(s) only', () => {
  const draft = (link: string) => s.draftBody.safeParse({ title: 'Draft', link });

  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://files.example.org/draft.pdf',
    'mailto:someone@example.org',
    '//docs.example.org/draft',
    'docs.example.org/draft',
    'https://',
    'http:docs.example.org',
    'https://docs.example.org/a b',
    'https://docs.example.org/\r\nX-Injected: yes',
    ' https://docs.example.org/',
  ])('refuses %j with a message saying what a link must be', (link) => {
    const r = draft(link);
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([expect.objectContaining({ path: ['link'], message: s.HTTP_URL_MESSAGE })]);
    expect(isHttpUrl(link)).toBe(false);
  });

  it.each([
    'https://docs.example.org/corridor-r2',
    'http://intranet.gov.kz/d?id=7#p2',
    'HTTPS://Docs.Example.org/Ж',
    'https://127.0.0.1:8443/x',
  ])('accepts %j', (link) => {
    expect(draft(link).success).toBe(true);
    expect(isHttpUrl(link)).toBe(true);
  });

  it('says so in /openapi.json: format uri, and what kind', () => {
    const js = z.toJSONSchema(s.draftBody, { io: 'input' }) as { properties: Record<string, Json> };
    expect(js.properties.link).toMatchObject({
      type: 'string',
      format: 'uri',
      description: 'an http:// or https:// address',
    });
  });
});

describe('the summit data file', () => {
  const file = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'tashkent-2025.json'), 'utf8'),
  ) as Json;

  /** Every string in the file, by path. */
  function leaves(v: unknown, p: string[] = []): string[][] {
    if (typeof v === 'string') return [p];
    if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...p, String(i)]));
    if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...p, k]));
    return [];
  }

  it('the shipped file is valid', () => {
    expect(summitFile.safeParse(file).success).toBe(true);
  });

  it('a CR or another control character in any of its strings is refused, naming the place', () => {
    const paths = leaves(file);
    expect(paths.length).toBeGreaterThan(100);
    for (const p of paths) {
      for (const ch of ['\r', '\u0000', '\u001b']) {
        const bad = withValue(file, p, inMiddle(String(get(file, p)), ch));
        expect([p.join('.'), fieldsOf(summitFile, bad)]).toEqual([p.join('.'), expect.arrayContaining([p.join('.')])]);
      }
    }
  });

  it('single-line places refuse a line break; an initiative summary may hold one', () => {
    const people = file.people as Json[];
    expect(
      fieldsOf(summitFile, { ...file, people: [{ ...people[0], name: 'Eve\nBcc: x' }, ...people.slice(1)] }),
    ).toEqual(['people.0.name']);
    const inits = file.initiatives as Json[];
    expect(summitFile.safeParse({ ...file, initiatives: [{ ...inits[0], summary: 'one\r\ntwo' }] }).success).toBe(true);
  });
});
