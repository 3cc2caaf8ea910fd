/**
 * One workflow suite's scenario runner: its own time-skipping test server and bundle, each initiative on its own
 * task queue with recording activities, and the acts and waits the suites share.
 */
import { eventually } from '../support/poll';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowHandleWithFirstExecutionRunId, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DAY_MS } from '../../src/domain/reminders';
import type { InitiativeInput } from '../../src/domain/initiative';
import type { MemberState } from '../../src/domain/types';
import { initiativeWorkflow } from '../../workflows';
import * as msg from '../../workflows/messages';
import { initiativeInput, MEMBERS_2026, official, rep, secretariat } from '../support/initiative-fixtures';
import { actingAsApi, bundle, createTimeSkippingEnv, newWorker, recordingActivities, TEST_SECRET } from './harness';
import { sealedStart } from '../../src/service/initiatives';

export type Handle = WorkflowHandleWithFirstExecutionRunId<typeof initiativeWorkflow>;

/** Sets up the suite's test server and bundle (beforeAll) and tears them down (afterAll); both are there once started. */
export function timeSkippingSuite() {
  // A scenario runs a worker and a test server beside the rest of the suite on 2 cores: minutes under load, not 60 s.
  jest.setTimeout(180_000);
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });
  return {
    get env() {
      return env;
    },
    get bundle() {
      return workflowBundle;
    },
  };
}

/** A time-skipping suite that runs one initiative per scenario (`run`); `env` is there once it started. */
export function workflowSuite() {
  const server = timeSkippingSuite();

  let counter = 0;

  /**
   * Starts an initiative on its own task queue; `start` is the test server's clock, which earlier tests moved on.
   * `handle` acts as the API does (sealed); `raw` sends what it is given, as anyone who reaches Temporal could.
   */
  async function run<T>(
    overrides: (start: number) => Partial<InitiativeInput>,
    body: (ctx: {
      handle: Handle;
      raw: Handle;
      rec: ReturnType<typeof recordingActivities>;
      start: number;
      workflowId: string;
      id: string;
    }) => Promise<T>,
  ): Promise<T> {
    const rec = recordingActivities();
    const taskQueue = `tq-${++counter}`;
    const worker = await newWorker(server.env, server.bundle, rec.activities, taskQueue);
    return worker.runUntil(async () => {
      const start = await server.env.currentTimeMs();
      const input = initiativeInput(start, { id: `wf-${counter}`, ...overrides(start) });
      const workflowId = `initiative-wf-${counter}`;
      const raw = await server.env.client.workflow.start(initiativeWorkflow, {
        workflowId,
        taskQueue,
        args: [sealedStart(TEST_SECRET, input, input, start)],
      });
      const handle = actingAsApi(server.env, raw, input.id);
      try {
        return await body({ handle, raw, rec, start, workflowId, id: input.id });
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

  return {
    get env() {
      return server.env;
    },
    run,
    closedView,
  };
}

/** Waits (in real time) until the worker has recorded what the skipped time made due. */
export const settled = <T>(check: () => T | undefined | null | false, what: string) =>
  eventually(what, async () => check(), 10_000, 100);
export const settledAsync = (check: () => Promise<boolean>, what: string) => eventually(what, check, 10_000, 100);

export const assignKG = (dueInDays: number, from: number) => ({
  actor: secretariat,
  leadState: 'KG',
  leadTimeZone: 'Asia/Bishkek',
  officialId: 'official-kg',
  officialName: 'Focal point KG',
  draftDueAt: new Date(from + dueInDays * DAY_MS).toISOString(),
});
export const draft = (title: string, members: MemberState[] = MEMBERS_2026) => ({
  actor: official('KG'),
  title,
  link: 'https://example.org/dtc',
  members,
});
export const approve = (state: string, revision = 1) => ({
  actor: rep(state),
  state,
  decision: 'approve' as const,
  revision,
});

/** The refusal an act met: its code and message, as the API would map them. */
export async function refusalOf(p: Promise<unknown>): Promise<{ code: unknown; message: string }> {
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
