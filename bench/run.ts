/**
 * `npm run bench`: the service's overhead over raw Temporal and MongoDB, and how the worker's cost
 * grows with open initiatives, measured in one run on a stack of its own (free ports, a temporary
 * folder): the embedded stack, or with BENCH_STACK=cluster (`npm run bench:cluster`) the production-like
 * cluster. Writes docs/performance.{json,md} (docs/performance-cluster.{json,md} for the cluster), prints
 * the table, and stops every process it started, also on Ctrl-C.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Budget, BenchContext } from './lib/context';
import { machineInfo } from './lib/machine';
import { machineCpu, sampleGroups } from './lib/proc';
import { ROLES, stackKind, type Role, type StackKind } from './lib/stacks';
import { benchBurst } from './phases/burst';
import { benchDecide } from './phases/decide';
import { benchList } from './phases/list';
import { benchReminders } from './phases/reminders';
import { benchScale } from './phases/scale';
import { benchStart } from './phases/start';
import {
  reportPaths,
  PROCESSES,
  renderMarkdown,
  renderTable,
  type BenchReport,
  type Phase,
  type PhaseUsage,
} from './report';

const STACK = stackKind(process.env.BENCH_STACK);
/**
 * 26 minutes on the embedded stack: full runs end inside it (the burst takes 7), and with npm's and ensure-deps.sh's
 * own seconds the whole command stays within 27. The cluster's run lists and opens up to 100,000 initiatives: 45.
 */
const BUDGET_SECONDS = Number(process.env.BENCH_BUDGET_SECONDS ?? (STACK === 'cluster' ? 45 : 26) * 60);
/** BENCH_PHASES=decide,start runs only those phases, for working on one figure; the report then goes to a temporary folder. */
const ONLY = process.env.BENCH_PHASES?.split(',')
  .map((p) => p.trim())
  .filter(Boolean);
const runs = (name: Phase) => !ONLY || ONLY.includes(name);
/** Kept for stopping the stack and writing the report. */
const RESERVE_MS = 60_000;

/** Given to the worker and the API. */
const ENV = {
  // As in the tests: the access log at info would add a JSON line per request to both API figures.
  LOG_LEVEL: 'warn',
  // The per-person limit on acts (60 a minute by default) would cap the decide benchmark, not measure it.
  RATE_LIMIT_ACTS_PER_MINUTE: '1000000',
};

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * What each phase does within the budget. The full run (26 minutes by default) measures what the issue asks; a
 * budget under 10 minutes is a smoke run of every phase at a tenth of the sizes (its report says so).
 */
function plan(budgetSec: number, stack: StackKind) {
  const full = budgetSec >= 600;
  const fullTargets = stack === 'cluster' ? [1000, 10_000, 100_000] : [1000, 5000, 10_000];
  const scaleTargets = full ? fullTargets : fullTargets.map((t) => t / 10);
  return {
    start: { concurrency: 8, perRound: full ? 32 : 8, maxPairs: full ? 5 : 2, budgetMs: budgetSec * 1000 * 0.1 },
    decide: { initiatives: full ? 8 : 4, budgetMs: budgetSec * 1000 * 0.08 },
    reminders: { initiatives: full ? 20 : 4, offsetsMs: [20_000, 10_000, 0], leadMs: 35_000, spacingMs: 1500 },
    // On the cluster a burst of the store's own page queries at 100,000 takes minutes; the scale phase needs the time.
    list: { levels: scaleTargets, budgetMs: budgetSec * 1000 * (stack === 'cluster' ? 0.3 : 0.45), maxBurstPairs: 2 },
    // The lead lets the worker record the starts and the mailer send their three emails each before T.
    burst: { reminders: full ? 1000 : 100, leadMs: full ? 300_000 : 60_000, concurrency: 8 },
    scale: { targets: scaleTargets },
  };
}

/** CPU seconds each role's processes (and their children) have used, and the benchmark's own; NaN for a role the stack does not run. */
function cpuOf(pids: Record<Role, number[]>): Record<(typeof PROCESSES)[number], number> {
  const groups = sampleGroups(pids);
  const own = process.cpuUsage();
  return {
    ...(Object.fromEntries(ROLES.map((role) => [role, groups[role].cpuSec])) as Record<Role, number>),
    bench: (own.user + own.system) / 1e6,
  };
}

async function main(): Promise<void> {
  const budget = new Budget(BUDGET_SECONDS * 1000);
  const report: BenchReport = {
    stack: STACK,
    generatedAt: new Date().toISOString(),
    durationSec: 0,
    budgetSec: BUDGET_SECONDS,
    machine: machineInfo(STACK),
    settings: {
      ...ENV,
      'list concurrency': 32,
      ...(BUDGET_SECONDS < 600 ? { 'smoke run': 'sizes cut to a tenth (budget under 10 minutes)' } : {}),
      ...(ONLY ? { phases: ONLY.join(', ') } : {}),
    },
    loadAverage: { atStart: os.loadavg(), atEnd: [] },
    usage: {},
    errors: {},
  };
  log(
    `benchmark: ${report.machine.cores} cores, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}; budget ${BUDGET_SECONDS} s`,
  );

  let ctx: BenchContext | undefined;
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log('\nstopping every process …');
      // The process exits once the stack is down, whether or not closing it failed.
      void (ctx ? ctx.close() : Promise.resolve()).finally(() => process.exit(130));
    });
  }

  try {
    ctx = await BenchContext.start({ kind: STACK, budget, log, env: ENV });
    const c = ctx;
    log(`stack ready after ${Math.round(budget.elapsedMs() / 1000)} s`);
    let open = 0;

    const phase = async <T>(name: Phase, run: () => Promise<T>): Promise<T | undefined> => {
      // Each phase starts once the worker has caught up with the previous one (or after 2 minutes).
      const settle = await c.settle([], Math.max(0, Math.min(120_000, budget.remainingMs() - RESERVE_MS - 60_000)));
      const outboxDocuments = await c.db.collection('outbox').countDocuments({});
      log(
        `${name} … (waited ${Math.round(settle.ms / 1000)} s for the worker${settle.settled ? '' : ', which had not caught up'}; ${outboxDocuments} emails in the outbox)`,
      );
      const cpu0 = cpuOf(c.pids());
      const machine0 = machineCpu();
      const t0 = Date.now();
      try {
        return await run();
      } catch (err) {
        report.errors[name] = (err as Error).message;
        log(`  ${name} failed: ${(err as Error).stack ?? String(err)}`);
        return undefined;
      } finally {
        const cpu1 = cpuOf(c.pids());
        report.usage[name] = {
          settleBeforeSec: Math.round(settle.ms / 1000),
          settledBefore: settle.settled,
          outboxDocuments,
          wallSec: Math.round((Date.now() - t0) / 1000),
          cpuSec: Object.fromEntries(
            PROCESSES.map((k) => [k, Math.round((cpu1[k] - cpu0[k]) * 10) / 10]),
          ) as PhaseUsage['cpuSec'],
          machineBusySec: Math.round((machineCpu().busySec - machine0.busySec) * 10) / 10,
          loadAverage: os.loadavg()[0],
        };
      }
    };
    const opened = <T extends { ids: string[] }>(result: T | undefined): Omit<T, 'ids'> | undefined => {
      if (!result) return undefined;
      const { ids, ...rest } = result;
      open += ids.length;
      return rest;
    };

    // Reminders first: on FerretDB each email's delivery reads the whole outbox (see the report), so
    // the phases that send mail would slow it for the rest.
    const p = plan(BUDGET_SECONDS, STACK);
    if (runs('reminders')) report.reminders = opened(await phase('reminders', () => benchReminders(c, p.reminders)));
    if (runs('decide')) report.decide = opened(await phase('decide', () => benchDecide(c, p.decide)));
    if (runs('start')) report.start = opened(await phase('start', () => benchStart(c, p.start)));
    if (runs('list')) report.list = await phase('list', () => benchList(c, p.list));
    if (runs('burst')) report.burst = await phase('burst', () => benchBurst(c, p.burst));
    if (runs('scale'))
      report.scale = await phase('scale', () =>
        benchScale(c, { ...p.scale, openBefore: open, budgetMs: budget.remainingMs() - RESERVE_MS }),
      );
  } catch (err) {
    report.errors.stack = (err as Error).message;
    log(`benchmark failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    log('stopping the stack …');
    await ctx?.close();
  }

  report.durationSec = Math.round(budget.elapsedMs() / 1000);
  report.loadAverage.atEnd = os.loadavg();
  // A smoke run's figures are not the benchmark's: they go to a temporary folder, not docs/.
  const [jsonPath, markdownPath] = reportPaths(
    STACK,
    BUDGET_SECONDS < 600 || ONLY ? path.join(os.tmpdir(), 'summit-bench-smoke') : undefined,
  );
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(markdownPath, renderMarkdown(report));
  log(`\n${renderTable(report)}\n`);
  log(`${report.durationSec} s; wrote ${jsonPath} and ${markdownPath}`);
  if (Object.keys(report.errors).length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
