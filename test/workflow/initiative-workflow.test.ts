/** The initiative workflow in time-skipping time: a whole chairmanship year runs in seconds. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowHandleWithFirstExecutionRunId, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DAY_MS } from '../../src/domain/reminders';
import type { InitiativeInput } from '../../src/domain/initiative';
import { initiativeWorkflow } from '../../workflows';
import * as msg from '../../workflows/messages';
import { initiativeInput, MEMBERS_2026, official, rep, secretariat } from '../support/initiative-fixtures';
import { bundle, createTimeSkippingEnv, maybeRecordHistory, newWorker, recordingActivities } from './harness';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

let counter = 0;
type Handle = WorkflowHandleWithFirstExecutionRunId<typeof initiativeWorkflow>;

/** Starts an initiative on its own task queue; `start` is the test server's clock, which earlier tests moved on. */
async function run<T>(overrides: (start: number) => Partial<InitiativeInput>, body: (ctx: { handle: Handle; rec: ReturnType<typeof recordingActivities>; start: number; workflowId: string }) => Promise<T>): Promise<T> {
  const rec = recordingActivities();
  const taskQueue = `tq-${++counter}`;
  const worker = await newWorker(env, workflowBundle, rec.activities, taskQueue);
  return worker.runUntil(async () => {
    const start = await env.currentTimeMs();
    const input = initiativeInput(start, { id: `wf-${counter}`, ...overrides(start) });
    const workflowId = `initiative-wf-${counter}`;
    const handle = await env.client.workflow.start(initiativeWorkflow, { workflowId, taskQueue, args: [{ start: input }] });
    try {
      return await body({ handle, rec, start, workflowId });
    } finally {
      // A run left open by a failed assertion would hold the shared clock of later tests.
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') await handle.terminate('test finished');
    }
  });
}

/**
 * The final view of a closed run. Not handle.result(): on this test server, awaiting the result of a
 * run that has already closed skips the shared clock years ahead.
 */
async function closedView(handle: Pick<Handle, 'describe' | 'query'>) {
  await settledAsync(async () => (await handle.describe()).status.name !== 'RUNNING', 'the run to close');
  return handle.query(msg.stateQuery);
}

async function settledAsync(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never settled: ${what}`);
}

/** Waits (in real time) until the worker has recorded what the skipped time made due. */
async function settled(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!check()) throw new Error(`never settled: ${what}`);
}

const assignKG = (dueInDays: number, from: number) => ({
  actor: secretariat,
  leadState: 'KG',
  leadTimeZone: 'Asia/Bishkek',
  officialId: 'official-kg',
  officialName: 'Focal point KG',
  draftDueAt: new Date(from + dueInDays * DAY_MS).toISOString(),
});
const draft = (title: string) => ({ actor: official('KG'), title, link: 'https://example.org/dtc', members: MEMBERS_2026 });
const approve = (state: string, revision = 1) => ({ actor: rep(state), state, decision: 'approve' as const, revision });

async function refusalOf(p: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return { code: err.cause.details?.[0], message: err.cause.message };
    }
    throw err;
  }
  throw new Error('expected the act to be refused');
}

describe('the initiative workflow', () => {
  it('walks an initiative from proposal through sign-off by all six states to completion', async () => {
    await run(() => ({}), async ({ handle, rec, start, workflowId }) => {
      await handle.executeUpdate(msg.assignUpdate, { args: [assignKG(10, start)] });
      const inSignoff = await handle.executeUpdate(msg.submitDraftUpdate, { args: [draft('Concept note')] });
      expect(inSignoff).toMatchObject({ stage: 'signoff', revision: 1, pendingStates: ['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ'] });
      for (const m of MEMBERS_2026) await handle.executeUpdate(msg.decideUpdate, { args: [approve(m.code)] });
      const adopted = await handle.query(msg.stateQuery);
      expect(adopted.stage).toBe('adopted');
      await handle.executeUpdate(msg.addMilestoneUpdate, {
        args: [{ actor: secretariat, id: 'pilot', title: 'Pilot at Torugart', ownerId: 'official-kg', ownerName: 'Focal point KG', ownerState: 'KG', ownerTimeZone: 'Asia/Bishkek', dueAt: new Date(start + 300 * DAY_MS).toISOString() }],
      });
      await env.sleep(200 * DAY_MS);
      await handle.executeUpdate(msg.completeMilestoneUpdate, { args: [{ actor: official('KG'), milestoneId: 'pilot' }] });
      await handle.executeUpdate(msg.completeUpdate, { args: [{ actor: secretariat, note: 'pilot running' }] });
      expect((await closedView(handle)).stage).toBe('completed');
      const types = rec.events().map((e) => e.type);
      expect(types.slice(0, 4)).toEqual(['started', 'assigned', 'draft_submitted', 'signoff_opened']);
      expect(types.filter((t) => t === 'decided')).toHaveLength(6);
      expect(types).toEqual(expect.arrayContaining(['adopted', 'milestone_added', 'milestone_completed', 'completed']));
      const milestoneReminders = rec.notifications().filter((n) => n.kind === 'reminder' && n.step === 'milestone:pilot');
      expect(milestoneReminders).toHaveLength(0); // completed 100 days before its first reminder
      expect(rec.events().map((e) => e.seq)).toEqual(rec.events().map((_, i) => i + 1));
      await maybeRecordHistory(env, workflowId, 'full-lifecycle');
    });
  });

  it('sends reminders at 09:00 local time and escalates an overdue assignment across the year-end to the Secretariat and the Chair', async () => {
    // Due on 28 December of the clock's year (or the next, when too close): escalations fall on both sides of the year-end.
    const dueAt = (start: number) => {
      const year = new Date(start).getUTCFullYear();
      const candidate = Date.UTC(year, 11, 28, 6);
      return candidate - start > 30 * DAY_MS ? candidate : Date.UTC(year + 1, 11, 28, 6);
    };
    const overrides = (start: number) => ({ timing: { ...initiativeInput(start).timing, assignmentDueAt: new Date(dueAt(start)).toISOString(), escalationIntervalMs: 7 * DAY_MS } });
    await run(overrides, async ({ handle, rec, start, workflowId }) => {
      await env.sleep(dueAt(start) + 15 * DAY_MS - start);
      await settled(() => rec.notifications().filter((n) => n.kind === 'escalation').length >= 6, 'three rounds of escalation');
      const reminders = rec.notifications().filter((n) => n.kind === 'reminder' && n.step === 'assignment');
      expect(reminders).toHaveLength(3);
      for (const r of reminders) {
        // The Secretariat sits in Tashkent (UTC+5): 09:00 local is 04:00 UTC.
        expect(r.sentAt.slice(11, 16)).toBe('04:00');
      }
      const escalations = rec.notifications().filter((n) => n.kind === 'escalation');
      expect(escalations.map((e) => e.to)).toEqual([{ role: 'secretariat' }, { role: 'chair' }, { role: 'secretariat' }, { role: 'chair' }, { role: 'secretariat' }, { role: 'chair' }]);
      const due = Date.parse(reminders[0].dueAt!);
      const minutesAfterDue = escalations.map((e) => Math.round((Date.parse(e.sentAt) - due) / 60_000));
      expect(minutesAfterDue).toEqual([0, 0, 7 * 1440, 7 * 1440, 14 * 1440, 14 * 1440]);
      // The escalation rounds straddle 31 December: the Chair is resolved when each is sent (activities), never fixed in the workflow.
      expect(new Date(escalations[0].sentAt).getUTCFullYear() + 1).toBe(new Date(escalations[escalations.length - 1].sentAt).getUTCFullYear());
      const view = await handle.query(msg.stateQuery);
      expect(view.stage).toBe('proposed');
      expect(view.nextReminder).toBeUndefined();
      await handle.executeUpdate(msg.withdrawUpdate, { args: [{ actor: secretariat, reason: 'merged into the transport strategy' }] });
      expect((await closedView(handle)).stage).toBe('withdrawn');
      await maybeRecordHistory(env, workflowId, 'reminders-escalation-withdrawal');
    });
  });

  it('sends a changed draft back for revision 2, refuses stale and repeated decisions, and is blocked by an objection', async () => {
    await run(() => ({}), async ({ handle, rec, start, workflowId }) => {
      await handle.executeUpdate(msg.assignUpdate, { args: [assignKG(10, start)] });
      await handle.executeUpdate(msg.submitDraftUpdate, { args: [draft('Concept note')] });
      await handle.executeUpdate(msg.decideUpdate, { args: [approve('KZ')] });
      expect(await refusalOf(handle.executeUpdate(msg.decideUpdate, { args: [approve('KZ')] }))).toMatchObject({ code: 'already_decided' });
      expect(await refusalOf(handle.executeUpdate(msg.decideUpdate, { args: [{ ...approve('UZ'), actor: rep('TJ') }] }))).toMatchObject({ code: 'not_entitled' });
      const back = await handle.executeUpdate(msg.decideUpdate, { args: [{ actor: rep('UZ'), state: 'UZ', decision: 'request_changes', revision: 1, reason: 'list the customs data fields' }] });
      expect(back).toMatchObject({ stage: 'drafting', revision: 1 });
      const r2 = await handle.executeUpdate(msg.submitDraftUpdate, { args: [draft('Concept note, revision 2')] });
      expect(r2).toMatchObject({ stage: 'signoff', revision: 2, pendingStates: ['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ'] });
      expect(await refusalOf(handle.executeUpdate(msg.decideUpdate, { args: [approve('KZ', 1)] }))).toMatchObject({ code: 'stale_revision' });
      const blocked = await handle.executeUpdate(msg.decideUpdate, { args: [{ actor: rep('TM'), state: 'TM', decision: 'object', revision: 2, reason: 'overlaps the 2026 roadmap' }] });
      // The round now waits on the Secretariat, with a due date of its own.
      expect(blocked.deadlines.map((d) => [d.step, d.waitingOn])).toEqual([['objection', ['secretariat']]]);
      expect(await refusalOf(handle.executeUpdate(msg.decideUpdate, { args: [approve('KZ', 2)] }))).toMatchObject({ code: 'round_blocked' });
      await handle.executeUpdate(msg.withdrawUpdate, { args: [{ actor: secretariat, reason: 'objection upheld' }] });
      expect((await closedView(handle)).stage).toBe('withdrawn');
      // Refusals never enter the audit trail: only what happened does.
      expect(rec.events().filter((e) => e.type === 'decided')).toHaveLength(3);
      expect(rec.notifications().filter((n) => n.kind === 'objected').map((n) => n.to)).toEqual([{ role: 'secretariat' }, { role: 'chair' }]);
      await maybeRecordHistory(env, workflowId, 'changes-objection');
    });
  });

  it('applies the silence procedure at the sign-off deadline', async () => {
    await run(() => ({ policy: { rule: { rule: 'consensus' }, silenceProcedure: true } }), async ({ handle, rec, start }) => {
      await handle.executeUpdate(msg.assignUpdate, { args: [assignKG(10, start)] });
      await handle.executeUpdate(msg.submitDraftUpdate, { args: [draft('Concept note')] });
      await handle.executeUpdate(msg.decideUpdate, { args: [approve('KG')] });
      await env.sleep(22 * DAY_MS);
      await settled(() => rec.events().some((e) => e.type === 'adopted'), 'adoption by silence');
      const view = await handle.query(msg.stateQuery);
      expect(view.stage).toBe('adopted');
      expect(view.round!.decisions.UZ).toMatchObject({ decision: 'approve', deemed: true });
      expect(rec.events().find((e) => e.type === 'silence_procedure')!.data.deemedApproved).toEqual(['AZ', 'KZ', 'TJ', 'TM', 'UZ']);
    });
  });

  it('keeps every decision across continue-as-new', async () => {
    await run(() => ({ continueAsNewAfterEvents: 40 }), async ({ handle, start, workflowId }) => {
      await handle.executeUpdate(msg.assignUpdate, { args: [assignKG(10, start)] });
      await handle.executeUpdate(msg.submitDraftUpdate, { args: [draft('Concept note')] });
      for (const m of MEMBERS_2026.slice(0, 5)) {
        await handle.executeUpdate(msg.decideUpdate, { args: [approve(m.code)] });
        await env.sleep(2 * DAY_MS);
      }
      const latest = env.client.workflow.getHandle<typeof initiativeWorkflow>(workflowId);
      const before = await latest.query(msg.stateQuery);
      expect(Object.keys(before.round!.decisions).sort()).toEqual(['AZ', 'KG', 'KZ', 'TJ', 'TM']);
      await latest.executeUpdate(msg.decideUpdate, { args: [approve('UZ')] });
      expect((await latest.query(msg.stateQuery)).stage).toBe('adopted');
      const firstRun = await env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
      expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
      expect(firstRun.runId).not.toBe((await latest.describe()).runId);
    });
  });
});
