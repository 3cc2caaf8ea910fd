/** The worker process (initiative and digest workflows, their recording) and the mailer process (their emails). */
import {
  NativeConnection,
  Worker,
  Runtime,
  makeTelemetryFilterString,
  bundleWorkflowCode,
  WorkflowBundleWithSourceMap,
  type BundleOptions,
} from '@temporalio/worker';
import { DefinePlugin } from 'webpack';
import { createActivities, type ActivityDeps } from '../activities';
import { createDeliveryActivities } from '../activities/deliver';
import { mailTaskQueue } from '../workflows/task-queues';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import { createMailer } from './email/mailer';
import { logger } from './logger';
import { commitmentModels, createCommitmentRepository } from './persistence/commitments';
import { connectMongo } from './persistence/connection';
import { createDirectory, directoryModels } from './persistence/directory';
import { eventModel } from './persistence/events';
import { createInitiativeRepository, initiativeModel, type InitiativeRepository } from './persistence/initiatives';
import { createOutboxRepository, outboxModel } from './persistence/outbox';
import { sealKeyOf } from './domain/act-seal';
import { appSecret } from './secret';

let runtimeInstalled = false;

/** Routes the Temporal runtime's logs into our JSON logger; must run before any Worker or NativeConnection exists. */
export function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const forward =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (message: string, meta?: Record<string, unknown>) =>
      logger[level](meta ?? {}, message);
  Runtime.install({
    logger: {
      log: (level, message, meta) => forward(level.toLowerCase() as 'info')(message, meta),
      trace: forward('trace'),
      debug: forward('debug'),
      info: forward('info'),
      warn: forward('warn'),
      error: forward('error'),
    },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Writes the key that verifies the API's seals on acts into the workflow bundle (workflows/seal-key.ts):
 * the update validators need it inside the sandbox, and it must never travel through Temporal.
 */
export function workflowBundlerOptions(secret: string): Pick<BundleOptions, 'webpackConfigHook'> {
  const define = new DefinePlugin({ __SUMMIT_ACT_SEAL_KEY__: JSON.stringify(sealKeyOf(secret)) });
  return { webpackConfigHook: (config) => ({ ...config, plugins: [...(config.plugins ?? []), define] }) };
}

export async function bundleWorkflows(secret: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    ...workflowBundlerOptions(secret),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
}

function activityDeps(
  config: Config,
  mongo: Connection,
  initiatives: InitiativeRepository = createInitiativeRepository({
    initiatives: initiativeModel(mongo),
    events: eventModel(mongo),
  }),
): ActivityDeps {
  return {
    config,
    repositories: {
      initiatives,
      outbox: createOutboxRepository(outboxModel(mongo)),
      commitments: createCommitmentRepository(commitmentModels(mongo)),
    },
    directory: createDirectory(directoryModels(mongo)),
    mailer: createMailer(config),
    secret: appSecret(config),
  };
}

export interface RunningWorker {
  worker: Worker;
  close(): Promise<void>;
}

function runningWorker(worker: Worker, connection: NativeConnection, mongo: Connection): RunningWorker {
  return {
    worker,
    async close() {
      await connection.close();
      await mongo.close();
    },
  };
}

export async function createWorker(
  config: Config,
  options: { workflowBundle?: WorkflowBundleWithSourceMap } = {},
): Promise<RunningWorker> {
  installRuntime();
  const mongo = await connectMongo(config.MONGODB_URL);
  const initiatives = createInitiativeRepository({ initiatives: initiativeModel(mongo), events: eventModel(mongo) });
  // Read models written before the listing existed get their entries (in the background: the worker need not wait).
  initiatives
    .backfillListing()
    .catch((err) =>
      logger.warn(
        { err: (err as Error).message },
        'read model: the listing backfill failed; it runs again at the next start',
      ),
    );
  // Delivery stays registered here too: emails of runs started before the mail task queue existed are scheduled on this one.
  const activities = createActivities(activityDeps(config, mongo, initiatives));
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions(appSecret(config)) }),
    activities,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
  });
  return runningWorker(worker, connection, mongo);
}

/** The mailer process: sends queued emails and digests from the mail task queue (workflows/task-queues.ts); it runs no workflows. */
export async function createMailWorker(config: Config): Promise<RunningWorker> {
  installRuntime();
  const mongo = await connectMongo(config.MONGODB_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: mailTaskQueue(config.TEMPORAL_TASK_QUEUE),
    activities: createDeliveryActivities(activityDeps(config, mongo)),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
  });
  return runningWorker(worker, connection, mongo);
}
