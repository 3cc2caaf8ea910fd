/**
 * Emails leave from a task queue of their own, served by the mailer process: a crash or a deploy of
 * the worker, which runs workflows and recording, then never cuts an SMTP transaction short. (A cut
 * transaction cannot be told apart from an accepted one whose record was lost, so its email could
 * only be flagged, not sent again: activities/deliver.ts.)
 */
export function mailTaskQueue(taskQueue: string): string {
  return `${taskQueue}-mail`;
}
