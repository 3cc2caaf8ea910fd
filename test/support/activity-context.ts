/**
 * Activities called by a test rather than by a worker still run in an activity context, as Temporal runs
 * them: each call gets a MockActivityEnvironment of its own (heartbeats go to it, `Context.current().info`
 * is its info), so production code needs no seam for a call without one.
 */
import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';

type Activity = (...args: any[]) => Promise<unknown>;

/** The same activities, each call run in a fresh MockActivityEnvironment with `info` (e.g. its workflowExecution). */
export function inActivityContext<A extends Record<string, Activity>>(activities: A, info: Partial<Info> = {}): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (...args: unknown[]) => new MockActivityEnvironment(info).run(fn, ...args),
    ]),
  ) as A;
}
