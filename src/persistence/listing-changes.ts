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
 * The log is kept (about 100 bytes per recorded view): a reader starting up finds its end by doubling steps.
 */
import { Connection, Schema } from 'mongoose';
import { claimFirstFree, existsById } from './connection';

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

/** The most numbers a reader looks up at once when it is behind. */
const READ_AHEAD = 16;

export const LISTING_CHANGES_COLLECTION = 'initiative_listing_changes';

function changeModel(conn: Connection) {
  return (conn.models.ListingChange as ReturnType<typeof compile> | undefined) ?? compile(conn);
}
function compile(conn: Connection) {
  return conn.model<ListingChangeDoc>('ListingChange', schema, LISTING_CHANGES_COLLECTION);
}

/** The change log on a connection: append (writers) and read (the mirrors). */
export function createListingChanges(conn: Connection) {
  const model = changeModel(conn);
  const taken = (n: number) => existsById(model, String(n));

  /** The highest number taken (0 for an empty log): numbers are taken from 1 up with none skipped. */
  async function last(): Promise<number> {
    if (!(await taken(1))) return 0;
    let low = 1; // taken
    let high = 2;
    while (await taken(high)) {
      low = high;
      high *= 2;
    }
    // low is taken, high is not: the last taken number lies in between.
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await taken(mid)) low = mid;
      else high = mid;
    }
    return low;
  }

  /** The first number this process does not know to be taken (learnt on the first append). */
  let next: number | undefined;
  /** This process's appends, one at a time (see above: that is what keeps the numbers without gaps). */
  let queue: Promise<unknown> = Promise.resolve();

  async function claimNext(initiativeId: string): Promise<number> {
    const from = (next ??= (await last()) + 1);
    const n = await claimFirstFree(
      model,
      String,
      (k, claim) => ({ _id: String(k), initiativeId, claim, at: new Date() }),
      from,
    );
    next = n + 1;
    return n;
  }

  return {
    last,
    /** Records that the listing entry of `initiativeId` changed (or `RELOAD`); resolves with the change's number. */
    append(initiativeId: string): Promise<number> {
      const claimed = queue.then(() => claimNext(initiativeId));
      queue = claimed.catch(() => undefined);
      return claimed;
    },
    /** The changes from number `from` on, in order, up to the first number not taken yet. */
    async readFrom(from: number): Promise<{ n: number; initiativeId: string }[]> {
      const changes: { n: number; initiativeId: string }[] = [];
      // One lookup when the reader is up to date (the usual case), then more at once while changes keep coming.
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
          if (!doc) return changes;
          changes.push({ n: n + i, initiativeId: doc.initiativeId });
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
