/**
 * What a fault must not cost, counted: every act the API accepted is in the audit trail once; every
 * workflow ends; the read model matches the workflow; every queued email reached the sink once.
 */
import { NotificationKind } from '../../../src/domain/types';
import { DELIVERED, OutboxStatus } from '../../../src/persistence/outbox';
import { workflowIdOf } from '../../../src/temporal/client';
import type { InitiativeView } from '../../../src/domain/view';
import { type ActRecord, type FaultStack, messageIdOf, sinkEmails } from './fault-stack';

/** What the checks read: Temporal, the collections and the mail sink (of a fault stack or of the cluster). */
export type CheckedStack = Pick<FaultStack, 'temporal' | 'initiatives' | 'events' | 'outbox' | 'mailUrl'>;

/** The audit event an accepted act leaves, as "type|state|revision". */
function eventKeyOfAct(a: ActRecord): string {
  const rev = (a.view as InitiativeView | undefined)?.revision ?? 0;
  switch (a.act) {
    case 'start':
      return 'started';
    case 'assign':
      return 'assigned';
    case 'draft':
      return `draft_submitted|r${rev}`;
    case 'decide':
      return `decided|${String(a.body.state)}|r${String(a.body.revision)}`;
    case 'complete':
      return 'completed';
    case 'withdraw':
      return 'withdrawn';
    default:
      throw new Error(`no audit event known for act ${a.act}`);
  }
}

function eventKey(e: { type: string; revision: number; data?: Record<string, unknown> }): string | undefined {
  switch (e.type) {
    case 'started':
    case 'assigned':
    case 'completed':
    case 'withdrawn':
      return e.type;
    case 'draft_submitted':
      return `draft_submitted|r${e.revision}`;
    case 'decided':
      return `decided|${String(e.data?.state)}|r${e.revision}`;
    default:
      return undefined;
  }
}

export interface ActAudit {
  accepted: number;
  /** Accepted acts with no event in the audit trail. */
  lost: string[];
  /** Events of acts that appear more often than they were accepted. */
  duplicated: string[];
  /** Accepted only after one or more retries (a lost answer, a 5xx or a timeout). */
  retried: number;
}

/** Compares the accepted acts of these initiatives with their audit trails. */
export async function auditActs(stack: CheckedStack, acts: ActRecord[]): Promise<ActAudit> {
  const byInitiative = new Map<string, ActRecord[]>();
  for (const a of acts) byInitiative.set(a.initiativeId, [...(byInitiative.get(a.initiativeId) ?? []), a]);
  const lost: string[] = [];
  const duplicated: string[] = [];
  for (const [id, list] of byInitiative) {
    const expected = new Map<string, number>();
    for (const a of list) expected.set(eventKeyOfAct(a), (expected.get(eventKeyOfAct(a)) ?? 0) + 1);
    const actual = new Map<string, number>();
    for (const e of await stack.events.find({ initiativeId: id }).lean()) {
      const k = eventKey(e as never);
      if (k) actual.set(k, (actual.get(k) ?? 0) + 1);
    }
    for (const [k, n] of expected) {
      const got = actual.get(k) ?? 0;
      if (got < n) lost.push(`${id}: ${k} (accepted ${n}, recorded ${got})`);
    }
    for (const [k, n] of actual) {
      if (n > (expected.get(k) ?? 0))
        duplicated.push(`${id}: ${k} recorded ${n} times, accepted ${expected.get(k) ?? 0}`);
    }
  }
  return { accepted: acts.length, lost, duplicated, retried: acts.filter((a) => a.attempts > 1).length };
}

/** Initiatives whose workflow is not in the given status (default COMPLETED). */
export async function workflowsNotIn(stack: CheckedStack, ids: string[], status = 'COMPLETED'): Promise<string[]> {
  const bad: string[] = [];
  for (const id of ids) {
    const handle = stack.temporal.workflow.getHandle(workflowIdOf(id));
    const d = await handle.describe();
    if (d.status.name === status) continue;
    // What the workflow waits on, for the diagnosis: its pending activities and its stage.
    const pending = (d.raw.pendingActivities ?? []).map(
      (a) =>
        `${a.activityType?.name} attempt ${a.attempt} ${String(a.state)}${a.lastFailure?.message ? ` (last failure: ${a.lastFailure.message.slice(0, 120)})` : ''}`,
    );
    const stage =
      d.status.name === 'RUNNING'
        ? (await handle.query<InitiativeView>('state').catch(() => undefined))?.stage
        : undefined;
    bad.push(
      `${id}: ${d.status.name}${stage ? `, stage ${stage}` : ''}${pending.length ? `, pending ${pending.join('; ')}` : ', no pending activity'}`,
    );
  }
  return bad;
}

/** Initiatives whose read-model document differs from the workflow's own view (stage or version). */
export async function readModelBehind(stack: CheckedStack, ids: string[]): Promise<string[]> {
  const behind: string[] = [];
  for (const id of ids) {
    const handle = stack.temporal.workflow.getHandle(workflowIdOf(id));
    const d = await handle.describe();
    const live: InitiativeView = d.status.name === 'RUNNING' ? await handle.query('state') : await handle.result();
    const stored = await stack.initiatives.findById(id).lean();
    if (!stored || stored.version !== live.version || stored.stage !== live.stage) {
      behind.push(
        `${id}: read model ${stored ? `v${stored.version} ${stored.stage}` : 'missing'}, workflow v${live.version} ${live.stage}`,
      );
    }
  }
  return behind;
}

export interface EmailAudit {
  /** Outbox documents to be sent now (not deferred to a digest or suppressed). */
  queued: number;
  /** Queued emails found in the sink exactly once. */
  deliveredOnce: number;
  /** Notification keys that arrived more than once. */
  duplicated: string[];
  /** Queued emails not in the sink (still pending, failed, or unconfirmed and never arrived). */
  missing: string[];
  /** Of those, the ones nobody was told about: not marked unconfirmed or failed in the outbox (the Secretariat's list). */
  missingSilently: string[];
  /** Marked unconfirmed by the outbox (a send whose outcome was lost), and how many of those arrived anyway. */
  unconfirmed: number;
  unconfirmedArrived: number;
  /** Outbox documents by status. */
  byStatus: Record<string, number>;
  /**
   * Queued emails of the acts per initiative (calendar upkeep aside), for comparison with a fault-free run of the
   * same script. The recording sends calendar upkeep against the initiative as it stands when it runs, so how
   * many CANCELs and moved events a round needs depends on how many later acts were already in: checked by
   * liveCalendarEvents instead.
   */
  perInitiative: Map<string, number>;
  /** Queued calendar upkeep (a CANCEL or a moved event) per initiative. */
  calendarUpkeep: Map<string, number>;
}

/** Emails the recording adds to keep calendars in step (src/email/calendar.ts), not the acts' own. */
const CALENDAR_UPKEEP = new Set<string>([NotificationKind.CalendarCancelled, NotificationKind.DeadlineExtended]);

const SENT_NOW = new Set<string>([
  OutboxStatus.Pending,
  OutboxStatus.Sending,
  OutboxStatus.Sent,
  OutboxStatus.Failed,
  OutboxStatus.Unconfirmed,
]);

/** Counts these initiatives' emails in the outbox and in the sink, by notification key (the outbox _id, carried as the Message-ID). */
export async function auditEmails(stack: CheckedStack, initiativeIds: string[]): Promise<EmailAudit> {
  const docs = await stack.outbox
    .find({ initiativeId: { $in: initiativeIds } })
    .select({ _id: 1, initiativeId: 1, status: 1, messageId: 1, kind: 1 })
    .lean();
  const copies = new Map<string, number>();
  for (const m of await sinkEmails(stack.mailUrl)) {
    const id = messageIdOf(m);
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  const audit: EmailAudit = {
    queued: 0,
    deliveredOnce: 0,
    duplicated: [],
    missing: [],
    missingSilently: [],
    unconfirmed: 0,
    unconfirmedArrived: 0,
    byStatus: {},
    perInitiative: new Map(),
    calendarUpkeep: new Map(),
  };
  for (const d of docs) {
    audit.byStatus[d.status] = (audit.byStatus[d.status] ?? 0) + 1;
    if (!SENT_NOW.has(d.status)) continue;
    audit.queued += 1;
    const tally = CALENDAR_UPKEEP.has(d.kind) ? audit.calendarUpkeep : audit.perInitiative;
    tally.set(d.initiativeId, (tally.get(d.initiativeId) ?? 0) + 1);
    const n = copies.get(d.messageId) ?? 0;
    if (d.status === OutboxStatus.Unconfirmed) {
      audit.unconfirmed += 1;
      if (n > 0) audit.unconfirmedArrived += 1;
    }
    if (n === 1) audit.deliveredOnce += 1;
    else if (n === 0) {
      audit.missing.push(`${d._id} (${d.status})`);
      if (d.status !== OutboxStatus.Unconfirmed && d.status !== OutboxStatus.Failed)
        audit.missingSilently.push(`${d._id} (${d.status})`);
    } else audit.duplicated.push(`${d._id} arrived ${n} times`);
  }
  return audit;
}

/** Initiatives whose count of queued emails differs from the fault-free run of the same script. */
export function queuedDiffers(
  perInitiative: Map<string, number>,
  expected: (id: string) => number,
  ids: string[],
): string[] {
  return ids
    .filter((id) => (perInitiative.get(id) ?? 0) !== expected(id))
    .map((id) => `${id}: ${perInitiative.get(id) ?? 0} emails queued, a fault-free run queues ${expected(id)}`);
}

/**
 * Calendar events people still hold of these closed initiatives: per (initiative, step, person), the newest .ics
 * that left for them must be a CANCEL. What a reader's calendar shows once the work is over, whatever the faults.
 */
export async function liveCalendarEvents(stack: CheckedStack, initiativeIds: string[]): Promise<string[]> {
  const docs = await stack.outbox
    .find({ initiativeId: { $in: initiativeIds }, icsSequence: { $exists: true } })
    .select({ initiativeId: 1, step: 1, personId: 1, kind: 1, status: 1, icsSequence: 1, dueAt: 1 })
    .lean();
  const newest = new Map<string, (typeof docs)[number]>();
  for (const d of docs) {
    if (!DELIVERED.includes(d.status)) continue;
    const key = `${d.initiativeId}|${d.step}|${d.personId}`;
    const held = newest.get(key);
    if (!held || (held.icsSequence ?? 0) < (d.icsSequence ?? 0)) newest.set(key, d);
  }
  return [...newest.entries()]
    .filter(([, d]) => d.kind !== NotificationKind.CalendarCancelled)
    .map(([key, d]) => `${key} still holds the event due ${d.dueAt} (${d.kind}, SEQUENCE ${d.icsSequence})`);
}

/**
 * For the diagnosis of a calendar left open: per initiative, its calendar_holders record and every email that
 * carried a calendar object (kind, person, step, status, SEQUENCE, when queued), oldest first.
 */
export async function calendarRecord(stack: CheckedStack, initiativeIds: string[]): Promise<string> {
  const holders = await stack.outbox.db
    .collection('calendar_holders')
    .find({ _id: { $in: initiativeIds as never[] } })
    .toArray();
  const emails = await stack.outbox
    .find({ initiativeId: { $in: initiativeIds }, icsSequence: { $exists: true } })
    .select({ initiativeId: 1, step: 1, personId: 1, kind: 1, status: 1, icsSequence: 1, dueAt: 1, createdAt: 1 })
    .sort({ createdAt: 1 })
    .lean();
  return JSON.stringify({ holders, emails });
}

/** How many of these initiatives' emails are still pending or being sent. */
export async function outboxOpen(stack: CheckedStack, initiativeIds: string[]): Promise<number> {
  return stack.outbox.countDocuments({
    initiativeId: { $in: initiativeIds },
    status: { $in: [OutboxStatus.Pending, OutboxStatus.Sending] },
  });
}

/** True when none of these initiatives' emails is pending or being sent. */
export async function outboxSettled(stack: CheckedStack, initiativeIds: string[]): Promise<boolean> {
  return (await outboxOpen(stack, initiativeIds)) === 0;
}

/**
 * Waits while work remains and keeps moving: until `remaining()` is 0, or it has not gone down for
 * `stallMs` (stalled: a failure), or `maxMs` passed. A slow machine only waits longer; a stall still
 * fails within `stallMs`. Returns what remains.
 */
export async function untilDone(
  remaining: () => Promise<number>,
  opts: {
    stallMs?: number;
    maxMs?: number;
    everyMs?: number;
    /** Work done so far, only ever growing: while it grows the work is moving, even if `remaining` is not down yet. */
    progress?: () => number;
  } = {},
): Promise<number> {
  const { stallMs = 180_000, maxMs = 20 * 60_000, everyMs = 2000 } = opts;
  const end = Date.now() + maxMs;
  let best = Infinity;
  let most = -Infinity;
  let movedAt = Date.now();
  for (;;) {
    const left = await remaining().catch(() => best);
    if (left === 0) return 0;
    const done = opts.progress?.() ?? 0;
    if (left < best || done > most) {
      best = Math.min(best, left);
      most = Math.max(most, done);
      movedAt = Date.now();
    }
    if (Date.now() - movedAt > stallMs || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Waits until every one of these workflows completed, or they stopped making progress; returns those not
 * completed, with what they wait on. A workflow's last step (its final emails) may take minutes under load:
 * progress is its history growing, read with describe alone (a query would replay it on the busy worker).
 */
export async function untilCompleted(stack: CheckedStack, ids: string[]): Promise<string[]> {
  let events = 0;
  await untilDone(
    async () => {
      let open = 0;
      let total = 0;
      for (const id of ids) {
        const d = await stack.temporal.workflow.getHandle(workflowIdOf(id)).describe();
        if (d.status.name !== 'COMPLETED') open += 1;
        total += Number(d.raw.workflowExecutionInfo?.historyLength ?? 0);
      }
      events = total;
      return open;
    },
    { everyMs: 5000, progress: () => events },
  );
  return workflowsNotIn(stack, ids);
}

/** The figures of an email audit, for a report section. */
export function emailFigures(e: EmailAudit): Record<string, number> {
  return {
    'emails queued': e.queued,
    'emails delivered once': e.deliveredOnce,
    'emails lost': e.missing.length,
    'of those, flagged unconfirmed to the Secretariat': e.missing.length - e.missingSilently.length,
    'emails duplicated': e.duplicated.length,
    'emails unconfirmed (outcome of a send lost)': e.unconfirmed,
    'of those, arrived': e.unconfirmedArrived,
  };
}

/**
 * What fails a scenario: an email that arrived twice, or one missing that the outbox does not flag. The
 * delivery design is at most once: a send whose outcome was lost (a crash or a timeout between SMTP and
 * the outbox update) is marked unconfirmed, listed for the Secretariat and not sent again. Those count as
 * lost in the figures when they never arrived, and are reported, not failed.
 */
export function emailFailures(e: EmailAudit): string[] {
  return [
    ...e.missingSilently.map((m) => `email lost silently: ${m}`),
    ...e.duplicated.map((d) => `email duplicated: ${d}`),
  ];
}
