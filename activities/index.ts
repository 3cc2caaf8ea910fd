/**
 * Activities of the initiative workflow: the only place its changes touch MongoDB and SMTP.
 * Each one is idempotent, because Temporal retries it and replays never repeat a side effect.
 */
import type { ActivityDeps } from './deps';
import { createDeliveryActivities } from './deliver';
import { createNoticeActivities } from './notices';
import { createRecordActivities } from './record';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return { ...createRecordActivities(deps), ...createDeliveryActivities(deps), ...createNoticeActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
