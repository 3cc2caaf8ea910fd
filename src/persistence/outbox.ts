/**
 * The email outbox: one document per notification key, so a retry or a replay never queues the same
 * email twice; its status says where each email stands. Its state machine, and every transition of it,
 * is in this file (createOutboxRepository): callers name a transition, never a status to `$set`.
 *
 *   pending ──claim──> (claimed) ──SMTP accepted──> sent                 markSent
 *      ^                    │ \──SMTP 5xx──> failed (never retried)       markFailed
 *      └─ SMTP outage: the ─┘  \──claim found by a later attempt──> unconfirmed   markUnconfirmed
 *         claim is released (releaseClaim, recordRetry)
 *   deferred ──daily digest──> digested (markDigested)   deferred ──opted out──> suppressed (suppressDeferred)
 *   suppressed (queued so: the person opted out)
 *
 * A claim is a document in `email_claims` whose `_id` is the email's: inserting it is atomic on
 * MongoDB and on FerretDB alike (a conditional update is not atomic on FerretDB), so two attempts
 * never both send. `unconfirmed`: an attempt claimed the email and never recorded the outcome (its
 * process died between SMTP and the update). The SMTP server may have accepted it, so it is not
 * sent again; it is listed for the Secretariat with the failures. At most once, never twice.
 * `sending` is the status older deployments wrote while claimed; it is read like a claim.
 *
 * Writes on the delivery path filter on `_id` alone: FerretDB on SQLite pushes down only a filter that
 * is exactly `{_id}` (internal/backends/sqlite/collection.go of FerretDB 1.24: `Filter.Len() == 1`) and
 * answers any other by decoding every document of the collection. So a single-email transition checks
 * its from-state on the document read by `_id`, then writes by `_id` (guarded): the same guarantee a
 * conditional update gives on FerretDB, where it is not atomic either; the claim is what makes a send
 * happen at most once.
 */
import { Connection, Model, Schema } from 'mongoose';
import { NotificationKind } from '../domain/types';
import { heldEntries, holdersKept, noteHeld, openHolders, type HeldEntry } from './calendar-holders';
import { calendarSequence, type EventVersion } from './calendar-sequences';
import { isDuplicateKey } from './connection';

export const OutboxStatus = {
  Pending: 'pending',
  Sending: 'sending',
  Sent: 'sent',
  Failed: 'failed',
  Unconfirmed: 'unconfirmed',
  Deferred: 'deferred',
  Digested: 'digested',
  Suppressed: 'suppressed',
} as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];

export interface OutboxDoc {
  /** The notification key: initiative, step, recipient, kind, due date, revision, sequence (or digest|person|date). */
  _id: string;
  initiativeId: string;
  kind: string;
  personId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** 'en', 'ru' or 'bilingual'. */
  language?: string;
  /** One line for the daily digest. */
  summary?: string;
  /** The initiative's page. */
  link?: string;
  initiativeTitle?: string;
  step?: string;
  dueAt?: string;
  revision?: number;
  /** The calendar event of deadline emails, and its SEQUENCE for this step. */
  ics?: string;
  icsSequence?: number;
  /** Set on reminders and digests the person may opt out of. */
  listUnsubscribe?: string;
  messageId: string;
  status: OutboxStatus;
  attempts: number;
  /** The attempt that recorded the outcome (its claim in `email_claims` has the same id). */
  attemptId?: string;
  /** Written by older deployments when they claimed an email; read to explain an `unconfirmed` one. */
  sendingAt?: Date;
  lastError?: string;
  lastErrorAt?: Date;
  /** SMTP reply code of the last failure. */
  responseCode?: number;
  /** When the next retry is expected (Temporal's backoff), for the Secretariat's view. */
  nextAttemptAt?: Date;
  /** The SMTP server's reply on acceptance. */
  smtpResponse?: string;
  createdAt: Date;
  sentAt?: Date;
  failedAt?: Date;
  /** Digest documents: the deferred emails they list. Deferred emails: the digest that listed them. */
  includes?: string[];
  digestId?: string;
}

const schema = new Schema<OutboxDoc>(
  {
    _id: String,
    initiativeId: String,
    kind: String,
    personId: String,
    to: String,
    subject: String,
    text: String,
    html: String,
    language: String,
    summary: String,
    link: String,
    initiativeTitle: String,
    step: String,
    dueAt: String,
    revision: Number,
    ics: String,
    icsSequence: Number,
    listUnsubscribe: String,
    messageId: String,
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    attemptId: String,
    sendingAt: Date,
    lastError: String,
    lastErrorAt: Date,
    responseCode: Number,
    nextAttemptAt: Date,
    smtpResponse: String,
    createdAt: Date,
    sentAt: Date,
    failedAt: Date,
    includes: [String],
    digestId: String,
  },
  { versionKey: false },
);
// Counts by status for /metrics, and the Secretariat's list of failed and unconfirmed emails, oldest first.
schema.index({ status: 1, createdAt: 1 });
// An initiative's mail, and the .ics SEQUENCE of a step (its earlier due dates).
schema.index({ initiativeId: 1 });
// A person's deferred emails, collected by the daily digest.
schema.index({ personId: 1, status: 1 });

export function outboxModel(conn: Connection) {
  return conn.model<OutboxDoc>('Outbox', schema, 'outbox');
}
export type OutboxModel = ReturnType<typeof outboxModel>;

/** An attempt's claim on one email: present while it is being sent, and after a crash inside SMTP. */
export interface EmailClaimDoc {
  /** The outbox `_id`. */
  _id: string;
  attemptId: string;
  claimedAt: Date;
}

const claimSchema = new Schema<EmailClaimDoc>(
  { _id: String, attemptId: String, claimedAt: Date },
  { versionKey: false },
);

export function emailClaimModel(conn: Connection) {
  return (
    (conn.models.EmailClaim as Model<EmailClaimDoc> | undefined) ??
    conn.model<EmailClaimDoc>('EmailClaim', claimSchema, 'email_claims')
  );
}
export type EmailClaimModel = ReturnType<typeof emailClaimModel>;

/**
 * Queues an email once: inserting the same key again (a retry, a replay, a race) changes nothing.
 * Returns the status of the stored email: the new one's, or the one an earlier attempt queued.
 */
export async function queueEmail(model: OutboxModel, doc: Omit<OutboxDoc, 'attempts'>): Promise<OutboxStatus> {
  try {
    // A plain insert: one write, where a conditional upsert costs FerretDB a query and then a write.
    await model.create({ ...doc, attempts: 0 });
    return doc.status;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const stored = await model.findById(doc._id).select({ status: 1 }).lean();
  if (!stored) throw new Error(`outbox ${doc._id}: the insert met a duplicate key, yet no email has it`);
  return stored.status;
}

/** One person's copy of a step's calendar event, as the outbox last sent it. */
export interface HeldEvent {
  personId: string;
  step: string;
  dueAt: string;
  sequence: number;
}

/** Statuses of an email that left for the SMTP server, or may have: its .ics is in the person's mailbox. */
export const DELIVERED: readonly OutboxStatus[] = [
  OutboxStatus.Pending,
  OutboxStatus.Sending,
  OutboxStatus.Sent,
  OutboxStatus.Unconfirmed,
];

export type OutboxCounts = Record<OutboxStatus, number>;

/** How many emails are in each status: /metrics shows them (pending and sending are mail not yet delivered). */
export async function outboxCounts(model: OutboxModel): Promise<OutboxCounts> {
  const statuses = Object.values(OutboxStatus);
  const counts = await Promise.all(statuses.map((status) => model.countDocuments({ status })));
  return Object.fromEntries(statuses.map((s, i) => [s, counts[i]])) as OutboxCounts;
}

/** Emails waiting to be delivered (pending or being sent): an SMTP outage shows here. */
export async function pendingEmailCount(model: OutboxModel): Promise<number> {
  return model.countDocuments({ status: { $in: [OutboxStatus.Pending, OutboxStatus.Sending] } });
}

/** The age of the oldest email still waiting, in ms (0 when none): grows during an SMTP outage. */
export async function oldestPendingAgeMs(model: OutboxModel, now: Date = new Date()): Promise<number> {
  const oldest = await model
    .findOne({ status: { $in: [OutboxStatus.Pending, OutboxStatus.Sending] } })
    .sort({ createdAt: 1 })
    .lean();
  return oldest?.createdAt ? Math.max(0, now.getTime() - new Date(oldest.createdAt).getTime()) : 0;
}

export interface UndeliveredEmail {
  id: string;
  initiativeId: string;
  kind: string;
  personId: string;
  to: string;
  subject: string;
  /** failed: the SMTP server refused it (e.g. a rejected address); unconfirmed: the outcome of a send was lost. */
  status: 'failed' | 'unconfirmed';
  responseCode?: number;
  lastError?: string;
  attempts: number;
  createdAt: Date;
  failedAt?: Date;
}

/** Every email an initiative caused, oldest first, with where it stands: its part of the evidence (src/evidence/pack.ts). */
export type NotificationRecord = Pick<
  OutboxDoc,
  '_id' | 'personId' | 'to' | 'kind' | 'step' | 'revision' | 'status' | 'createdAt' | 'sentAt' | 'smtpResponse'
>;
export async function notificationRecordOf(model: OutboxModel, initiativeId: string): Promise<NotificationRecord[]> {
  const docs = await model
    .find({ initiativeId })
    .select({ personId: 1, to: 1, kind: 1, step: 1, revision: 1, status: 1, createdAt: 1, sentAt: 1, smtpResponse: 1 })
    .lean();
  return docs.sort((a, b) => +new Date(a.createdAt) - +new Date(b.createdAt) || a._id.localeCompare(b._id));
}

/** Emails that did not and will not arrive by themselves, for the Secretariat: newest first. */
export async function listFailedEmails(
  model: OutboxModel,
  opts: { initiativeId?: string; limit?: number } = {},
): Promise<UndeliveredEmail[]> {
  const filter: Record<string, unknown> = { status: { $in: [OutboxStatus.Failed, OutboxStatus.Unconfirmed] } };
  if (opts.initiativeId) filter.initiativeId = opts.initiativeId;
  const docs = await model
    .find(filter)
    .sort({ createdAt: -1 })
    .limit(Math.min(Math.max(opts.limit ?? 100, 1), 1000))
    .lean();
  return docs.map((d) => ({
    id: d._id,
    initiativeId: d.initiativeId,
    kind: d.kind,
    personId: d.personId,
    to: d.to,
    subject: d.subject,
    status: d.status as 'failed' | 'unconfirmed',
    responseCode: d.responseCode,
    lastError: d.lastError,
    attempts: d.attempts,
    createdAt: d.createdAt,
    failedAt: d.failedAt,
  }));
}

/**
 * The statuses each transition starts from: the state machine drawn at the top of this file, as data.
 * An attempt that holds an email's claim records its outcome from `pending` (or `sending`, written by older
 * deployments), and also over `unconfirmed`: a later attempt that met the claim while this one was still in
 * SMTP (a zombie after a timeout) marked it so, and the outcome this attempt knows is better than a guess.
 */
export const OUTBOX_TRANSITIONS = {
  markSent: [OutboxStatus.Pending, OutboxStatus.Sending, OutboxStatus.Unconfirmed],
  markFailed: [OutboxStatus.Pending, OutboxStatus.Sending, OutboxStatus.Unconfirmed],
  recordRetry: [OutboxStatus.Pending, OutboxStatus.Sending, OutboxStatus.Unconfirmed],
  markUnconfirmed: [OutboxStatus.Pending, OutboxStatus.Sending],
  markDigested: [OutboxStatus.Deferred],
  suppressDeferred: [OutboxStatus.Deferred],
} as const satisfies Record<string, readonly OutboxStatus[]>;

/**
 * The outbox's intent methods: queueing, the claim, each transition of the state machine above (each
 * refuses to start from a status it does not list), and what the digest, the calendar and the
 * Secretariat read. Single-email transitions return false when the email was not in a from-state.
 */
export function createOutboxRepository(model: OutboxModel) {
  const claims = emailClaimModel(model.db);

  /** A guarded write by `_id` alone (see the top of this file): the status read by `_id` must be one of `from`. */
  async function transition(
    _id: string,
    from: readonly OutboxStatus[],
    update: { $set: Partial<OutboxDoc>; $inc?: { attempts: number } },
  ): Promise<boolean> {
    const doc = await model.findById(_id).select({ status: 1 }).lean();
    if (!doc || !from.includes(doc.status)) return false;
    await model.updateOne({ _id }, update);
    return true;
  }

  /** Deferred emails among `ids` get `set` (markDigested, suppressDeferred); one no longer deferred keeps its status. */
  async function fromDeferred(ids: string[], set: Partial<OutboxDoc>): Promise<void> {
    await model.updateMany({ _id: { $in: ids }, status: OutboxStatus.Deferred }, { $set: set });
  }

  /** The holders of an initiative recorded before calendar_holders, from its emails (a scan of the outbox, once). */
  async function heldInOutbox(initiativeId: string): Promise<HeldEntry[]> {
    const docs = await model
      .find({ initiativeId, icsSequence: { $exists: true } })
      .select({ step: 1, personId: 1, dueAt: 1, icsSequence: 1, kind: 1, status: 1 })
      .lean();
    const newest = new Map<string, HeldEntry>();
    for (const d of docs) {
      if (!DELIVERED.includes(d.status) || !d.step || !d.dueAt) continue;
      const key = `${d.step}|${d.personId}`;
      const held = newest.get(key);
      if (!held || held.sequence < d.icsSequence!)
        newest.set(key, {
          step: d.step,
          personId: d.personId,
          dueAt: d.dueAt,
          sequence: d.icsSequence!,
          cancelled: d.kind === NotificationKind.CalendarCancelled,
        });
    }
    return [...newest.values()];
  }

  return {
    /** Queues an email once (queueEmail): returns the status of the stored email, new or queued before. */
    queue: (doc: Omit<OutboxDoc, 'attempts'>): Promise<OutboxStatus> => queueEmail(model, doc),

    async get(_id: string): Promise<OutboxDoc | null> {
      return model.findById(_id).lean();
    },

    /** Claims an email for one attempt before SMTP; false when another attempt claimed it before (alive or dead). */
    async claim(_id: string, attemptId: string): Promise<boolean> {
      try {
        await claims.create({ _id, attemptId, claimedAt: new Date() });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return false;
      }
    },

    /** Gives the claim up: the SMTP server did not accept the email, so a later attempt may send it. */
    async releaseClaim(_id: string): Promise<void> {
      await claims.deleteOne({ _id });
    },

    /** pending|sending|unconfirmed → sent: the SMTP server accepted the email. */
    markSent: (_id: string, outcome: { attemptId: string; smtpResponse?: string }) =>
      transition(_id, OUTBOX_TRANSITIONS.markSent, {
        $set: {
          status: OutboxStatus.Sent,
          sentAt: new Date(),
          smtpResponse: outcome.smtpResponse,
          attemptId: outcome.attemptId,
        },
        $inc: { attempts: 1 },
      }),

    /** pending|sending|unconfirmed → failed: the SMTP server refused the email for good (5xx); never retried. */
    markFailed: (_id: string, outcome: { attemptId: string; error: string; responseCode?: number; at: Date }) =>
      transition(_id, OUTBOX_TRANSITIONS.markFailed, {
        $set: {
          status: OutboxStatus.Failed,
          failedAt: outcome.at,
          lastError: outcome.error,
          lastErrorAt: outcome.at,
          responseCode: outcome.responseCode,
          attemptId: outcome.attemptId,
        },
        $inc: { attempts: 1 },
      }),

    /** The status stays (pending): a transient SMTP failure, recorded with when Temporal's next attempt is expected. */
    recordRetry: (_id: string, failure: { error: string; responseCode?: number; at: Date; nextAttemptAt: Date }) =>
      transition(_id, OUTBOX_TRANSITIONS.recordRetry, {
        $set: {
          lastError: failure.error,
          lastErrorAt: failure.at,
          ...(failure.responseCode ? { responseCode: failure.responseCode } : {}),
          nextAttemptAt: failure.nextAttemptAt,
        },
        $inc: { attempts: 1 },
      }),

    /** pending|sending → unconfirmed: its claim outlived its attempt; the SMTP server may have it, so it is never sent again. */
    async markUnconfirmed(doc: OutboxDoc): Promise<boolean> {
      const claim = await claims.findById(doc._id).lean();
      const attempt = claim?.attemptId ?? doc.attemptId ?? '?';
      const at = (claim?.claimedAt ?? doc.sendingAt)?.toISOString?.() ?? '?';
      return transition(doc._id, OUTBOX_TRANSITIONS.markUnconfirmed, {
        $set: {
          status: OutboxStatus.Unconfirmed,
          lastError: `attempt ${attempt} claimed this email at ${at} and never recorded whether the SMTP server accepted it; not sent again`,
          lastErrorAt: new Date(),
        },
        $inc: { attempts: 1 },
      });
    },

    /** A person's deferred emails, oldest first: what their next digest lists. */
    async deferredOf(personId: string): Promise<OutboxDoc[]> {
      return model.find({ personId, status: OutboxStatus.Deferred }).sort({ createdAt: 1 }).lean();
    },

    /** deferred → digested: listed by the digest `digestId`. */
    markDigested: (ids: string[], digestId: string) => fromDeferred(ids, { status: OutboxStatus.Digested, digestId }),

    /** deferred → suppressed: the person unsubscribed from the digest, so its items are dropped on purpose. */
    suppressDeferred: (ids: string[]) => fromDeferred(ids, { status: OutboxStatus.Suppressed }),

    /** The .ics SEQUENCE of a version of a step's event (src/persistence/calendar-sequences.ts). */
    calendarSequence: (initiativeId: string, step: string, version: EventVersion) =>
      calendarSequence(model.db, initiativeId, step, version, async () =>
        // Only an initiative recorded before the calendar records has emails to count its sequences from.
        (await holdersKept(model.db, initiativeId))
          ? []
          : model
              .find({ initiativeId, step, icsSequence: { $exists: true } })
              .select({ dueAt: 1, icsSequence: 1 })
              .lean(),
      ),

    /** A new initiative: its calendar events are recorded from the start (src/persistence/calendar-holders.ts). */
    openCalendars: (initiativeId: string) => openHolders(model.db, initiativeId),

    /**
     * The calendar event each person held of an initiative's steps when change `change` began: per (step, person),
     * the newest .ics that left (or may have left) for them, unless it was a cancellation. Emails deferred to the digest, suppressed or refused
     * by the SMTP server brought no event.
     */
    async heldCalendarEvents(initiativeId: string, change: number | undefined): Promise<HeldEvent[]> {
      const held = await heldEntries(model.db, initiativeId, change, () => heldInOutbox(initiativeId));
      return held
        .filter((e) => !e.cancelled)
        .map((e) => ({ personId: e.personId, step: e.step, dueAt: e.dueAt, sequence: e.sequence }));
    },

    /** Notes the .ics files a recording queued for sending: what their people hold from now on. */
    noteCalendarEvents: (initiativeId: string, change: number | undefined, entries: HeldEntry[]) =>
      noteHeld(model.db, initiativeId, change, entries, () => heldInOutbox(initiativeId)),

    /** For /metrics and the Secretariat (outboxCounts, pendingEmailCount, oldestPendingAgeMs, listFailedEmails). */
    counts: () => outboxCounts(model),
    pendingCount: () => pendingEmailCount(model),
    oldestPendingAgeMs: (now?: Date) => oldestPendingAgeMs(model, now),
    listFailed: (opts?: { initiativeId?: string; limit?: number }) => listFailedEmails(model, opts),
  };
}
export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
