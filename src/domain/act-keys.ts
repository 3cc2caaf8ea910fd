/**
 * Idempotency keys an initiative has seen. Temporal answers a repeated update id with its first result,
 * but only within one run; the workflow keeps each key's use so that a retry after continue-as-new
 * changes nothing either, and so that a key reused by another person, or by the same person for another
 * request, is refused instead of being answered with another act's result.
 */
import { Refusal, RefusalCode } from './initiative';

export interface KeyUse {
  personId: string;
  fingerprint: string;
  /** When it was first used (ISO); uses older than KEY_RETENTION_MS are forgotten. */
  at: string;
}
/** By key id (an HMAC of the caller's key: see src/domain/act-seal.ts). */
export type KeyUses = Record<string, KeyUse>;

/** How long a key is remembered: a client retries within minutes, and the IETF draft and Stripe keep keys for 24 hours. */
export const KEY_RETENTION_MS = 24 * 3_600_000;

/**
 * 'retry' when this person used this key for this same request before (nothing more to do), 'new' when the
 * key is unused; a Refusal when someone else used it, or the same person for another request.
 */
export function keyUseOf(uses: KeyUses, use: { key: string; fingerprint: string; personId: string }): 'new' | 'retry' {
  const seen = uses[use.key];
  if (!seen) return 'new';
  if (seen.personId === use.personId && seen.fingerprint === use.fingerprint) return 'retry';
  throw new Refusal(
    RefusalCode.IdempotencyKeyReused,
    seen.personId === use.personId
      ? 'this Idempotency-Key was already used for another request; use a new key for a new request'
      : 'this Idempotency-Key was already used by someone else; use a key of your own',
  );
}

/** Remembers a key's first use and forgets uses past their retention. */
export function rememberKeyUse(
  uses: KeyUses,
  use: { key: string; fingerprint: string; personId: string },
  now: number,
): void {
  for (const [key, u] of Object.entries(uses)) if (now - Date.parse(u.at) > KEY_RETENTION_MS) delete uses[key];
  uses[use.key] = { personId: use.personId, fingerprint: use.fingerprint, at: new Date(now).toISOString() };
}
