/** API tokens for people and automation: stored as SHA-256 hashes, revocable, with their last use. */
import { createHash, randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';

export interface TokenDoc {
  _id: string; // sha256 of the token
  personId: string;
  label: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

const schema = new Schema<TokenDoc>(
  { _id: String, personId: { type: String, required: true }, label: String, createdAt: Date, lastUsedAt: Date, revokedAt: Date },
  { versionKey: false },
);
// A person's tokens, listed with their last use.
schema.index({ personId: 1 });

export function tokenModel(conn: Connection) {
  return conn.model<TokenDoc>('Token', schema, 'tokens');
}
export type TokenModel = ReturnType<typeof tokenModel>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `sfu_${randomBytes(24).toString('base64url')}`;
}

/** A token's public id: the first 16 hex digits of its hash (the hash itself never leaves the server). */
export const TOKEN_ID_LENGTH = 16;
export function tokenIdOf(hash: string): string {
  return hash.slice(0, TOKEN_ID_LENGTH);
}

/** Stores a token's hash; issuing the same token again changes nothing. */
export async function issueToken(model: TokenModel, personId: string, label: string, token: string): Promise<void> {
  await model.updateOne({ _id: hashToken(token) }, { $setOnInsert: { personId, label, createdAt: new Date() } }, { upsert: true });
}

/** The person a live token belongs to, recording its use (at most once a minute, so reads do not write on every call). */
export async function personOfToken(model: TokenModel, token: string): Promise<string | null> {
  const _id = hashToken(token);
  const doc = await model.findOne({ _id, revokedAt: { $exists: false } }).lean();
  if (!doc) return null;
  if (!doc.lastUsedAt || Date.now() - doc.lastUsedAt.getTime() > 60_000) await model.updateOne({ _id }, { $set: { lastUsedAt: new Date() } });
  return doc.personId;
}

export interface TokenSummary {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

function summary(doc: TokenDoc): TokenSummary {
  return {
    id: tokenIdOf(doc._id),
    label: doc.label,
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt?.toISOString(),
    revokedAt: doc.revokedAt?.toISOString(),
  };
}

/** A person's tokens, newest first, with their last use. */
export async function listTokens(model: TokenModel, personId: string): Promise<TokenSummary[]> {
  const docs = await model.find({ personId }).sort({ createdAt: -1 }).lean();
  return docs.map(summary);
}

/** Creates a token for a person; the token itself is returned once and never stored. */
export async function createToken(model: TokenModel, personId: string, label: string): Promise<{ token: string } & TokenSummary> {
  const token = newToken();
  const doc: TokenDoc = { _id: hashToken(token), personId, label, createdAt: new Date() };
  await model.create(doc);
  return { token, ...summary(doc) };
}

/** Revokes one of a person's tokens by its public id; null when the person has no such token. */
export async function revokeToken(model: TokenModel, personId: string, id: string): Promise<TokenSummary | null> {
  // The id is a prefix of the hash: a range on _id finds it through the primary index.
  const range = { _id: { $gte: id, $lt: `${id}~` }, personId };
  const doc = await model.findOne(range).lean();
  if (!doc) return null;
  if (!doc.revokedAt) {
    await model.updateOne({ _id: doc._id, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
  }
  const after = await model.findById(doc._id).lean();
  return after ? summary(after) : null;
}
