/** The MongoDB connection (MongoDB 7 in production, FerretDB in the embedded stack: no transactions, no $lookup). */
import mongoose, { Connection } from 'mongoose';

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
