/**
 * The API's seal on an act. Only the API authenticates people; the workflow must not take the `actor`
 * inside an update (or a start) on trust, since anyone who reaches Temporal's frontend can send one.
 * So the API seals every act with an HMAC under a key derived from the deployment secret, over:
 *   - where it goes: the workflow id, the update's name and the update id,
 *   - what it says: the whole input, actor included, with the seal itself left out,
 * in RFC 8785 canonical JSON. The workflow's update validator recomputes it (pure JS: no Node crypto in
 * the sandbox) and refuses an act without a seal, with a seal that does not verify, or an old one.
 *
 * The seal key reaches the worker's workflow bundle at build time (workflows/seal-key.ts), never
 * Temporal's history. Validators do not run on replay, so rotating the secret breaks no replay.
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import canonicalize from 'canonicalize';

/** What the API adds to an act's input: its idempotency record and the seal over all of it. */
export interface ActAuth {
  /** The idempotency key's id: an HMAC of the caller's key (or of a random one) under the app secret, never the raw key. */
  key: string;
  /** A digest of the request the key was first used with (act, initiative, body). */
  fingerprint: string;
  /** When the API sealed the act, in ms since the epoch. */
  issuedAt: number;
  /** HMAC-SHA256 under the seal key, in hex; see the module comment. */
  seal: string;
}

export type Sealed<I> = I & { auth?: ActAuth };

/** Where a sealed input may be used: a start has no update, an act names its update and update id. */
export interface SealTarget {
  workflowId: string;
  update?: string;
  updateId?: string;
}

/** How long a seal is accepted after (or before, for clock skew) it was issued. */
export const SEAL_LIFETIME_MS = 10 * 60_000;

/** The seal key (hex) from the deployment secret: one key per purpose, so no other token verifies as a seal. */
export function sealKeyOf(secret: string): string {
  if (!secret) throw new Error('the app secret is empty');
  return bytesToHex(hmac(sha256, utf8ToBytes(secret), utf8ToBytes('summit-followup:act-seal:v1')));
}

function message(target: SealTarget, input: object): Uint8Array {
  const { auth, ...rest } = input as { auth?: ActAuth };
  const unsealed = auth
    ? { ...rest, auth: { key: auth.key, fingerprint: auth.fingerprint, issuedAt: auth.issuedAt } }
    : rest;
  const text = canonicalize({
    v: 1,
    workflowId: target.workflowId,
    update: target.update ?? null,
    updateId: target.updateId ?? null,
    input: unsealed,
  });
  if (text === undefined) throw new Error('the input cannot be sealed');
  return utf8ToBytes(text);
}

function mac(keyHex: string, target: SealTarget, input: object): string {
  return bytesToHex(hmac(sha256, hexToBytes(keyHex), message(target, input)));
}

/** The input with its seal: `auth` holds the key id, fingerprint and issue time given, and the seal over everything. */
export function seal<I extends object>(
  keyHex: string,
  target: SealTarget,
  input: I,
  auth: Omit<ActAuth, 'seal'>,
): I & { auth: ActAuth } {
  const withAuth = { ...input, auth: { ...auth, seal: '' } };
  withAuth.auth.seal = mac(keyHex, target, withAuth);
  return withAuth;
}

export const SealProblem = { Missing: 'missing', Forged: 'forged', Expired: 'expired' } as const;
export type SealProblem = (typeof SealProblem)[keyof typeof SealProblem];

/**
 * Why a sealed input is not acceptable, or undefined when it is. With `now`, a seal older (or younger) than
 * SEAL_LIFETIME_MS is expired; a start is checked without it, since its first task may run long after. Compares in constant time.
 */
export function sealProblem(
  keyHex: string | undefined,
  target: SealTarget,
  input: Sealed<object>,
  now?: number,
): SealProblem | undefined {
  const auth = input.auth;
  if (!auth || typeof auth.seal !== 'string' || typeof auth.issuedAt !== 'number') return SealProblem.Missing;
  if (!keyHex) return SealProblem.Forged;
  if (!sameText(mac(keyHex, target, input), auth.seal)) return SealProblem.Forged;
  if (now !== undefined && Math.abs(now - auth.issuedAt) > SEAL_LIFETIME_MS) return SealProblem.Expired;
  return undefined;
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A 128-bit digest of a text (fingerprints, key ids) in hex: SHA-256, or HMAC-SHA256 when a key is given. */
export function digest(text: string, keyHex?: string): string {
  const bytes = keyHex ? hmac(sha256, hexToBytes(keyHex), utf8ToBytes(text)) : sha256(utf8ToBytes(text));
  return bytesToHex(bytes).slice(0, 32);
}

/** The canonical JSON of a request, for its fingerprint. */
export function fingerprintOf(request: unknown): string {
  const text = canonicalize(request);
  if (text === undefined) throw new Error('the request cannot be fingerprinted');
  return digest(text);
}
