/** A test's worker of its own task queue and the mailer of its mail queue (workflows/task-queues.ts), run together. */
import { NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mailTaskQueue } from '../../workflows/task-queues';

export async function workerWithMailer(
  connection: NativeConnection,
  taskQueue: string,
  workflowBundle: WorkflowBundleWithSourceMap,
  activities: object,
) {
  const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities });
  const mailer = await Worker.create({ connection, taskQueue: mailTaskQueue(taskQueue), activities });
  return {
    runUntil: <R>(fn: () => Promise<R>): Promise<R> => worker.runUntil(() => mailer.runUntil(fn)),
  };
}
