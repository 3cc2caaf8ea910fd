/** Shared vocabulary of the initiative lifecycle. Pure types and constants: imported by workflows, activities and the API. */
import type { RecordedTexts } from './draft-text';
import type { WorkingCalendar } from './working-calendar';

export const Stage = {
  Proposed: 'proposed',
  Assigned: 'assigned',
  Drafting: 'drafting',
  Signoff: 'signoff',
  Adopted: 'adopted',
  Implementing: 'implementing',
  Completed: 'completed',
  Withdrawn: 'withdrawn',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
export const STAGES = Object.values(Stage) as Stage[];
export const TERMINAL_STAGES: readonly Stage[] = [Stage.Completed, Stage.Withdrawn];
export const isTerminal = (stage: Stage): boolean => TERMINAL_STAGES.includes(stage);

export const Role = {
  Secretariat: 'secretariat',
  Representative: 'representative',
  Deputy: 'deputy',
  Official: 'official',
  Chair: 'chair',
  /** A member of a national parliament: reads the initiatives published to the parliaments, and nothing else. */
  Parliament: 'parliament',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const DecisionKind = {
  Approve: 'approve',
  RequestChanges: 'request_changes',
  Object: 'object',
  /** Does not join, does not stand in the way: the text may be adopted without this state's approval. */
  Abstain: 'abstain',
  /** Proposes another text (with a reason): like a request for changes, it breaks the silence procedure. */
  Amend: 'amend',
} as const;
export type DecisionKind = (typeof DecisionKind)[keyof typeof DecisionKind];

/** Who performs an act, as established by the API from the signed-in person and the directory. */
export interface Actor {
  personId: string;
  name: string;
  roles: Role[];
  /** The member state the person acts for (representatives, deputies, officials). */
  state?: string;
  /** For a deputy: the representative on whose behalf the deputy acts. */
  onBehalfOf?: string;
  /** How the person proved who they are for this act: recorded with it, for the evidence pack. */
  via?: AuthMethod;
}

/** An API token, a web session opened from an emailed sign-in link, or a decision link sent by email. */
export type AuthMethod = 'api-token' | 'web-session' | 'email-link';

export interface MemberState {
  code: string;
  timeZone: string;
  /**
   * Its working calendar for the years the round may run (src/calendar/holidays.ts builds it): reminders go on
   * its working days, a due date on its day off is flagged. Absent in rounds opened before calendars existed.
   */
  calendar?: WorkingCalendar;
}

/** A due date that falls on a day off in a state that must act by it. */
export interface DueDayOff {
  state: string;
  /** Its local date there. */
  date: string;
  /** The holiday's name, or the weekday's for a weekend day (in words with dayOffName, src/i18n/titles.ts). */
  name: string;
  nameRu?: string;
  kind: 'holiday' | 'weekend';
}

export type SignoffRule = { rule: 'consensus' } | { rule: 'quorum'; quorum: number };
export interface SignoffPolicy {
  rule: SignoffRule;
  /** At the sign-off deadline, states that have not objected are deemed to approve. */
  silenceProcedure: boolean;
}
export const DEFAULT_SIGNOFF_POLICY: SignoffPolicy = { rule: { rule: 'consensus' }, silenceProcedure: false };

/** A person or a role a notification is addressed to; roles are resolved to people when the email is sent. */
export type Recipient =
  | { person: string }
  | { role: 'secretariat' }
  | { role: 'chair' }
  | { role: 'representative'; state: string }
  | { role: 'official'; state: string };

export const NotificationKind = {
  Started: 'started',
  Assigned: 'assigned',
  DraftSubmitted: 'draft_submitted',
  SignoffRequested: 'signoff_requested',
  DecisionRecorded: 'decision_recorded',
  ChangesRequested: 'changes_requested',
  Objected: 'objected',
  Adopted: 'adopted',
  Withdrawn: 'withdrawn',
  Completed: 'completed',
  DeadlineExtended: 'deadline_extended',
  MilestoneAdded: 'milestone_added',
  /** The Chair's editorial correction during sign-off: approvals carried over, the others decide on the new text. */
  EditorialRevision: 'editorial_revision',
  Reminder: 'reminder',
  Escalation: 'escalation',
  /** A step's calendar event withdrawn from someone it no longer concerns (the email activity decides who). */
  CalendarCancelled: 'calendar_cancelled',
  /** Under the silence procedure: the silence was broken (an objection or an amendment), the text is not adopted; to every member state. */
  SilenceBroken: 'silence_broken',
  /** 48 hours before a silence expires: to the states that have not acknowledged it, the Secretariat and the Chair. */
  AcknowledgementMissing: 'acknowledgement_missing',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/** One email to send; `step`, `dueAt` and `revision` make up its idempotency key with the initiative and recipient. */
export interface Notification {
  kind: NotificationKind;
  to: Recipient;
  step: string;
  revision: number;
  dueAt?: string;
  /** Reminder offset or escalation round, so two reminders of one due date differ. */
  sequence?: number;
  /** Facts the template shows (reason, decision, state...). */
  details?: Record<string, string | number | boolean>;
}

/**
 * What each kind of audit event records. The rules write them, the trail and the pages read them back: a new
 * kind, or a changed field, is a change of this table (and of the words that show it in both languages).
 */
export interface AuditEventData {
  started: {
    title: string;
    proposingState: string;
    summit: string;
    category: string;
    policy: string;
    assignmentDueAt: string;
    source?: { document: string; quote: string };
  };
  /** daysOff: the draft is due on a day off in the lead state (since working calendars). */
  assigned: {
    leadState: string;
    officialId: string;
    officialName: string;
    draftDueAt: string;
    daysOff?: DueDayOff[];
  };
  reassigned: AuditEventData['assigned'];
  /** textHash and languages: since drafts carry texts in both languages (src/domain/draft-text.ts). */
  draft_submitted: {
    title: string;
    link?: string;
    hasText: boolean;
    textHash?: string;
    languages?: string;
    texts?: RecordedTexts;
  };
  /** daysOff: the members for whom the due date is a day off (since working calendars). */
  signoff_opened: { members: string[]; dueAt: string; policy: string; daysOff?: DueDayOff[] };
  decided: {
    state: string;
    decision: DecisionKind;
    reason?: string;
    textHash?: string;
    language?: string;
    /** A statement attached to an approval or an abstention (an interpretative statement), or the text an amendment proposes. */
    statement?: string;
    amendment?: string;
  };
  editorial_revision: {
    from: number;
    revision: number;
    reason: string;
    textHash: string;
    languages: string;
    texts: RecordedTexts;
    carriedApprovals: string[];
  };
  adopted: { revision: number; policy: string };
  /** By the Secretariat (with its reason), or by a state's request for changes (requestedBy, lapsed approvals). */
  returned_to_drafting: {
    reason?: string;
    nextRevision: number;
    requestedBy?: string;
    lapsedApprovals?: string[];
    /** The text an amendment proposed, when one sent the draft back. */
    amendment?: string;
  };
  round_blocked: { objectedBy: string; reason?: string };
  /** workingDays and dueByState: a sign-off set to N working days for each state, each state's own end. */
  deadline_extended: {
    step: string;
    from: string;
    to: string;
    reason: string;
    daysOff?: DueDayOff[];
    workingDays?: number;
    dueByState?: Record<string, string>;
  };
  withdrawn: { reason: string };
  milestone_added: { id: string; title: string; ownerId: string; dueAt: string };
  milestone_completed: { id: string; note?: string };
  completed: { note?: string };
  reminder_due: { step: string; to: string; dueAt: string; offsetMs: number };
  escalated: { step: string; dueAt: string; round: number; overdueMs: number };
  silence_procedure: { deemedApproved: string[]; note: string };
  acknowledged: { state: string };
  acknowledgement_missing: { states: string[]; expiresAt: string };
  /** The Chair's choice for the next revision: a silence period of its own, or each state's explicit decision. */
  procedure_chosen: { silenceProcedure: boolean; reason: string; revision: number };
}
export type AuditEventType = keyof AuditEventData;

/** One entry of the append-only audit trail: its `type` says what its `data` holds. */
export type AuditEvent = {
  [T in AuditEventType]: {
    seq: number;
    type: T;
    at: string;
    actor?: { personId: string; name: string; roles: Role[]; state?: string; onBehalfOf?: string; via?: AuthMethod };
    revision: number;
    data: AuditEventData[T];
  };
}[AuditEventType];
