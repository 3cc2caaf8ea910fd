/**
 * The Temporal dev server is killed and restarted on the same SQLite file while sign-off rounds and timers are
 * under way, on a stack of its own. Afterwards every timer fired once, every act the API accepted is in the audit
 * trail once, every workflow has ended, and every queued email reached the sink once.
 */
import {
  auditActs,
  auditEmails,
  emailFailures,
  emailFigures,
  liveCalendarEvents,
  outboxOpen,
  readModelBehind,
  untilCompleted,
  untilDone,
} from './support/checks';
import {
  type ActRecord,
  actUntilSettled,
  eventually,
  type FaultStack,
  sleep,
  startFaultStack,
} from './support/fault-stack';
import { recordSection } from './support/report';
import { allApprove, complete, runPrefix, runSeed, secondsSince, seededTiming, toSignoff } from './support/rounds';

let stack: FaultStack;
const seed = runSeed();
const { between } = seededTiming(seed);

beforeAll(async () => {
  stack = await startFaultStack('temporal-restart');
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

test('restarting the Temporal dev server on the same SQLite file mid-flight: workflows and timers resume', async () => {
  const started = Date.now();
  const prefix = runPrefix('trestart');
  const acts: ActRecord[] = [];
  const injected: string[] = [];

  // Timers: a reminder 30 s before an assignment due 60 s from now, one on the day, and its escalation.
  const timerIds = Array.from({ length: 6 }, (_, i) => `${prefix}-timer-${i}`);
  const dueAt = Date.now() + 60_000;
  const timerInstants = [dueAt - 30_000, dueAt, dueAt];
  await Promise.all(
    timerIds.map((id) =>
      actUntilSettled(
        stack,
        {
          initiativeId: id,
          act: 'start',
          person: 'secretariat',
          path: '/api/initiatives',
          body: {
            id,
            title: `Timer ${id}`,
            proposingState: 'KG',
            summit: 'tashkent-2025',
            category: 'transport',
            assignmentDueAt: new Date(dueAt).toISOString(),
            reminders: { offsetsMs: [30_000, 0], alignLocalTime: false },
          },
        },
        { log: acts },
      ),
    ),
  );

  // Rounds in flight across both restarts.
  const roundIds = Array.from({ length: 6 }, (_, i) => `${prefix}-round-${i}`);
  const roundErrors: string[] = [];
  const rounds = Promise.all(
    roundIds.map(async (id, i) => {
      try {
        await toSignoff(stack, id, ['KZ', 'UZ'][i % 2], acts);
        await sleep(between(0, 40_000));
        await allApprove(stack, id, 1, acts);
        await sleep(between(0, 20_000));
        await complete(stack, id, acts);
      } catch (err) {
        roundErrors.push((err as Error).message);
      }
    }),
  );
  injected.push(`${roundIds.length} sign-off rounds under way, their decisions spread over the next minute`);

  const t0 = Date.now();
  const at = (t: number) => `t=${((t - t0) / 1000).toFixed(1)} s`;
  injected.unshift(
    `${timerIds.length} initiatives with timers in Temporal: a reminder at ${at(dueAt - 30_000)}, a reminder and an escalation at ${at(dueAt)}`,
  );
  const down: [number, number][] = [];
  await sleep(8000);
  let downAt = Date.now();
  await stack.services.temporal.kill('SIGKILL');
  await sleep(15_000);
  let restartAt = Date.now();
  await stack.services.temporal.start();
  down.push([downAt, Date.now()]);
  injected.push(
    `${at(downAt)}: SIGKILL Temporal dev server; ${at(restartAt)}: started again on the same SQLite file, ready ${secondsSince(restartAt)} s later`,
  );
  await sleep(Math.max(5000, dueAt - Date.now() - 3000));
  downAt = Date.now();
  await stack.services.temporal.stop();
  await sleep(5000);
  restartAt = Date.now();
  await stack.services.temporal.start();
  down.push([downAt, Date.now()]);
  injected.push(
    `${at(downAt)}: Temporal stopped (SIGTERM); ${at(restartAt)}: started again, ready ${secondsSince(restartAt)} s later`,
  );
  const dueWhileDown = timerInstants.filter((t) => down.some(([a, b]) => t >= a && t <= b)).length * timerIds.length;

  const workerExits = stack.exits().filter((e) => e.service === 'worker' && e.signal !== 'SIGKILL');
  if (!stack.services.worker.running) {
    injected.push(`the worker had exited during the outage (${JSON.stringify(workerExits)}); started again`);
    await stack.services.worker.start();
  }
  await rounds;

  // Every timer fired once, after the restarts.
  const timersFired = await eventually(
    'every reminder and escalation to be recorded',
    async () => {
      const counts = await Promise.all(
        timerIds.map(async (id) => ({
          id,
          reminders: await stack.events.countDocuments({ initiativeId: id, type: 'reminder_due' }),
          escalations: await stack.events.countDocuments({ initiativeId: id, type: 'escalated' }),
        })),
      );
      return counts.every((c) => c.reminders >= 2 && c.escalations >= 1) ? counts : undefined;
    },
    300_000,
    2000,
  ).catch(async () =>
    Promise.all(
      timerIds.map(async (id) => ({
        id,
        reminders: await stack.events.countDocuments({ initiativeId: id, type: 'reminder_due' }),
        escalations: await stack.events.countDocuments({ initiativeId: id, type: 'escalated' }),
      })),
    ),
  );
  const timerFailures = timersFired
    .filter((c) => c.reminders !== 2 || c.escalations !== 1)
    .map((c) => `${c.id}: ${c.reminders} reminders and ${c.escalations} escalations recorded, expected 2 and 1`);

  // Close the timer initiatives: acts after the restarts work too.
  await Promise.all(
    timerIds.map((id) =>
      actUntilSettled(
        stack,
        {
          initiativeId: id,
          act: 'withdraw',
          person: 'secretariat',
          path: `/api/initiatives/${id}/withdrawal`,
          key: `${id}.withdraw`,
          body: { reason: 'fault test over' },
        },
        { log: acts },
      ).catch((err: Error) => {
        roundErrors.push(err.message);
      }),
    ),
  );
  const all = [...timerIds, ...roundIds];
  const stuck = await untilCompleted(stack, all);
  await untilDone(() => outboxOpen(stack, all));

  const actAudit = await auditActs(stack, acts);
  const behind = await readModelBehind(stack, all);
  const emails = await auditEmails(stack, all);
  const calendarsOpen = await liveCalendarEvents(stack, all);
  const timerEmails = await stack.outbox.countDocuments({
    initiativeId: { $in: timerIds },
    kind: { $in: ['reminder', 'escalation'] },
  });
  const failures = [
    ...roundErrors.map((e) => `act failed: ${e}`),
    ...timerFailures,
    ...stuck.map((s) => `workflow not completed: ${s}`),
    ...actAudit.lost.map((l) => `act lost: ${l}`),
    ...actAudit.duplicated.map((d) => `act duplicated: ${d}`),
    ...behind.map((b) => `read model behind: ${b}`),
    ...emailFailures(emails),
    ...calendarsOpen.map((c) => `calendar left open: ${c}`),
    ...workerExits.map((e) => `worker exited during the Temporal outage (code ${e.code}, signal ${e.signal})`),
    ...stack
      .exits()
      .filter((e) => e.service === 'api' || e.service === 'ferretdb' || e.service === 'maildev')
      .map((e) => `${e.service} exited unasked (code ${e.code})`),
  ];
  recordSection({
    id: 'temporal-restart',
    title: 'Temporal dev server killed and restarted on the same SQLite file, twice',
    injected,
    figures: {
      'workflows in flight': all.length,
      timers: timerIds.length * 3,
      'timers that fell due while Temporal was down': dueWhileDown,
      'reminders and escalations recorded': timersFired.reduce((n, c) => n + c.reminders + c.escalations, 0),
      'reminder and escalation emails queued': timerEmails,
      'acts accepted': actAudit.accepted,
      'acts accepted after a retry': actAudit.retried,
      'acts lost': actAudit.lost.length,
      'acts duplicated': actAudit.duplicated.length,
      'workflows completed': all.length - stuck.length,
      'read model documents behind their workflow': behind.length,
      ...emailFigures(emails),
      'calendar events left open after the work': calendarsOpen.length,
    },
    failures,
    durationS: (Date.now() - started) / 1000,
  });
  expect(failures).toEqual([]);
});
