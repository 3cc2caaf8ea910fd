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

/** Stores a token's hash; issuing the same token again changes nothing. */
export async function issueToken(model: TokenModel, personId: string, label: string, token: string): Promise<void> {
  await model.updateOne({ _id: hashToken(token) }, { $setOnInsert: { personId, label, createdAt: new Date() } }, { upsert: true });
}

/** The person a live token belongs to, recording its use. */
export async function personOfToken(model: TokenModel, token: string): Promise<string | null> {
  const _id = hashToken(token);
  const doc = await model.findOne({ _id, revokedAt: { $exists: false } }).lean();
  if (!doc) return null;
  await model.updateOne({ _id }, { $set: { lastUsedAt: new Date() } });
  return doc.personId;
}
