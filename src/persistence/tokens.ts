/** API tokens for people and automation: stored as SHA-256 hashes, revocable, optionally expiring, with their last use. */
import { createHash, randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';
import { upsertRacing } from './connection';
import { credentialStillValid } from './directory';

export interface TokenDoc {
  _id: string; // sha256 of the token
  personId: string;
  label: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
  /** After this time the token answers 401 like a revoked one; absent: it lasts until revoked. */
  expiresAt?: Date;
}

const schema = new Schema<TokenDoc>(
  {
    _id: String,
    personId: { type: String, required: true },
    label: String,
    createdAt: Date,
    lastUsedAt: Date,
    revokedAt: Date,
    expiresAt: Date,
  },
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
  await upsertRacing(() =>
    model.updateOne(
      { _id: hashToken(token) },
      { $setOnInsert: { personId, label, createdAt: new Date() } },
      { upsert: true },
    ),
  );
}

/** What authentication needs of a token: whose it is, when it was issued (for credentialStillValid) and until when it lasts. */
export interface TokenOwner {
  personId: string;
  createdAt: Date;
  expiresAt?: Date;
}

/** True while a token has not expired; revoked tokens are never read as owners (personOfToken). */
export function tokenUnexpired(token: { expiresAt?: Date }, now = Date.now()): boolean {
  return !token.expiresAt || token.expiresAt.getTime() > now;
}

/**
 * When a new token expires: after the days asked for, or after the deployment's maximum (API_TOKEN_MAX_TTL_DAYS)
 * when none were asked; never (undefined) when neither is set. Asking for more than the maximum is an error
 * the caller reports, rather than a silent cut that a script would find out about only on its expiry day.
 */
export function tokenExpiry(
  requestedDays: number | undefined,
  maxDays: number | undefined,
  now = Date.now(),
): { expiresAt?: Date } | { overMax: number } {
  if (maxDays !== undefined && requestedDays !== undefined && requestedDays > maxDays) return { overMax: maxDays };
  const days = requestedDays ?? maxDays;
  return days === undefined ? {} : { expiresAt: new Date(now + days * 86_400_000) };
}

/** The owner of a token that is not revoked, recording its use (at most once a minute, so reads do not write on every call). Expiry is the caller's to check: the owner is cached. */
export async function personOfToken(model: TokenModel, token: string): Promise<TokenOwner | null> {
  const _id = hashToken(token);
  const doc = await model.findOne({ _id, revokedAt: { $exists: false } }).lean();
  if (!doc) return null;
  if (tokenUnexpired(doc) && (!doc.lastUsedAt || Date.now() - doc.lastUsedAt.getTime() > 60_000))
    await model.updateOne({ _id }, { $set: { lastUsedAt: new Date() } });
  return { personId: doc.personId, createdAt: doc.createdAt, expiresAt: doc.expiresAt };
}

export interface TokenSummary {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  revokedAt?: string;
  /** False once revoked, expired, or voided by a revocation of all the person's credentials. */
  live: boolean;
}

/** `voidedAt`: the person's credentialsRevokedAt when it voids this token (a revocation whose per-token update did not happen shows all the same). */
function summary(doc: TokenDoc, voidedAt?: Date): TokenSummary {
  const revokedAt = doc.revokedAt ?? voidedAt;
  return {
    id: tokenIdOf(doc._id),
    label: doc.label,
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt?.toISOString(),
    expiresAt: doc.expiresAt?.toISOString(),
    revokedAt: revokedAt?.toISOString(),
    live: !revokedAt && tokenUnexpired(doc),
  };
}

/**
 * A person's tokens, newest first, with their last use. `credentialsRevokedAt` is the person's: a token it
 * voids (credentialStillValid) is shown revoked at that time.
 */
export async function listTokens(
  model: TokenModel,
  personId: string,
  credentialsRevokedAt?: Date,
): Promise<TokenSummary[]> {
  const docs = await model.find({ personId }).sort({ createdAt: -1 }).lean();
  return docs.map((d) =>
    summary(d, credentialStillValid({ credentialsRevokedAt }, d.createdAt) ? undefined : credentialsRevokedAt),
  );
}

export type CreateTokenResult = ({ ok: true; token: string } & TokenSummary) | { ok: false; live: number };

/**
 * Creates a token for a person unless they already hold `maxLive` live ones; the token itself is returned
 * once and never stored. Two concurrent creations may both pass the count (no transactions): the cap bounds
 * a person's tokens, it is not an exact quota.
 */
export async function createToken(
  model: TokenModel,
  personId: string,
  label: string,
  opts: { expiresAt?: Date; maxLive: number; credentialsRevokedAt?: Date },
): Promise<CreateTokenResult> {
  const live = (await listTokens(model, personId, opts.credentialsRevokedAt)).filter((t) => t.live).length;
  if (live >= opts.maxLive) return { ok: false, live };
  const token = newToken();
  const doc: TokenDoc = {
    _id: hashToken(token),
    personId,
    label,
    createdAt: new Date(),
    ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
  };
  await model.create(doc);
  return { ok: true, token, ...summary(doc) };
}

/** Revokes every live token of a person (a revocation of all their credentials); returns how many. */
export async function revokeTokensOf(model: TokenModel, personId: string, at: Date): Promise<number> {
  const r = await model.updateMany({ personId, revokedAt: { $exists: false } }, { $set: { revokedAt: at } });
  return r.modifiedCount;
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
