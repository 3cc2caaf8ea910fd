/**
 * One person's daily digest: started (or woken) by the recording activity whenever it defers an
 * email for the person, it sleeps until 09:00 in the person's time zone, has one email sent listing
 * every deferred item, and ends once no new item arrived meanwhile, so idle people cost nothing.
 * Deterministic: no I/O; the time arithmetic is the pure domain code.
 */
import { continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { nextDigestAt } from '../src/domain/digest-time';
import { digestItemSignal, type DigestWorkflowArgs } from './digest-messages';
import { mailQueueOptions } from './task-queues';

type Activities = ReturnType<typeof createActivities>;

/** Sends the digest: retried without limit while the SMTP server is unreachable; a permanent failure is recorded, not thrown. */
const DIGEST_OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

/** Returns how many digests it sent. */
export async function digestWorkflow(args: DigestWorkflowArgs): Promise<number> {
  let timeZone = args.timeZone;
  let arrived = 0;
  setHandler(digestItemSignal, (s) => {
    timeZone = s.timeZone;
    arrived += 1;
  });
  const { sendDigest } = proxyActivities<Activities>({ ...DIGEST_OPTIONS, ...mailQueueOptions() });
  let sent = 0;
  for (;;) {
    const next = nextDigestAt(Date.now(), timeZone);
    await sleep(next.at - Date.now());
    arrived = 0;
    const result = await sendDigest({ personId: args.personId, date: next.date });
    if (result.items > 0) sent += 1;
    // Items deferred while the digest was being collected wait for tomorrow's; otherwise the work is done.
    if (arrived === 0) return sent;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof digestWorkflow>({ ...args, timeZone });
  }
}
