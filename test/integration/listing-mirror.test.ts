/**
 * Each process lists from its own mirror of the listing, kept up to date from the change log. Against the real
 * FerretDB, in a database of this test's own: the mirror selects, orders and counts exactly what the store's own
 * query does; two processes writing at once number their changes with no gap and no number twice; a page shows
 * what was saved before it was asked for; a bulk write announced with RELOAD is loaded whole; and a mirror
 * whose next changes were pruned loads the whole listing again, while numbering goes on past the pruned ones.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { InitiativeView } from '../../src/domain/view';
import { initiativeModel, saveView } from '../../src/persistence/initiatives';
import {
  LIST_SORT,
  listFilter,
  listingModel,
  listingOf,
  type ListingEntry,
  type ListingFilter,
} from '../../src/persistence/listing';
import { createListingChanges, RELOAD } from '../../src/persistence/listing-changes';
import { createListingMirror } from '../../src/persistence/listing-mirror';
import { testStack } from '../support/stack';

let base: mongoose.Connection;
/** Two connections to one database: two processes' worth of writers and mirrors. */
let one: mongoose.Connection;
let two: mongoose.Connection;

beforeAll(async () => {
  base = await mongoose.createConnection(testStack().mongoUrl).asPromise();
  const name = `listing-mirror-${randomUUID().slice(0, 8)}`;
  one = base.useDb(name, { useCache: false });
  two = (await mongoose.createConnection(testStack().mongoUrl).asPromise()).useDb(name, { useCache: false });
});
afterAll(async () => {
  await one.dropDatabase();
  await base.close();
  await two.getClient().close();
});

const STATES = ['KZ', 'KG', 'TJ', 'TM', 'UZ', 'AZ'];
const STAGES = ['proposed', 'assigned', 'drafting', 'signoff', 'adopted', 'implementing', 'done', 'withdrawn'];

/** A view as the recording activity stores it, with only what the listing takes from it. */
function view(i: number, version = 1, over: Partial<InitiativeView> = {}): InitiativeView {
  const stage = STAGES[i % STAGES.length];
  const state = STATES[i % STATES.length];
  return {
    id: `mirror-${String(i).padStart(3, '0')}`,
    title: i % 5 === 0 ? `Transit corridor ${i}` : `Rare-earth centre ${i}`,
    ...(i % 3 === 0 ? { titleRu: `Транзитный коридор ${i}` } : {}),
    proposingState: state,
    stage,
    revision: 1 + (i % 3),
    ...(i % 4 === 0
      ? {}
      : { lead: { state: STATES[(i + 1) % 6], officialId: `official-${i}`, officialName: 'A. B.' } }),
    pendingStates: stage === 'signoff' ? STATES.filter((_, k) => (i + k) % 2 === 0) : [],
    // Some passed, some to come, some with nothing due; two share a due date (the id decides).
    ...(i % 7 === 6 ? {} : { nextDueAt: new Date(Date.UTC(2026, 11, 1 + (i % 9), 9)).toISOString() }),
    updatedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    version,
    ...over,
  } as InitiativeView;
}

/** The store's own answer: its query, sorted, cut and counted. */
async function storePage(conn: mongoose.Connection, q: ListingFilter, offset: number, limit: number, now: string) {
  const listing = listingModel(conn);
  const filter = listFilter(q, now);
  const [docs, total] = await Promise.all([
    listing.find(filter).sort(LIST_SORT).skip(offset).limit(limit).lean(),
    listing.countDocuments(filter),
  ]);
  const items = docs.map(({ _id, listOrder, ...rest }) => (void listOrder, { id: _id, ...rest }) as ListingEntry);
  return { items, total };
}

const QUERIES: ListingFilter[] = [
  {},
  { stage: 'signoff' },
  { pending: 'KZ' },
  { lead: 'UZ' },
  { overdue: 'true' },
  { overdue: 'true', stage: 'done' },
  { overdue: 'false' },
  { q: 'CORRIDOR' },
  { q: 'ТРАНЗИТНЫЙ' },
  { q: 'centre 1' },
  { q: '.*' },
  { stage: 'signoff', lead: 'TJ', pending: 'UZ' },
  { pending: 'KG', overdue: 'true' },
  { lead: 'KG', q: 'corridor' },
  { stage: 'withdrawn' },
  { pending: 'XX' },
];

describe('the listing mirror', () => {
  it('numbers the changes of two processes writing at once with no gap and none twice, and mirrors what the store holds', async () => {
    const models = [initiativeModel(one), initiativeModel(two)];
    // 60 initiatives saved from two processes at once, then 20 of them again with a newer version.
    await Promise.all(Array.from({ length: 60 }, (_, i) => saveView(models[i % 2], view(i))));
    // Mirrors loaded now follow the 20 changes below one by one.
    const mirrors = [one, two].map((c) => createListingMirror(listingModel(c), createListingChanges(c)));
    for (const mirror of mirrors) await mirror.sync();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => saveView(models[(i + 1) % 2], view(3 * i, 2, { stage: 'signoff' }))),
    );
    const numbers = (await one.collection('initiative_listing_changes').find({}).toArray()).map((d) => Number(d._id));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(await createListingChanges(two).last()).toBe(80);

    const now = new Date(Date.UTC(2026, 11, 5, 12)).toISOString();
    for (const q of QUERIES)
      for (const [offset, limit] of [
        [0, 50],
        [0, 7],
        [5, 4],
        [58, 10],
      ]) {
        const expected = await storePage(one, q, offset, limit, now);
        for (const mirror of mirrors)
          expect({ q, offset, ...(await mirror.page(q, { offset, limit }, now)) }).toEqual({ q, offset, ...expected });
      }
  });

  it('shows on the next page what was saved before it, in its new place', async () => {
    const mirror = createListingMirror(listingModel(two), createListingChanges(two));
    const now = new Date().toISOString();
    await mirror.page({}, { offset: 0, limit: 1 }, now);
    // Saved by the other process: the first due of all from now on, and out of sign-off.
    await saveView(
      initiativeModel(one),
      view(3, 3, { stage: 'adopted', pendingStates: [], nextDueAt: '2020-01-01T00:00:00.000Z' }),
    );
    const page = await mirror.page({}, { offset: 0, limit: 1 }, now);
    expect(page.items[0]).toMatchObject({ id: 'mirror-003', stage: 'adopted', version: 3 });
    expect(
      (await mirror.page({ stage: 'signoff', q: 'centre 3' }, { offset: 0, limit: 50 }, now)).items.map((i) => i.id),
    ).not.toContain('mirror-003');
    // An older version saved late changes nothing.
    await saveView(initiativeModel(one), view(3, 2));
    expect((await mirror.page({}, { offset: 0, limit: 1 }, now)).items[0]).toMatchObject({
      id: 'mirror-003',
      version: 3,
    });
  });

  it('loads the whole listing again when a bulk write is announced with RELOAD', async () => {
    const mirror = createListingMirror(listingModel(one), createListingChanges(one));
    const now = new Date().toISOString();
    const before = (await mirror.page({}, { offset: 0, limit: 1 }, now)).total;
    // Written past the change log, as a bulk import or a backfill does, then announced once.
    await listingModel(two).insertMany(Array.from({ length: 5 }, (_, i) => listingOf(view(100 + i))));
    expect((await mirror.page({}, { offset: 0, limit: 1 }, now)).total).toBe(before);
    await createListingChanges(two).append(RELOAD);
    expect((await mirror.page({}, { offset: 0, limit: 1 }, now)).total).toBe(before + 5);
    expect(await storePage(one, {}, 0, 1, now)).toMatchObject({ total: before + 5 });
  });

  it('numbers on from the end when another process has appended many since this one last did', async () => {
    const mine = createListingChanges(one);
    const theirs = createListingChanges(two);
    const first = await mine.append('mirror-001');
    for (let i = 0; i < 40; i++) await theirs.append('mirror-002');
    expect(await mine.append('mirror-003')).toBe(first + 41);
    expect(await theirs.append('mirror-004')).toBe(first + 42);
  });

  it('loads the whole listing again when the changes it had not read were pruned, and numbers on past them', async () => {
    const mirror = createListingMirror(listingModel(two), createListingChanges(two));
    const now = new Date().toISOString();
    await mirror.sync();
    const end = await createListingChanges(one).last();
    // Saved by the other process, then every change so far pruned before the mirror read them.
    await saveView(initiativeModel(one), view(5, 7, { stage: 'withdrawn', pendingStates: [] }));
    await saveView(initiativeModel(one), view(6, 7, { title: 'Cargo tracking pilot' }));
    const pruned = await createListingChanges(one).prune(new Date(Date.now() + 1000));
    expect(pruned).toBe(end + 2);
    expect(await one.collection('initiative_listing_changes').countDocuments({ _id: { $ne: 'floor' } } as object)).toBe(
      0,
    );

    expect(await mirror.page({ q: 'cargo' }, { offset: 0, limit: 5 }, now)).toMatchObject({
      total: 1,
      items: [{ id: 'mirror-006', version: 7 }],
    });
    expect((await mirror.page({ stage: 'withdrawn' }, { offset: 0, limit: 50 }, now)).items.map((i) => i.id)).toContain(
      'mirror-005',
    );
    // A writer that never saw the pruned numbers starts after them, and a mirror follows it change by change.
    expect(await createListingChanges(two).last()).toBe(end + 2);
    expect(await createListingChanges(two).append('mirror-006')).toBe(end + 3);
    await saveView(initiativeModel(one), view(6, 8, { title: 'Cargo tracking corridor' }));
    expect((await mirror.page({ q: 'cargo' }, { offset: 0, limit: 5 }, now)).items[0]).toMatchObject({ version: 8 });
  });
});
