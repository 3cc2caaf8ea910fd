/**
 * Signed checkpoints of the audit trail: Ed25519 (node:crypto) over an initiative's chain head, so a stored
 * trail cannot be rewritten or cut short without the deployment's signing key. The key pair is derived from
 * APP_SECRET under a purpose label of its own (no other token of the app verifies as a checkpoint); its
 * public part is published at GET /api/audit-key and goes into every evidence pack.
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ChainHead } from '../domain/audit-chain';

export const SIGNATURE_ALGORITHM = 'Ed25519';

/** What a checkpoint vouches for: the trail of `initiativeId` up to `seq`, whose last hash is `hash`. */
export interface CheckpointStatement extends ChainHead {
  v: 1;
  initiativeId: string;
  signedAt: string;
}

export interface Checkpoint extends CheckpointStatement {
  /** The signing key's id (see keyIdOf). */
  keyId: string;
  /** Ed25519 over the statement's canonical JSON, base64url. */
  signature: string;
}

export interface AuditSigner {
  publicKey: string;
  keyId: string;
  sign(statement: Omit<CheckpointStatement, 'v'>): Checkpoint;
  /** Ed25519 over any bytes (an evidence pack's seal), base64url. */
  signBytes(bytes: Buffer): string;
}

// PKCS#8 and SPKI wrappers of a raw Ed25519 key (RFC 8410): node:crypto imports keys in these forms.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A key's id: the first 16 hex digits of the SHA-256 of its raw public key. */
export function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);
}

function statementBytes(s: CheckpointStatement): Buffer {
  const { v, initiativeId, seq, hash, signedAt } = s;
  return Buffer.from(canonicalize({ v, initiativeId, seq, hash, signedAt })!, 'utf8');
}

/** The deployment's signer, from its secret. */
export function auditSignerOf(secret: string): AuditSigner {
  if (!secret) throw new Error('the app secret is empty');
  const seed = createHmac('sha256', secret).update('summit-followup:audit-checkpoint:v1').digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
  const publicKey = raw.toString('base64url');
  const keyId = keyIdOf(publicKey);
  const signBytes = (bytes: Buffer) => sign(null, bytes, privateKey).toString('base64url');
  return {
    publicKey,
    keyId,
    signBytes,
    sign(statement) {
      const full: CheckpointStatement = { v: 1, ...statement };
      return { ...full, keyId, signature: signBytes(statementBytes(full)) };
    },
  };
}

function publicKeyObject(publicKey: string): KeyObject {
  const raw = Buffer.from(publicKey, 'base64url');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes (43 characters of base64url)');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Whether `signature` (base64url) over `bytes` was made with the key whose public part is `publicKey`. */
export function signatureVerifies(publicKey: string, bytes: Buffer, signature: string): boolean {
  try {
    return verify(null, bytes, publicKeyObject(publicKey), Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** Whether `checkpoint` was signed by the holder of `publicKey` (base64url, raw 32 bytes). */
export function checkpointVerifies(checkpoint: Checkpoint, publicKey: string): boolean {
  return (
    checkpoint.keyId === keyIdOf(publicKey) &&
    signatureVerifies(publicKey, statementBytes(checkpoint), checkpoint.signature)
  );
}
