/**
 * List latency: GET /api/initiatives with filters, at growing numbers of stored initiatives and 32
 * concurrent connections, against the raw MongoDB driver running the store's own query for the same page on
 * the same collection (listFilter of src/persistence/listing.ts on the listing: the page, sorted, and its
 * count, in parallel); the API answers from its mirror of the listing (src/persistence/listing-mirror.ts).
 * The read model documents for this part are inserted directly, each as saveView stores a view (the whole
 * view, and its listing entry), copies of a real initiative in sign-off with varied stage, lead, pending
 * states, due date and title, announced to the mirrors with one RELOAD per level, and removed afterwards.
 */
import { listQuery } from '../../src/app/schemas';
import type { InitiativeView } from '../../src/domain/view';
import { LIST_SORT, listFilter, LISTING_COLLECTION, listingOf } from '../../src/persistence/listing';
import { createListingChanges, RELOAD } from '../../src/persistence/listing-changes';

import type { BenchContext } from '../lib/context';
import { inParallel, now, sleep } from '../lib/pool';
import { seededRandom } from '../lib/seeded-random';
import { ratio, summarize, type Summary } from '../lib/stats';
import mongoose from 'mongoose';

/** Each filter the benchmark lists by. */
export const LIST_FILTERS: { query: string }[] = [
  { query: 'stage=signoff' },
  { query: 'pending=KZ' },
  { query: 'lead=UZ' },
  { query: 'overdue=true' },
  { query: 'stage=drafting&lead=KZ' },
  { query: 'q=corridor' },
];

export const LIST_GOAL = 2;
export const LIST_CONCURRENCY = 32;
const MARK = 'benchmark-list';
const DELETE_AT_ONCE = 20_000;

export interface ListLevel {
  stored: number;
  insertSeconds: number;
  /** One request at a time, each filter once per side: how a page's cost grows with the stored count. */
  sequential: { api: Summary; raw: Summary; ratioP50: number };
  /** 32 concurrent connections, the filters taken in turn; absent when one pair of bursts would not fit in the budget. */
  concurrent?: {
    bursts: number;
    api: Summary;
    raw: Summary;
    ratioP50: number;
    ratioP99: number;
    byFilter: Record<string, { api: Summary; raw: Summary }>;
  };
  /** When concurrent is absent: how long one burst of 32 requests was expected to take. */
  skippedBurstSeconds?: number;
}

export interface ListResult {
  concurrency: number;
  levels: ListLevel[];
  /** FerretDB's explain() of each filter's page query: whether it pushed the filter, sort and limit down to SQLite. */
  explain: Record<string, Record<string, unknown>>;
  /** The collection both sides list from. */
  collection: string;
  /** Mean BSON size of a stored listing entry and of the view it comes from (bytes). */
  entryBytes: number;
  viewBytes: number;
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

const STATES = ['KZ', 'KG', 'TJ', 'TM', 'UZ', 'AZ'];
const STAGES: [string, number][] = [
  ['proposed', 0.15],
  ['assigned', 0.1],
  ['drafting', 0.15],
  ['signoff', 0.25],
  ['adopted', 0.05],
  ['implementing', 0.2],
  ['completed', 0.05],
  ['withdrawn', 0.05],
];
const WORDS = [
  'digital',
  'transit',
  'corridor',
  'rare earth',
  'research centre',
  'cargo tracking',
  'transport strategy',
  'border crossing',
  'tourism',
  'heritage',
  'energy',
  'water',
];

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

export async function benchList(
  ctx: BenchContext,
  opts: { levels: number[]; budgetMs: number; maxBurstPairs: number },
): Promise<ListResult> {
  const phaseStart = Date.now();
  const views = ctx.db.collection<Record<string, unknown>>('initiatives');
  const coll = ctx.db.collection<Record<string, unknown>>(LISTING_COLLECTION);
  const template = (await views.findOne({ stage: 'signoff' })) ?? (await views.findOne({}));
  if (!template) throw new Error('the read model is empty: the list benchmark copies a real initiative');
  const rand = seededRandom(20261128);
  let inserted = 0;
  /** The longest burst of each side so far, per stored document: the API's and the raw driver's differ (the API queues its scans). */
  const observed = { api: 0, raw: 0 };
  const levels: ListLevel[] = [];
  let explain: ListResult['explain'] = {};

  const changesConnection = await mongoose.createConnection(ctx.stack.mongoUrl).asPromise();
  const changes = createListingChanges(changesConnection);
  const parsed = LIST_FILTERS.map((f) => listQuery.parse(Object.fromEntries(new URLSearchParams(f.query))));
  const apiRequest = async (k: number) => {
    const res = await ctx.api('GET', `/api/initiatives?${LIST_FILTERS[k].query}`, 'secretariat');
    if (res.status !== 200) throw new Error(`GET /api/initiatives?${LIST_FILTERS[k].query} answered ${res.status}`);
  };
  const rawRequest = async (k: number) => {
    const q = parsed[k];
    const filter = listFilter(q, new Date().toISOString());
    await Promise.all([
      coll.find(filter).sort(LIST_SORT).skip(q.offset).limit(q.limit).toArray(),
      coll.countDocuments(filter),
    ]);
  };

  try {
    for (const [li, level] of opts.levels.entries()) {
      const t0 = Date.now();
      for (let n = await coll.countDocuments({}); n < level;) {
        const batch = Array.from({ length: Math.min(500, level - n) }, () => syntheticDoc(template, inserted++, rand));
        await whenNotBusy(() => views.insertMany(batch));
        await whenNotBusy(() =>
          coll.insertMany(
            batch.map(
              (d) =>
                listingOf({ ...(d as unknown as InitiativeView), id: String(d._id) }) as unknown as Record<
                  string,
                  unknown
                >,
            ),
          ),
        );
        n += batch.length;
      }
      const stored = await coll.countDocuments({});
      const insertSeconds = Math.round((Date.now() - t0) / 100) / 10;
      // Written past the change log: the API's mirror loads the listing again, once, before the timed requests.
      await changes.append(RELOAD);
      await apiRequest(0);
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
      const sequential = {
        api: summarize(seq.api),
        raw: summarize(seq.raw),
        ratioP50: ratio(summarize(seq.api).p50, summarize(seq.raw).p50),
      };

      // A burst of 32 requests costs about 32 sequential ones spread over the cores FerretDB gets. The
      // bursts may use what the later levels' inserts and one-at-a-time pairs will not need: both grow
      // with the stored count, a page somewhat faster than linearly (FerretDB sorts in memory), hence 2×.
      // Once a level has run bursts, their own duration (per stored document and side) is the better guide:
      // the raw driver sends all 32 at once, which FerretDB answers more slowly in total than the API's
      // four at a time (src/service/read-model.ts), so the two sides' bursts differ.
      const pairMs = sequential.api.mean + sequential.raw.mean;
      // A pair of bursts (one per side) at this level.
      const pairBurstMs = () => Math.max((LIST_CONCURRENCY * pairMs) / 1.5, (observed.api + observed.raw) * stored);
      const insertMsPerDocument = (insertSeconds * 1000) / Math.max(1, level);
      const later = opts.levels
        .slice(li + 1)
        .reduce((ms, l) => ms + (2 * pairMs * l) / stored + insertMsPerDocument * l, 0);
      const levelEnd = phaseStart + opts.budgetMs - later;
      // A level's first pair of bursts may use what the later levels' inserts and probes leave; a further pair
      // only what also leaves each later level its own first pair, so every level gets measured at 32 connections.
      const laterBursts = () => opts.levels.slice(li + 1).reduce((ms, l) => ms + (pairBurstMs() * l) / stored, 0);
      const entry: ListLevel = { stored, insertSeconds, sequential };
      if (Date.now() + pairBurstMs() > levelEnd) {
        entry.skippedBurstSeconds = Math.round(pairBurstMs() / 2 / 1000);
        ctx.log(
          `  list: ${stored} stored: one request at a time API p50 ${sequential.api.p50} ms, raw ${sequential.raw.p50} ms; 32 concurrent skipped (a burst would take about ${entry.skippedBurstSeconds} s)`,
        );
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
            observed[side] = Math.max(observed[side], (now() - burstStart) / stored);
          }
          if (Date.now() + pairBurstMs() > levelEnd - laterBursts()) break;
        }
        const api = summarize(samples.api);
        const raw = summarize(samples.raw);
        entry.concurrent = {
          bursts,
          api,
          raw,
          ratioP50: ratio(api.p50, raw.p50),
          ratioP99: ratio(api.p99, raw.p99),
          byFilter: Object.fromEntries(
            LIST_FILTERS.map((f, k) => [f.query, { api: summarize(byFilter[k].api), raw: summarize(byFilter[k].raw) }]),
          ),
        };
        ctx.log(
          `  list: ${stored} stored, ${bursts} bursts of ${LIST_CONCURRENCY}: API p50 ${api.p50} ms p99 ${api.p99} ms, raw p50 ${raw.p50} ms p99 ${raw.p99} ms`,
        );
      }
      levels.push(entry);
    }
  } finally {
    // In parts: FerretDB on PostgreSQL deletes the matched documents in one statement, with one parameter each
    // (at most 65,535).
    for (let from = 0; from < inserted; from += DELETE_AT_ONCE) {
      const ids = Array.from({ length: Math.min(DELETE_AT_ONCE, inserted - from) }, (_, i) => `list-${from + i}`);
      await whenNotBusy(() => views.deleteMany({ _id: { $in: ids } } as object));
      await whenNotBusy(() => coll.deleteMany({ _id: { $in: ids } } as object));
    }
    await changes.append(RELOAD);
    await changesConnection.close();
  }

  const indexes = (await coll.indexes()).map((i) => ({ name: String(i.name), key: i.key as Record<string, unknown> }));
  const met =
    levels.length === opts.levels.length &&
    levels.every((l) => l.concurrent && l.concurrent.ratioP50 <= LIST_GOAL && l.concurrent.ratioP99 <= LIST_GOAL);
  const bytes = (doc: unknown) => (doc ? mongoose.mongo.BSON.calculateObjectSize(doc as Record<string, unknown>) : NaN);
  const entryBytes = Math.round(bytes(await coll.findOne({ _id: template._id } as object)));
  const viewBytes = Math.round(bytes(template));
  return {
    concurrency: LIST_CONCURRENCY,
    levels,
    explain,
    collection: LISTING_COLLECTION,
    entryBytes,
    viewBytes,
    indexes,
    filters: LIST_FILTERS,
    goal: { ratioAtMost: LIST_GOAL },
    met,
  };

  async function explainAll(c: BenchContext, queries: typeof parsed): Promise<ListResult['explain']> {
    const out: ListResult['explain'] = {};
    for (const [k, q] of queries.entries()) {
      const filter = listFilter(q, new Date().toISOString());
      const plan = (await c.db
        .collection(LISTING_COLLECTION)
        .find(filter)
        .sort(LIST_SORT)
        .limit(q.limit)
        .explain()) as Record<string, unknown>;
      out[LIST_FILTERS[k].query] = fieldsOf(plan, (key) => /pushdown/i.test(key) || key === 'queryPlanner');
    }
    return out;
  }
}
