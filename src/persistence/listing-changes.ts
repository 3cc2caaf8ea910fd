/**
 * The listing's change log: every write of a listing entry is followed by a change naming the initiative,
 * numbered 1, 2, 3… with no number skipped. Each process that lists keeps the whole listing in memory
 * (src/persistence/listing-mirror.ts) and catches up by reading the numbers after the last one it read, each a
 * find by `_id`, the one read every backend answers from an index (FerretDB on SQLite reads and decodes every
 * document for any other filter, so a list query there grows with the number of initiatives).
 *
 * No number is skipped: a number is claimed by inserting it (the unique `_id` makes a claim atomic on MongoDB
 * and on FerretDB alike), and a process claims number n only once it knows that n - 1 is taken, one claim at
 * a time. So a reader that finds n missing has read every change written before n was looked up.
 * A change of `RELOAD` asks every reader to load the whole listing again (after a backfill or a bulk write).
 *
 * Changes older than `KEEP_MS` are pruned now and then by the writers. The floor (the lowest number kept) is
 * raised before any number below it is deleted, so a reader that finds a number missing below the floor knows it
 * was pruned, not yet written, and loads the whole listing again. A writer never claims below the floor: it
 * looks for the log's end again when what it knows of it is older than a third of `KEEP_MS`, so every number it
 * tries was claimed after that, and is not old enough to be pruned.
 */
import { Connection, Schema } from 'mongoose';
import { logger } from '../logger';
import { claimSlot, existsById, upsertRacing } from './connection';

/** The initiative id of a change that asks readers to reload the whole listing. */
export const RELOAD = '*';

interface ListingChangeDoc {
  /** The change's number, in decimal: `_id` filters are pushed down for strings, not for numbers. */
  _id: string;
  initiativeId: string;
  /** Which claim took the number: a claim whose insert the driver retried finds its own number taken by itself. */
  claim: string;
  at: Date;
}

const schema = new Schema<ListingChangeDoc>(
  {
    _id: String,
    initiativeId: { type: String, required: true },
    claim: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

/** The most numbers a reader looks up, or a pruner deletes, at once. */
const READ_AHEAD = 16;

/** How long a change is kept: a mirror that last caught up longer ago loads the whole listing again. */
export const KEEP_MS = 15 * 60_000;
/** How often a writer prunes, at most. */
const PRUNE_EVERY_MS = 5 * 60_000;
/** How long a writer trusts what it knows of the log's end (see above: well inside KEEP_MS). */
const END_KNOWN_FOR_MS = KEEP_MS / 3;

/** The `_id` of the document holding the floor: no number is written in letters. */
const FLOOR_ID = 'floor';

export const LISTING_CHANGES_COLLECTION = 'initiative_listing_changes';

function changeModel(conn: Connection) {
  return (conn.models.ListingChange as ReturnType<typeof compile> | undefined) ?? compile(conn);
}
function compile(conn: Connection) {
  return conn.model<ListingChangeDoc>('ListingChange', schema, LISTING_CHANGES_COLLECTION);
}

/** The change log on a connection: append (writers), read (the mirrors) and prune. */
export function createListingChanges(conn: Connection) {
  const model = changeModel(conn);
  // The floor has a shape of its own: the driver's collection, not the model.
  const floorDocs = model.collection;
  const taken = (n: number) => existsById(model, String(n));

  /** The lowest number kept (1 until a prune). */
  async function floor(): Promise<number> {
    const doc = (await floorDocs.findOne({ _id: FLOOR_ID } as object)) as { n?: number } | null;
    return doc?.n ?? 1;
  }

  /** The highest number taken, searched from `from` (taken, or the first number after the end) by doubling steps. */
  async function endFrom(from: number): Promise<number> {
    if (!(await taken(from))) return from - 1;
    let low = from; // taken
    let step = 1;
    while (await taken(low + step)) {
      low += step;
      step *= 2;
    }
    // low is taken, low + step is not: the last taken number lies in between.
    let high = low + step;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await taken(mid)) low = mid;
      else high = mid;
    }
    return low;
  }

  /** The highest number taken (the floor - 1 for an empty or wholly pruned log). */
  async function last(): Promise<number> {
    for (;;) {
      const low = await floor();
      const end = await endFrom(low);
      // A prune deleting numbers while they were looked up has raised the floor first: search again from it.
      if ((await floor()) === low) return end;
    }
  }

  /** The first number this process does not know to be taken, and since when it knows. */
  let next: number | undefined;
  let nextKnownAt = 0;
  /** This process's appends, one at a time (see above: that is what keeps the numbers without gaps). */
  let queue: Promise<unknown> = Promise.resolve();
  let prunedAt = Date.now();

  async function claimNext(initiativeId: string): Promise<number> {
    let at: number = next === undefined || Date.now() - nextKnownAt > END_KNOWN_FOR_MS ? (await last()) + 1 : next;
    for (;;) {
      if (await claimSlot(model, (claim) => ({ _id: String(at), initiativeId, claim, at: new Date() }))) break;
      // Taken by another process: its appends since ours may be many, so the end is searched, not walked.
      at = (await endFrom(at)) + 1;
    }
    next = at + 1;
    nextKnownAt = Date.now();
    return at;
  }

  /** Deletes the changes claimed before `before`; returns how many. */
  async function prune(before: Date): Promise<number> {
    const low = await floor();
    const end = await endFrom(low);
    // The highest number claimed before `before`: numbers are claimed in time order (up to the writers' clocks).
    // A number found missing was pruned by another process meanwhile, so it was old too.
    let cut = low - 1;
    let high = end;
    while (cut < high) {
      const mid = Math.ceil((cut + high) / 2);
      const doc = await model.findById(String(mid)).select({ at: 1 }).lean();
      if (!doc || doc.at < before) cut = mid;
      else high = mid - 1;
    }
    if (cut < low) return 0;
    // The floor first: from then on, a reader finding one of these numbers missing knows why.
    await upsertRacing(() =>
      floorDocs.updateOne({ _id: FLOOR_ID } as object, { $max: { n: cut + 1 } }, { upsert: true }),
    );
    let deleted = 0;
    for (let n = low; n <= cut; n += READ_AHEAD) {
      const batch = Array.from({ length: Math.min(READ_AHEAD, cut - n + 1) }, (_, i) => String(n + i));
      const results = await Promise.all(batch.map((_id) => model.deleteOne({ _id })));
      deleted += results.reduce((a, r) => a + r.deletedCount, 0);
    }
    return deleted;
  }

  function pruneNowAndThen(): void {
    if (Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    prune(new Date(prunedAt - KEEP_MS)).catch((err: unknown) =>
      logger.warn({ err }, 'the listing change log could not be pruned; the next prune retries'),
    );
  }

  return {
    last,
    prune,
    /** Records that the listing entry of `initiativeId` changed (or `RELOAD`); resolves with the change's number. */
    append(initiativeId: string): Promise<number> {
      pruneNowAndThen();
      const claimed = queue.then(() => claimNext(initiativeId));
      queue = claimed.catch(() => undefined);
      return claimed;
    },
    /**
     * The changes from number `from` on, in order, up to the first number not taken yet; a `RELOAD` in their place
     * when changes from `from` on were pruned.
     */
    async readFrom(from: number): Promise<{ n: number; initiativeId: string }[]> {
      const changes: { n: number; initiativeId: string }[] = [];
      // Two lookups when the reader is up to date (the usual case: the next number and the floor), then more at once
      // while changes keep coming.
      for (let n = from, batch = 1; ; n += batch, batch = Math.min(2 * batch, READ_AHEAD)) {
        const docs = await Promise.all(
          Array.from({ length: batch }, (_, i) =>
            model
              .findById(String(n + i))
              .select({ initiativeId: 1 })
              .lean(),
          ),
        );
        for (const [i, doc] of docs.entries()) {
          if (doc) {
            changes.push({ n: n + i, initiativeId: doc.initiativeId });
            continue;
          }
          // Missing: not written yet, or pruned. Read after the number, the floor shows a prune that deleted it
          // (raised before the deletion).
          if (n + i < (await floor())) return [{ n: n + i, initiativeId: RELOAD }];
          return changes;
        }
      }
    },
  };
}
export type ListingChanges = ReturnType<typeof createListingChanges>;

const perConnection = new WeakMap<Connection, ListingChanges>();
/** The change log of a connection, one per process and connection: its appends are the ones kept in order. */
export function listingChangesOn(conn: Connection): ListingChanges {
  let log = perConnection.get(conn);
  if (!log) perConnection.set(conn, (log = createListingChanges(conn)));
  return log;
}
