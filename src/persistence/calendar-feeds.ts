/** Private calendar feed URLs: one live feed per person, stored as a SHA-256 hash, revocable; a new one replaces the old. */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';
import { hashToken } from './tokens';

export interface CalendarFeedDoc {
  _id: string; // sha256 of the token in the feed URL
  personId: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

const schema = new Schema<CalendarFeedDoc>(
  { _id: String, personId: { type: String, required: true }, createdAt: Date, lastUsedAt: Date, revokedAt: Date },
  { versionKey: false },
);
// GET/DELETE /api/calendar-feed: a person's feeds.
schema.index({ personId: 1 });

export function calendarFeedModel(conn: Connection) {
  return conn.model<CalendarFeedDoc>('CalendarFeed', schema, 'calendar_feeds');
}
export type CalendarFeedModel = ReturnType<typeof calendarFeedModel>;

/** Revokes a person's feeds; returns how many were live. */
export async function revokeFeeds(model: CalendarFeedModel, personId: string): Promise<number> {
  const r = await model.updateMany({ personId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
  return r.modifiedCount;
}

/** Creates a new feed token for a person, revoking the previous one. */
export async function createFeed(
  model: CalendarFeedModel,
  personId: string,
): Promise<{ token: string; createdAt: Date }> {
  await revokeFeeds(model, personId);
  const token = `sfc_${randomBytes(24).toString('base64url')}`;
  const createdAt = new Date();
  await model.create({ _id: hashToken(token), personId, createdAt });
  return { token, createdAt };
}

export async function liveFeedOf(model: CalendarFeedModel, personId: string): Promise<CalendarFeedDoc | null> {
  return model.findOne({ personId, revokedAt: { $exists: false } }).lean();
}

/**
 * The feed a token names if it is not revoked, recording its use (at most once a minute). Whether its
 * person still honours it (credentialStillValid with its createdAt) is the caller's to check.
 */
export async function liveFeed(
  model: CalendarFeedModel,
  token: string,
): Promise<Pick<CalendarFeedDoc, 'personId' | 'createdAt'> | null> {
  const _id = hashToken(token);
  const doc = await model.findOne({ _id, revokedAt: { $exists: false } }).lean();
  if (!doc) return null;
  if (!doc.lastUsedAt || Date.now() - doc.lastUsedAt.getTime() > 60_000)
    await model.updateOne({ _id }, { $set: { lastUsedAt: new Date() } });
  return { personId: doc.personId, createdAt: doc.createdAt };
}
