/** The tests' one way to wait for something another process does: poll until it holds, or fail naming it. */

/**
 * How long a test waits for another process by default. Under a whole suite's load on two cores the worker
 * records a sign-off round's emails at several seconds per recipient, and an act's events and search attributes
 * wait behind them: minutes, measured. A check that holds sooner returns sooner.
 */
export const WORKER_WAIT_MS = 240_000;

/** Polls until check returns a value, or fails naming what was awaited. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = WORKER_WAIT_MS,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
