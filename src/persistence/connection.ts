/** The MongoDB connection (MongoDB 7 in production, FerretDB in the embedded stack: no transactions, no $lookup). */
import { randomUUID } from 'node:crypto';
import mongoose, { Connection, type Model } from 'mongoose';

// Operations issued while disconnected wait this long for the connection, like server selection.
mongoose.set('bufferTimeoutMS', 5000);

export async function connectMongo(url: string): Promise<Connection> {
  // No operation may wait forever: one stuck on a socket the database dropped (a restart) would hold
  // its activity slot in the worker for good, and enough of them stop all recording.
  const conn = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5000,
    socketTimeoutMS: 60_000,
    waitQueueTimeoutMS: 30_000,
    autoIndex: true,
  });
  await conn.asPromise();
  return conn;
}

/** True for a duplicate-key error: a concurrent or repeated insert of the same document. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Whether a document with this `_id` exists: a find by `_id`, the one read every backend answers from its index. */
export async function existsById<D>(model: Model<D>, _id: string): Promise<boolean> {
  return (await model.findById(_id).select({ _id: 1 }).lean()) !== null;
}

/**
 * Claims one numbered slot by inserting `doc` under its `_id`: the unique `_id` makes the claim atomic on MongoDB and
 * on FerretDB alike (which applies `$inc` and conditional updates as a read and a write with no lock between them).
 * True when this call holds the slot, false when another claim took it first. A claim whose insert the driver
 * retried finds the slot taken by itself, by the `claim` it wrote.
 */
export async function claimSlot<D extends { _id: string; claim: string }>(
  model: Model<D>,
  doc: (claim: string) => D,
): Promise<boolean> {
  const claim = randomUUID();
  const wanted = doc(claim);
  try {
    await model.create(wanted);
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const taken = (await model.findById(wanted._id).select({ claim: 1 }).lean()) as { claim?: string } | null;
    return taken?.claim === claim;
  }
}

/**
 * Runs an upsert by `_id` so that a concurrent upsert of the same new document cannot fail it. MongoDB retries
 * that race itself; FerretDB answers the loser with a duplicate key, and the second try finds the winner's
 * document and updates it.
 */
export async function upsertRacing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return write();
  }
}

/**
 * A read-merge-write of one document by `_id` that no concurrent writer can undo: the write applies only if the
 * document is as it was read (its `rev`), else it is read and merged again. Needed where "one caller at a time"
 * does not hold: a recording activity that timed out on a slow database is started again while its first
 * attempt still runs, and both write. FerretDB has no transactions; a filter on `_id` and `rev` is the compare-and-set
 * it offers. FerretDB 1.24 reads the whole collection for a filter beyond `_id` alone: cheap for the
 * collections written here at today's sizes, to be redesigned before they reach tens of thousands.
 */
export async function rewrite<D extends { _id: string; rev?: number }, R>(
  model: Model<D>,
  _id: string,
  merge: (doc: D | null) => Promise<{ next?: Omit<D, '_id' | 'rev'>; result: R }>,
): Promise<R> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const doc = (await model.findById(_id).lean()) as D | null;
    const { next, result } = await merge(doc);
    if (!next) return result;
    const rev = (doc?.rev ?? 0) + 1;
    if (!doc) {
      try {
        await model.create({ ...next, _id, rev });
        return result;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
    }
    const unchanged = doc.rev === undefined ? { rev: { $exists: false } } : { rev: doc.rev };
    const res = await model.replaceOne({ _id, ...unchanged } as never, { ...next, _id, rev } as never);
    if (res.matchedCount === 1) return result;
  }
  throw new Error(`${model.collection.name} ${_id}: changed by others 50 times while it was being written`);
}
