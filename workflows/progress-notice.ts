/**
 * Tells an initiative's followers of one change to one of its commitments (activities/notices.ts): queues their
 * emails on the worker, then sends them from the mail task queue. Started by the API with an id made of the
 * commitment and the change's revision, so a change is announced once however often its start is tried.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { DELIVERY_OPTIONS, mailTaskQueue } from './task-queues';

type Activities = ReturnType<typeof createActivities>;

export interface ProgressNoticeArgs {
  commitmentId: string;
  rev: number;
}

export const progressNoticeWorkflowId = (a: ProgressNoticeArgs) => `progress-notice-${a.commitmentId}-${a.rev}`;

const QUEUE_OPTIONS = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
} as const;
/** Returns how many emails it sent. */
export async function progressNoticeWorkflow(args: ProgressNoticeArgs): Promise<number> {
  const { queueProgressNotices } = proxyActivities<Activities>(QUEUE_OPTIONS);
  const { deliverNotifications } = proxyActivities<Activities>({
    ...DELIVERY_OPTIONS,
    taskQueue: mailTaskQueue(workflowInfo().taskQueue),
  });
  const ids = await queueProgressNotices(args);
  if (ids.length > 0) await deliverNotifications(ids);
  return ids.length;
}
