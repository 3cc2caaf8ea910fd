/** Browser sessions: the cookie holds a random id, MongoDB only its SHA-256 hash, with the CSRF token and an absolute expiry. */
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
  { _id: String, personId: { type: String, required: true }, csrfToken: String, createdAt: Date, expiresAt: Date, lastSeenAt: Date },
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
export async function openSession(model: SessionModel, personId: string, ttlMs: number): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await model.deleteMany({ expiresAt: { $lte: now } });
  await model.create({ _id: hashToken(id), personId, csrfToken, createdAt: now, expiresAt, lastSeenAt: now });
  return { id, csrfToken, expiresAt };
}

/** The live session a cookie names, or null when unknown or expired. */
export async function findSession(model: SessionModel, id: string): Promise<SessionDoc | null> {
  const doc = await model.findOne({ _id: hashToken(id), expiresAt: { $gt: new Date() } }).lean();
  if (!doc) return null;
  // Last activity, written at most once a minute per session.
  if (Date.now() - doc.lastSeenAt.getTime() > 60_000) await model.updateOne({ _id: doc._id }, { $set: { lastSeenAt: new Date() } });
  return doc;
}

export async function closeSession(model: SessionModel, id: string): Promise<void> {
  await model.deleteOne({ _id: hashToken(id) });
}
