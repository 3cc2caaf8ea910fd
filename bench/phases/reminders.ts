/**
 * Reminder lateness: initiatives started through the API with their own reminder policy
 * ({alignLocalTime: false, offsetsMs}) and assignment deadlines seconds away; each reminder email's
 * lateness is when it reached the SMTP sink (first seen in MailDev's inbox, polled every 100 ms)
 * minus its scheduled instant (the deadline minus the offset). The outbox's sentAt (recorded by the
 * worker once the SMTP server accepted the message) is kept as a second measure.
 */
import type { BenchContext } from '../lib/context';
import { inParallel, sleep } from '../lib/pool';
import { summarize, type Summary } from '../lib/stats';

export const REMINDER_GOAL_P99_MS = 2000;

export interface ReminderResult {
  initiatives: number;
  offsetsMs: number[];
  /** Reminders the initiatives planned (offsets that fell after each start) and those that arrived. */
  expected: number;
  arrived: number;
  /** First seen in MailDev minus scheduled instant (ms; resolution about 100 ms). */
  lateness: Summary;
  /** The outbox's sentAt minus scheduled instant (ms). */
  sentAtLateness: Summary;
  /**
   * Where a reminder's lateness goes, from the outbox and the audit trail: the timer until the workflow
   * performed the duty (the reminder_due event's time), that until the email was queued by
   * recordChanges (the outbox's createdAt), and that until the SMTP server accepted it (sentAt).
   */
  stages: { timerToWorkflow: Summary; workflowToQueued: Summary; queuedToSent: Summary };
  /** The escalations sent when each deadline passed, measured the same way. */
  escalationLateness: Summary;
  goal: { p99AtMostMs: number };
  met: boolean;
  ids: string[];
}

interface MailSummary {
  id: string;
}
/** MailDev 3's full listing has no messageId field: the header carries it. */
interface MailFull {
  id: string;
  headers?: Record<string, string | string[]>;
}
interface OutboxRow {
  _id: string;
  initiativeId: string;
  kind: string;
  messageId: string;
  dueAt?: string;
  createdAt?: Date;
  sentAt?: Date;
}
interface EventRow {
  initiativeId: string;
  type: string;
  at: string;
  data: { offsetMs?: number; dueAt?: string };
}

export async function benchReminders(
  ctx: BenchContext,
  opts: { initiatives: number; offsetsMs: number[]; leadMs: number; spacingMs: number },
): Promise<ReminderResult> {
  const mail = ctx.stack.mailWebUrl;
  await fetch(`${mail}/api/email/all`, { method: 'DELETE' });
  const t0 = Date.now();
  const ids = Array.from({ length: opts.initiatives }, (_, i) => `remind-${i}`);
  const startedAt = new Map<string, number>();
  const dueAt = new Map<string, number>();
  await inParallel(ids.length, 8, async (i) => {
    const due = t0 + opts.leadMs + i * opts.spacingMs;
    const res = await ctx.api('POST', '/api/initiatives', 'secretariat', {
      id: ids[i],
      title: `Benchmark reminders ${i}`,
      proposingState: 'UZ',
      summit: 'Benchmark summit',
      category: 'benchmark-reminders',
      assignmentDueAt: new Date(due).toISOString(),
      reminders: { alignLocalTime: false, offsetsMs: opts.offsetsMs },
    });
    if (res.status !== 201)
      throw new Error(`POST /api/initiatives answered ${res.status}: ${JSON.stringify(res.body)}`);
    startedAt.set(ids[i], Date.now());
    dueAt.set(ids[i], due);
  });
  // A reminder whose instant falls before its initiative started is not planned (src/domain/reminders.ts).
  const expected = ids.reduce(
    (n, id) => n + opts.offsetsMs.filter((o) => dueAt.get(id)! - o >= startedAt.get(id)!).length,
    0,
  );

  // First sight of each email in the sink, from its summary listing (newest first, a page of 200),
  // until the outbox says every reminder and escalation was sent, or a minute after the last deadline.
  const firstSeen = new Map<string, number>();
  const lastDue = t0 + opts.leadMs + (ids.length - 1) * opts.spacingMs;
  const outbox = ctx.db.collection<OutboxRow>('outbox');
  const ours = { initiativeId: { $in: ids }, kind: { $in: ['reminder', 'escalation'] } };
  let lastCheck = 0;
  while (Date.now() < lastDue + 60_000) {
    const res = await fetch(`${mail}/api/email/summary?limit=200&sort=desc`);
    const seenAt = Date.now();
    if (res.ok)
      for (const m of ((await res.json()) as { items: MailSummary[] }).items)
        if (!firstSeen.has(m.id)) firstSeen.set(m.id, seenAt);
    if (Date.now() > lastDue && Date.now() - lastCheck > 2000) {
      lastCheck = Date.now();
      // Each deadline escalates to the Secretariat and the Chair.
      if ((await outbox.countDocuments({ ...ours, status: 'sent' })) >= expected + ids.length * 2) break;
    }
    await sleep(100);
  }
  // One more look, for what arrived since the last listing.
  const res = await fetch(`${mail}/api/email/summary?limit=200&sort=desc`);
  if (res.ok)
    for (const m of ((await res.json()) as { items: MailSummary[] }).items)
      if (!firstSeen.has(m.id)) firstSeen.set(m.id, Date.now());

  const all = (await (await fetch(`${mail}/api/email`)).json()) as MailFull[];
  const rows = await outbox
    .find(ours, { projection: { initiativeId: 1, kind: 1, messageId: 1, dueAt: 1, createdAt: 1, sentAt: 1 } })
    .toArray();
  const events = await ctx.db
    .collection<EventRow>('events')
    .find({ initiativeId: { $in: ids }, type: 'reminder_due' })
    .toArray();
  const performedAt = new Map(
    events.map((e) => [`${e.initiativeId}|${e.data.dueAt}|${e.data.offsetMs}`, Date.parse(e.at)]),
  );
  const stages = { timerToWorkflow: [] as number[], workflowToQueued: [] as number[], queuedToSent: [] as number[] };
  const byMessageId = new Map(rows.map((o) => [o.messageId, o]));
  const late = { reminder: [] as number[], sentAt: [] as number[], escalation: [] as number[] };
  for (const m of all) {
    const messageId = m.headers?.['message-id'];
    const row = typeof messageId === 'string' ? byMessageId.get(messageId) : undefined;
    const seen = firstSeen.get(m.id);
    if (!row || !row.dueAt || seen === undefined) continue;
    // The outbox key ends with the notification's sequence: the reminder's offset, or the escalation round.
    const sequence = Number(row._id.split('|').pop());
    if (row.kind === 'reminder') {
      const scheduled = Date.parse(row.dueAt) - sequence;
      late.reminder.push(seen - scheduled);
      const performed = performedAt.get(`${row.initiativeId}|${row.dueAt}|${sequence}`);
      const queued = row.createdAt ? new Date(row.createdAt).getTime() : undefined;
      const sent = row.sentAt ? new Date(row.sentAt).getTime() : undefined;
      if (sent !== undefined) late.sentAt.push(sent - scheduled);
      if (performed !== undefined && queued !== undefined && sent !== undefined) {
        stages.timerToWorkflow.push(performed - scheduled);
        stages.workflowToQueued.push(queued - performed);
        stages.queuedToSent.push(sent - queued);
      }
    } else if (sequence === 1) {
      late.escalation.push(seen - Date.parse(row.dueAt));
    }
  }
  const lateness = summarize(late.reminder);
  return {
    initiatives: ids.length,
    offsetsMs: opts.offsetsMs,
    expected,
    arrived: late.reminder.length,
    lateness,
    sentAtLateness: summarize(late.sentAt),
    stages: {
      timerToWorkflow: summarize(stages.timerToWorkflow),
      workflowToQueued: summarize(stages.workflowToQueued),
      queuedToSent: summarize(stages.queuedToSent),
    },
    escalationLateness: summarize(late.escalation),
    goal: { p99AtMostMs: REMINDER_GOAL_P99_MS },
    met: late.reminder.length === expected && lateness.p99 <= REMINDER_GOAL_P99_MS,
    ids,
  };
}
