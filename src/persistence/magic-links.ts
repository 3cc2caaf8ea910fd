/** Sign-in links sent by email: stored as SHA-256 hashes, valid once and briefly. */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';
import { credentialStillValid, Directory } from './directory';
import { hashToken } from './tokens';

export interface MagicLinkDoc {
  _id: string; // sha256 of the token in the link
  personId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
}

const schema = new Schema<MagicLinkDoc>(
  { _id: String, personId: { type: String, required: true }, createdAt: Date, expiresAt: Date, usedAt: Date },
  { versionKey: false },
);
// Purging expired links when new ones are issued.
schema.index({ expiresAt: 1 });

export function magicLinkModel(conn: Connection) {
  return conn.model<MagicLinkDoc>('MagicLink', schema, 'magic_links');
}
export type MagicLinkModel = ReturnType<typeof magicLinkModel>;

/** Issues a link token for a person; only its hash is stored. Links expired for a day are purged on the way. */
export async function issueMagicLink(
  model: MagicLinkModel,
  personId: string,
  ttlMs: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = `sfm_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await model.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - 86_400_000) } });
  await model.create({ _id: hashToken(token), personId, createdAt: now, expiresAt });
  return { token, expiresAt };
}

export type RedeemResult = { ok: true; personId: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

/**
 * Marks a link used and returns its person; of two concurrent redemptions only one succeeds (a conditional
 * update). A link issued before its person's credentials were revoked (credentialStillValid) answers as
 * unknown: it was mailed to whoever held the address then, and says nothing about who holds it now.
 */
export async function redeemMagicLink(
  model: MagicLinkModel,
  token: string,
  directory: Pick<Directory, 'person'>,
): Promise<RedeemResult> {
  const _id = hashToken(token);
  const now = new Date();
  const claimed = await model.updateOne(
    { _id, usedAt: { $exists: false }, expiresAt: { $gt: now } },
    { $set: { usedAt: now } },
  );
  const doc = await model.findById(_id).lean();
  if (!doc) return { ok: false, reason: 'unknown' };
  if (claimed.modifiedCount !== 1) return { ok: false, reason: doc.usedAt ? 'used' : 'expired' };
  const person = await directory.person(doc.personId);
  if (!person || !credentialStillValid(person, doc.createdAt)) return { ok: false, reason: 'unknown' };
  return { ok: true, personId: doc.personId };
}

/** Deletes a person's unused sign-in links (a revocation of all their credentials); returns how many. */
export async function discardUnusedLinksOf(model: MagicLinkModel, personId: string): Promise<number> {
  const r = await model.deleteMany({ personId, usedAt: { $exists: false } });
  return r.deletedCount;
}
