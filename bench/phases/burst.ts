/**
 * The 09:00 burst: many reminders due at the same instant, as when every initiative's reminder is aligned
 * to the start of a working day. Initiatives are started with raw client.workflow.start (the start phase
 * measures the API's starts) with one reminder each, all at the same instant T, far enough ahead for the
 * worker and the mailer to record the starts and send their emails first; the deadlines themselves are an
 * hour later, so no escalation joins the burst. A reminder is delivered when the SMTP server accepted it
 * (the outbox's sentAt); its lateness is sentAt minus T. MailDev's listing is not polled here: with
 * thousands of messages it would cost the sink more than the burst. The burst's workflows are terminated once
 * measured, so that what it left undone does not weigh on the next phase.
 */
import { workflowIdOf } from '../../src/temporal/client';
import { initiativeWorkflow } from '../../workflows';
import type { BenchContext } from '../lib/context';
import { inParallel, pollUntil, sleep } from '../lib/pool';
import { summarize, type Summary } from '../lib/stats';
import { startBody } from './start';

export const BURST_GOAL_MS = 60_000;
/** Seconds after T at which the curve counts the reminders delivered. */
const CURVE_SECONDS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120];
/** How long after T the phase waits: twice the goal, so a near miss still shows its end. */
const WINDOW_MS = 2 * BURST_GOAL_MS;
/** The deadline, after the reminder: far enough that no escalation falls inside the phase. */
const REMINDER_OFFSET_MS = 3_600_000;

export interface BurstResult {
  /** Initiatives, each with one reminder at T (an email to each of its recipients). */
  reminders: number;
  /** From the phase's start to T: the starts and their recording had this long to drain. */
  leadMs: number;
  /** Whether every start was recorded and its emails sent before T; if not, the burst shared the worker with them. */
  drainedBeforeT: boolean;
  /** Emails still waiting to be sent at T (the starts' own, when the lead was too short). */
  unsentAtT: number;
  /** Of the burst's initiatives, how many the read model held at T (their start recorded). */
  recordedAtT?: number;
  /** How long after T the phase waited for the reminders. */
  windowMs: number;
  /** Reminder emails queued within that window, and of them accepted by the SMTP server. */
  queued: number;
  delivered: number;
  /** sentAt − T of each delivered reminder (ms). */
  lateness: Summary;
  /** The last reminder's sentAt − T (ms): the burst's whole length. */
  lastDeliveredMs: number;
  curve: { afterSec: number; delivered: number }[];
  /** Where a reminder's time goes: T until the workflow performed it, until recordChanges queued it, until SMTP accepted it. */
  stages: { timerToWorkflow: Summary; workflowToQueued: Summary; queuedToSent: Summary };
  goal: { allWithinMs: number };
  met: boolean;
}

interface OutboxRow {
  _id: string;
  initiativeId: string;
  status?: string;
  createdAt?: Date;
  sentAt?: Date;
}

export async function benchBurst(
  ctx: BenchContext,
  opts: { reminders: number; leadMs: number; concurrency: number },
): Promise<BurstResult> {
  const secretariat = await ctx.actor('secretariat');
  const t0 = Date.now();
  const T = t0 + opts.leadMs;
  const ids = Array.from({ length: opts.reminders }, (_, i) => `burst-${i}`);
  await inParallel(ids.length, opts.concurrency, async (i) => {
    const body = {
      ...startBody(ids[i], 'benchmark-burst'),
      assignmentDueAt: new Date(T + REMINDER_OFFSET_MS).toISOString(),
      reminders: { alignLocalTime: false, offsetsMs: [REMINDER_OFFSET_MS] },
    };
    await ctx.client.workflow.start(initiativeWorkflow, {
      workflowId: workflowIdOf(ids[i]),
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      args: [ctx.startArgs(body, secretariat)],
    });
  });
  if (Date.now() >= T) throw new Error(`starting ${ids.length} initiatives took past T (lead ${opts.leadMs} ms)`);

  const drained = await ctx.settle(ids, Math.max(0, T - Date.now() - 1000));
  const outbox = ctx.db.collection<OutboxRow>('outbox');
  const [unsentAtT, recordedAtT] = await Promise.all([
    outbox.countDocuments({ status: { $in: ['pending', 'sending'] } }),
    ctx.db.collection('initiatives').countDocuments({ category: 'benchmark-burst' }),
  ]);
  ctx.log(
    `  ${ids.length} started; ${drained.settled ? `the worker caught up ${Math.round((T - Date.now()) / 1000)} s before T` : `at T ${recordedAtT} of them were recorded and ${unsentAtT} emails queued but not sent`}`,
  );

  // Not watched during the goal's minute: every look at the outbox makes FerretDB decode every stored email
  // (bodies and calendars included), which competes with the burst it would watch. The curve comes from the
  // emails' sentAt afterwards. Then, every 10 s up to the window's end, until every reminder is sent (the burst's
  // reminder emails are the only ones queued from T on).
  await sleep(Math.max(0, T + BURST_GOAL_MS - Date.now()));
  const fromT = { kind: 'reminder', createdAt: { $gte: new Date(T) } };
  const allSent = async () => {
    const statuses = await outbox.find(fromT, { projection: { status: 1 } }).toArray();
    return statuses.length >= ids.length && statuses.every((e) => e.status === 'sent');
  };
  await pollUntil(allSent, { timeoutMs: Math.max(0, T + WINDOW_MS - Date.now()), intervalMs: 10_000 });

  const ours = { initiativeId: { $in: ids }, kind: 'reminder' };
  const rows = await outbox.find(ours, { projection: { initiativeId: 1, createdAt: 1, sentAt: 1 } }).toArray();
  const performedAt = new Map(
    (
      await ctx.db
        .collection<{ initiativeId: string; at: string }>('events')
        .find({ initiativeId: { $in: ids }, type: 'reminder_due' }, { projection: { initiativeId: 1, at: 1 } })
        .toArray()
    ).map((e) => [e.initiativeId, Date.parse(e.at)]),
  );
  const late: number[] = [];
  const stages = { timerToWorkflow: [] as number[], workflowToQueued: [] as number[], queuedToSent: [] as number[] };
  for (const row of rows) {
    if (!row.sentAt) continue;
    const sent = new Date(row.sentAt).getTime();
    late.push(sent - T);
    const performed = performedAt.get(row.initiativeId);
    const queued = row.createdAt ? new Date(row.createdAt).getTime() : undefined;
    if (performed !== undefined && queued !== undefined) {
      stages.timerToWorkflow.push(performed - T);
      stages.workflowToQueued.push(queued - performed);
      stages.queuedToSent.push(sent - queued);
    }
  }
  const lastDeliveredMs = late.length ? Math.max(...late) : NaN;
  // What the burst left unrecorded must not run into the next phase's figures.
  await inParallel(ids.length, opts.concurrency, (i) =>
    ctx.client.workflow
      .getHandle(workflowIdOf(ids[i]))
      .terminate('benchmark burst measured')
      .catch(() => undefined),
  );
  return {
    reminders: ids.length,
    leadMs: opts.leadMs,
    drainedBeforeT: drained.settled,
    unsentAtT,
    recordedAtT,
    windowMs: WINDOW_MS,
    queued: rows.length,
    delivered: late.length,
    lateness: summarize(late),
    lastDeliveredMs,
    curve: CURVE_SECONDS.map((s) => ({ afterSec: s, delivered: late.filter((ms) => ms <= s * 1000).length })),
    stages: {
      timerToWorkflow: summarize(stages.timerToWorkflow),
      workflowToQueued: summarize(stages.workflowToQueued),
      queuedToSent: summarize(stages.queuedToSent),
    },
    goal: { allWithinMs: BURST_GOAL_MS },
    met: late.length >= ids.length && late.length === rows.length && lastDeliveredMs <= BURST_GOAL_MS,
  };
}
