/** Browser sessions: the cookie holds a random id, MongoDB only its SHA-256 hash, with the CSRF token, an absolute expiry and the last activity (for the idle timeout). */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';
import { hashToken } from './tokens';

export interface SessionDoc {
  _id: string; // sha256 of the session id in the cookie
  personId: string;
  /** Sent back by the page in X-CSRF-Token (or a _csrf form field) on every unsafe request. */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
}

const schema = new Schema<SessionDoc>(
  {
    _id: String,
    personId: { type: String, required: true },
    csrfToken: String,
    createdAt: Date,
    expiresAt: Date,
    lastSeenAt: Date,
  },
  { versionKey: false },
);
// Purging expired sessions (no TTL index: FerretDB has none); and a person's sessions on sign-out everywhere.
schema.index({ expiresAt: 1 });
schema.index({ personId: 1 });

export function sessionModel(conn: Connection) {
  return conn.model<SessionDoc>('Session', schema, 'sessions');
}
export type SessionModel = ReturnType<typeof sessionModel>;

/** Opens a session; returns the id for the cookie (never stored) and the CSRF token. Expired sessions are purged on the way. */
export async function openSession(
  model: SessionModel,
  personId: string,
  ttlMs: number,
): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await model.deleteMany({ expiresAt: { $lte: now } });
  await model.create({ _id: hashToken(id), personId, csrfToken, createdAt: now, expiresAt, lastSeenAt: now });
  return { id, csrfToken, expiresAt };
}

/** Whether a session is past its absolute expiry, or unused for longer than idleMs. */
export function sessionExpired(
  doc: Pick<SessionDoc, 'expiresAt' | 'lastSeenAt'>,
  idleMs: number,
  now = Date.now(),
): boolean {
  return doc.expiresAt.getTime() <= now || doc.lastSeenAt.getTime() + idleMs <= now;
}

/**
 * How stale lastSeenAt may grow before a request writes it again: once a minute (one write per active
 * session per minute, not per request), or more often when the idle timeout is short enough to need it.
 */
export const lastSeenWriteEvery = (idleMs: number) => Math.min(60_000, Math.floor(idleMs / 4));

/**
 * The live session a cookie names, or null when unknown, expired or idle for idleMs; an expired one is deleted.
 * Reads and writes name only the `_id` (the one filter FerretDB answers without a scan).
 */
export async function findSession(model: SessionModel, id: string, idleMs: number): Promise<SessionDoc | null> {
  const doc = await model.findById(hashToken(id)).lean();
  if (!doc) return null;
  const now = Date.now();
  if (sessionExpired(doc, idleMs, now)) {
    await model.deleteOne({ _id: doc._id });
    return null;
  }
  if (now - doc.lastSeenAt.getTime() > lastSeenWriteEvery(idleMs))
    await model.updateOne({ _id: doc._id }, { $set: { lastSeenAt: new Date(now) } });
  return doc;
}

export async function closeSession(model: SessionModel, id: string): Promise<void> {
  await model.deleteOne({ _id: hashToken(id) });
}
