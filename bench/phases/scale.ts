/**
 * Scale: the workers' memory and CPU (from /proc/<pid> of the worker processes themselves; summed over the
 * cluster's two), each other process's at every level, and the raw start's latency, as open
 * initiative workflows accumulate, with a sample every two seconds for the shape of growth and a
 * quiet window at each level. Starts are raw client.workflow.start calls (the start benchmark measures
 * the API's); each workflow then runs as it would for a user: its first task, recordChanges and its
 * emails. The phase measures its start rate first and only aims at the levels that fit in what is left
 * of the run's budget.
 */
import * as v8 from 'node:v8';
import { workflowIdOf } from '../../src/temporal/client';
import { initiativeWorkflow } from '../../workflows';
import type { BenchContext } from '../lib/context';
import { inParallel, sleep } from '../lib/pool';
import { cpuPercent, sampleGroups, sampleSum, type ProcSample } from '../lib/proc';
import type { Role } from '../lib/stacks';
import { summarize, type Summary } from '../lib/stats';
import { startBody } from './start';

export interface ScaleSample {
  atSec: number;
  open: number;
  rssMiB: number;
  cpuSec: number;
}

export interface ScaleLevel {
  /** Open initiative workflows (those earlier phases left open included). */
  open: number;
  /** Whether this is one of the aimed levels or where the budget ran out. */
  target: number | 'budget end';
  rssMiB: number;
  hwmMiB: number;
  threads: number;
  /** The worker's CPU over a 10 s window with no new starts (it may still be recording earlier ones). */
  windowCpuPercent: number;
  /** Worker CPU seconds per workflow started since the previous level. */
  cpuMsPerStart: number;
  /** RSS growth since the phase began, per workflow started in it. */
  kibPerWorkflow: number;
  /** Workflows this phase had started, and how many of them the read model shows. */
  started: number;
  recorded: number;
  /** Running workflows by Temporal's own count (visibility), when it answers. */
  temporalRunning?: number;
  atSec: number;
  /** Each group of processes over the same window: resident memory and percent of one core. */
  byRole: Partial<Record<Role, { rssMiB: number; cpuPercent: number }>>;
  /** Raw client.workflow.start latency of the starts since the previous level (ms). */
  startLatencyMs: Summary;
}

export interface ScaleResult {
  targets: number[];
  aimed: number[];
  openBefore: number;
  started: number;
  /** Starts per second Temporal accepted, and read-model records per second, over the ramp. */
  startRate: number;
  recordRate: number;
  /** Seconds each target would take at the measured start rate, from the phase's beginning. */
  projectedSeconds: Record<string, number>;
  baseline: { rssMiB: number; cpuSec: number };
  levels: ScaleLevel[];
  samples: ScaleSample[];
  /** The SDK's default maxCachedWorkflows for this machine's V8 heap limit (worker-options.js). */
  defaultCacheSize: number;
  seconds: number;
}

const WINDOW_MS = 10_000;
const SETTLE_MS = 5_000;
const CONCURRENCY = 16;
const CHUNK = 50;

/** What @temporalio/worker takes as maxCachedWorkflows when none is set (reuseV8Context, its default). */
export function defaultMaxCachedWorkflows(): number {
  const heapMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

export async function benchScale(
  ctx: BenchContext,
  opts: { targets: number[]; openBefore: number; budgetMs: number },
): Promise<ScaleResult> {
  const phaseStart = Date.now();
  const phaseEnd = phaseStart + opts.budgetMs;
  const workers = () => sampleSum(ctx.pids().worker);
  const secretariat = await ctx.actor('secretariat');
  const base = workers();
  const samples: ScaleSample[] = [];
  let started = 0;
  const open = () => opts.openBefore + started;
  const sample = () => {
    const s = workers();
    samples.push({
      atSec: Math.round((s.at - phaseStart) / 100) / 10,
      open: open(),
      rssMiB: s.rssMiB,
      cpuSec: Math.round(s.cpuSec * 10) / 10,
    });
    return s;
  };
  const sampler = setInterval(sample, 2000);
  const recordedCount = async () => ctx.db.collection('initiatives').countDocuments({ category: 'benchmark-scale' });

  let latencies: number[] = [];
  const startChunk = async (n: number) => {
    const first = started;
    await inParallel(n, CONCURRENCY, async (i) => {
      const id = `scale-${first + i}`;
      const t = performance.now();
      await ctx.client.workflow.start(initiativeWorkflow, {
        workflowId: workflowIdOf(id),
        taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
        args: [ctx.startArgs(startBody(id, 'benchmark-scale'), secretariat)],
      });
      latencies.push(performance.now() - t);
    });
    started += n;
  };

  const levels: ScaleLevel[] = [];
  let previous: ProcSample = base;
  let previousStarted = 0;
  const measure = async (target: ScaleLevel['target']) => {
    await sleep(SETTLE_MS);
    const a = sample();
    const groupsA = sampleGroups(ctx.pids());
    await sleep(WINDOW_MS);
    const b = sample();
    const groupsB = sampleGroups(ctx.pids());
    const byRole: ScaleLevel['byRole'] = {};
    for (const role of Object.keys(groupsB) as Role[]) {
      if (!Number.isFinite(groupsB[role].cpuSec)) continue;
      byRole[role] = {
        rssMiB: groupsB[role].rssMiB,
        cpuPercent: Math.round(((groupsB[role].cpuSec - groupsA[role].cpuSec) / (WINDOW_MS / 1000)) * 1000) / 10,
      };
    }
    const [recorded, temporalRunning] = await Promise.all([
      recordedCount(),
      ctx.client.workflow.count('WorkflowType = "initiativeWorkflow" AND ExecutionStatus = "Running"').then(
        (c) => c.count,
        () => undefined,
      ),
    ]);
    const newStarts = started - previousStarted;
    levels.push({
      open: open(),
      target,
      rssMiB: b.rssMiB,
      hwmMiB: b.hwmMiB,
      threads: b.threads,
      windowCpuPercent: cpuPercent(a, b),
      cpuMsPerStart: newStarts > 0 ? Math.round(((a.cpuSec - previous.cpuSec) * 1000) / newStarts) : NaN,
      kibPerWorkflow: started > 0 ? Math.round(((b.rssMiB - base.rssMiB) * 1024) / started) : NaN,
      started,
      recorded,
      temporalRunning,
      atSec: Math.round((b.at - phaseStart) / 1000),
      byRole,
      startLatencyMs: summarize(latencies),
    });
    latencies = [];
    previous = b;
    previousStarted = started;
    ctx.log(
      `  scale: ${open()} open: worker RSS ${b.rssMiB} MiB, ${cpuPercent(a, b)} % CPU over 10 s; ${recorded} of ${started} recorded`,
    );
  };

  // The start rate decides which levels fit: measured over the first chunks.
  // A level's measurement: the pause, the window, and counting what the read model holds (a full scan on FerretDB).
  const reserveMs = SETTLE_MS + WINDOW_MS + 30_000;
  let startRate = NaN;
  const projectedSeconds: Record<string, number> = {};
  let aimed = [...opts.targets];
  try {
    const probeUntil = Date.now() + 20_000;
    while (started < 200 && Date.now() < probeUntil && open() < opts.targets[0])
      await startChunk(Math.min(CHUNK, opts.targets[0] - open()));
    startRate = (started / (Date.now() - phaseStart)) * 1000;
    for (const t of opts.targets)
      projectedSeconds[t] = Math.round(
        (t - opts.openBefore) / startRate + (opts.targets.indexOf(t) + 1) * (reserveMs / 1000),
      );
    aimed = opts.targets.filter((t) => phaseStart + projectedSeconds[t] * 1000 <= phaseEnd);
    ctx.log(
      `  scale: ${startRate.toFixed(1)} starts/s; projected ${opts.targets.map((t) => `${t}: ${projectedSeconds[t]} s`).join(', ')}; ${Math.round(opts.budgetMs / 1000)} s left: aiming at ${aimed.join(', ') || 'as many as fit'}`,
    );

    for (const target of aimed) {
      while (open() < target && Date.now() < phaseEnd - reserveMs) await startChunk(Math.min(CHUNK, target - open()));
      if (open() < target) break;
      await measure(target);
    }
    // Where the budget ran out, when that was short of the next target.
    const remaining = opts.targets.filter((t) => t > open());
    if (remaining.length > 0 && Date.now() < phaseEnd - reserveMs) {
      while (open() < remaining[0] && Date.now() < phaseEnd - reserveMs)
        await startChunk(Math.min(CHUNK, remaining[0] - open()));
    }
    if (levels.length === 0 || levels[levels.length - 1].open < open()) await measure('budget end');
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - phaseStart) / 1000;
  return {
    targets: opts.targets,
    aimed,
    openBefore: opts.openBefore,
    started,
    startRate: Math.round(startRate * 10) / 10,
    recordRate: Math.round(((levels[levels.length - 1]?.recorded ?? 0) / seconds) * 10) / 10,
    projectedSeconds,
    baseline: { rssMiB: base.rssMiB, cpuSec: Math.round(base.cpuSec * 10) / 10 },
    levels,
    samples,
    defaultCacheSize: defaultMaxCachedWorkflows(),
    seconds: Math.round(seconds),
  };
}
