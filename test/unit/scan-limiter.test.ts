/** The read model's limiter: at most N reads of many initiatives at once, the others in the order they came. */
import { limiter } from '../../src/persistence/initiatives';

describe('limiter', () => {
  it('runs at most the limit at once and the rest in arrival order, also after a failure', async () => {
    const run = limiter(2);
    let active = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      if (i === 1) throw new Error('read failed');
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => run(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    // Nothing left holding a place: the next task starts at once.
    expect(await run(async () => active)).toBe(0);
  });
});
