/**
 * Start throughput: POST /api/initiatives against a raw client.workflow.start of the same workflow with
 * the same input. Rounds alternate (API, raw, raw, API, …) at the same concurrency. The worker and the mailer are
 * held still during a round (the calls alone are measured, not the worker running the round's first workflows on
 * the same cores, which slowed the slower side more) and let catch up between rounds (read model written, emails
 * sent), so each round starts from the same quiet state and neither side pays for the other's backlog.
 */
import { workflowIdOf } from '../../src/temporal/client';
import { initiativeWorkflow } from '../../workflows';
import * as msg from '../../workflows/messages';
import type { BenchContext, StartBody } from '../lib/context';
import { inParallel, now } from '../lib/pool';
import { median, ratio, round, summarize, type Summary } from '../lib/stats';

export interface StartRound {
  kind: 'api' | 'raw';
  count: number;
  ms: number;
  perSecond: number;
  /** How long the worker took afterwards to record them all and send their emails. */
  settleMs: number;
  settled: boolean;
}

export interface StartSide {
  count: number;
  seconds: number;
  perSecond: number;
  latencyMs: Summary;
}

/** One start at a time: where the API's time goes, next to the raw calls it makes. */
export interface StartBreakdown {
  /** client.workflow.start alone. */
  rawStart: Summary;
  /** client.workflow.start, then the state query the API makes for the view it returns. */
  rawStartAndQuery: Summary;
  /** POST /api/initiatives. */
  api: Summary;
}

export interface StartResult {
  concurrency: number;
  breakdown: StartBreakdown;
  perRound: number;
  rounds: StartRound[];
  api: StartSide;
  raw: StartSide;
  /** API rate / raw rate of each pair of rounds, run back to back under the same conditions. */
  pairRatios: number[];
  /**
   * The median of pairRatios: a slow moment of the shared machine moves one pair, not the figure (the two sides'
   * totals, api.perSecond / raw.perSecond, moved by a third between quiet runs).
   */
  ratio: number;
  goal: { ratioAtLeast: number };
  met: boolean;
  /** Every initiative this phase started (all stay open). */
  ids: string[];
}

export const START_GOAL = 0.8;

export function startBody(id: string, category: string): StartBody {
  return { id, title: `Benchmark initiative ${id}`, proposingState: 'KZ', summit: 'Benchmark summit', category };
}

export async function benchStart(
  ctx: BenchContext,
  opts: { concurrency: number; perRound: number; maxPairs: number; budgetMs: number },
): Promise<StartResult> {
  const phaseEnd = Date.now() + opts.budgetMs;
  const secretariat = await ctx.actor('secretariat');
  const rounds: StartRound[] = [];
  const latencies: Record<'api' | 'raw', number[]> = { api: [], raw: [] };
  const ids: string[] = [];

  const startOne = async (kind: 'api' | 'raw', id: string) => {
    const body = startBody(id, 'benchmark-start');
    const t0 = now();
    if (kind === 'api') {
      const res = await ctx.api('POST', '/api/initiatives', 'secretariat', body);
      if (res.status !== 201)
        throw new Error(`POST /api/initiatives answered ${res.status}: ${JSON.stringify(res.body)}`);
    } else {
      await ctx.client.workflow.start(initiativeWorkflow, {
        workflowId: workflowIdOf(id),
        taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
        args: [ctx.startArgs(body, secretariat)],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    }
    latencies[kind].push(now() - t0);
  };

  // Warm-up, not counted: the first requests of a process compile and connect.
  await inParallel(4, 4, (i) => startOne('api', `start-warm-api-${i}`));
  await inParallel(4, 4, (i) => startOne('raw', `start-warm-raw-${i}`));
  latencies.api.length = 0;
  latencies.raw.length = 0;
  ids.push(...Array.from({ length: 4 }, (_, i) => [`start-warm-api-${i}`, `start-warm-raw-${i}`]).flat());
  await ctx.settle(ids, 60_000);

  // One at a time, the worker let catch up after each, so the figures are the calls' own.
  const one = { rawStart: [] as number[], rawStartAndQuery: [] as number[], api: [] as number[] };
  for (let i = 0; i < 6; i++) {
    const id = `start-one-${i}`;
    const body = startBody(id, 'benchmark-start');
    let t0 = now();
    const handle = await ctx.client.workflow.start(initiativeWorkflow, {
      workflowId: workflowIdOf(id),
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      args: [ctx.startArgs(body, secretariat)],
    });
    one.rawStart.push(now() - t0);
    await handle.query(msg.stateQuery);
    one.rawStartAndQuery.push(now() - t0);
    t0 = now();
    const res = await ctx.api('POST', '/api/initiatives', 'secretariat', startBody(`${id}-api`, 'benchmark-start'));
    if (res.status !== 201)
      throw new Error(`POST /api/initiatives answered ${res.status}: ${JSON.stringify(res.body)}`);
    one.api.push(now() - t0);
    ids.push(id, `${id}-api`);
    await ctx.settle(ids, 30_000);
  }
  const breakdown: StartBreakdown = {
    rawStart: summarize(one.rawStart),
    rawStartAndQuery: summarize(one.rawStartAndQuery),
    api: summarize(one.api),
  };
  ctx.log(
    `  start: one at a time, p50: raw start ${breakdown.rawStart.p50} ms, raw start and query ${breakdown.rawStartAndQuery.p50} ms, API ${breakdown.api.p50} ms`,
  );

  for (let pair = 0; pair < opts.maxPairs; pair++) {
    const order: ('api' | 'raw')[] = pair % 2 === 0 ? ['api', 'raw'] : ['raw', 'api'];
    for (const kind of order) {
      const roundIds = Array.from({ length: opts.perRound }, (_, i) => `start-${kind}-${pair}-${i}`);
      const ms = await ctx.withWorkersHeld(async () => {
        const t0 = now();
        await inParallel(roundIds.length, opts.concurrency, (i) => startOne(kind, roundIds[i]));
        return now() - t0;
      });
      ids.push(...roundIds);
      const settle = await ctx.settle(ids, Math.max(10_000, Math.min(120_000, phaseEnd - Date.now())));
      rounds.push({
        kind,
        count: roundIds.length,
        ms: Math.round(ms),
        perSecond: round((roundIds.length / ms) * 1000, 2),
        settleMs: settle.ms,
        settled: settle.settled,
      });
      ctx.log(
        `  start: ${kind} round ${pair + 1}: ${roundIds.length} in ${(ms / 1000).toFixed(1)} s; the worker caught up ${(settle.ms / 1000).toFixed(1)} s later${settle.settled ? '' : ' (not settled)'}`,
      );
    }
    if (Date.now() > phaseEnd) break;
  }

  const side = (kind: 'api' | 'raw'): StartSide => {
    const mine = rounds.filter((r) => r.kind === kind);
    const count = mine.reduce((s, r) => s + r.count, 0);
    const ms = mine.reduce((s, r) => s + r.ms, 0);
    return {
      count,
      seconds: round(ms / 1000, 2),
      perSecond: round((count / ms) * 1000, 2),
      latencyMs: summarize(latencies[kind]),
    };
  };
  const api = side('api');
  const raw = side('raw');
  const pairRatios = pairsOf(rounds).map(([a, b]) => ratio(a.perSecond, b.perSecond));
  const r = median(pairRatios);
  return {
    concurrency: opts.concurrency,
    breakdown,
    perRound: opts.perRound,
    rounds,
    api,
    raw,
    pairRatios,
    ratio: r,
    goal: { ratioAtLeast: START_GOAL },
    met: r >= START_GOAL,
    ids,
  };
}

/** The rounds two by two as [api, raw], whichever ran first in the pair. */
function pairsOf(rounds: readonly StartRound[]): [StartRound, StartRound][] {
  const pairs: [StartRound, StartRound][] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) {
    const [x, y] = [rounds[i], rounds[i + 1]];
    pairs.push(x.kind === 'api' ? [x, y] : [y, x]);
  }
  return pairs;
}
