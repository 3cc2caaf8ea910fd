/**
 * Workflow tests in time-skipping time: Temporal's Java test server (provisioned, not downloaded),
 * one workflow bundle per suite, and activities of the real shape that record what the workflow asked for.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/domain/types';
import { sealedAct } from '../../src/service/initiatives';
import { workflowBundlerOptions } from '../../src/worker';
import type { initiativeWorkflow } from '../../workflows';
import { Context } from '@temporalio/activity';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Activities } from '../../activities';
import type { RecordChangesInput } from '../../activities/record';
import type { Notification } from '../../src/domain/types';
import { loadToolPaths } from '../../src/stack/tools';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { workerWithMailer } from '../support/workers';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';

let runtimeInstalled = false;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: loadToolPaths().testServer } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
    ),
  });
  return env;
}

export const WORKFLOWS_PATH = require.resolve('../../workflows');

/** The deployment secret of the workflow tests: the bundle verifies seals with its key, the tests seal acts with it. */
export const TEST_SECRET = 'workflow-tests-secret-of-at-least-32-characters';

export function bundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    ...workflowBundlerOptions(TEST_SECRET),
    logger: new DefaultLogger('WARN'),
  });
}

type Handle = WorkflowHandle<typeof initiativeWorkflow>;

/**
 * The handle acts go through as the API sends them: sealed with TEST_SECRET at the test server's time (which
 * runs ahead of the wall clock), the input itself as the request, keyed by `updateId` when one is given.
 */
export function actingAsApi<H extends Handle>(env: TestWorkflowEnvironment, handle: H, initiativeId: string): H {
  const executeUpdate = async (def: { name: string }, options: { args: [{ actor: Actor }]; updateId?: string }) => {
    const [input] = options.args;
    const key = { from: 'client' as const, value: options.updateId ?? randomUUID() };
    return handle.executeUpdate(
      def as never,
      sealedAct(TEST_SECRET, initiativeId, def.name, input, input, key, await env.currentTimeMs()) as never,
    );
  };
  return Object.assign(Object.create(handle) as H, { executeUpdate });
}

export interface RecordedNotification extends Notification {
  /** Workflow time when the activity was scheduled, i.e. when the workflow sent it. */
  sentAt: string;
}

/** Activities that keep what the workflow recorded, in order, with the (skipped) time it happened. */
export function recordingActivities() {
  const records: (RecordChangesInput & { at: string })[] = [];
  /** While set, a recording waits for it: acts arrive meanwhile, as they do while a slow database records. */
  let gate: Promise<void> | undefined;
  let arrived: (() => void) | undefined;
  const activities = {
    async recordChanges(input: RecordChangesInput): Promise<string[]> {
      if (gate) {
        arrived?.();
        await gate;
      }
      const at = new Date(Context.current().info.currentAttemptScheduledTimestampMs).toISOString();
      records.push({ ...input, at });
      return input.notifications.map((_, i) => `${input.initiativeId}:${input.view.version}:${i}`);
    },
    async deliverNotifications(): Promise<void> {},
  } satisfies Pick<Activities, 'recordChanges' | 'deliverNotifications'>;
  return {
    activities,
    records,
    /** Holds the next recordings until `release`; `held` resolves once one of them is waiting. */
    hold() {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      const held = new Promise<void>((r) => (arrived = r));
      return {
        held,
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    events: () => records.flatMap((r) => r.events),
    notifications: (): RecordedNotification[] =>
      records.flatMap((r) => r.notifications.map((n) => ({ ...n, sentAt: r.at }))),
  };
}

export function newWorker(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundleWithSourceMap,
  activities: object,
  taskQueue: string,
) {
  return workerWithMailer(env.nativeConnection, taskQueue, workflowBundle, activities);
}

/** Saves a finished run's history for the replay tests when RECORD_HISTORIES=1 (see README: changing the workflow safely). */
export async function maybeRecordHistory(
  env: TestWorkflowEnvironment,
  workflowId: string,
  name: string,
): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const file = path.resolve(__dirname, '..', 'histories', `${name}.json`);
  fs.writeFileSync(file, historyToJSON(history));
}
