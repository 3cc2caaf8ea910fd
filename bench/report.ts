/**
 * Renders the benchmark's JSON (docs/performance.json) as the table printed at the end of a run and as
 * docs/performance.md. `npx tsx bench/report.ts` renders the Markdown again from the JSON alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineInfo } from './lib/machine';
import { ROLES, type StackKind } from './lib/stacks';
import type { Summary } from './lib/stats';
import type { BurstResult } from './phases/burst';
import type { DecideResult } from './phases/decide';
import type { ListResult } from './phases/list';
import type { ReminderResult } from './phases/reminders';
import type { ScaleResult, ScaleSample } from './phases/scale';
import type { StartResult } from './phases/start';

/** In the order a run takes them. */
export const PHASES = ['reminders', 'decide', 'start', 'list', 'burst', 'scale'] as const;
export type Phase = (typeof PHASES)[number];
export const PROCESSES = [...ROLES, 'bench'] as const;

export interface PhaseUsage {
  /** How long the phase waited for the worker to send every queued email first, and whether it had. */
  settleBeforeSec: number;
  settledBefore: boolean;
  /** Emails in the outbox when the phase began: on FerretDB, each delivery reads them all. */
  outboxDocuments: number;
  wallSec: number;
  /** CPU seconds each group of processes used during the phase (NaN, null in JSON, for one the stack does not run). */
  cpuSec: Record<(typeof PROCESSES)[number], number>;
  /** Busy CPU seconds of the whole machine (every process, ours and others'), and the load average at the end. */
  machineBusySec: number;
  loadAverage: number;
}

export interface BenchReport {
  /** Absent in reports written before the cluster was measured: those are the embedded stack's. */
  stack?: StackKind;
  generatedAt: string;
  durationSec: number;
  budgetSec: number;
  machine: MachineInfo;
  settings: Record<string, string | number>;
  loadAverage: { atStart: number[]; atEnd: number[] };
  usage: Partial<Record<Phase, PhaseUsage>>;
  start?: Omit<StartResult, 'ids'>;
  decide?: Omit<DecideResult, 'ids'>;
  reminders?: Omit<ReminderResult, 'ids'>;
  list?: ListResult;
  burst?: BurstResult;
  scale?: ScaleResult;
  errors: Partial<Record<Phase | 'stack', string>>;
}

const DOCS = path.resolve(__dirname, '..', 'docs');
const BASENAME: Record<StackKind, string> = { embedded: 'performance', cluster: 'performance-cluster' };

/** Where a stack's report goes: docs/, or another folder (a smoke run's). */
export function reportPaths(stack: StackKind, dir = DOCS): [json: string, markdown: string] {
  return [path.join(dir, `${BASENAME[stack]}.json`), path.join(dir, `${BASENAME[stack]}.md`)];
}

/** The issue's absolute goals for one list page, by stack and stored initiatives. */
const LIST_PAGE_GOAL_MS: Record<StackKind, Record<number, number>> = {
  embedded: { 10_000: 100 },
  cluster: { 10_000: 50, 100_000: 50 },
};
const stackOf = (r: BenchReport): StackKind => r.stack ?? 'embedded';

const ms = (x: number) => (Number.isFinite(x) ? `${x} ms` : 'n/a');
const num = (x: number | undefined, digits = 2) =>
  x !== undefined && Number.isFinite(x) ? String(Math.round(x * 10 ** digits) / 10 ** digits) : 'n/a';
const yes = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : '**missed**');

interface Row {
  figure: string;
  service: string;
  raw: string;
  ratio: string;
  goal: string;
  met: string;
}

/** The figures, one row each: what the service achieved, the raw baseline, their ratio and the goal. */
export function rows(r: BenchReport): Row[] {
  const out: Row[] = [];
  if (r.start) {
    const s = r.start;
    out.push({
      figure: `start throughput (${s.concurrency} concurrent)`,
      service: `${s.api.perSecond}/s`,
      raw: `${s.raw.perSecond}/s`,
      ratio: `${num(s.ratio)} (median of ${s.pairRatios?.length ?? 0} pairs: ${(s.pairRatios ?? []).map((x) => num(x)).join(', ')})`,
      goal: `≥ ${s.goal.ratioAtLeast}`,
      met: yes(s.met),
    });
  }
  if (r.decide) {
    const d = r.decide;
    out.push({
      figure: 'decide p50 (API until the read model shows it)',
      service: ms(d.apiVisible.p50),
      raw: ms(d.raw.p50),
      ratio: num(d.ratioP50),
      goal: `≤ ${d.goal.ratioAtMost}`,
      met: yes(d.ratioP50 <= d.goal.ratioAtMost),
    });
    out.push({
      figure: 'decide p95 (API until the read model shows it)',
      service: ms(d.apiVisible.p95),
      raw: ms(d.raw.p95),
      ratio: num(d.ratioP95),
      goal: `≤ ${d.goal.ratioAtMost}`,
      met: yes(d.ratioP95 <= d.goal.ratioAtMost),
    });
    if (d.actorSees)
      out.push({
        figure: "decide p50 / p95 (API answer, then the actor's own GET of the initiative shows it)",
        service: `${ms(d.actorSees.p50)} / ${ms(d.actorSees.p95)}`,
        raw: `${ms(d.raw.p50)} / ${ms(d.raw.p95)}`,
        ratio: `${num(d.actorSees.p50 / d.raw.p50)} / ${num(d.actorSees.p95 / d.raw.p95)}`,
        goal: 'for reference',
        met: '',
      });
    out.push({
      figure: 'decide p50 / p95 (API answer only)',
      service: `${ms(d.apiResponse.p50)} / ${ms(d.apiResponse.p95)}`,
      raw: `${ms(d.raw.p50)} / ${ms(d.raw.p95)}`,
      ratio: `${num(d.responseRatioP50)} / ${num(d.responseRatioP95)}`,
      goal: 'for reference',
      met: '',
    });
  }
  if (r.list) {
    const goal = `≤ ${r.list.goal.ratioAtMost}`;
    for (const l of r.list.levels) {
      const c = l.concurrent;
      if (c) {
        out.push({
          figure: `list p50 / p99 at ${l.stored} stored (${r.list.concurrency} connections)`,
          service: `${ms(c.api.p50)} / ${ms(c.api.p99)}`,
          raw: `${ms(c.raw.p50)} / ${ms(c.raw.p99)}`,
          ratio: `${num(c.ratioP50)} / ${num(c.ratioP99)}`,
          goal,
          met: yes(c.ratioP50 <= r.list.goal.ratioAtMost && c.ratioP99 <= r.list.goal.ratioAtMost),
        });
      } else {
        out.push({
          figure: `list at ${l.stored} stored (${r.list.concurrency} connections)`,
          service: `not measured: a burst would take ~${l.skippedBurstSeconds} s`,
          raw: '',
          ratio: '',
          goal,
          met: '**missed**',
        });
      }
      const absolute = LIST_PAGE_GOAL_MS[stackOf(r)][l.stored];
      out.push({
        figure: `list p50 at ${l.stored} stored (one request at a time)`,
        service: ms(l.sequential.api.p50),
        raw: ms(l.sequential.raw.p50),
        ratio: num(l.sequential.ratioP50),
        goal: absolute ? `≤ ${absolute} ms` : 'for reference',
        met: absolute ? yes(l.sequential.api.p50 <= absolute) : '',
      });
    }
  }
  if (r.reminders) {
    const m = r.reminders;
    out.push({
      figure: `reminder lateness p50 / p99 (${m.arrived} of ${m.expected} arrived)`,
      service: `${ms(m.lateness.p50)} / ${ms(m.lateness.p99)}`,
      raw: '',
      ratio: '',
      goal: `p99 ≤ ${m.goal.p99AtMostMs} ms`,
      met: yes(m.met),
    });
  }
  if (r.burst) {
    const b = r.burst;
    out.push({
      figure: `burst: ${b.reminders} reminders due at one instant, delivered within ${b.goal.allWithinMs / 1000} s (the last after)`,
      service: `${b.curve.find((c) => c.afterSec * 1000 === b.goal.allWithinMs)?.delivered ?? 'n/a'} of ${b.reminders} (${ms(b.lastDeliveredMs)})`,
      raw: '',
      ratio: '',
      goal: `all ≤ ${b.goal.allWithinMs} ms`,
      met: yes(b.met),
    });
  }
  if (r.scale) {
    for (const l of r.scale.levels) {
      out.push({
        figure: `worker at ${l.open} open workflows${l.target === 'budget end' ? ' (where the budget ran out)' : ''}`,
        service: `RSS ${l.rssMiB} MiB, ${num(l.windowCpuPercent, 1)} % CPU`,
        raw: '',
        ratio: '',
        goal: 'shape of growth',
        met: `${num(l.kibPerWorkflow, 0)} KiB/workflow`,
      });
    }
    const missing = r.scale.targets.filter((t) => !r.scale!.levels.some((l) => l.open >= t));
    if (missing.length)
      out.push({
        figure: `worker at ${missing.join(', ')} open workflows`,
        service: 'not reached',
        raw: '',
        ratio: '',
        goal: `within ${Math.round(r.budgetSec / 60)} min`,
        met: '**missed**',
      });
  }
  return out;
}

/** The table printed at the end of a run. */
export function renderTable(r: BenchReport): string {
  const header: Row = { figure: 'figure', service: 'service', raw: 'raw', ratio: 'ratio', goal: 'goal', met: 'result' };
  const all = [header, ...rows(r)].map((x) => ({ ...x, met: x.met.replace(/\*/g, '') }));
  const keys = Object.keys(header) as (keyof Row)[];
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...all.map((x) => x[k].length))])) as Record<
    keyof Row,
    number
  >;
  const line = (x: Row) =>
    keys
      .map((k) => x[k].padEnd(width[k]))
      .join('  ')
      .trimEnd();
  return [line(all[0]), keys.map((k) => '-'.repeat(width[k])).join('  '), ...all.slice(1).map(line)].join('\n');
}

function mdTable(header: string[], body: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const summaryCells = (s: Summary) => [s.n, s.p50, s.p95, s.p99, s.max].map(String);

/** CPU seconds of the stack's processes and the benchmark in a phase; a group the stack does not run counts nothing. */
const ownCpu = (u: PhaseUsage) => Object.values(u.cpuSec).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);

function usageTable(r: BenchReport): string {
  const phases = PHASES.filter((p) => r.usage[p]);
  // The groups this stack runs (the embedded stack has no PostgreSQL).
  const processes = PROCESSES.filter((k) => phases.some((p) => Number.isFinite(r.usage[p]!.cpuSec[k])));
  const body = phases.map((p) => {
    const u = r.usage[p]!;
    const ours = ownCpu(u);
    return [
      p,
      `${u.settleBeforeSec}${u.settledBefore ? '' : ' (not caught up)'}`,
      String(u.outboxDocuments),
      num(u.wallSec, 0),
      ...processes.map((k) => num(u.cpuSec[k], 1)),
      num(u.machineBusySec - ours, 1),
      num(u.loadAverage, 1),
    ];
  });
  return mdTable(
    [
      'phase',
      'waited for the worker s',
      'emails in outbox',
      'wall s',
      ...processes.map((p) => `${p} CPU s`),
      'other processes CPU s',
      'load avg at end',
    ],
    body,
  );
}

function scaleSection(s: ScaleResult): string {
  const lines: string[] = [];
  // Reports written before the start latency was measured at each level have none.
  const latency = s.levels.some((l) => l.startLatencyMs);
  lines.push(
    `Workflows were started with raw \`client.workflow.start\` (${s.started} in ${s.seconds} s of this phase, on top of ${s.openBefore} left open by the earlier phases) at ` +
      `${s.startRate} starts/s; the read model recorded ${s.recordRate}/s over the phase. Projected time to reach each target at that start rate: ` +
      `${Object.entries(s.projectedSeconds)
        .map(([t, sec]) => `${t}: ${sec} s`)
        .join(', ')}; aimed at: ${s.aimed.join(', ') || 'none of them in full'}.`,
  );
  lines.push('');
  lines.push(
    mdTable(
      [
        'open workflows',
        'level',
        'RSS MiB',
        'peak RSS MiB',
        'threads',
        'CPU % (10 s window, no new starts)',
        'CPU ms per start',
        'KiB per workflow',
        'recorded in read model',
        'Temporal: running',
        ...(latency ? ['raw start p50 / p99 ms'] : []),
      ],
      s.levels.map((l) => [
        String(l.open),
        String(l.target),
        String(l.rssMiB),
        String(l.hwmMiB),
        String(l.threads),
        num(l.windowCpuPercent, 1),
        num(l.cpuMsPerStart, 0),
        num(l.kibPerWorkflow, 0),
        `${l.recorded} of ${l.started}`,
        l.temporalRunning === undefined ? 'n/a' : String(l.temporalRunning),
        ...(latency ? [l.startLatencyMs ? `${l.startLatencyMs.p50} / ${l.startLatencyMs.p99}` : 'n/a'] : []),
      ]),
    ),
  );
  const roles = ROLES.filter((role) => s.levels.some((l) => l.byRole?.[role]));
  if (roles.length) {
    lines.push('');
    lines.push(
      `Every process at each level (proportional memory, PSS, in MiB / percent of one core over the same 10 s window; each group summed${roles.includes('postgres') ? ', PostgreSQL with its backends' : ''}):`,
    );
    lines.push('');
    lines.push(
      mdTable(
        ['open workflows', ...roles],
        s.levels.map((l) => [
          String(l.open),
          ...roles.map((role) => {
            const g = l.byRole?.[role];
            return g ? `${num(g.rssMiB, 0)} / ${num(g.cpuPercent, 1)}` : 'n/a';
          }),
        ]),
      ),
    );
  }
  // How fast RSS grew per workflow while the cache filled, and after (least squares over the samples).
  const slope = (points: ScaleSample[]) => {
    if (points.length < 3) return NaN;
    const mx = points.reduce((a, p) => a + p.open, 0) / points.length;
    const my = points.reduce((a, p) => a + p.rssMiB, 0) / points.length;
    const sxx = points.reduce((a, p) => a + (p.open - mx) ** 2, 0);
    return sxx > 0 ? (points.reduce((a, p) => a + (p.open - mx) * (p.rssMiB - my), 0) / sxx) * 1024 : NaN;
  };
  const below = slope(s.samples.filter((p) => p.open <= s.defaultCacheSize));
  const above = slope(s.samples.filter((p) => p.open > s.defaultCacheSize));
  lines.push('');
  lines.push(
    `RSS grew by about ${num(below, 0)} KiB per open workflow up to the cache size (${s.defaultCacheSize})` +
      (Number.isFinite(above)
        ? `, and by about ${num(above, 0)} KiB per workflow beyond it.`
        : '; the run did not go beyond it.'),
  );
  // The growth curve, thinned to about a dozen points.
  const step = Math.max(1, Math.ceil(s.samples.length / 12));
  const points = s.samples.filter((_, i) => i % step === 0 || i === s.samples.length - 1);
  lines.push('');
  lines.push(
    `Worker RSS (summed over the workers) as workflows accumulated (baseline ${s.baseline.rssMiB} MiB before the phase; a sample every 2 s, thinned):`,
  );
  lines.push('');
  lines.push(
    mdTable(
      ['s', 'open', 'RSS MiB', 'CPU s (cumulative)'],
      points.map((p) => [String(p.atSec), String(p.open), String(p.rssMiB), String(p.cpuSec)]),
    ),
  );
  return lines.join('\n');
}

/** What limits each figure and, for a missed goal, what bounds it and what was tried. Numbers come from the run. */
function limits(r: BenchReport): string[] {
  const out: string[] = [];
  const u = r.usage;
  const cpu = (p: Phase, k: (typeof PROCESSES)[number]) => num(u[p]?.cpuSec[k], 1);
  if (r.start) {
    const s = r.start;
    out.push('### Start throughput');
    const b = s.breakdown;
    out.push(
      `One start at a time, with the worker idle (medians): raw \`client.workflow.start\` ${ms(b.rawStart.p50)}; \`POST /api/initiatives\` ${ms(b.api.p50)}. ` +
        "The API answers with the view the workflow's own rule gives for the start's input (`startInitiative` and `viewOf` of src/domain, which the workflow runs on the " +
        'same input), so it no longer queries the new workflow, which waited for the worker to run its first task: a start followed by that query takes ' +
        `${ms(b.rawStartAndQuery.p50)}. Authentication reuses a token's person for 5 s (src/api/auth.ts) and the proposing state once found for a minute, so a start ` +
        `reads nothing from MongoDB on its way; what is left, about ${ms(Math.round(b.api.p50 - b.rawStart.p50))} a start, is the API process's own: HTTP, validation, ` +
        'the rate-limit count (an insert in MongoDB, so that every API process counts against one limit), JSON, and its own gRPC call to Temporal.',
      '',
    );
    out.push(
      `Under load (${s.concurrency} concurrent): raw \`client.workflow.start\` returns once the Temporal dev server has persisted the start (${ms(s.raw.latencyMs.p50)} median); ` +
        `\`POST /api/initiatives\` makes the same call (${ms(s.api.latencyMs.p50)} median). The worker and the mailer are held still (SIGSTOP) while a round runs, and ` +
        'then let record each new initiative in FerretDB (read model, audit trail, three "started" emails queued) and send its emails before the next round: ' +
        `FerretDB used ${cpu('start', 'ferretdb')} CPU s, the worker ${cpu('start', 'worker')}, the mailer ${cpu('start', 'mailer')}, Temporal ${cpu('start', 'temporal')} ` +
        `and the API ${cpu('start', 'api')} in this phase.`,
    );
    if (!s.met) {
      out.push(
        '',
        `Goal missed (ratio ${num(s.ratio)}): both sides wait for the same persisted start; the API adds its own process on the path (an HTTP request, express, ` +
          `validation and JSON, then a gRPC call from a second client), about ${ms(Math.round(b.api.p50 - b.rawStart.p50))} a start one at a time. Under load the API ` +
          'process is the bound: a CPU profile of it during the rounds shows about 7 ms of its one core per start (express, JSON, validation, the sealing HMAC, the ' +
          "driver's work for the rate-limit count, and a fifth of it garbage collection), so 8 concurrent requests queue in its event loop while Temporal answers the " +
          'same call in the same time for both sides; the 2 cores are shared with Temporal and the benchmark itself ' +
          `(load average ${num(u.start?.loadAverage, 1)} at the end of this phase). A round of ${s.perRound} starts lasts well under a second, so a few slow requests move ` +
          "a round's rate (see Start rounds under Details); the ratio is the median of the pairs' ratios, each pair run back to back. Tried: the same concurrency for both sides, rounds alternating, the worker held during rounds and let catch up between them so " +
          "neither side pays for the other's backlog, removing every MongoDB read and the worker round trip from the API's start (above), and the rate-limit count " +
          'claimed behind the request below a quarter of the limit (taken back: with those inserts overlapping the recordings, FerretDB on SQLite slowed the ' +
          'whole test suite by half). Left: a second API process (the cluster runs two) or a lighter HTTP stack.',
      );
    }
    out.push('');
  }
  if (r.decide) {
    const d = r.decide;
    out.push('### Decide latency');
    out.push(
      `A raw \`executeUpdate\` returns when the worker has run the update's handler and the server has recorded its completion (${ms(d.raw.p50)} median). ` +
        `The API answers after the same update plus authentication and validation (${ms(d.apiResponse.p50)} median, ratio ${num(d.responseRatioP50)}). ` +
        `The read model shows the decision only after the workflow's recordChanges activity has run (audit event, the view replaced by version, ` +
        `the "decision recorded" email queued): ${ms(d.apiVisible.p50)} median from the API request, ${ms(d.rawVisible.p50)} from a raw update. ` +
        'That activity is the larger part of the figure, and it runs the same way whichever side made the decision.',
    );
    if (!d.met) {
      out.push(
        '',
        `Goal missed (ratio ${num(d.ratioP50)} at p50, ${num(d.ratioP95)} at p95): the issue's measure includes the read model on the API side only, and the read ` +
          'model is written by an activity after the update has completed (DESIGN.md: only activities write it), so the figure adds an activity task round trip and ' +
          `FerretDB's writes. Measured the same way, a raw update takes ${ms(d.rawVisible.p50)} until the read model shows it (the API ${ms(d.apiVisible.p50)}), and the ` +
          `API's answer alone is ${num(d.responseRatioP50)}× the raw update at p50 (authentication reads nothing from MongoDB while its cache holds; the ` +
          'rate-limit count is one insert). `saveView` in src/persistence/initiatives.ts reads the stored versions of the view and of its listing ' +
          'entry and replaces what is older, every step by `_id` alone: FerretDB 1.24 on SQLite does not push down a filter of `_id` and the version (measured ' +
          "at 20,000 documents: 320 ms a find, against 30 ms by `_id` alone). The trail's signed checkpoint is written before the view, after the events; " +
          `a replace of a 2 KB document takes about 15 ms on FerretDB with SQLite, which used ${cpu('decide', 'ferretdb')} CPU s in this phase's ` +
          `${u.decide?.wallSec ?? '?'} s (the recordings and the mailer's deliveries share it). ` +
          'Tried: polling the read model by `_id` alone every 2 ms so the probe itself stays cheap. What would ' +
          "close it is in the workflow (workflows/, not changed here): an update that answers only once its recordChanges activity has run would make the API's answer " +
          "the moment the read model shows the decision, at the price of a slower answer and of the activity's retries holding the update open during a MongoDB outage.",
      );
    }
    out.push('');
  }
  if (r.list) {
    const l = r.list;
    const pushed = Object.entries(l.explain).map(
      ([q, e]) =>
        `\`${q}\`: ${Object.entries(e)
          .filter(([k]) => /pushdown/i.test(k))
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(', ')}`,
    );
    out.push('### List latency');
    out.push(
      `The API answers a list from its mirror of the listing (src/persistence/listing-mirror.ts): every entry of collection \`${l.collection}\` ` +
        `(one slim entry per initiative with only what \`GET /api/initiatives\` returns and filters on: ${l.entryBytes} bytes of BSON for an initiative in sign-off, ` +
        `against ${l.viewBytes} for its whole view) held in the API process's memory in list order, kept up to date from the listing's change log ` +
        '(src/persistence/listing-changes.ts): before each page the API reads the changes written since the last one, each a find by `_id`, then filters, counts ' +
        'and cuts the page in memory. The raw baseline is the store answering the same page itself: the page query, sorted, and its count, in parallel, ' +
        'all 32 at once as a plain driver sends them. ' +
        'FerretDB 1.24 with its SQLite backend pushes a filter down to SQLite only when it is `{_id: value}` alone, and a sort only on `$natural`; every other ' +
        'filter reads and decodes every listing entry in Go, twice per page, so the raw figures grow with the number of stored initiatives while the ' +
        'mirror reads two documents by `_id` per page when nothing changed (the next change, missing, and the floor of the log). explain() of each page query on FerretDB:',
      '',
      ...pushed.map((p) => `- ${p}`),
      '',
      `FerretDB used ${cpu('list', 'ferretdb')} CPU s in this phase.`,
    );
    if (!l.met) {
      const skipped = l.levels.filter((x) => !x.concurrent);
      const over = l.levels.filter(
        (x) =>
          x.concurrent && (x.concurrent.ratioP50 > l.goal.ratioAtMost || x.concurrent.ratioP99 > l.goal.ratioAtMost),
      );
      const largest = l.levels[l.levels.length - 1];
      const usPerDoc = largest ? Math.round((largest.sequential.raw.p50 * 1000) / (2 * largest.stored)) : NaN;
      out.push('');
      if (skipped.length) {
        out.push(
          `Not measured at ${l.concurrency} connections: ${skipped.map((x) => `${x.stored} stored (a pair of bursts would take about ${2 * (x.skippedBurstSeconds ?? 0)} s)`).join(', ')}, within the ` +
            `phase's share of the run's ${Math.round(r.budgetSec / 60)} minutes. One request at a time, a page at ${largest.stored} stored took ${ms(largest.sequential.raw.p50)} on the raw driver: about ` +
            `${usPerDoc} µs of FerretDB per stored initiative and scan, two scans a page. The one-request-at-a-time ratios above show the API's overhead at every level.`,
        );
      }
      if (over.length) {
        out.push(
          `Over ${l.goal.ratioAtMost}× at ${over.map((x) => x.stored).join(', ')} stored: the per-filter figures below show which pages.`,
        );
      }
    }
    out.push('');
  }
  if (r.reminders) {
    const m = r.reminders;
    out.push('### Reminder lateness');
    out.push(
      `${m.initiatives} initiatives with deadlines seconds away and offsets ${m.offsetsMs.join(', ')} ms. A reminder is a Temporal timer in the workflow; when it fires the worker runs ` +
        'a workflow task, then recordChanges (the event, the view, the email rendered with its .ics and queued in the outbox), and the mailer process runs deliverNotifications (claim, SMTP, record). ' +
        `From the scheduled instant to the outbox's sentAt: p50 ${ms(m.sentAtLateness.p50)}, p99 ${ms(m.sentAtLateness.p99)}; first seen in MailDev (polled every 100 ms): ` +
        `p50 ${ms(m.lateness.p50)}, p99 ${ms(m.lateness.p99)}. Escalations at the deadline, for comparison: p50 ${ms(m.escalationLateness.p50)}, p99 ${ms(m.escalationLateness.p99)}. ` +
        `Where a reminder's time goes (p50 / p99): the timer until the workflow performs it ${ms(m.stages.timerToWorkflow.p50)} / ${ms(m.stages.timerToWorkflow.p99)}, ` +
        `recordChanges until the email is queued ${ms(m.stages.workflowToQueued.p50)} / ${ms(m.stages.workflowToQueued.p99)}, ` +
        `delivery until the SMTP server accepts it ${ms(m.stages.queuedToSent.p50)} / ${ms(m.stages.queuedToSent.p99)}.`,
    );
    if (!m.met) {
      out.push(
        '',
        `Goal missed (p99 ${ms(m.lateness.p99)}). Each of the three stages above waits for CPU: in this phase the stack used ` +
          `${num(
            Object.values(u.reminders?.cpuSec ?? {}).reduce((a, b) => a + b, 0),
            1,
          )} CPU s and the other processes on the machine ` +
          `${num((u.reminders?.machineBusySec ?? 0) - Object.values(u.reminders?.cpuSec ?? {}).reduce((a, b) => a + b, 0), 1)} (load average ${num(u.reminders?.loadAverage, 1)} ` +
          `on 2 cores), so the timer's own stage (Temporal firing it and the worker running the task) already reached ${ms(m.stages.timerToWorkflow.p99)} at p99. ` +
          `The outbox held ${u.reminders?.outboxDocuments ?? 'n/a'} emails when the phase began. Tried: reminders first in the run, while the outbox is smallest, and deadlines 1.5 s apart.`,
      );
    }
    out.push('');
  }
  if (r.burst) out.push(...burstLimits(r.burst, r.usage.burst), '');
  if (r.scale) {
    const s = r.scale;
    out.push('### Scale');
    out.push(
      `The worker keeps up to maxCachedWorkflows workflows in memory (not set in src/worker.ts, so the SDK's default: ${s.defaultCacheSize} on this machine, from the V8 heap limit); ` +
        'beyond that it evicts the least recently used and replays a workflow from its history when it next has work, so memory should grow with open workflows up to ' +
        'the cache size and much more slowly after it (see the slopes under Details). CPU goes to starting and recording workflows, not to holding them: a sleeping ' +
        'workflow is a timer on the Temporal server, and the 10 s windows with no new starts show what the worker spends while its recording backlog drains. ' +
        'In this run most workflows of the phase were still waiting for their first recordChanges when measured (the recorded column), so the later levels hold ' +
        'that backlog too: the worker caches workflows blocked on an activity as it would sleeping ones.',
    );
    const missing = s.targets.filter((t) => !s.levels.some((l) => l.open >= t));
    if (missing.length) {
      out.push(
        '',
        `Not reached: ${missing.join(', ')} open workflows within the run's ${Math.round(r.budgetSec / 60)}-minute budget. The start rate was ${s.startRate}/s (the Temporal dev ` +
          `server on SQLite, sharing the 2 cores with FerretDB and the other processes on the machine; Temporal used ${cpu('scale', 'temporal')} CPU s and FerretDB ` +
          `${cpu('scale', 'ferretdb')} in this phase): at that rate ${missing.map((t) => `${t} would take ${s.projectedSeconds[t]} s`).join(' and ')} of this phase alone, ` +
          `which had ${Math.round(u.scale?.wallSec ?? s.seconds)} s after the other phases. The read model ` +
          `recorded ${s.recordRate} initiatives/s (each recording appends the audit trail, stores the view and its listing entry, and queues and sends three emails, ` +
          "on FerretDB's single SQLite writer). The recording backlog is still draining at the later levels (see 'recorded' above), so their CPU " +
          'figures include that work. Tried: sizing the run from the measured start rate, raw starts at 16 concurrent, and measuring each level after a pause with no new starts.',
      );
    }
    out.push('');
  }
  return out;
}

function burstLimits(b: BurstResult, u: PhaseUsage | undefined): string[] {
  const cpu = (k: (typeof PROCESSES)[number]) => num(u?.cpuSec[k], 1);
  const out = [
    '### The 09:00 burst',
    `${b.reminders} initiatives started with one reminder each, all due at the same instant T, ${Math.round(b.leadMs / 1000)} s after the phase began (deadlines an hour later, so ` +
      `no escalation joins in). ${b.drainedBeforeT ? 'The worker and the mailer had recorded the starts and sent their emails before T.' : `At T ${b.recordedAtT === undefined ? '' : `${b.recordedAtT} of the ${b.reminders} starts had been recorded and `}${b.unsentAtT} emails queued were still waiting to be sent: the reminders' recordings queued behind the rest (Temporal hands out a task queue's activities roughly in the order they were scheduled).`} ` +
      `Each reminder is a timer in its workflow; when it fires the worker runs recordChanges (the event, the view, the email queued in the outbox) and the mailer ` +
      `delivers it (claim, SMTP, record). Within ${Math.round(b.windowMs / 1000)} s of T, ${b.queued} of the ${b.reminders} reminder emails had been queued and ${b.delivered} accepted by the SMTP server, the last ${ms(b.lastDeliveredMs)} after T ` +
      `(p50 ${ms(b.lateness.p50)}, p95 ${ms(b.lateness.p95)}). Where a reminder's time went (p50 / p99): T until the workflow performed it ` +
      `${ms(b.stages.timerToWorkflow.p50)} / ${ms(b.stages.timerToWorkflow.p99)}, until recordChanges had queued the email ${ms(b.stages.workflowToQueued.p50)} / ` +
      `${ms(b.stages.workflowToQueued.p99)}, until SMTP accepted it ${ms(b.stages.queuedToSent.p50)} / ${ms(b.stages.queuedToSent.p99)}. CPU s in the phase: ` +
      `FerretDB ${cpu('ferretdb')}, worker ${cpu('worker')}, mailer ${cpu('mailer')}, Temporal ${cpu('temporal')}, MailDev ${cpu('maildev')}.`,
  ];
  if (!b.met) {
    const within = b.curve.find((c) => c.afterSec * 1000 === b.goal.allWithinMs)?.delivered ?? NaN;
    const stages = [
      {
        name: 'from T until the workflow performed the reminder (Temporal firing timers, the worker running workflow tasks)',
        p99: b.stages.timerToWorkflow.p99,
      },
      {
        name: "recordChanges queueing the email (the audit event, the view, its listing entry and change, the calendar records and the email, on FerretDB's single SQLite writer)",
        p99: b.stages.workflowToQueued.p99,
      },
      { name: 'the mailer delivering it (claim, SMTP, record)', p99: b.stages.queuedToSent.p99 },
    ].sort((x, y) => y.p99 - x.p99);
    out.push(
      '',
      `Goal missed: ${within} of ${b.reminders} reminders delivered within ${Math.round(b.goal.allWithinMs / 1000)} s of T, the last ${ms(b.lastDeliveredMs)} after T. ` +
        `The longest stage is ${stages[0].name}: p99 ${ms(stages[0].p99)}. Tried: a lead long enough for the starts to be recorded first, deadlines an hour ` +
        "after the reminders so that no escalation competes, and no look at the outbox during the goal's minute (each would make FerretDB decode every stored email).",
    );
  }
  return out;
}

/** The share of the machine's busy CPU time that went to processes other than the stack and the benchmark. */
function othersShare(r: BenchReport): string {
  const phases = Object.values(r.usage);
  const busy = phases.reduce((a, u) => a + u.machineBusySec, 0);
  const ours = phases.reduce((a, u) => a + ownCpu(u), 0);
  return busy > 0 ? String(Math.round((100 * (busy - ours)) / busy)) : 'n/a';
}

const STACK_TEXT: Record<StackKind, { title: string; command: string; json: string; stack: string }> = {
  embedded: {
    title: '# Performance',
    command: 'npm run bench',
    json: 'performance.json',
    stack: 'on the embedded stack (Temporal dev server, FerretDB, MailDev) with the real worker and API processes',
  },
  cluster: {
    title: '# Performance on the production-like cluster',
    command: 'npm run bench:cluster',
    json: 'performance-cluster.json',
    stack:
      "on the production-like cluster ([cluster.md](cluster.md): PostgreSQL, the Temporal server's frontend, history, matching and worker " +
      'as four processes, FerretDB on PostgreSQL, MailDev, two workers, two mailers and two APIs, the requests taken by the APIs in turn)',
  },
};

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const text = STACK_TEXT[stackOf(r)];
  const lines = [
    text.title,
    '',
    `Written by \`${text.command}\` (bench/run.ts) from [${text.json}](${text.json}) on ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC. ` +
      `The run took ${Math.round(r.durationSec / 6) / 10} minutes (budget ${r.budgetSec / 60} minutes). Every figure is measured against its raw baseline in the same run, ` +
      `${text.stack}. The machine is shared: ` +
      `other processes used ${othersShare(r)} % of its busy CPU time during the run (load average ${r.loadAverage.atStart[0].toFixed(1)} at the start on ${m.cores} cores), ` +
      'so ratios mean more than absolute figures.',
    '',
    '## Figures',
    '',
    mdTable(
      ['figure', 'service', 'raw baseline', 'ratio', 'goal', 'result'],
      rows(r).map((x) => [x.figure, x.service, x.raw, x.ratio, x.goal, x.met]),
    ),
    '',
  ];
  if (Object.keys(r.errors).length) {
    lines.push(
      'Phases that failed: ' +
        Object.entries(r.errors)
          .map(([p, e]) => `${p}: ${e}`)
          .join('; '),
      '',
    );
  }
  lines.push(
    '## Machine',
    '',
    mdTable(
      ['', ''],
      [
        ['CPU', `${m.cores} × ${m.cpuModel}`],
        ['memory', `${m.memoryGiB} GiB`],
        ['OS', m.os],
        ['Node.js', m.node],
        ...Object.entries(m.tools).map(([k, v]) => [k, v]),
        ...Object.entries(m.packages).map(([k, v]) => [k, v]),
        [
          'load average at start / end',
          `${r.loadAverage.atStart.map((x) => x.toFixed(1)).join(' ')} / ${r.loadAverage.atEnd.map((x) => x.toFixed(1)).join(' ')}`,
        ],
      ],
    ),
    '',
    'Settings of the run: ' +
      Object.entries(r.settings)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
    '',
    'CPU seconds per process and phase (from /proc; "other processes" is the rest of the machine: other test runs share it):',
    '',
    usageTable(r),
    '',
  );
  // The reasons are argued from the embedded stack's run (SQLite's single writer, the dev server); the cluster's
  // own figures are discussed in docs/scaling.md beside them.
  if (stackOf(r) === 'embedded') lines.push('## What limits each figure', '', ...limits(r));
  else
    lines.push(
      '## What limits each figure',
      '',
      'The same code paths as on the embedded stack, whose report ([performance.md](performance.md)) says what bounds each; what differs on the cluster, and what follows for ten and a hundred times the load, is in [scaling.md](scaling.md).',
      '',
    );
  if (r.decide) {
    const d = r.decide;
    lines.push('## Details', '', `Decide (${d.initiatives} initiatives in sign-off, one decision at a time, ms):`, '');
    lines.push(
      mdTable(
        ['measure', 'n', 'p50', 'p95', 'p99', 'max'],
        [
          ['raw executeUpdate', ...summaryCells(d.raw)],
          ['API answer', ...summaryCells(d.apiResponse)],
          ['API, until the read model shows it', ...summaryCells(d.apiVisible)],
          ['raw, until the read model shows it', ...summaryCells(d.rawVisible)],
          ...(d.actorSees ? [["API answer, then the actor's GET shows it", ...summaryCells(d.actorSees)]] : []),
        ],
      ),
      '',
    );
  }
  if (r.list) {
    lines.push(
      `List (ms; one request at a time: each filter once per side; ${r.list.concurrency} concurrent: one request per connection, the filters taken in turn):`,
      '',
    );
    lines.push(
      mdTable(
        [
          'stored',
          'inserted in s',
          'sequential API p50 / max',
          'sequential raw p50 / max',
          'concurrent bursts',
          'concurrent API p50 / p99',
          'concurrent raw p50 / p99',
        ],
        r.list.levels.map((l) => [
          String(l.stored),
          String(l.insertSeconds),
          `${l.sequential.api.p50} / ${l.sequential.api.max}`,
          `${l.sequential.raw.p50} / ${l.sequential.raw.max}`,
          l.concurrent ? String(l.concurrent.bursts) : `skipped (~${l.skippedBurstSeconds} s a burst)`,
          l.concurrent ? `${l.concurrent.api.p50} / ${l.concurrent.api.p99}` : '',
          l.concurrent ? `${l.concurrent.raw.p50} / ${l.concurrent.raw.p99}` : '',
        ]),
      ),
      '',
    );
    const filters = r.list.filters.map((f) => f.query);
    const withBursts = r.list.levels.filter((l) => l.concurrent);
    if (withBursts.length) {
      lines.push('Concurrent, per filter (ms, p50 / p99):', '');
      lines.push(
        mdTable(
          ['stored', ...filters.map((f) => `\`${f}\` API`), ...filters.map((f) => `\`${f}\` raw`)],
          withBursts.map((l) => [
            String(l.stored),
            ...filters.map((f) => `${l.concurrent!.byFilter[f].api.p50} / ${l.concurrent!.byFilter[f].api.p99}`),
            ...filters.map((f) => `${l.concurrent!.byFilter[f].raw.p50} / ${l.concurrent!.byFilter[f].raw.p99}`),
          ]),
        ),
        '',
      );
    }
    lines.push(
      `Indexes of the listing (\`${r.list.collection}\`): ` +
        r.list.indexes.map((i) => `\`${i.name}\``).join(', ') +
        '.',
      '',
    );
  }
  if (r.reminders) {
    const m = r.reminders;
    lines.push('Reminder lateness (ms):', '');
    lines.push(
      mdTable(
        ['measure', 'n', 'p50', 'p95', 'p99', 'max'],
        [
          ['first seen in MailDev', ...summaryCells(m.lateness)],
          ['outbox sentAt', ...summaryCells(m.sentAtLateness)],
          ['escalations, first seen in MailDev', ...summaryCells(m.escalationLateness)],
          ['of a reminder: timer → the workflow performs it', ...summaryCells(m.stages.timerToWorkflow)],
          ['of a reminder: → recordChanges has queued the email', ...summaryCells(m.stages.workflowToQueued)],
          ['of a reminder: → the SMTP server accepted it', ...summaryCells(m.stages.queuedToSent)],
        ],
      ),
      '',
    );
  }
  if (r.start) {
    lines.push('Start rounds:', '');
    lines.push(
      mdTable(
        ['round', 'side', 'starts', 'seconds', 'per second', 'worker caught up after s'],
        r.start.rounds.map((x, i) => [
          String(i + 1),
          x.kind,
          String(x.count),
          num(x.ms / 1000, 1),
          String(x.perSecond),
          `${num(x.settleMs / 1000, 1)}${x.settled ? '' : ' (not settled)'}`,
        ]),
      ),
      '',
    );
  }
  if (r.burst) {
    const b = r.burst;
    lines.push(
      `The 09:00 burst: reminder emails accepted by the SMTP server by each moment after T (of ${b.queued}):`,
      '',
    );
    lines.push(
      mdTable(
        ['seconds after T', ...b.curve.map((c) => String(c.afterSec))],
        [['delivered', ...b.curve.map((c) => String(c.delivered))]],
      ),
      '',
    );
    lines.push(
      mdTable(
        ['measure (ms)', 'n', 'p50', 'p95', 'p99', 'max'],
        [
          ['sentAt − T', ...summaryCells(b.lateness)],
          ['T → the workflow performs it', ...summaryCells(b.stages.timerToWorkflow)],
          ['→ recordChanges has queued the email', ...summaryCells(b.stages.workflowToQueued)],
          ['→ the SMTP server accepted it', ...summaryCells(b.stages.queuedToSent)],
        ],
      ),
      '',
    );
  }
  if (r.scale) lines.push('Scale:', '', scaleSection(r.scale), '');
  lines.push(
    '## Running it',
    '',
    '`npm run bench` (after `npm start` has provisioned the tools once; `npm run bench:cluster` for the cluster, 45 minutes by default) starts its own stack on free ports in a temporary folder, runs the phases in order ' +
      "(reminders, decide, start, list, burst, scale), each once the worker has sent the previous phase's emails, writes its JSON and this file, prints the table, and stops every process it started. " +
      '`BENCH_BUDGET_SECONDS` changes the budget the phases size themselves to (26 minutes by default; the whole command stays within 27). The list phase inserts its read-model documents directly ' +
      '(copies of a real initiative in sign-off, each as saveView stores it: the view and its listing entry) and deletes them afterwards; every other figure comes from real workflows.',
    '',
  );
  return lines.join('\n');
}

if (require.main === module) {
  // `npx tsx bench/report.ts [cluster]`
  const [jsonPath, markdownPath] = reportPaths(process.argv[2] === 'cluster' ? 'cluster' : 'embedded');
  const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as BenchReport;
  fs.writeFileSync(markdownPath, renderMarkdown(report));
  process.stdout.write(`${renderTable(report)}\n`);
}
