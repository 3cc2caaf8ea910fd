/**
 * The initiative as a pure state machine: each act is validated against the state (throwing a Refusal
 * that names its reason) and then applied, yielding the audit events and notifications it causes.
 * The workflow holds the state and runs these functions; tests run them without any server.
 */
import type { ChainHead } from './audit-chain';
import {
  approvedLanguage,
  composeTexts,
  languageProblem,
  textHashOf,
  textsOf,
  textsProblem,
  type DraftTexts,
  type RecordedTexts,
  type TextLanguage,
} from './draft-text';
import { planReminders, type PlannedReminder, ReminderPolicy } from './reminders';
import { localDateOf } from './time';
import {
  addWorkingDays,
  DEFAULT_WEEKEND,
  dueDateProblem,
  type DayOff,
  isWorkingDay,
  MAX_WORKING_DAYS,
  previousWorkingAt,
  type WorkingCalendar,
} from './working-calendar';
import { speaksFor } from './roles';
import { evaluateRound, pendingStates, RoundDecision, describePolicy } from './signoff';
import {
  Actor,
  AuditEvent,
  AuditEventData,
  AuditEventType,
  DecisionKind,
  type DueDayOff,
  MemberState,
  Notification,
  NotificationKind,
  Recipient,
  Role,
  SignoffPolicy,
  Stage,
  isTerminal,
} from './types';

export interface InitiativeInput {
  /** Slug; the workflow id is derived from it. */
  id: string;
  title: string;
  summary?: string;
  /** The title and summary in Russian, where the Secretariat gives them (pages and emails in Russian show them). */
  titleRu?: string;
  summaryRu?: string;
  proposingState: string;
  summit: string;
  category: string;
  source?: { document: string; quote: string };
  policy: SignoffPolicy;
  reminders: ReminderPolicy;
  timing: {
    assignmentDueAt: string;
    signoffPeriodMs: number;
    redraftPeriodMs: number;
    escalationIntervalMs: number;
  };
  secretariatTimeZone: string;
  startedBy: Actor;
  /** Continue as new once history has this many events (tests use a low value); the SDK's suggestion applies too. */
  continueAsNewAfterEvents?: number;
}

export interface Party {
  key: string;
  to: Recipient;
  timeZone: string;
  /** A member state's working calendar: its reminders go out on its working days. */
  calendar?: WorkingCalendar;
}

export interface Deadline {
  step: string;
  dueAt: string;
  /** When the due date was set or last extended: no reminder is planned before it. */
  setAt: string;
  /** Who the reminders go to; for the sign-off step they are the pending states, derived from the round. */
  parties: Party[];
  fired: string[];
  escalations: number;
}

export interface Draft {
  revision: number;
  title: string;
  link?: string;
  /** A draft recorded before texts had languages: its one English text. Newer drafts hold `texts`. */
  text?: string;
  texts?: DraftTexts;
  /** What a state approves, bound into one hash (src/domain/draft-text.ts). */
  textHash?: string;
  submittedBy: string;
  submittedAt: string;
  /** A revision the Chair marked an editorial correction of `from`: approvals of `from` carried over. */
  editorial?: { from: number; reason: string; by: string; byName: string };
}

/** A revision as the record keeps it once superseded: enough to name what each state approved. */
export interface RevisionRecord {
  revision: number;
  title: string;
  textHash?: string;
  languages: { lang: TextLanguage; authentic: boolean; revision: number }[];
  submittedAt: string;
  editorial?: Draft['editorial'];
  /** The trail's event that recorded its texts: the redline of a later revision reads them by it. */
  seq?: number;
}

export interface Decision extends RoundDecision {
  reason?: string;
  statement?: string;
  amendment?: string;
  /** The hash of the text decided on, and the language version approved. */
  textHash?: string;
  language?: TextLanguage;
  /** An approval of an earlier revision, carried over an editorial correction. */
  carriedFrom?: number;
  by?: string;
  byName?: string;
  onBehalfOf?: string;
  at: string;
}

export interface Round {
  revision: number;
  openedAt: string;
  dueAt: string;
  members: MemberState[];
  decisions: Record<string, Decision>;
  blockedBy?: string;
  textHash?: string;
  /** The members for whom the due date is a day off, flagged when it is set. */
  daysOff?: DueDayOff[];
  /** Under the silence procedure: each state's explicit acknowledgement that it received the text. */
  acknowledged?: Record<string, { at: string; by: string; byName: string }>;
}

export interface Milestone {
  id: string;
  title: string;
  ownerId: string;
  ownerName: string;
  ownerState: string;
  dueAt: string;
  completedAt?: string;
}

export interface InitiativeState {
  input: InitiativeInput;
  stage: Stage;
  seq: number;
  revision: number;
  lead?: { state: string; timeZone: string; officialId: string; officialName: string };
  /** The lead state's calendar, for flagging a draft due date on its day off (absent before calendars). */
  leadCalendar?: WorkingCalendar;
  /** The draft's due date falls on a day off in the lead state: flagged when it is set, and when it moves. */
  draftDayOff?: DueDayOff;
  draft?: Draft;
  /** Every submitted revision, oldest first (the current one too). */
  revisions?: RevisionRecord[];
  /** The last revision each state decided on: the page and email show the changes since. */
  decidedRevisions?: Record<string, number>;
  round?: Round;
  deadlines: Record<string, Deadline>;
  milestones: Milestone[];
  closed?: { at: string; reason: string; by: string };
  /** Rules added after workflows were already running; the workflow turns each on with patched(). */
  features?: {
    objectionDeadline?: boolean;
    deputyNotice?: boolean;
    auditChain?: boolean;
    acknowledgement?: boolean;
    /** A reminder that would come after an early due instant goes the day before; emails say how far off it is. */
    earlyDueReminder?: boolean;
    /** Each change is recorded with the view right after it, not the one of the moment it is recorded. */
    viewPerChange?: boolean;
  };
  /** The head of the audit trail's hash chain (src/domain/audit-chain.ts), once the workflow chains its events. */
  chain?: ChainHead;
  startedAt: string;
  updatedAt: string;
}

export interface Changes {
  events: AuditEvent[];
  notifications: Notification[];
}

export const RefusalCode = {
  WrongStage: 'wrong_stage',
  AlreadyDecided: 'already_decided',
  StaleRevision: 'stale_revision',
  NotAMember: 'not_a_member',
  NotEntitled: 'not_entitled',
  DueInPast: 'due_in_past',
  RoundBlocked: 'round_blocked',
  Invalid: 'invalid',
  /** The act did not come sealed by the API (src/domain/act-seal.ts). */
  Unsealed: 'unsealed',
  /** The Idempotency-Key was used before by another person or for another request. */
  IdempotencyKeyReused: 'idempotency_key_reused',
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

/** An act the rules refuse; the workflow turns it into a non-retryable ApplicationFailure, the API into 409. */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

// ---- act inputs -------------------------------------------------------------------------------

export interface AssignInput {
  actor: Actor;
  leadState: string;
  leadTimeZone: string;
  /** The lead state's working calendar (src/calendar/holidays.ts): a draft due on its day off is flagged. */
  leadCalendar?: WorkingCalendar;
  officialId: string;
  officialName: string;
  draftDueAt: string;
}
export interface SubmitDraftInput {
  actor: Actor;
  title: string;
  link?: string;
  /** The English text. */
  text?: string;
  textRu?: string;
  /** Which languages are authentic; absent: each language given a text here. */
  authentic?: TextLanguage[];
  /** The member states on the day the round opens, from the directory. */
  members: MemberState[];
}
export interface DecideInput {
  actor: Actor;
  state: string;
  decision: DecisionKind;
  revision: number;
  reason?: string;
  /** The hash of the text the decider read: a decision on another text is refused. */
  textHash?: string;
  /** The language version approved; absent: the first authentic one. */
  language?: TextLanguage;
  /** With an approval or an abstention: a statement for the record, which does not break the silence. */
  statement?: string;
  /** With an amendment: the text proposed instead. */
  amendment?: string;
}
export interface AcknowledgeInput {
  actor: Actor;
  state: string;
}
export interface ProcedureInput {
  actor: Actor;
  /** The next revision is put to a silence period (true) or to each state's explicit decision (false). */
  silenceProcedure: boolean;
  reason: string;
}
export interface EditorialInput {
  actor: Actor;
  title?: string;
  text?: string;
  textRu?: string;
  authentic?: TextLanguage[];
  reason: string;
}
export interface ReasonInput {
  actor: Actor;
  reason: string;
}
export interface ExtendDeadlineInput {
  actor: Actor;
  step: string;
  /** The new due instant; or, for national sign-off, `workingDays` instead. */
  dueAt?: string;
  /** N working days for each member state from today, each counted on its own calendar: the round ends with the last. */
  workingDays?: number;
  reason: string;
}
export interface AddMilestoneInput {
  actor: Actor;
  id: string;
  title: string;
  ownerId: string;
  ownerName: string;
  ownerState: string;
  ownerTimeZone: string;
  dueAt: string;
}
export interface CompleteMilestoneInput {
  actor: Actor;
  milestoneId: string;
  note?: string;
}
export interface CompleteInput {
  actor: Actor;
  note?: string;
}

// ---- helpers ----------------------------------------------------------------------------------

export const Step = {
  Assignment: 'assignment',
  Draft: 'draft',
  Signoff: 'signoff',
  /** A blocked round waits on the Secretariat to return it to drafting or withdraw it. */
  Objection: 'objection',
  milestone: (id: string) => `milestone:${id}`,
} as const;

const SECRETARIAT: Recipient = { role: 'secretariat' };
const CHAIR: Recipient = { role: 'chair' };

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Due dates end before 2200: reminder planning needs a four-digit local day, and a throw there would wedge the workflow. */
export const LATEST_DUE = Date.UTC(2200, 0, 1);

function requireFuture(dueAt: string, now: number, field: string): void {
  const t = Date.parse(dueAt);
  if (!Number.isFinite(t)) throw new Refusal(RefusalCode.Invalid, `${field} is not a date`);
  if (t <= now) throw new Refusal(RefusalCode.DueInPast, `${field} ${dueAt} is in the past`);
  if (t >= LATEST_DUE) throw new Refusal(RefusalCode.Invalid, `${field} ${dueAt} is not before 2200-01-01`);
}

function requireText(value: string | undefined, field: string): void {
  if (!value || !value.trim()) throw new Refusal(RefusalCode.Invalid, `${field} is required`);
}

function actorRecord(actor: Actor): AuditEvent['actor'] {
  return {
    personId: actor.personId,
    name: actor.name,
    roles: actor.roles,
    state: actor.state,
    onBehalfOf: actor.onBehalfOf,
    ...(actor.via ? { via: actor.via } : {}),
  };
}

function event<T extends AuditEventType>(
  state: InitiativeState,
  type: T,
  now: number,
  actor: Actor | undefined,
  data: AuditEventData[T],
): AuditEvent {
  state.seq += 1;
  state.updatedAt = iso(now);
  const e = { seq: state.seq, type, at: iso(now), actor: actor && actorRecord(actor), revision: state.revision, data };
  return e as AuditEvent;
}

function setDeadline(state: InitiativeState, step: string, dueAt: string, parties: Party[], now: number): void {
  state.deadlines[step] = { step, dueAt, setAt: iso(now), parties, fired: [], escalations: 0 };
}

function leadParty(state: InitiativeState): Party[] {
  const lead = state.lead!;
  return [{ key: `person:${lead.officialId}`, to: { person: lead.officialId }, timeZone: lead.timeZone }];
}

function memberReps(members: readonly MemberState[]): Recipient[] {
  return members.map((m) => ({ role: 'representative', state: m.code }) as Recipient);
}

function notify(
  kind: NotificationKind,
  to: Recipient[],
  step: string,
  revision: number,
  extra: Partial<Notification> = {},
): Notification[] {
  return to.map((r) => ({ kind, to: r, step, revision, ...extra }));
}

// ---- start ------------------------------------------------------------------------------------

export function startInitiative(input: InitiativeInput, now: number): { state: InitiativeState; changes: Changes } {
  const state: InitiativeState = {
    input,
    stage: Stage.Proposed,
    seq: 0,
    revision: 0,
    deadlines: {},
    milestones: [],
    startedAt: iso(now),
    updatedAt: iso(now),
  };
  setDeadline(
    state,
    Step.Assignment,
    input.timing.assignmentDueAt,
    [{ key: 'secretariat', to: SECRETARIAT, timeZone: input.secretariatTimeZone }],
    now,
  );
  const started = event(state, 'started', now, input.startedBy, {
    title: input.title,
    proposingState: input.proposingState,
    summit: input.summit,
    category: input.category,
    policy: describePolicy(input.policy),
    assignmentDueAt: input.timing.assignmentDueAt,
    source: input.source,
  });
  return {
    state,
    changes: {
      events: [started],
      notifications: notify(
        NotificationKind.Started,
        [{ role: 'representative', state: input.proposingState }, SECRETARIAT],
        'start',
        0,
      ),
    },
  };
}

// ---- acts: the rules of each act (src/domain/acts.ts checks stage and the Secretariat's role first) ----

export function validateAssign(state: InitiativeState, a: AssignInput, now: number): void {
  requireText(a.leadState, 'leadState');
  requireText(a.officialId, 'officialId');
  requireFuture(a.draftDueAt, now, 'draftDueAt');
}

export function applyAssign(state: InitiativeState, a: AssignInput, now: number): Changes {
  const reassigned = state.lead !== undefined;
  state.lead = { state: a.leadState, timeZone: a.leadTimeZone, officialId: a.officialId, officialName: a.officialName };
  if (a.leadCalendar) state.leadCalendar = a.leadCalendar;
  else delete state.leadCalendar;
  delete state.deadlines[Step.Assignment];
  if (state.stage === Stage.Proposed) state.stage = Stage.Assigned;
  setDeadline(state, Step.Draft, a.draftDueAt, leadParty(state), now);
  flagDraftDayOff(state, a.draftDueAt);
  const e = event(state, reassigned ? 'reassigned' : 'assigned', now, a.actor, {
    leadState: a.leadState,
    officialId: a.officialId,
    officialName: a.officialName,
    draftDueAt: a.draftDueAt,
    ...(state.draftDayOff ? { daysOff: [state.draftDayOff] } : {}),
  });
  return {
    events: [e],
    notifications: notify(
      NotificationKind.Assigned,
      [{ person: a.officialId }, { role: 'representative', state: a.leadState }],
      Step.Draft,
      state.revision + 1,
      {
        dueAt: a.draftDueAt,
      },
    ),
  };
}

export function validateSubmitDraft(state: InitiativeState, d: SubmitDraftInput, _now: number): void {
  const lead = state.lead!;
  if (d.actor.personId !== lead.officialId && !speaksFor(d.actor, lead.state)) {
    throw new Refusal(
      RefusalCode.NotEntitled,
      `only the lead state's (${lead.state}) responsible official or representative may submit a draft`,
    );
  }
  requireText(d.title, 'title');
  const texts = nextTexts(state, d);
  if (!d.link?.trim() && Object.keys(texts).length === 0)
    throw new Refusal(RefusalCode.Invalid, 'a draft needs a link or a text');
  const problem = textsProblem(texts, state.revision + 1, d.authentic);
  if (problem) throw new Refusal(RefusalCode.Invalid, problem);
  if (d.members.length === 0) throw new Refusal(RefusalCode.Invalid, 'no member states to sign off');
}

/**
 * The texts revision n+1 would have: those given, and the previous revision's carried over. In an editorial
 * correction the Chair vouches for the whole set, so a text left as it was is a text of the new revision too.
 */
function nextTexts(
  state: InitiativeState,
  d: { text?: string; textRu?: string; authentic?: TextLanguage[] },
  editorial = false,
): DraftTexts {
  const previous = state.draft ? textsOf(state.draft) : {};
  const next = state.revision + 1;
  const texts = composeTexts(previous, { texts: { en: d.text, ru: d.textRu }, authentic: d.authentic }, next);
  if (!editorial) return texts;
  return Object.fromEntries(Object.entries(texts).map(([l, t]) => [l, { ...t, revision: next }]));
}

/** Makes revision n+1 the draft, keeping the record of the one it supersedes. */
function newRevision(
  state: InitiativeState,
  d: { actor: Actor; title: string; link?: string; texts: DraftTexts },
  now: number,
  editorial?: Draft['editorial'],
): Draft {
  state.revision += 1;
  const draft: Draft = {
    revision: state.revision,
    title: d.title,
    ...(d.link ? { link: d.link } : {}),
    texts: d.texts,
    textHash: textHashOf(d),
    submittedBy: d.actor.personId,
    submittedAt: iso(now),
    ...(editorial ? { editorial } : {}),
  };
  state.draft = draft;
  state.revisions = [...(state.revisions ?? []), revisionRecord(draft)];
  return draft;
}

/** Sets (or clears) the flag of a draft due on a day off in the lead state, by its calendar. */
function flagDraftDayOff(state: InitiativeState, dueAt: string): void {
  const off = state.leadCalendar && dueDateProblem(state.leadCalendar, dueAt);
  if (off) state.draftDayOff = dueDayOff(state.lead!.state, off);
  else delete state.draftDayOff;
}

/** The members for whom `dueAt` falls on a day off, by their own calendars. */
function dueDaysOff(members: readonly MemberState[], dueAt: string): DueDayOff[] {
  return members.flatMap((m) => {
    const off = m.calendar && dueDateProblem(m.calendar, dueAt);
    return off ? [dueDayOff(m.code, off)] : [];
  });
}

function dueDayOff(state: string, off: DayOff): DueDayOff {
  return { state, date: off.date, name: off.name, ...(off.nameRu ? { nameRu: off.nameRu } : {}), kind: off.kind };
}

function revisionRecord(d: Draft): RevisionRecord {
  const texts = textsOf(d);
  return {
    revision: d.revision,
    title: d.title,
    textHash: d.textHash,
    languages: (Object.keys(texts) as TextLanguage[]).map((lang) => ({
      lang,
      authentic: texts[lang]!.authentic,
      revision: texts[lang]!.revision,
    })),
    submittedAt: d.submittedAt,
    ...(d.editorial ? { editorial: d.editorial } : {}),
  };
}

export function applySubmitDraft(state: InitiativeState, d: SubmitDraftInput, now: number): Changes {
  const draft = newRevision(state, { ...d, texts: nextTexts(state, d) }, now);
  delete state.deadlines[Step.Draft];
  delete state.draftDayOff;
  state.stage = Stage.Signoff;
  const dueAt = iso(now + state.input.timing.signoffPeriodMs);
  state.round = {
    revision: state.revision,
    openedAt: iso(now),
    dueAt,
    members: d.members,
    decisions: {},
    textHash: draft.textHash,
  };
  setDeadline(state, Step.Signoff, dueAt, [], now);
  const submitted = event(state, 'draft_submitted', now, d.actor, {
    title: d.title,
    link: d.link,
    hasText: Object.keys(draft.texts!).length > 0,
    textHash: draft.textHash,
    languages: languagesOf(draft),
    texts: recordedTexts(draft),
  });
  state.revisions!.at(-1)!.seq = submitted.seq;
  state.round.daysOff = dueDaysOff(d.members, dueAt);
  const opened = event(state, 'signoff_opened', now, undefined, {
    members: d.members.map((m) => m.code),
    dueAt,
    policy: describePolicy(state.input.policy),
    ...(state.round.daysOff.length ? { daysOff: state.round.daysOff } : {}),
  });
  return {
    events: [submitted, opened],
    notifications: [
      ...notify(NotificationKind.DraftSubmitted, [SECRETARIAT], Step.Signoff, state.revision),
      ...notify(NotificationKind.SignoffRequested, memberReps(d.members), Step.Signoff, state.revision, { dueAt }),
    ],
  };
}

export function validateDecide(state: InitiativeState, d: DecideInput, _now: number): void {
  const round = state.round!;
  if (!speaksFor(d.actor, d.state)) {
    throw new Refusal(
      RefusalCode.NotEntitled,
      `${d.actor.name} may not decide for ${d.state}: only its Special Representative or deputy may`,
    );
  }
  if (!round.members.some((m) => m.code === d.state)) {
    throw new Refusal(
      RefusalCode.NotAMember,
      `${d.state} was not a member state when this sign-off round opened on ${round.openedAt.slice(0, 10)}`,
    );
  }
  if (d.revision !== round.revision) {
    throw new Refusal(
      RefusalCode.StaleRevision,
      `revision ${d.revision} is not the one under sign-off (revision ${round.revision})`,
    );
  }
  if (round.blockedBy) {
    throw new Refusal(
      RefusalCode.RoundBlocked,
      `the round is blocked by ${round.blockedBy}'s objection until the Secretariat returns it to drafting or withdraws it`,
    );
  }
  const previous = round.decisions[d.state];
  if (previous)
    throw new Refusal(
      RefusalCode.AlreadyDecided,
      `${d.state} already decided ${previous.decision} on revision ${previous.carriedFrom ?? round.revision}`,
    );
  if (d.textHash !== undefined && d.textHash !== round.textHash) {
    throw new Refusal(
      RefusalCode.StaleRevision,
      `the text decided on (hash ${d.textHash.slice(0, 12)}…) is not the text under sign-off (revision ${round.revision}, hash ${(round.textHash ?? 'none').slice(0, 12)}…): read it again`,
    );
  }
  if (d.language !== undefined && d.decision === DecisionKind.Approve && state.draft) {
    const problem = languageProblem(textsOf(state.draft), d.language);
    if (problem) throw new Refusal(RefusalCode.Invalid, problem);
  }
  if (d.decision !== DecisionKind.Approve && d.decision !== DecisionKind.Abstain) requireText(d.reason, 'reason');
  if (d.decision === DecisionKind.Amend) requireText(d.amendment, 'amendment');
  if (d.statement !== undefined && d.decision !== DecisionKind.Approve && d.decision !== DecisionKind.Abstain)
    throw new Refusal(
      RefusalCode.Invalid,
      'a statement goes with an approval or an abstention; give your reason instead',
    );
}

export function applyDecide(state: InitiativeState, d: DecideInput, now: number): Changes {
  const round = state.round!;
  const language =
    d.decision === DecisionKind.Approve && state.draft ? approvedLanguage(textsOf(state.draft), d.language) : undefined;
  round.decisions[d.state] = {
    decision: d.decision,
    reason: d.reason,
    by: d.actor.personId,
    byName: d.actor.name,
    onBehalfOf: d.actor.onBehalfOf,
    at: iso(now),
    ...(round.textHash ? { textHash: round.textHash } : {}),
    ...(language ? { language } : {}),
    ...(d.statement ? { statement: d.statement } : {}),
    ...(d.amendment ? { amendment: d.amendment } : {}),
  };
  state.decidedRevisions = { ...state.decidedRevisions, [d.state]: round.revision };
  const events = [
    event(state, 'decided', now, d.actor, {
      state: d.state,
      decision: d.decision,
      reason: d.reason,
      ...(round.textHash ? { textHash: round.textHash } : {}),
      ...(language ? { language } : {}),
      ...(d.statement ? { statement: d.statement } : {}),
      ...(d.amendment ? { amendment: d.amendment } : {}),
    }),
  ];
  const details = {
    state: d.state,
    decision: d.decision,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.statement ? { statement: d.statement } : {}),
    ...(d.amendment ? { amendment: d.amendment } : {}),
  };
  const sequence = Object.keys(round.decisions).length;
  const notifications = notify(NotificationKind.DecisionRecorded, [SECRETARIAT], Step.Signoff, round.revision, {
    details,
    sequence,
  });
  // The representative hears that their deputy decided in their name: it is their state's decision.
  if (state.features?.deputyNotice && d.actor.onBehalfOf)
    notifications.push(
      ...notify(NotificationKind.DecisionRecorded, [{ person: d.actor.onBehalfOf }], Step.Signoff, round.revision, {
        details: { ...details, by: d.actor.name },
        sequence,
      }),
    );
  const after = settleRound(state, now, d.state);
  return { events: [...events, ...after.events], notifications: [...notifications, ...after.notifications] };
}

/** Applies the policy to the round after a decision (or the silence procedure) and moves the stage on. */
function settleRound(state: InitiativeState, now: number, decidedBy?: string, bySilence = false): Changes {
  const round = state.round!;
  const members = round.members.map((m) => m.code);
  const outcome = evaluateRound(state.input.policy, members, round.decisions);
  const reps = memberReps(round.members);
  switch (outcome) {
    case 'adopted': {
      state.stage = Stage.Adopted;
      delete state.deadlines[Step.Signoff];
      const e = event(state, 'adopted', now, undefined, {
        revision: round.revision,
        policy: describePolicy(state.input.policy),
      });
      // The written notice of adoption: to every member state, with the statements made for the record.
      const statements = statementsOf(round);
      return {
        events: [e],
        notifications: notify(NotificationKind.Adopted, [SECRETARIAT, ...reps], 'adopted', round.revision, {
          ...(statements || bySilence
            ? { details: { ...(statements ? { statements } : {}), ...(bySilence ? { bySilence } : {}) } }
            : {}),
        }),
      };
    }
    case 'changes_requested': {
      const decision = decidedBy ? round.decisions[decidedBy] : undefined;
      const reason = decision?.reason;
      returnToDrafting(state, now);
      const e = event(state, 'returned_to_drafting', now, undefined, {
        requestedBy: decidedBy,
        reason,
        ...(decision?.amendment ? { amendment: decision.amendment } : {}),
        lapsedApprovals: Object.entries(round.decisions)
          .filter(([, v]) => v.decision === DecisionKind.Approve)
          .map(([k]) => k),
        nextRevision: state.revision + 1,
      });
      const details = {
        state: decidedBy ?? '',
        reason: reason ?? '',
        ...(decision?.amendment ? { amendment: decision.amendment } : {}),
      };
      return {
        events: [e],
        notifications: [
          ...notify(
            NotificationKind.ChangesRequested,
            [...leadRecipients(state), SECRETARIAT],
            Step.Draft,
            state.revision + 1,
            { dueAt: state.deadlines[Step.Draft].dueAt, details },
          ),
          ...silenceBroken(state, round, { ...details, decision: decision?.decision ?? '' }),
        ],
      };
    }
    case 'blocked': {
      if (round.blockedBy) return { events: [], notifications: [] };
      round.blockedBy =
        decidedBy ?? Object.keys(round.decisions).find((s) => round.decisions[s].decision === DecisionKind.Object);
      delete state.deadlines[Step.Signoff];
      if (state.features?.objectionDeadline) {
        const dueAt = iso(now + state.input.timing.redraftPeriodMs);
        setDeadline(
          state,
          Step.Objection,
          dueAt,
          [{ key: 'secretariat', to: SECRETARIAT, timeZone: state.input.secretariatTimeZone }],
          now,
        );
      }
      const objectedBy = round.blockedBy!;
      const reason = round.decisions[objectedBy]?.reason ?? '';
      const e = event(state, 'round_blocked', now, undefined, { objectedBy, reason });
      return {
        events: [e],
        notifications: [
          ...notify(NotificationKind.Objected, [SECRETARIAT, CHAIR], Step.Signoff, round.revision, {
            details: { state: round.blockedBy!, reason },
          }),
          ...silenceBroken(state, round, { state: objectedBy, reason, decision: DecisionKind.Object }),
        ],
      };
    }
    default:
      return { events: [], notifications: [] };
  }
}

/** "KZ: …\nUZ: …": the statements attached to approvals and abstentions, for the notice and the record. */
function statementsOf(round: Round): string {
  return Object.entries(round.decisions)
    .filter(([, d]) => d.statement)
    .map(([s, d]) => `${s}: ${d.statement}`)
    .join('\n');
}

/**
 * Under the silence procedure, the written notice of non-adoption: every member state hears at once that the
 * silence was broken, by whom, and why (with the text an amendment proposes).
 */
function silenceBroken(state: InitiativeState, round: Round, details: Record<string, string>): Notification[] {
  if (!state.input.policy.silenceProcedure) return [];
  return notify(NotificationKind.SilenceBroken, memberReps(round.members), Step.Signoff, round.revision, {
    details,
  });
}

function leadRecipients(state: InitiativeState): Recipient[] {
  return state.lead ? [{ person: state.lead.officialId }] : [];
}

function returnToDrafting(state: InitiativeState, now: number): void {
  state.stage = Stage.Drafting;
  delete state.deadlines[Step.Signoff];
  delete state.deadlines[Step.Objection];
  const dueAt = iso(now + state.input.timing.redraftPeriodMs);
  setDeadline(state, Step.Draft, dueAt, leadParty(state), now);
  flagDraftDayOff(state, dueAt);
}

/**
 * Silence counts only if every state could object: a state acknowledges, by an explicit act, that it received
 * the text (the pages offer it under the silence procedure, which chases it). A decision is one too.
 */
export function validateAcknowledge(state: InitiativeState, a: AcknowledgeInput, _now: number): void {
  const round = state.round!;
  if (!speaksFor(a.actor, a.state))
    throw new Refusal(RefusalCode.NotEntitled, `${a.actor.name} may not acknowledge for ${a.state}`);
  if (!round.members.some((m) => m.code === a.state))
    throw new Refusal(RefusalCode.NotAMember, `${a.state} was not a member state when this round opened`);
  const done = round.acknowledged?.[a.state];
  if (done)
    throw new Refusal(RefusalCode.AlreadyDecided, `${a.state} acknowledged revision ${round.revision} on ${done.at}`);
  if (round.decisions[a.state])
    throw new Refusal(RefusalCode.AlreadyDecided, `${a.state} already decided on revision ${round.revision}`);
}

export function applyAcknowledge(state: InitiativeState, a: AcknowledgeInput, now: number): Changes {
  const round = state.round!;
  round.acknowledged = {
    ...round.acknowledged,
    [a.state]: { at: iso(now), by: a.actor.personId, byName: a.actor.name },
  };
  return { events: [event(state, 'acknowledged', now, a.actor, { state: a.state })], notifications: [] };
}

/**
 * The Chair chooses how the next revision is put to the states: a silence period of its own, or each state's
 * explicit decision (after an amendment broke the silence, say, when the text changed too much to be adopted
 * by silence). It applies from the next sign-off round; the one open is never changed under the states.
 */
export function validateChooseProcedure(state: InitiativeState, p: ProcedureInput, _now: number): void {
  requireText(p.reason, 'reason');
  if (state.input.policy.silenceProcedure === p.silenceProcedure)
    throw new Refusal(
      RefusalCode.Invalid,
      `revision ${state.revision + 1} is already to be put ${p.silenceProcedure ? 'to a silence period' : "to each state's explicit decision"}`,
    );
}

export function applyChooseProcedure(state: InitiativeState, p: ProcedureInput, now: number): Changes {
  state.input = { ...state.input, policy: { ...state.input.policy, silenceProcedure: p.silenceProcedure } };
  const e = event(state, 'procedure_chosen', now, p.actor, {
    silenceProcedure: p.silenceProcedure,
    reason: p.reason,
    revision: state.revision + 1,
  });
  return { events: [e], notifications: [] };
}

/** How long before the silence expires a state that has not acknowledged it is chased. */
export const ACKNOWLEDGE_BEFORE_MS = 48 * 3_600_000;

/** Acts that need only a reason. */
export function validateReason(_state: InitiativeState, r: ReasonInput, _now: number): void {
  requireText(r.reason, 'reason');
}

export function applyReturnToDrafting(state: InitiativeState, r: ReasonInput, now: number): Changes {
  returnToDrafting(state, now);
  const e = event(state, 'returned_to_drafting', now, r.actor, { reason: r.reason, nextRevision: state.revision + 1 });
  return {
    events: [e],
    notifications: notify(NotificationKind.ChangesRequested, leadRecipients(state), Step.Draft, state.revision + 1, {
      dueAt: state.deadlines[Step.Draft].dueAt,
      details: { reason: r.reason },
    }),
  };
}

/** The texts as the trail records them with the revision: what each state approved, word for word. */
function recordedTexts(d: Draft): RecordedTexts {
  const texts = textsOf(d);
  return Object.fromEntries(
    (Object.keys(texts) as TextLanguage[]).map((l) => [l, { text: texts[l]!.text, authentic: texts[l]!.authentic }]),
  );
}

/** "en (authentic), ru (working translation)": how the record names a revision's language versions. */
function languagesOf(d: Draft): string {
  const texts = textsOf(d);
  return (Object.keys(texts) as TextLanguage[])
    .map((l) => `${l} (${texts[l]!.authentic ? 'authentic' : 'working translation'})`)
    .join(', ');
}

/**
 * An editorial correction during sign-off (a typo, a numbering, a translation brought in line), marked so by
 * the Chair with its reason: it becomes the next revision, and the approvals already given carry over to it
 * (each still naming the hash it approved). States yet to decide decide on the corrected text.
 */
export function validateEditorial(state: InitiativeState, e: EditorialInput, _now: number): void {
  const round = state.round!;
  requireText(e.reason, 'reason');
  if (round.blockedBy) {
    throw new Refusal(
      RefusalCode.RoundBlocked,
      `the round is blocked by ${round.blockedBy}'s objection: an editorial correction cannot answer an objection`,
    );
  }
  const draft = state.draft!;
  const texts = nextTexts(state, e, true);
  const problem = textsProblem(texts, state.revision + 1, e.authentic);
  if (problem) throw new Refusal(RefusalCode.Invalid, problem);
  if (textHashOf({ title: e.title ?? draft.title, link: draft.link, texts }) === draft.textHash)
    throw new Refusal(RefusalCode.Invalid, `nothing differs from revision ${draft.revision}`);
}

export function applyEditorial(state: InitiativeState, x: EditorialInput, now: number): Changes {
  const round = state.round!;
  const from = state.revision;
  const previous = state.draft!;
  const draft = newRevision(
    state,
    { actor: x.actor, title: x.title ?? previous.title, link: previous.link, texts: nextTexts(state, x, true) },
    now,
    { from, reason: x.reason, by: x.actor.personId, byName: x.actor.name },
  );
  round.revision = draft.revision;
  round.textHash = draft.textHash;
  const carried = Object.keys(round.decisions);
  for (const s of carried)
    round.decisions[s] = { ...round.decisions[s], carriedFrom: round.decisions[s].carriedFrom ?? from };
  const e = event(state, 'editorial_revision', now, x.actor, {
    from,
    revision: draft.revision,
    reason: x.reason,
    textHash: draft.textHash!,
    languages: languagesOf(draft),
    texts: recordedTexts(draft),
    carriedApprovals: carried,
  });
  state.revisions!.at(-1)!.seq = e.seq;
  return {
    events: [e],
    notifications: notify(
      NotificationKind.EditorialRevision,
      [SECRETARIAT, ...memberReps(round.members)],
      Step.Signoff,
      draft.revision,
      { dueAt: round.dueAt, details: { from, reason: x.reason, carried: carried.join(', ') } },
    ),
  };
}

export function validateExtendDeadline(state: InitiativeState, x: ExtendDeadlineInput, now: number): void {
  requireText(x.reason, 'reason');
  if (!state.deadlines[x.step]) {
    const open = Object.keys(state.deadlines);
    throw new Refusal(
      RefusalCode.Invalid,
      `no open step "${x.step}"; open steps: ${open.length ? open.join(', ') : 'none'}`,
    );
  }
  if (x.workingDays === undefined) return requireFuture(x.dueAt ?? '', now, 'dueAt');
  if (x.dueAt !== undefined) throw new Refusal(RefusalCode.Invalid, 'give dueAt or workingDays, not both');
  if (x.step !== Step.Signoff || !state.round)
    throw new Refusal(RefusalCode.Invalid, 'workingDays counts for each member state: it sets national sign-off only');
  if (!Number.isInteger(x.workingDays) || x.workingDays < 1 || x.workingDays > MAX_WORKING_DAYS)
    throw new Refusal(RefusalCode.Invalid, `workingDays must be a whole number from 1 to ${MAX_WORKING_DAYS}`);
}

/**
 * N working days for each member state from `now`: each state's own N-th working day after today there, at the
 * close of its working day (by its calendar; weekends only for a round opened before calendars). The round
 * ends with the last of them, so no state has fewer than N working days.
 */
function workingDaysDue(members: readonly MemberState[], now: number, n: number) {
  const dueByState = Object.fromEntries(
    members.map((m) => {
      const cal = m.calendar ?? {
        state: m.code,
        timeZone: m.timeZone,
        weekend: [...DEFAULT_WEEKEND],
        holidays: [],
        workingDays: [],
      };
      return [m.code, addWorkingDays(cal, iso(now), n)];
    }),
  );
  const dueAt = Object.values(dueByState).reduce((a, b) => (b > a ? b : a));
  return { dueAt, dueByState };
}

export function applyExtendDeadline(state: InitiativeState, x: ExtendDeadlineInput, now: number): Changes {
  const old = state.deadlines[x.step];
  const counted = x.workingDays !== undefined ? workingDaysDue(state.round!.members, now, x.workingDays) : undefined;
  const dueAt = counted?.dueAt ?? new Date(Date.parse(x.dueAt!)).toISOString();
  setDeadline(state, x.step, dueAt, old.parties, now);
  if (x.step === Step.Signoff && state.round) {
    state.round.dueAt = dueAt;
    state.round.daysOff = dueDaysOff(state.round.members, dueAt);
  }
  if (x.step === Step.Draft) flagDraftDayOff(state, dueAt);
  const daysOff =
    x.step === Step.Signoff
      ? (state.round?.daysOff ?? [])
      : x.step === Step.Draft && state.draftDayOff
        ? [state.draftDayOff]
        : [];
  const milestone = state.milestones.find((m) => Step.milestone(m.id) === x.step);
  if (milestone) milestone.dueAt = dueAt;
  const e = event(state, 'deadline_extended', now, x.actor, {
    step: x.step,
    from: old.dueAt,
    to: dueAt,
    reason: x.reason,
    ...(daysOff.length ? { daysOff } : {}),
    ...(counted ? { workingDays: x.workingDays, dueByState: counted.dueByState } : {}),
  });
  return {
    events: [e],
    notifications: notify(
      NotificationKind.DeadlineExtended,
      partiesOf(state, state.deadlines[x.step]).map((p) => p.to),
      x.step,
      state.revision,
      {
        dueAt,
        details: { from: old.dueAt, reason: x.reason, ...(counted ? { workingDays: x.workingDays! } : {}) },
      },
    ),
  };
}

export function applyWithdraw(state: InitiativeState, r: ReasonInput, now: number): Changes {
  const involved: Recipient[] = [SECRETARIAT, { role: 'representative', state: state.input.proposingState }];
  if (state.round) involved.push(...memberReps(state.round.members).filter((m) => !sameRecipient(m, involved[1])));
  involved.push(...leadRecipients(state));
  state.stage = Stage.Withdrawn;
  state.deadlines = {};
  state.closed = { at: iso(now), reason: r.reason, by: r.actor.personId };
  const e = event(state, 'withdrawn', now, r.actor, { reason: r.reason });
  return {
    events: [e],
    notifications: notify(NotificationKind.Withdrawn, involved, 'withdrawn', state.revision, {
      details: { reason: r.reason },
    }),
  };
}

function sameRecipient(a: Recipient, b: Recipient): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function validateAddMilestone(state: InitiativeState, m: AddMilestoneInput, now: number): void {
  requireText(m.title, 'title');
  requireText(m.ownerId, 'ownerId');
  requireFuture(m.dueAt, now, 'dueAt');
  if (state.milestones.some((x) => x.id === m.id))
    throw new Refusal(RefusalCode.Invalid, `milestone ${m.id} already exists`);
}

export function applyAddMilestone(state: InitiativeState, m: AddMilestoneInput, now: number): Changes {
  const dueAt = new Date(Date.parse(m.dueAt)).toISOString();
  state.milestones.push({
    id: m.id,
    title: m.title,
    ownerId: m.ownerId,
    ownerName: m.ownerName,
    ownerState: m.ownerState,
    dueAt,
  });
  state.stage = Stage.Implementing;
  const step = Step.milestone(m.id);
  setDeadline(
    state,
    step,
    dueAt,
    [{ key: `person:${m.ownerId}`, to: { person: m.ownerId }, timeZone: m.ownerTimeZone }],
    now,
  );
  const e = event(state, 'milestone_added', now, m.actor, { id: m.id, title: m.title, ownerId: m.ownerId, dueAt });
  return {
    events: [e],
    notifications: notify(NotificationKind.MilestoneAdded, [{ person: m.ownerId }], step, state.revision, {
      dueAt,
      details: { title: m.title },
    }),
  };
}

export function validateCompleteMilestone(state: InitiativeState, c: CompleteMilestoneInput, _now: number): void {
  const m = state.milestones.find((x) => x.id === c.milestoneId);
  if (!m) throw new Refusal(RefusalCode.Invalid, `no milestone ${c.milestoneId}`);
  if (m.completedAt)
    throw new Refusal(RefusalCode.WrongStage, `milestone ${c.milestoneId} was already completed on ${m.completedAt}`);
  if (c.actor.personId !== m.ownerId && !c.actor.roles.includes(Role.Secretariat)) {
    throw new Refusal(RefusalCode.NotEntitled, `only the milestone's owner or the Secretariat may complete it`);
  }
}

export function applyCompleteMilestone(state: InitiativeState, c: CompleteMilestoneInput, now: number): Changes {
  const m = state.milestones.find((x) => x.id === c.milestoneId)!;
  m.completedAt = iso(now);
  delete state.deadlines[Step.milestone(m.id)];
  return { events: [event(state, 'milestone_completed', now, c.actor, { id: m.id, note: c.note })], notifications: [] };
}

export function validateComplete(state: InitiativeState, c: CompleteInput, _now: number): void {
  const open = state.milestones.filter((m) => !m.completedAt).map((m) => m.id);
  if (open.length) throw new Refusal(RefusalCode.WrongStage, `milestones still open: ${open.join(', ')}`);
}

export function applyComplete(state: InitiativeState, c: CompleteInput, now: number): Changes {
  state.stage = Stage.Completed;
  state.deadlines = {};
  state.closed = { at: iso(now), reason: c.note ?? 'completed', by: c.actor.personId };
  const reps = state.round ? memberReps(state.round.members) : [];
  return {
    events: [event(state, 'completed', now, c.actor, { note: c.note })],
    notifications: notify(NotificationKind.Completed, [SECRETARIAT, ...reps], 'completed', state.revision),
  };
}

// ---- time: reminders, escalations, silence procedure -------------------------------------------

export type Duty =
  | {
      kind: 'reminder';
      step: string;
      key: string;
      at: string;
      party: Party;
      offsetMs: number;
      /** How long before the due instant it goes, where a move made that differ from offsetMs. */
      leadMs?: number;
    }
  | { kind: 'escalation'; step: string; key: string; at: string }
  | { kind: 'silence'; step: string; key: string; at: string }
  | { kind: 'acknowledgement'; step: string; key: string; at: string };

/** The parties a step's reminders go to now: for sign-off, the representatives of the states still pending. */
export function partiesOf(state: InitiativeState, d: Deadline): Party[] {
  if (d.step !== Step.Signoff || !state.round) return d.parties;
  const round = state.round;
  const pending = pendingStates(
    round.members.map((m) => m.code),
    round.decisions,
  );
  return round.members
    .filter((m) => pending.includes(m.code))
    .map((m) => ({
      key: `state:${m.code}`,
      to: { role: 'representative', state: m.code } as Recipient,
      timeZone: m.timeZone,
      ...(m.calendar ? { calendar: m.calendar } : {}),
    }));
}

/** Every duty of the open deadlines not yet done, soonest first. */
export function openDuties(state: InitiativeState): Duty[] {
  if (isTerminal(state.stage)) return [];
  const duties: Duty[] = [];
  const early = Boolean(state.features?.earlyDueReminder);
  for (const d of Object.values(state.deadlines)) {
    for (const party of partiesOf(state, d)) {
      const planned = planReminders(d.dueAt, party.timeZone, state.input.reminders, d.setAt, {
        dayBeforeEarlyDue: early,
      });
      for (const r of onWorkingDays(planned, party, state.input.reminders, d, early)) {
        const key = `reminder:${party.key}:${r.offsetMs}`;
        if (!d.fired.includes(key))
          duties.push({
            kind: 'reminder',
            step: d.step,
            key,
            at: r.at,
            party,
            offsetMs: r.offsetMs,
            ...(r.leadMs === undefined ? {} : { leadMs: r.leadMs }),
          });
      }
    }
    if (d.step === Step.Signoff && state.input.policy.silenceProcedure) {
      duties.push({ kind: 'silence', step: d.step, key: 'silence', at: d.dueAt });
      // Chasing acknowledgements 48 hours before expiry, when the period was set longer than that.
      const chaseAt = Date.parse(d.dueAt) - ACKNOWLEDGE_BEFORE_MS;
      const key = `acknowledgement:${d.dueAt}`;
      if (state.features?.acknowledgement && chaseAt > Date.parse(d.setAt) && !d.fired.includes(key))
        duties.push({ kind: 'acknowledgement', step: d.step, key, at: iso(chaseAt) });
    } else {
      const at = iso(Date.parse(d.dueAt) + d.escalations * state.input.timing.escalationIntervalMs);
      duties.push({ kind: 'escalation', step: d.step, key: `escalation:${d.escalations + 1}`, at });
    }
  }
  return duties.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * A reminder planned for a day off of the recipient's state goes out at the same local time on the working day
 * before (never before the due date was set: then it stays where it was). Exact-offset reminders stay exact.
 * With `tellLead`, a moved reminder says how long before the due instant it now goes.
 */
function onWorkingDays(
  planned: PlannedReminder[],
  party: Party,
  policy: ReminderPolicy,
  d: Pick<Deadline, 'dueAt' | 'setAt'>,
  tellLead: boolean,
): PlannedReminder[] {
  const cal = party.calendar;
  if (!cal || !policy.alignLocalTime) return planned;
  return planned.map((r) => {
    if (isWorkingDay(cal, localDateOf(new Date(r.at), cal.timeZone))) return r;
    const at = previousWorkingAt(cal, r.at, policy.localTime);
    if (at === r.at || at < d.setAt) return r;
    return tellLead ? { ...r, at, leadMs: Date.parse(d.dueAt) - Date.parse(at) } : { ...r, at };
  });
}

export function nextDutyAt(state: InitiativeState): string | undefined {
  return openDuties(state)[0]?.at;
}

/** Performs one due duty (its instant has come), marking it done so it never repeats. */
export function performDuty(state: InitiativeState, duty: Duty, now: number): Changes {
  const d = state.deadlines[duty.step];
  if (!d) return { events: [], notifications: [] };
  switch (duty.kind) {
    case 'reminder': {
      d.fired.push(duty.key);
      const e = event(state, 'reminder_due', now, undefined, {
        step: duty.step,
        to: duty.party.key,
        dueAt: d.dueAt,
        offsetMs: duty.offsetMs,
      });
      return {
        events: [e],
        notifications: notify(NotificationKind.Reminder, [duty.party.to], duty.step, state.revision, {
          dueAt: d.dueAt,
          // The email tells how far off the due date is from this: the lead where a move changed it.
          sequence: duty.leadMs ?? duty.offsetMs,
        }),
      };
    }
    case 'escalation': {
      d.escalations += 1;
      const overdueMs = now - Date.parse(d.dueAt);
      const e = event(state, 'escalated', now, undefined, {
        step: duty.step,
        dueAt: d.dueAt,
        round: d.escalations,
        overdueMs,
      });
      const pending =
        duty.step === Step.Signoff
          ? partiesOf(state, d)
              .map((p) => p.key.replace('state:', ''))
              .join(', ')
          : '';
      return {
        events: [e],
        notifications: notify(NotificationKind.Escalation, [SECRETARIAT, CHAIR], duty.step, state.revision, {
          dueAt: d.dueAt,
          sequence: d.escalations,
          details: pending ? { pending } : {},
        }),
      };
    }
    case 'acknowledgement': {
      d.fired.push(duty.key);
      const round = state.round!;
      const missing = round.members.map((m) => m.code).filter((s) => !round.acknowledged?.[s] && !round.decisions[s]);
      if (!missing.length) return { events: [], notifications: [] };
      const e = event(state, 'acknowledgement_missing', now, undefined, { states: missing, expiresAt: d.dueAt });
      const details = { states: missing.join(', ') };
      return {
        events: [e],
        notifications: [
          ...notify(
            NotificationKind.AcknowledgementMissing,
            memberReps(round.members.filter((m) => missing.includes(m.code))),
            Step.Signoff,
            round.revision,
            { dueAt: d.dueAt, details },
          ),
          ...notify(NotificationKind.AcknowledgementMissing, [SECRETARIAT, CHAIR], Step.Signoff, round.revision, {
            dueAt: d.dueAt,
            details,
          }),
        ],
      };
    }
    case 'silence': {
      const round = state.round!;
      const silent = pendingStates(
        round.members.map((m) => m.code),
        round.decisions,
      );
      for (const s of silent) round.decisions[s] = { decision: DecisionKind.Approve, deemed: true, at: iso(now) };
      const e = event(state, 'silence_procedure', now, undefined, {
        deemedApproved: silent,
        note: 'states that had not objected by the deadline are deemed to approve',
      });
      const after = settleRound(state, now, undefined, true);
      return { events: [e, ...after.events], notifications: after.notifications };
    }
  }
}
