/**
 * List latency: GET /api/initiatives with filters, at growing numbers of stored initiatives and 32
 * concurrent connections, against the raw MongoDB driver running the query the API runs for the same
 * page (listFilter of src/service/read-model.ts: the page, sorted, and its count, in parallel). The
 * read model documents for this part are inserted directly (copies of a real initiative in sign-off
 * with varied stage, lead, pending states, due date and title) and removed afterwards.
 */
import { listQuery } from '../../src/api/schemas';
import { listFilter } from '../../src/service/read-model';
import type { BenchContext } from '../lib/context';
import { inParallel, now, sleep } from '../lib/pool';
import { ratio, summarize, type Summary } from '../lib/stats';

/** Each filter the benchmark lists by, and the index that serves it on MongoDB (src/persistence/initiatives.ts). */
export const LIST_FILTERS: { query: string; index: string }[] = [
  { query: 'stage=signoff', index: 'stage_1_nextDueAt_1__id_1' },
  { query: 'pending=KZ', index: 'pendingStates_1_nextDueAt_1__id_1' },
  { query: 'lead=UZ', index: 'lead.state_1_nextDueAt_1__id_1' },
  { query: 'overdue=true', index: 'nextDueAt_1__id_1' },
  { query: 'stage=drafting&lead=KZ', index: 'stage_1_nextDueAt_1__id_1' },
  { query: 'q=corridor', index: 'none: an unanchored case-insensitive regex on title reads every document' },
];

export const LIST_GOAL = 2;
export const LIST_CONCURRENCY = 32;
const MARK = 'benchmark-list';

export interface ListLevel {
  stored: number;
  insertSeconds: number;
  /** One request at a time, each filter once per side: how a page's cost grows with the stored count. */
  sequential: { api: Summary; raw: Summary; ratioP50: number };
  /** 32 concurrent connections, the filters taken in turn; absent when one burst would not fit in the budget. */
  concurrent?: { bursts: number; api: Summary; raw: Summary; ratioP50: number; ratioP99: number; byFilter: Record<string, { api: Summary; raw: Summary }> };
  /** When concurrent is absent: how long one burst of 32 requests was expected to take. */
  skippedBurstSeconds?: number;
}

export interface ListResult {
  concurrency: number;
  levels: ListLevel[];
  /** FerretDB's explain() of each filter's page query: whether it pushed the filter, sort and limit down to SQLite. */
  explain: Record<string, Record<string, unknown>>;
  indexes: { name: string; key: Record<string, unknown> }[];
  filters: typeof LIST_FILTERS;
  goal: { ratioAtMost: number };
  met: boolean;
}

/** Retries the benchmark's own writes while FerretDB answers SQLITE_BUSY (its SQLite has one writer, and the worker may still be writing). */
async function whenNotBusy<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= 10 || !/SQLITE_BUSY/.test(String((err as Error).message))) throw err;
      await sleep(1000);
    }
  }
}

/** A small deterministic generator, so every run stores the same documents. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES = ['KZ', 'KG', 'TJ', 'TM', 'UZ', 'AZ'];
const STAGES: [string, number][] = [['proposed', 0.15], ['assigned', 0.1], ['drafting', 0.15], ['signoff', 0.25], ['adopted', 0.05], ['implementing', 0.2], ['completed', 0.05], ['withdrawn', 0.05]];
const WORDS = ['digital', 'transit', 'corridor', 'rare earth', 'research centre', 'cargo tracking', 'transport strategy', 'border crossing', 'tourism', 'heritage', 'energy', 'water'];

function syntheticDoc(template: Record<string, unknown>, n: number, rand: () => number): Record<string, unknown> {
  let x = rand();
  const stage = STAGES.find(([, p]) => (x -= p) < 0)?.[0] ?? 'proposed';
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const open = stage !== 'completed' && stage !== 'withdrawn';
  const due = open ? new Date(Date.now() + (rand() * 80 - 20) * 86_400_000).toISOString() : undefined;
  const lead = stage === 'proposed' ? undefined : { ...(template.lead as object), state: pick(STATES) };
  const pendingStates = stage === 'signoff' ? STATES.filter(() => rand() < 0.5) : [];
  return {
    ...template,
    _id: `list-${n}`,
    title: `${pick(WORDS)} ${pick(WORDS)} programme ${n}`,
    category: MARK,
    stage,
    lead,
    pendingStates,
    nextDueAt: due,
    deadlines: due ? [{ step: stage === 'signoff' ? 'signoff' : 'draft', dueAt: due, waitingOn: [] }] : [],
  };
}

function fieldsOf(result: Record<string, unknown>, keys: (k: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(result).filter(([k]) => keys(k)));
}

export async function benchList(ctx: BenchContext, opts: { levels: number[]; budgetMs: number; maxBurstPairs: number }): Promise<ListResult> {
  const phaseStart = Date.now();
  const coll = ctx.db.collection<Record<string, unknown>>('initiatives');
  const template = (await coll.findOne({ stage: 'signoff' })) ?? (await coll.findOne({}));
  if (!template) throw new Error('the read model is empty: the list benchmark copies a real initiative');
  const rand = prng(20261128);
  let inserted = 0;
  let observedBurstMsPerDocument = 0;
  const levels: ListLevel[] = [];
  let explain: ListResult['explain'] = {};

  const parsed = LIST_FILTERS.map((f) => listQuery.parse(Object.fromEntries(new URLSearchParams(f.query))));
  const apiRequest = async (k: number) => {
    const res = await ctx.api('GET', `/api/initiatives?${LIST_FILTERS[k].query}`, 'secretariat');
    if (res.status !== 200) throw new Error(`GET /api/initiatives?${LIST_FILTERS[k].query} answered ${res.status}`);
  };
  const rawRequest = async (k: number) => {
    const q = parsed[k];
    const filter = listFilter(q, new Date().toISOString());
    await Promise.all([coll.find(filter).sort({ nextDueAt: 1, _id: 1 }).skip(q.offset).limit(q.limit).toArray(), coll.countDocuments(filter)]);
  };

  try {
    for (const [li, level] of opts.levels.entries()) {
      const t0 = Date.now();
      for (let n = await coll.countDocuments({}); n < level; ) {
        const batch = Array.from({ length: Math.min(500, level - n) }, () => syntheticDoc(template, inserted++, rand));
        await whenNotBusy(() => coll.insertMany(batch));
        n += batch.length;
      }
      const stored = await coll.countDocuments({});
      const insertSeconds = Math.round((Date.now() - t0) / 100) / 10;
      if (li === 0) explain = await explainAll(ctx, parsed);

      // One request at a time, each filter once per side, for at most 20 s (at least one pair).
      const probeStart = Date.now();
      const seq = { api: [] as number[], raw: [] as number[] };
      for (const k of LIST_FILTERS.keys()) {
        for (const side of k % 2 === 0 ? (['api', 'raw'] as const) : (['raw', 'api'] as const)) {
          const t = now();
          await (side === 'api' ? apiRequest(k) : rawRequest(k));
          seq[side].push(now() - t);
        }
        if (Date.now() - probeStart > 20_000) break;
      }
      const sequential = { api: summarize(seq.api), raw: summarize(seq.raw), ratioP50: ratio(summarize(seq.api).p50, summarize(seq.raw).p50) };

      // A burst of 32 requests costs about 32 sequential ones spread over the cores FerretDB gets. The
      // bursts may use what the later levels' inserts and one-at-a-time pairs will not need: both grow
      // with the stored count, a page somewhat faster than linearly (FerretDB sorts in memory), hence 2×.
      // Once a level has run bursts, their own duration (per stored document) is the better guide.
      const pairMs = sequential.api.mean + sequential.raw.mean;
      let burstMs = Math.max((LIST_CONCURRENCY * pairMs) / 2 / 1.5, observedBurstMsPerDocument * stored);
      const insertMsPerDocument = (insertSeconds * 1000) / Math.max(1, level);
      const later = opts.levels.slice(li + 1).reduce((ms, l) => ms + (2 * pairMs * l) / stored + insertMsPerDocument * l, 0);
      const levelEnd = phaseStart + opts.budgetMs - later;
      const entry: ListLevel = { stored, insertSeconds, sequential };
      if (Date.now() + 2 * burstMs > levelEnd) {
        entry.skippedBurstSeconds = Math.round(burstMs / 1000);
        ctx.log(`  list: ${stored} stored: one request at a time API p50 ${sequential.api.p50} ms, raw ${sequential.raw.p50} ms; 32 concurrent skipped (a burst would take about ${entry.skippedBurstSeconds} s)`);
      } else {
        const samples = { api: [] as number[], raw: [] as number[] };
        const byFilter = LIST_FILTERS.map(() => ({ api: [] as number[], raw: [] as number[] }));
        let bursts = 0;
        for (let pair = 0; pair < opts.maxBurstPairs; pair++) {
          for (const side of pair % 2 === 0 ? (['api', 'raw'] as const) : (['raw', 'api'] as const)) {
            // One request per connection, the filters taken in turn.
            const burstStart = now();
            await inParallel(LIST_CONCURRENCY, LIST_CONCURRENCY, async (c) => {
              const k = (c + bursts) % LIST_FILTERS.length;
              const t = now();
              await (side === 'api' ? apiRequest(k) : rawRequest(k));
              const ms = now() - t;
              samples[side].push(ms);
              byFilter[k][side].push(ms);
            });
            bursts++;
            observedBurstMsPerDocument = Math.max(observedBurstMsPerDocument, (now() - burstStart) / stored);
            burstMs = Math.max(burstMs, observedBurstMsPerDocument * stored);
          }
          if (Date.now() + 2 * burstMs > levelEnd) break;
        }
        const api = summarize(samples.api);
        const raw = summarize(samples.raw);
        entry.concurrent = {
          bursts,
          api,
          raw,
          ratioP50: ratio(api.p50, raw.p50),
          ratioP99: ratio(api.p99, raw.p99),
          byFilter: Object.fromEntries(LIST_FILTERS.map((f, k) => [f.query, { api: summarize(byFilter[k].api), raw: summarize(byFilter[k].raw) }])),
        };
        ctx.log(`  list: ${stored} stored, ${bursts} bursts of ${LIST_CONCURRENCY}: API p50 ${api.p50} ms p99 ${api.p99} ms, raw p50 ${raw.p50} ms p99 ${raw.p99} ms`);
      }
      levels.push(entry);
    }
  } finally {
    await whenNotBusy(() => coll.deleteMany({ category: MARK }));
  }

  const indexes = (await coll.indexes()).map((i) => ({ name: String(i.name), key: i.key as Record<string, unknown> }));
  const met = levels.length === opts.levels.length && levels.every((l) => l.concurrent && l.concurrent.ratioP50 <= LIST_GOAL && l.concurrent.ratioP99 <= LIST_GOAL);
  return { concurrency: LIST_CONCURRENCY, levels, explain, indexes, filters: LIST_FILTERS, goal: { ratioAtMost: LIST_GOAL }, met };

  async function explainAll(c: BenchContext, queries: typeof parsed): Promise<ListResult['explain']> {
    const out: ListResult['explain'] = {};
    for (const [k, q] of queries.entries()) {
      const filter = listFilter(q, new Date().toISOString());
      const plan = (await c.db.collection('initiatives').find(filter).sort({ nextDueAt: 1, _id: 1 }).limit(q.limit).explain()) as Record<string, unknown>;
      out[LIST_FILTERS[k].query] = fieldsOf(plan, (key) => /pushdown/i.test(key) || key === 'queryPlanner');
    }
    return out;
  }
}
