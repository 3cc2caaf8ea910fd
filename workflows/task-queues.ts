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

/**
 * Sends email: retried without limit while the SMTP server is unreachable. The activity beats once
 * per email, so a dead worker is noticed within the heartbeat timeout while a long batch on a slow
 * database is not cut short (a retry would find its emails claimed and could only flag them).
 */
export const DELIVERY_OPTIONS = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
