/**
 * Emails leave from a task queue of their own, served by the mailer process: a crash or a deploy of
 * the worker, which runs workflows and recording, then never cuts an SMTP transaction short. (A cut
 * transaction cannot be told apart from an accepted one whose record was lost, so its email could
 * only be flagged, not sent again: activities/deliver.ts.)
 */
import { patched, workflowInfo } from '@temporalio/workflow';

export function mailTaskQueue(taskQueue: string): string {
  return `${taskQueue}-mail`;
}

/** In workflow code: the activity options that send from the mail queue, for runs started since the change. */
export function mailQueueOptions(): { taskQueue?: string } {
  return patched('mail-task-queue') ? { taskQueue: mailTaskQueue(workflowInfo().taskQueue) } : {};
}
