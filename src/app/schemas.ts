/** Request and response schemas: every body and query the service accepts (from the API, the web pages and the importer), validated before anything reaches MongoDB or Temporal. */
import { z } from 'zod';
import { TIERS } from '../persistence/publications';
import { isValidTimeZone } from '../domain/time';
import { MAX_WORKING_DAYS } from '../domain/working-calendar';
import { COMMITMENT_STATUSES } from '../domain/commitments';
import { TEXT_LANGUAGES } from '../domain/draft-text';
import { DecisionKind, Role, Stage } from '../domain/types';
import { isHttpUrl } from '../email/http-url';

// ---- clean text (issue 12) -----------------------------------------------------------------------

/**
 * Control characters reach places where they act instead of showing: a bare CR starts a new line in
 * an iCalendar feed, an email header or a log line; NUL, ESC and the C1 range confuse terminals and
 * parsers. So every text a person or a file sends is refused (422 naming the field) when it holds one.
 * TAB and LF are the only ones allowed, LF only in multi-line fields. Checked before trimming, so a
 * trailing CR is refused rather than silently cut.
 */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const CONTROL_IN_LINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

function controlName(ch: string): string {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch === '\r'
    ? `a carriage return (${code})`
    : ch === '\n'
      ? `a line break (${code})`
      : `the control character ${code}`;
}

/** The first disallowed character of a text, in words, or undefined when the text is clean. */
export function controlCharacterIn(value: string, lines: 'single' | 'multi'): string | undefined {
  const m = (lines === 'single' ? CONTROL_IN_LINE : CONTROL_IN_TEXT).exec(value);
  return m ? `${controlName(m[0])} at character ${m.index + 1}` : undefined;
}

/** Adds the clean-text rule to a string schema (for fields with their own trimming and length rules, such as the list search). */
export function withoutControls(schema: z.ZodString, lines: 'single' | 'multi'): z.ZodString {
  return schema.superRefine((v, ctx) => {
    const found = controlCharacterIn(v, lines);
    if (found) {
      ctx.addIssue({
        code: 'custom',
        message:
          lines === 'single'
            ? `must be one line without control characters; found ${found}`
            : `must not contain control characters other than line breaks and tabs; found ${found}`,
      });
    }
  });
}

// ---- the document is the contract ------------------------------------------------------------------

/**
 * The OpenAPI keyword (an extension) naming a rule the server checks on a field beyond what JSON Schema can say:
 * a reference to what is stored (a state or person in the directory), an order between two fields, a time
 * relative to now. A schema-valid request may be refused with 422 for such a field, and for no other reason:
 * the contract tester (test/contract/hooks.py) holds the server to that. Everything else the server checks is
 * in the schema itself (patterns, enums, unions).
 */
export const SERVER_RULE = 'x-server-rule';
const serverRule = (rule: string) => ({ [SERVER_RULE]: rule });
/** In a JSON Schema shape: the property must be absent. */
const forbidden = { not: {} };

/** Control characters refused in one-line texts (all but TAB), as a JSON Schema character class body. */
const SINGLE_LINE_REFUSED = '\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f';
/** In multi-line texts, LF is allowed too (and CR only in CRLF, which is read as LF). */
const MULTI_LINE_REFUSED = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';
/** Neither a control character nor what JavaScript's trim() removes: a text with one is not blank. */
const NOT_BLANK = '[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';

/** The JSON Schema pattern of a clean text: the characters the clean-text rule allows, and not blank unless min is 0. */
function textPattern(lines: 'single' | 'multi', min: number): string {
  const char = lines === 'single' ? `[^${SINGLE_LINE_REFUSED}]` : `(?:[^${MULTI_LINE_REFUSED}]|\\r\\n)`;
  return min > 0 ? `^${char}*${NOT_BLANK}${char}*$` : `^${char}*$`;
}

/** At most max characters, counted as JSON Schema's maxLength counts them (code points, not UTF-16 units). */
function atMost<S extends z.ZodString>(schema: S, max: number): S {
  return schema
    .refine((v) => [...v].length <= max, `must have at most ${max} characters`)
    .meta({ maxLength: max }) as S;
}

/** A single-line text (titles, names, labels, places, categories): no line breaks, no control characters but TAB; trimmed. */
export const singleLine = (max: number, min = 1) =>
  atMost(withoutControls(z.string(), 'single').trim().min(min), max).meta({ pattern: textPattern('single', min) });

/**
 * A multi-line text (summaries, quotes, reasons, notes, draft text): LF line breaks and TABs, no other control
 * character; trimmed. CRLF is read as LF first, because browsers send a textarea's line breaks as CRLF; a CR
 * on its own is refused.
 */
export const multiLine = (max: number, min = 1, required?: string) =>
  atMost(
    withoutControls(
      (required
        ? z.string({ error: (issue) => (issue.input === undefined ? required : undefined) })
        : z.string()
      ).overwrite((v) => v.replace(/\r\n/g, '\n')),
      'multi',
    )
      .trim()
      .min(min, required),
    max,
  ).meta({ pattern: textPattern('multi', min) });

export const HTTP_URL_MESSAGE =
  'must be a web address starting with http:// or https:// (no spaces or control characters)';

/**
 * A link a person gives (a draft's link): http or https only. javascript:, data:, vbscript:, file: and every
 * other scheme are refused, so no page or email can be made to carry one; the renderers check again (isHttpUrl).
 */
export const httpUrl = (max: number) =>
  z
    .string()
    .max(max)
    .refine(isHttpUrl, HTTP_URL_MESSAGE)
    .meta({
      format: 'uri',
      pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s\\u0000-\\u001f\\u007f-\\u009f]+$',
      description: 'an http:// or https:// address',
      ...serverRule('an address a URL parser reads, with a host'),
    });

const stateCode = z.string().regex(/^[A-Z]{2}$/, 'a two-letter state code such as KZ');
/** A state code in a body that names a state of the directory. */
const knownState = stateCode.meta(serverRule('a state in the directory'));
/** Due dates end before 2200: near year 10000 a date has no four-digit local day in some zones, and reminder planning threw inside the workflow. */
const LATEST_INSTANT = Date.UTC(2200, 0, 1);
const instant = z.iso
  .datetime({ offset: true })
  .refine((v) => Date.parse(v) < LATEST_INSTANT, 'must be before 2200-01-01')
  .meta(serverRule('before 2200-01-01 (UTC)'));
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$/, 'lowercase letters, digits and dashes, 3 to 80 characters');
const personId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'a person id');
/** An email address, its local part (before @) at most 64 characters as SMTP requires (RFC 5321). */
const emailAddress = z
  .email()
  .max(254)
  .refine((v) => v.lastIndexOf('@') <= 64, 'the part before @ must have at most 64 characters');

/**
 * IANA time zones, as the schema's enum: this runtime's list (Intl), with UTC and the current IANA names of the
 * zones its ICU still lists under an older one (Europe/Kyiv for Europe/Kiev). Whatever the list holds and
 * nothing else is accepted, so the document names every zone the server takes.
 */
const CURRENT_IANA_NAMES = [
  'UTC',
  'Etc/UTC',
  'Europe/Kyiv',
  'Asia/Kolkata',
  'Asia/Yangon',
  'Asia/Ho_Chi_Minh',
  'Asia/Kathmandu',
  'America/Nuuk',
  'Atlantic/Faroe',
  'Pacific/Kanton',
  'Pacific/Chuuk',
  'Pacific/Pohnpei',
];
export const TIME_ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), ...CURRENT_IANA_NAMES])]
  .filter(isValidTimeZone)
  .sort();
const TIME_ZONE_SET = new Set(TIME_ZONES);
/** A check rather than a z.enum, so that an object's own refinements (leftOn after admittedOn) still run beside it. */
const timeZone = (message: string) =>
  z
    .string()
    .refine((v) => TIME_ZONE_SET.has(v), message)
    .meta({ enum: TIME_ZONES, description: 'an IANA time zone such as Asia/Almaty' });

export const startInitiativeBody = z.strictObject({
  id: slug.optional().meta(serverRule('required when the title has no letter or digit to make an id of')),
  title: singleLine(300),
  summary: multiLine(5000).optional(),
  titleRu: singleLine(300).optional().meta({ description: 'the title in Russian, shown to readers in Russian' }),
  summaryRu: multiLine(5000).optional().meta({ description: 'the summary in Russian' }),
  proposingState: knownState,
  summit: singleLine(100),
  category: singleLine(100),
  source: z.strictObject({ document: singleLine(300), quote: multiLine(5000) }).optional(),
  policy: z
    .discriminatedUnion('rule', [
      z.strictObject({ rule: z.literal('consensus') }),
      z.strictObject({ rule: z.literal('quorum'), quorum: z.number().int().min(1).max(50) }),
    ])
    .optional(),
  silenceProcedure: z.boolean().optional(),
  assignmentDueAt: instant.meta(serverRule('in the future, and before 2200-01-01 (UTC)')).optional(),
  reminders: z
    .strictObject({
      offsetsMs: z
        .array(
          z
            .number()
            .int()
            .min(0)
            .max(365 * 86_400_000),
        )
        .max(10)
        .optional(),
      alignLocalTime: z.boolean().optional(),
    })
    .optional(),
});
export type StartInitiativeBody = z.infer<typeof startInitiativeBody>;

export const assignBody = z.strictObject({
  leadState: knownState,
  officialId: personId.meta(serverRule('an official of the lead state, in the directory')),
  draftDueAt: instant,
});
const textLanguage = z.enum(TEXT_LANGUAGES);
/** A revision's texts: English and Russian, and which of them are authentic (absent: each text given here). */
const draftTexts = {
  text: multiLine(100_000).optional().meta({ description: 'The English text' }),
  textRu: multiLine(100_000).optional().meta({ description: 'The Russian text' }),
  authentic: z
    .array(textLanguage)
    .min(1)
    .max(2)
    .refine((a) => new Set(a).size === a.length, 'each language once')
    .optional()
    .meta({
      description: 'The languages whose texts are authentic; the others are working translations',
      ...serverRule('each language once'),
    }),
};
/** A text the previous revision had is carried over when not given again: the workflow decides (src/domain/draft-text.ts). */
export const draftBody = z
  .strictObject({ title: singleLine(300), link: httpUrl(2000).optional(), ...draftTexts })
  .meta(serverRule('a link or a text, given here or carried over from the previous revision'));
export const acknowledgementBody = z.strictObject({ state: stateCode.meta(serverRule('your own state')) });
export const editorialBody = z.strictObject({
  title: singleLine(300).optional(),
  ...draftTexts,
  reason: multiLine(2000),
});

const REASON_REQUIRED = 'a reason is required to request changes, propose an amendment or object';
/**
 * A decision, told apart by `decision`: approving and abstaining need no reason (a `statement` for the record
 * may go with them); requesting changes, proposing an amendment (with the `amendment` text) and objecting need
 * one. The union is the document's too (oneOf), so a client sees the rule in the schema.
 */
const decisionOf = <C extends z.ZodRawShape>(common: C, text: (required?: string) => z.ZodString) => {
  const shared = {
    ...common,
    statement: text().optional().meta(serverRule('with an approval or an abstention only')),
    amendment: text().optional().meta(serverRule('with an amendment only')),
  };
  return z.discriminatedUnion('decision', [
    z.strictObject({ ...shared, decision: z.literal(DecisionKind.Approve), reason: text().optional() }),
    z.strictObject({ ...shared, decision: z.literal(DecisionKind.Abstain), reason: text().optional() }),
    z.strictObject({ ...shared, decision: z.literal(DecisionKind.RequestChanges), reason: text(REASON_REQUIRED) }),
    z.strictObject({
      ...shared,
      decision: z.literal(DecisionKind.Amend),
      reason: text(REASON_REQUIRED),
      amendment: text('an amendment needs the text it proposes'),
    }),
    z.strictObject({ ...shared, decision: z.literal(DecisionKind.Object), reason: text(REASON_REQUIRED) }),
  ]);
};
/** What a decision names of the text: its hash as the decider read it, and the language version approved. */
const decisionTextFields = {
  textHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the text read, in hexadecimal')
    .optional()
    .meta(serverRule('the hash of the text under sign-off')),
  language: textLanguage.optional().meta(serverRule('an authentic language of the revision')),
};
export const decisionBody = decisionOf(
  {
    state: stateCode.meta(serverRule('your own state')),
    revision: z.number().int().min(1),
    ...decisionTextFields,
  },
  (required) => multiLine(5000, 1, required),
);
/** A new due instant, or for national sign-off N working days for each member state: one of the two. */
const DEADLINE_SHAPES = [
  { title: 'a due instant', required: ['dueAt'], properties: { workingDays: forbidden } },
  {
    title: 'N working days for each member state (national sign-off)',
    required: ['workingDays'],
    properties: { step: { const: 'signoff' }, dueAt: forbidden },
  },
];
export const deadlineBody = z
  .strictObject({
    step: z
      .string()
      .regex(
        /^(assignment|draft|signoff|objection|milestone:[a-z0-9-]+)$/,
        'assignment, draft, signoff, objection or milestone:<id>',
      ),
    dueAt: instant.optional(),
    workingDays: z.number().int().min(1).max(MAX_WORKING_DAYS).optional().meta({
      description:
        'instead of dueAt, for national sign-off: N working days from today for each member state, each counted on its own calendar; the round ends with the last',
    }),
    reason: multiLine(2000),
  })
  .superRefine((d, ctx) => {
    if (d.dueAt === undefined && d.workingDays === undefined)
      ctx.addIssue({ code: 'custom', message: 'give the new due date, or workingDays for sign-off', path: ['dueAt'] });
    else if (d.dueAt !== undefined && d.workingDays !== undefined)
      ctx.addIssue({ code: 'custom', message: 'give dueAt or workingDays, not both', path: ['workingDays'] });
    else if (d.workingDays !== undefined && d.step !== 'signoff')
      ctx.addIssue({
        code: 'custom',
        message: 'counts for each member state: national sign-off only',
        path: ['workingDays'],
      });
  })
  .meta({ oneOf: DEADLINE_SHAPES });
export const reasonBody = z.strictObject({ reason: multiLine(2000) });
export const procedureBody = z.strictObject({
  silenceProcedure: z
    .boolean()
    .describe("true: the next revision runs a silence period of its own; false: it waits for each state's decision"),
  reason: multiLine(2000),
});
export const milestoneBody = z.strictObject({
  id: slug.optional(),
  title: singleLine(300),
  ownerId: personId.meta(serverRule('a person in the directory')),
  dueAt: instant,
});
export const noteBody = z.strictObject({ note: multiLine(2000).optional() });

export const listQuery = z.strictObject({
  stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]]).optional(),
  lead: stateCode.optional(),
  pending: stateCode.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: atMost(withoutControls(z.string(), 'single'), 200)
    .meta({ pattern: textPattern('single', 0) })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListQuery = z.infer<typeof listQuery>;

export const initiativeId = slug;

// ---- path parameters ----------------------------------------------------------------------------

export const idParams = z.object({ id: initiativeId });
export const milestoneParams = z.object({ id: initiativeId, milestoneId: slug });
export const tokenIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'a token id: 16 hexadecimal digits') });
export const stateParams = z.object({ code: stateCode });
export const personParams = z.object({ id: personId });
export const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2200) });
export const calendarParams = z.object({
  file: z.string().regex(/^sfc_[A-Za-z0-9_-]{20,64}\.ics$/, 'a calendar feed file name'),
});
export const actionParams = z.object({
  token: z
    .string()
    .min(20)
    .max(1000)
    .regex(/^[A-Za-z0-9_.-]+$/, 'an action link token'),
});

// ---- queries ------------------------------------------------------------------------------------

export const eventsQuery = z.strictObject({ format: z.enum(['json', 'csv']).optional() });
export const directoryEventsQuery = z.strictObject({
  format: z.enum(['json', 'csv']).optional(),
  subject: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'a state code, person id or year')
    .optional()
    .describe('only events about this state, person or year'),
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z-[0-9a-f]{10}$/, 'an event id')
    .optional()
    .describe("the next page: events older than this id (the previous page's `next`)"),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
/** The Secretariat's revocation of a person's credentials, and anyone's own "sign out everywhere". */
export const revocationBody = z.strictObject({
  reason: singleLine(500).optional().describe('recorded in the directory trail'),
});
export const revocationResponse = z.object({
  revokedAt: z.string().describe('every credential issued up to this time is void'),
  tokens: z.number().int().describe('API tokens revoked'),
  sessions: z.number().int().describe('sessions closed'),
  calendarFeeds: z.number().int().describe('calendar feeds revoked'),
  signInLinks: z.number().int().describe('unused sign-in links discarded'),
});
export const directoryEventResponse = z.object({
  id: z.string(),
  at: z.string(),
  type: z.enum(['state.saved', 'person.saved', 'rotation.saved', 'credentials.revoked']),
  subject: z.string(),
  actor: z.object({ personId: z.string(), name: z.string() }),
  source: z.enum(['edit', 'import', 'self']),
  changed: z.array(z.string()),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().optional(),
});
export const peopleQuery = z.strictObject({
  state: stateCode.optional(),
  role: z.enum(Object.values(Role) as [Role, ...Role[]]).optional(),
});
export const statesQuery = z.strictObject({ memberOn: z.iso.date().optional() });
export const signInPageQuery = z.strictObject({
  token: z.string().regex(/^sfm_[A-Za-z0-9_-]{20,64}$/, 'a sign-in link token'),
});

// ---- sign-in, tokens, calendar ---------------------------------------------------------------------

export const magicLinkBody = z.strictObject({ email: emailAddress });
export const redeemBody = z.strictObject({
  token: z.string().regex(/^sfm_[A-Za-z0-9_-]{20,64}$/, 'a sign-in link token'),
});
export const signInForm = z.strictObject({
  token: redeemBody.shape.token,
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'the page nonce'),
});
export const createTokenBody = z.strictObject({
  label: singleLine(100),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe(
      'the token answers 401 after this many days; at most API_TOKEN_MAX_TTL_DAYS when the deployment sets it (also the default then)',
    ),
});

// ---- email action links -----------------------------------------------------------------------------

/** The page's textarea is always sent: empty when approving. */
export const actionForm = decisionOf(
  { initiative: initiativeId, revision: z.coerce.number().int().min(1), ...decisionTextFields },
  (required) => multiLine(5000, required ? 1 : 0, required),
);

/** RFC 8058: mail clients POST "List-Unsubscribe=One-Click"; the page's form sends the same. */
export const unsubscribeForm = z.strictObject({ 'List-Unsubscribe': z.literal('One-Click').optional() });

// ---- directory edits (the Secretariat) --------------------------------------------------------------

const day = z.iso.date();

export const stateBody = z
  .strictObject({
    name: z.strictObject({ en: singleLine(100), ru: singleLine(100) }),
    timeZone: timeZone('not an IANA time zone such as Asia/Almaty'),
    admittedOn: day,
    leftOn: day.optional().meta(serverRule('after admittedOn')),
  })
  .refine((s) => !s.leftOn || s.leftOn > s.admittedOn, { message: 'must be after admittedOn', path: ['leftOn'] });
export type StateBody = z.infer<typeof stateBody>;

/** The Secretariat's edits of a state's working calendar, on top of its public holidays. */
export const calendarBody = z.strictObject({
  weekend: z
    .array(z.number().int().min(1).max(7))
    .max(6)
    .optional()
    .meta({ description: 'ISO weekdays off, 1 = Monday', ...serverRule('none twice') }),
  added: z
    .array(z.strictObject({ date: day, name: singleLine(200), source: singleLine(500) }))
    .max(400)
    .optional()
    .meta(serverRule('real dates, none twice')),
  removed: z.array(day).max(400).optional().meta(serverRule('none twice')),
  workingDays: z
    .array(z.strictObject({ date: day, source: singleLine(500) }))
    .max(400)
    .optional()
    .meta({ description: 'weekend dates declared working', ...serverRule('weekend dates, none twice') }),
});
export const calendarQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2199).optional().meta({ description: 'default: this year' }),
});
const holidayResponse = z.object({
  date: z.string(),
  name: z.string(),
  nameRu: z.string().optional(),
  source: z.string(),
});
export const calendarResponse = z.object({
  state: z.string(),
  timeZone: z.string(),
  year: z.number(),
  weekend: z.array(z.number()),
  holidays: z.array(holidayResponse),
  workingDays: z.array(z.object({ date: z.string(), source: z.string() })),
  edits: calendarBody.optional(),
});

const roleEnum = z.enum(Object.values(Role) as [Role, ...Role[]]);
const ROLES_WITH_A_STATE: Role[] = [Role.Representative, Role.Deputy, Role.Official, Role.Parliament];
/**
 * The role rules of personBody's superRefine, for the document: a deputy has a state, whom they stand in for and
 * the delegation dates; a representative or official (not a deputy) has a state and neither of the others; anyone
 * else neither of the others either.
 */
const PERSON_SHAPES = [
  {
    title: 'a deputy',
    properties: { roles: { contains: { const: Role.Deputy } } },
    required: ['state', 'deputyOf', 'delegation'],
  },
  {
    title: 'a representative, an official or a member of parliament',
    properties: {
      roles: {
        items: { enum: Object.values(Role).filter((r) => r !== Role.Deputy) },
        contains: { enum: ROLES_WITH_A_STATE.filter((r) => r !== Role.Deputy) },
      },
      deputyOf: forbidden,
      delegation: forbidden,
    },
    required: ['state'],
  },
  {
    title: 'anyone else (the Secretariat, the Chair)',
    properties: {
      roles: { items: { enum: Object.values(Role).filter((r) => !ROLES_WITH_A_STATE.includes(r)) } },
      deputyOf: forbidden,
      delegation: forbidden,
    },
  },
];
export const personBody = z
  .strictObject({
    name: singleLine(200),
    email: emailAddress.meta(serverRule('not the address of another person')),
    roles: z
      .array(roleEnum)
      .min(1)
      .max(5)
      .refine((r) => new Set(r).size === r.length, 'each role once')
      .meta({ uniqueItems: true }),
    state: stateCode.meta(serverRule('a state in the directory')).optional(),
    deputyOf: personId.meta(serverRule('the Special Representative of the same state, in the directory')).optional(),
    delegation: z
      .strictObject({ from: day, to: day.meta(serverRule('not before from')) })
      .refine((d) => d.from <= d.to, { message: 'must not be before from', path: ['to'] })
      .optional(),
    locale: z.enum(['en', 'ru']).default('en'),
    timeZone: timeZone('not an IANA time zone').optional(),
  })
  .superRefine((p, ctx) => {
    const needsState = p.roles.some((r) => ROLES_WITH_A_STATE.includes(r));
    if (needsState && !p.state)
      ctx.addIssue({
        code: 'custom',
        message: 'representatives, deputies, officials and members of parliament belong to a state',
        path: ['state'],
      });
    if (p.roles.includes(Role.Deputy)) {
      if (!p.deputyOf)
        ctx.addIssue({
          code: 'custom',
          message: 'a deputy names the representative they stand in for',
          path: ['deputyOf'],
        });
      if (!p.delegation)
        ctx.addIssue({
          code: 'custom',
          message: 'a deputy has a delegation with from and to dates',
          path: ['delegation'],
        });
    } else {
      if (p.deputyOf) ctx.addIssue({ code: 'custom', message: 'only a deputy has deputyOf', path: ['deputyOf'] });
      if (p.delegation)
        ctx.addIssue({ code: 'custom', message: 'only a deputy has a delegation', path: ['delegation'] });
    }
  })
  .meta({ oneOf: PERSON_SHAPES });
export type PersonBody = z.infer<typeof personBody>;

/** The summit a chairmanship year holds; its title and city in Russian where the Secretariat gives them. */
export const summitOfYear = z.strictObject({
  date: day,
  city: singleLine(100),
  title: singleLine(300),
  cityRu: singleLine(100).optional(),
  titleRu: singleLine(300).optional(),
});

export const rotationBody = z
  .strictObject({
    chairState: knownState,
    from: day.meta(serverRule("the period overlaps no other year's")),
    to: day.meta(serverRule('not before from')),
    summit: summitOfYear.optional(),
  })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] });
export type RotationBody = z.infer<typeof rotationBody>;

// ---- responses (for the OpenAPI document) ---------------------------------------------------------

export const problemResponse = z.object({
  type: z.string().describe('stable URI naming the kind of problem'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string().optional().describe("for 409 act-refused: the workflow's reason code"),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe('for 422: each bad field'),
  allow: z.array(z.string()).optional().describe('for 405: the methods the path takes (as in the Allow header)'),
  limit: z.number().int().optional().describe('for 409 token-limit: the most live API tokens a person may hold'),
});

const actorRecord = z.object({
  personId: z.string(),
  name: z.string(),
  roles: z.array(roleEnum),
  state: z.string().optional(),
  onBehalfOf: z.string().optional(),
  via: z.enum(['api-token', 'web-session', 'email-link']).optional().describe('how the person proved who they were'),
});

/** An initiative with its live state (InitiativeView, src/domain/view.ts): exactly these fields. */
/** A day off a due date falls on in a state: a holiday (with its Russian name where known) or a weekend day. */
const dueDayOffResponse = z.object({
  state: z.string(),
  date: z.string(),
  name: z.string(),
  nameRu: z.string().optional(),
  kind: z.enum(['holiday', 'weekend']),
});
const languageTextResponse = z.object({ text: z.string(), authentic: z.boolean(), revision: z.number().int() });
const editorialResponse = z.object({ from: z.number().int(), reason: z.string(), by: z.string(), byName: z.string() });
export const initiativeResponse = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string().optional(),
  titleRu: z.string().optional(),
  summaryRu: z.string().optional(),
  proposingState: z.string(),
  summit: z.string(),
  category: z.string(),
  source: z.object({ document: z.string(), quote: z.string() }).optional(),
  stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]]),
  revision: z.number().int(),
  policy: z.object({
    rule: z.discriminatedUnion('rule', [
      z.object({ rule: z.literal('consensus') }),
      z.object({ rule: z.literal('quorum'), quorum: z.number().int() }),
    ]),
    silenceProcedure: z.boolean(),
  }),
  lead: z
    .object({ state: z.string(), timeZone: z.string(), officialId: z.string(), officialName: z.string() })
    .optional(),
  draftDayOff: dueDayOffResponse
    .optional()
    .describe('the draft is due on a day off in the lead state, by its calendar'),
  draft: z
    .object({
      revision: z.number().int(),
      title: z.string(),
      link: z.string().optional(),
      text: z.string().optional().describe('a draft recorded before texts had languages: its English text'),
      texts: z
        .object({ en: languageTextResponse.optional(), ru: languageTextResponse.optional() })
        .optional()
        .describe('each language version, authentic or a working translation, with the revision it was written for'),
      textHash: z
        .string()
        .optional()
        .describe('SHA-256 of title, link and texts (RFC 8785 JSON): what a decision approves'),
      submittedBy: z.string(),
      submittedAt: z.string(),
      editorial: editorialResponse.optional(),
    })
    .optional(),
  revisions: z
    .array(
      z.object({
        revision: z.number().int(),
        title: z.string(),
        textHash: z.string().optional(),
        languages: z.array(z.object({ lang: z.string(), authentic: z.boolean(), revision: z.number().int() })),
        submittedAt: z.string(),
        editorial: editorialResponse.optional(),
        seq: z.number().int().optional(),
      }),
    )
    .optional(),
  decidedRevisions: z
    .record(z.string(), z.number().int())
    .optional()
    .describe('the last revision each state decided on'),
  round: z
    .object({
      revision: z.number().int(),
      openedAt: z.string(),
      dueAt: z.string(),
      members: z.array(z.string()),
      decisions: z
        .record(
          z.string(),
          z.object({
            decision: z.enum(Object.values(DecisionKind) as [DecisionKind, ...DecisionKind[]]),
            reason: z.string().optional(),
            statement: z.string().optional(),
            amendment: z.string().optional(),
            by: z.string().optional(),
            byName: z.string().optional(),
            onBehalfOf: z.string().optional(),
            deemed: z.boolean().optional(),
            at: z.string(),
            textHash: z.string().optional(),
            language: z.string().optional(),
            carriedFrom: z.number().int().optional(),
          }),
        )
        .describe('by state code'),
      blockedBy: z.string().optional(),
      textHash: z.string().optional(),
      daysOff: z.array(dueDayOffResponse).optional().describe('the members for whom the due date is a day off'),
      acknowledged: z
        .record(z.string(), z.object({ at: z.string(), by: z.string(), byName: z.string() }))
        .optional()
        .describe('by state code: explicit acknowledgements of receipt'),
    })
    .optional(),
  pendingStates: z.array(z.string()),
  deadlines: z.array(z.object({ step: z.string(), dueAt: z.string(), waitingOn: z.array(z.string()) })),
  nextDueAt: z.string().optional(),
  nextReminder: z.object({ at: z.string(), step: z.string(), to: z.string() }).optional(),
  milestones: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      ownerId: z.string(),
      ownerName: z.string(),
      ownerState: z.string(),
      dueAt: z.string(),
      completedAt: z.string().optional(),
    }),
  ),
  closed: z.object({ at: z.string(), reason: z.string(), by: z.string() }).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export const initiativeSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    titleRu: z.string().optional(),
    proposingState: z.string(),
    stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]]),
    revision: z.number().int(),
    lead: z.object({ state: z.string(), officialId: z.string(), officialName: z.string() }).optional(),
    pendingStates: z.array(z.string()).describe('in sign-off: the member states yet to decide'),
    nextDueAt: z.string().optional().describe('the earliest open due date'),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .describe('an initiative as listed; GET /api/initiatives/{id} gives the whole of it with its live state');
export const initiativeList = z.object({
  items: z.array(initiativeSummary),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export const eventResponse = z.object({
  seq: z.number().int(),
  type: z.string(),
  at: z.string(),
  actor: actorRecord.optional(),
  revision: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  prev: z.string().optional().describe("the hash of the event before (64 zeros for the first): the trail's hash chain"),
  hash: z.string().optional().describe('SHA-256 of this event with its link, in RFC 8785 canonical JSON'),
});

/** PUT /api/initiatives/{id}/publication. */
export const publicationBody = z.strictObject({
  tier: z
    .enum(TIERS)
    .describe('members: signed-in people only (the default); public: also the public accountability page'),
  reason: multiLine(500).optional(),
});
export const publicationResponse = z.object({
  tier: z.enum(TIERS),
  by: z.string().optional().describe('who set it (absent: never set, the default)'),
  at: z.string().optional(),
  reason: z.string().optional(),
});
const publicInitiative = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string().optional(),
  titleRu: z.string().optional(),
  summaryRu: z.string().optional(),
  summit: z.string(),
  category: z.string(),
  proposingState: z.string(),
  source: z.object({ document: z.string(), quote: z.string() }).optional(),
  stage: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  signoff: z
    .object({
      revision: z.number().int(),
      dueAt: z.string(),
      members: z.array(z.string()),
      approved: z.array(z.string()),
    })
    .optional(),
  milestones: z.array(z.object({ title: z.string(), dueAt: z.string(), completedAt: z.string().optional() })),
  closedAt: z.string().optional(),
});
export const publicInitiativeResponse = publicInitiative;
export const publicInitiativeList = z.object({ items: z.array(publicInitiative) });

/** GET /api/audit-key: the key that signs the trail's checkpoints and the evidence packs. */
export const auditKeyResponse = z.object({
  algorithm: z.literal('Ed25519'),
  keyId: z.string().describe('the first 16 hex digits of the SHA-256 of the raw public key'),
  publicKey: z.string().describe('the raw 32-byte public key, base64url'),
});
const checkpointResponse = z.object({
  v: z.literal(1),
  initiativeId: z.string(),
  seq: z.number().int(),
  hash: z.string(),
  signedAt: z.string(),
  keyId: z.string(),
  signature: z.string(),
});
/** GET /api/initiatives/{id}/evidence (src/evidence/pack.ts). */
export const evidencePackResponse = z.object({
  format: z.literal('summit-followup/evidence-pack'),
  version: z.literal(1),
  generatedAt: z.string(),
  issuer: z.object({ url: z.string(), algorithm: z.literal('Ed25519'), keyId: z.string(), publicKey: z.string() }),
  initiative: z.object({
    id: z.string(),
    title: z.string(),
    titleRu: z.string().optional(),
    summit: z.string(),
    proposingState: z.string(),
    source: z.object({ document: z.string(), quote: z.string() }).optional(),
    stage: z.string(),
    revision: z.number().int(),
    text: z
      .object({
        revision: z.number().int(),
        title: z.string(),
        link: z.string().optional(),
        sha256: z.string().optional(),
      })
      .optional(),
  }),
  decisions: z.array(
    z.object({
      seq: z.number().int(),
      state: z.string(),
      decision: z.string(),
      revision: z.number().int(),
      at: z.string(),
      by: z.string().optional(),
      byName: z.string().optional(),
      onBehalfOf: z.string().optional(),
      via: z.enum(['api-token', 'web-session', 'email-link']).optional(),
      reason: z.string().optional(),
    }),
  ),
  notifications: z.array(
    z.object({
      personId: z.string(),
      to: z.string(),
      state: z.string().optional(),
      kind: z.string(),
      step: z.string().optional(),
      revision: z.number().int().optional(),
      status: z.string(),
      queuedAt: z.string(),
      sentAt: z.string().optional(),
      smtpResponse: z.string().optional(),
    }),
  ),
  reach: z
    .array(
      z.object({
        revision: z.number().int(),
        state: z.string(),
        deliveredAt: z.string().optional(),
        openedAt: z.string().optional(),
        openedVia: z.enum(['link', 'page']).optional(),
        openedBy: z.string().optional(),
        acknowledgedAt: z.string().optional(),
        acknowledgedBy: z.string().optional(),
      }),
    )
    .describe(
      'for each revision put to the states and each state asked: when the text was delivered, opened, acknowledged',
    ),
  trail: z.array(eventResponse),
  checkpoint: checkpointResponse.nullable(),
  seal: z.object({ keyId: z.string(), signature: z.string() }),
});
export const inboxItem = z.object({
  kind: z
    .enum(['decision', 'draft', 'milestone', 'assignment', 'objection', 'escalation'])
    .describe('escalation: a step of someone else overdue, for the Secretariat and the Chair'),
  step: z.string().describe('the workflow step: assignment, draft, signoff, objection or milestone:<id>'),
  initiativeId: z.string(),
  title: z.string(),
  titleRu: z.string().optional(),
  stage: z.string(),
  revision: z.number().int(),
  dueAt: z.string().optional(),
  overdue: z.boolean(),
  state: z.string().optional().describe('decision: the state to decide for; objection: the state that objected'),
  milestoneId: z.string().optional(),
  milestoneTitle: z.string().optional(),
  waitingOn: z
    .array(
      z.union([
        z.object({ state: z.string() }),
        z.object({ personId: z.string(), name: z.string() }),
        z.object({ role: z.string() }),
      ]),
    )
    .optional()
    .describe('escalation: who the step waits on: a member state, a person or a role'),
  what: z.string().describe('what awaits, in English words'),
});
export const inboxResponse = z.object({ items: z.array(inboxItem) });
export const tokenSummary = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().optional(),
  expiresAt: z.string().optional().describe('absent: until revoked'),
  revokedAt: z.string().optional(),
  live: z.boolean().describe('false once revoked or expired'),
});
export const tokenCreated = tokenSummary.extend({ token: z.string().describe('shown once; only its hash is stored') });
export const notificationPreferencesBody = z.strictObject({
  digest: z.boolean().describe('true: one email a day at 09:00 local listing what awaits you'),
});
export const meResponse = z.object({
  person: z.object({ id: z.string(), name: z.string(), email: z.string(), state: z.string().optional() }),
  roles: z.array(roleEnum).describe("roles in force today (a deputy's only within the delegation dates)"),
  onBehalfOf: z.string().optional(),
  via: z.enum(['token', 'session']),
  session: z.object({ csrfToken: z.string(), expiresAt: z.string() }).optional(),
});
export const calendarFeedResponse = z.object({
  active: z.boolean(),
  url: z.string().optional().describe('only when just created'),
  createdAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
});
export const stateResponse = z.object({
  code: z.string(),
  name: z.object({ en: z.string(), ru: z.string() }),
  timeZone: z.string(),
  admittedOn: z.string(),
  leftOn: z.string().optional(),
  calendar: calendarBody.optional(),
});
export const personResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(roleEnum),
  state: z.string().optional(),
  deputyOf: z.string().optional(),
  delegation: z.object({ from: z.string(), to: z.string() }).optional(),
  locale: z.string(),
  timeZone: z.string().optional(),
});
export const rotationResponse = z.object({
  year: z.number().int(),
  chairState: z.string(),
  from: z.string(),
  to: z.string(),
  summit: z
    .object({
      date: z.string(),
      city: z.string(),
      title: z.string(),
      cityRu: z.string().optional(),
      titleRu: z.string().optional(),
    })
    .optional(),
});
export const accepted = z.object({ message: z.string() });
export const undeliveredQuery = z.strictObject({
  initiative: initiativeId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const undeliveredEmail = z.object({
  id: z.string(),
  initiativeId: z.string(),
  kind: z.string(),
  personId: z.string(),
  to: z.string(),
  subject: z.string(),
  status: z.enum(['failed', 'unconfirmed']),
  responseCode: z.number().int().optional(),
  lastError: z.string().optional(),
  attempts: z.number().int(),
  createdAt: z.string(),
  failedAt: z.string().optional(),
});

/** The web form of "My settings": checkboxes send "true" when ticked and nothing otherwise. */
export const ownSettingsForm = z.object({
  locale: z.enum(['en', 'ru']),
  /** Empty: the zone of the person's state. */
  timeZone: z
    .union([z.literal(''), timeZone('not a time zone')])
    .optional()
    .transform((v) => v || undefined),
  digest: z
    .literal('true')
    .optional()
    .transform((v) => v === 'true'),
  reminders: z
    .literal('true')
    .optional()
    .transform((v) => v === 'true'),
});

// ---- reports --------------------------------------------------------------------------------------

const reportFormat = z
  .enum(['json', 'pdf', 'docx'])
  .default('json')
  .describe('json for machines, pdf to read and print, docx to edit');
const reportLang = z.enum(['en', 'ru']).default('en');

const snapshotId = z.string().regex(/^[0-9a-f]{16}$/, 'a kept report id: 16 hexadecimal digits');
export const progressReportQuery = z.strictObject({
  summit: singleLine(100).describe('the summit whose decisions are reported, e.g. tashkent-2025'),
  lang: reportLang,
  format: reportFormat,
  since: snapshotId
    .optional()
    .describe('a kept report of the same summit: the document opens with what changed after it'),
});
export const reportSnapshotsQuery = z.strictObject({ summit: singleLine(100) });
export const reportSnapshotBody = z.strictObject({
  summit: singleLine(100).describe('the summit whose report is kept as it stands now'),
  note: singleLine(300).optional().describe('why it is kept, e.g. "for the senior officials, 12 March"'),
});
export const reportSnapshotParams = z.object({ id: snapshotId });
export const reportSnapshotQuery = z.strictObject({ lang: reportLang, format: reportFormat });
export const reportSnapshotResponse = z.object({
  id: z.string(),
  summit: z.string(),
  takenAt: z.string(),
  takenBy: z.string(),
  note: z.string().optional(),
});
export const reportSnapshotListResponse = z.object({ items: z.array(reportSnapshotResponse) });
export const handoverQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).describe('the chairmanship year the pack is handed over for'),
  lang: reportLang,
  format: reportFormat,
});

const statePosition = z.enum(['approved', 'deemed', 'changes', 'objected', 'pending', 'not_asked']);
const reportedInitiative = z.object({
  id: z.string(),
  title: z.string(),
  titleRu: z.string().optional(),
  category: z.string(),
  proposingState: z.string(),
  leadState: z.string().optional(),
  stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]]),
  revision: z.number().int(),
  source: z.object({ document: z.string(), quote: z.string() }).optional(),
  startedAt: z.string(),
  adoptedAt: z.string().optional(),
  closed: z.object({ at: z.string(), reason: z.string() }).optional(),
  positions: z.record(z.string(), statePosition),
  late: z.array(
    z.object({
      step: z.string(),
      dueAt: z.string(),
      daysLate: z.number().int(),
      states: z.array(z.string()),
      others: z.array(z.string()),
      why: z.string().optional(),
    }),
  ),
  next: z
    .object({ step: z.string(), dueAt: z.string(), states: z.array(z.string()), others: z.array(z.string()) })
    .optional(),
  milestones: z.array(
    z.object({ title: z.string(), ownerState: z.string(), dueAt: z.string(), completedAt: z.string().optional() }),
  ),
  objection: z.object({ state: z.string(), reason: z.string().optional(), at: z.string() }).optional(),
  commitments: z
    .array(
      z.object({
        title: z.string(),
        to: z.string(),
        dueAt: z.string().optional(),
        parties: z.record(z.string(), z.object({ status: z.enum(COMMITMENT_STATUSES), progress: z.number() })),
        late: z.array(z.string()),
      }),
    )
    .optional()
    .describe("the commitment register's entries of an adopted initiative"),
});
export const progressReportResponse = z.object({
  summit: z.object({
    id: z.string(),
    title: z.string().optional(),
    date: z.string().optional(),
    city: z.string().optional(),
    titleRu: z.string().optional(),
    cityRu: z.string().optional(),
  }),
  asOf: z.string(),
  states: z.array(z.string()),
  totals: z.record(z.string(), z.number().int()),
  initiatives: z.array(reportedInitiative),
  byState: z.array(
    z.object({
      code: z.string(),
      approved: z.number().int(),
      pending: z.number().int(),
      objected: z.number().int(),
      changes: z.number().int(),
      late: z.number().int(),
      leads: z.array(z.string()),
    }),
  ),
});
export const handoverResponse = z.object({
  year: z.number().int(),
  chairState: z.string().optional(),
  outgoingChair: z.string().optional(),
  from: z.string(),
  asOf: z.string(),
  open: z.array(reportedInitiative),
  deadlines: z.array(
    z.object({
      initiativeId: z.string(),
      title: z.string(),
      titleRu: z.string().optional(),
      step: z.string(),
      dueAt: z.string(),
      states: z.array(z.string()),
      others: z.array(z.string()),
    }),
  ),
  until: z.string(),
  objections: z.array(
    z.object({
      initiativeId: z.string(),
      title: z.string(),
      titleRu: z.string().optional(),
      state: z.string(),
      reason: z.string().optional(),
      at: z.string(),
    }),
  ),
});

// ---- the commitment register ---------------------------------------------------------------------

/** A commitment's id as the register gives it (16 hexadecimal digits); any other answers 404, as an unknown one. */
const commitmentId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'a commitment id');
export const commitmentParams = z.object({ id: commitmentId });
export const commitmentPartParams = commitmentParams.extend({
  party: z.string().regex(/^([A-Z]{2}|secretariat)$/, 'a two-letter state code, or secretariat'),
});
export const commitmentBody = z.strictObject({
  title: singleLine(300),
  to: z
    .string()
    .regex(/^([A-Z]{2}|all|secretariat)$/, 'a two-letter state code, all or secretariat')
    .meta(serverRule('a member state today, all (every member state) or secretariat')),
  dueAt: instant.optional(),
  milestones: z
    .array(z.strictObject({ title: singleLine(300), dueAt: instant }))
    .max(50)
    .optional(),
});
const evidenceInput = z.strictObject({ url: httpUrl(2000), title: singleLine(300).optional() });
// The part's rules between fields and with what it says now (src/domain/commitments.ts updateErrors).
const deliveryChange = {
  status: z
    .enum(COMMITMENT_STATUSES)
    .optional()
    .meta(serverRule('progress above 0 has started: not not_started; something must change')),
  progress: z.number().int().min(0).max(100).optional().meta(serverRule('100 when delivered')),
  note: multiLine(2000).optional().meta(serverRule('required when blocked')),
  evidence: z.array(evidenceInput).max(20).optional(),
};
export const deliveryBody = z.strictObject(deliveryChange);
export const deliveryRowsBody = z.strictObject({
  rows: z
    .array(
      z
        .strictObject({
          commitmentId: commitmentId.meta(serverRule('a commitment of the register')),
          party: commitmentPartParams.shape.party.meta(
            serverRule('a party the commitment is addressed to, whose focal point you are (or the Secretariat)'),
          ),
          ...deliveryChange,
        })
        .meta(serverRule('each part once in a batch')),
    )
    .min(1)
    .max(500),
});
const delivery = z.object({
  status: z.enum(COMMITMENT_STATUSES),
  progress: z.number().int(),
  evidence: z.array(
    z.object({ url: z.string(), title: z.string().optional(), addedAt: z.string(), addedBy: z.string() }),
  ),
  note: z.string().optional(),
  deliveredAt: z.string().optional(),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
  updatedByName: z.string().optional(),
});
export const commitmentResponse = z.object({
  id: z.string(),
  initiativeId: z.string(),
  title: z.string(),
  to: z.string().describe('a member state, all or secretariat'),
  dueAt: z.string().optional(),
  milestones: z.array(z.object({ title: z.string(), dueAt: z.string() })),
  parties: z.record(z.string(), delivery).describe("each party's part, by state code or secretariat"),
  createdAt: z.string(),
  createdBy: z.string(),
  rev: z.number().int(),
});
export const commitmentListResponse = z.object({
  items: z.array(
    commitmentResponse.extend({
      late: z.array(z.string()).describe('the parties whose part is past the due date and not delivered'),
      history: z.array(
        z.object({
          rev: z.number().int(),
          party: z.string(),
          at: z.string(),
          by: z.string(),
          byName: z.string(),
          status: z.enum(COMMITMENT_STATUSES),
          progress: z.number().int(),
          note: z.string().optional(),
          evidenceAdded: z.number().int(),
        }),
      ),
    }),
  ),
});
const matrixCell = z.object({ status: z.enum(COMMITMENT_STATUSES), progress: z.number().int(), late: z.boolean() });
export const commitmentMatrixResponse = z.object({
  asOf: z.string(),
  columns: z.array(z.string()).describe('the member states, then secretariat, that any commitment is addressed to'),
  rows: z.array(
    z.object({
      commitment: commitmentResponse,
      initiativeTitle: z.string(),
      cells: z.record(z.string(), matrixCell.nullable()).describe('null: not addressed to that party'),
    }),
  ),
  totals: z.record(z.string(), z.object({ addressed: z.number(), delivered: z.number(), late: z.number() })),
});
export const matrixQuery = z.strictObject({ summit: slug.optional() });
export const followResponse = z.object({ following: z.boolean() });
export const bulkUpdateResponse = z.object({
  updated: z.number().int(),
  unchanged: z.number().int().describe('rows that said what the part already says: left alone'),
});

// ---- dependencies between initiatives, and the dashboard ------------------------------------------

const HEALTHS = ['on_track', 'at_risk', 'late', 'blocked', 'done'] as const;
export const dependencyParams = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/, 'a dependency id: 16 hexadecimal digits'),
});
export const dependencyBody = z.strictObject({
  blockedBy: initiativeId.meta({
    description: 'the initiative it waits for',
    ...serverRule('an initiative on record'),
  }),
  until: z.enum(['adopted', 'completed']).describe("what it waits for: the other's adoption, or its completion"),
  milestoneId: slug.optional().meta({
    description: 'only this milestone of the initiative waits',
    ...serverRule('a milestone of this initiative'),
  }),
  reason: multiLine(1000).optional(),
});
const dependency = z.object({
  id: z.string(),
  initiativeId: z.string(),
  milestoneId: z.string().optional(),
  blockedBy: z.string(),
  until: z.enum(['adopted', 'completed']),
  reason: z.string().optional(),
  by: z.string(),
  at: z.string(),
});
export const dependencyResponse = dependency;
const cause = z.object({
  initiativeId: z.string(),
  title: z.string(),
  health: z.enum(HEALTHS),
  why: z.enum(['late', 'at_risk', 'withdrawn', 'unknown']),
  path: z.array(z.string()),
  dependencyId: z.string(),
  until: z.enum(['adopted', 'completed']),
  milestone: z.object({ id: z.string(), title: z.string() }).optional(),
});
export const dependenciesResponse = z.object({
  asOf: z.string(),
  waitsFor: z.array(
    dependency.extend({ title: z.string(), titleRu: z.string().optional(), stage: z.string().optional() }),
  ),
  waitedBy: z.array(
    dependency.extend({ title: z.string(), titleRu: z.string().optional(), stage: z.string().optional() }),
  ),
  health: z
    .object({ health: z.enum(HEALTHS), own: z.enum(HEALTHS), because: z.array(cause) })
    .optional()
    .describe('how it fares with what it waits for counted: "at risk" travels down the chain'),
});
const pathStep = z.object({
  initiativeId: z.string(),
  title: z.string(),
  titleRu: z.string().optional(),
  stage: z.string(),
  health: z.enum(HEALTHS),
  waitsFor: z.array(
    z.object({
      dependencyId: z.string(),
      blockedBy: z.string(),
      until: z.enum(['adopted', 'completed']),
      milestoneId: z.string().optional(),
    }),
  ),
  nextDueAt: z.string().optional(),
  earliest: z.string().optional(),
  never: z.boolean(),
  afterSummit: z.boolean(),
});
const commitmentFigures = z.object({
  total: z.number(),
  delivered: z.number(),
  inProgress: z.number(),
  notStarted: z.number(),
  blocked: z.number(),
  late: z.number(),
  deliveredRate: z.number().optional(),
});
const figures = {
  decided: z.number(),
  onTime: z.number(),
  counted: z.number(),
  onTimeRate: z.number().optional(),
  medianHoursToDecide: z.number().optional(),
  deemed: z.number(),
  overdue: z.number(),
  commitments: commitmentFigures,
};
export const dashboardResponse = z.object({
  asOf: z.string(),
  byState: z.array(z.object({ state: z.string(), ...figures })),
  byYear: z.array(
    z.object({
      year: z.number(),
      chairState: z.string(),
      from: z.string(),
      to: z.string(),
      rounds: z.number(),
      adopted: z.number(),
      endedBySilence: z.number(),
      ...figures,
    }),
  ),
  secretariat: commitmentFigures,
  rotationGap: z
    .object({ year: z.number(), from: z.string(), daysLeft: z.number() })
    .optional()
    .describe('no Chair entered from this date: the Secretariat should enter one'),
  nextSummit: z
    .object({
      title: z.string(),
      date: z.string(),
      city: z.string(),
      titleRu: z.string().optional(),
      cityRu: z.string().optional(),
    })
    .optional(),
  path: z.object({ asOf: z.string(), summitDate: z.string(), steps: z.array(pathStep) }).optional(),
});

export const evidenceQuery = z.strictObject({
  format: z
    .enum(['json', 'pdf'])
    .default('json')
    .describe('json: the sealed pack, for machines; pdf: the same for people, with the sealed JSON attached'),
  lang: z.enum(['en', 'ru']).default('en').describe('the language of the PDF'),
});
