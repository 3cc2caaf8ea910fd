/**
 * Which hits wait for the shared count: none below a quarter of the limit (the count is claimed behind them),
 * every one past it. The shared counters here answer only when told to, so waiting shows as a pending promise.
 */
import type { Options } from 'express-rate-limit';
import { SharedRateLimitStore } from '../../src/api/rate-limits';
import type { RateLimitCounters } from '../../src/persistence/rate-limits';

/** Shared counters that hold every count until opened, then answer at once. */
function heldCounters() {
  const held: (() => void)[] = [];
  let hits = 0;
  let open = false;
  const counters = {
    count: () =>
      new Promise<{ hits: number; resetAt: Date }>((resolve) => {
        hits += 1;
        const n = hits;
        const answer = () => resolve({ hits: n, resetAt: new Date(Date.now() + 60_000) });
        if (open) answer();
        else held.push(answer);
      }),
    purgeEnded: async () => undefined,
    reset: async () => undefined,
  } as unknown as RateLimitCounters;
  return {
    counters,
    open: () => {
      open = true;
      held.splice(0).forEach((answer) => answer());
    },
    claims: () => hits,
  };
}

const settledSoon = <T>(p: Promise<T>) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);

it('answers hits below a quarter of the limit at once, and makes the next one wait for its shared count', async () => {
  const { counters, open, claims } = heldCounters();
  const store = new SharedRateLimitStore(counters, 'acts');
  store.init({ windowMs: 60_000, limit: 8 } as Options);

  const first = store.increment('rep-kz');
  const second = store.increment('rep-kz');
  expect(await settledSoon(first)).toBe(true);
  expect(await settledSoon(second)).toBe(true);
  expect((await second).totalHits).toBe(2);
  // Both were claimed in the shared store all the same.
  expect(claims()).toBe(2);

  // The third waits, and is numbered only after the two claims behind the first hits have landed.
  const third = store.increment('rep-kz');
  expect(await settledSoon(third)).toBe(false);
  expect(claims()).toBe(2);
  open();
  expect((await third).totalHits).toBe(3);
  expect(claims()).toBe(3);
  store.shutdown();
});
