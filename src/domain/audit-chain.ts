/**
 * The audit trail as a hash chain: each event names the hash of the one before it, and its own hash covers
 * the initiative, that link and the whole event (RFC 8785 canonical JSON, SHA-256). The workflow chains the
 * events it writes (deterministic: pure JS, no Node crypto in the sandbox), so a stored event that is changed,
 * removed or moved no longer matches its successor; the recording activity signs the chain's head
 * (src/evidence/signing.ts), so the end cannot be cut off or rewritten without the deployment's key.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import canonicalize from 'canonicalize';
import type { AuditEvent } from './types';

/** The link of the first event: nothing comes before it. */
export const CHAIN_GENESIS = '0'.repeat(64);

export type ChainedEvent = AuditEvent & { prev: string; hash: string };

/** Where the chain stands: the last chained event's sequence number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** An event's hash over the initiative, the previous hash and the event itself (its own `hash` left out). */
export function eventHash(initiativeId: string, event: AuditEvent & { prev: string }): string {
  const { hash, ...linked } = event as ChainedEvent;
  void hash;
  const text = canonicalize({ v: 1, initiativeId, event: linked });
  if (text === undefined) throw new Error(`event ${event.seq} cannot be hashed`);
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * Chains `events` after `head` in place, in order, and returns the new head. An event chained before (a
 * retried recording) keeps its link. Each event is first reduced to what JSON keeps (no `undefined`), which
 * is exactly what the database stores and gives back.
 */
export function chainEvents(initiativeId: string, head: ChainHead | undefined, events: AuditEvent[]): ChainHead {
  let at = head ?? { seq: 0, hash: CHAIN_GENESIS };
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Partial<ChainedEvent> & AuditEvent;
    if (e.hash) {
      at = { seq: e.seq, hash: e.hash };
      continue;
    }
    const plain = JSON.parse(JSON.stringify(e)) as AuditEvent;
    for (const key of Object.keys(e)) delete (e as unknown as Record<string, unknown>)[key];
    Object.assign(e, plain, { prev: at.hash });
    e.hash = eventHash(initiativeId, e as ChainedEvent);
    at = { seq: e.seq, hash: e.hash };
  }
  return at;
}

/** Where a trail first breaks: the record (by position and the seq it claims) and what is wrong with it. */
export interface ChainBreak {
  /** 1-based position in the trail as given. */
  position: number;
  seq: number | undefined;
  problem: 'changed' | 'missing_or_reordered' | 'unchained' | 'sequence' | 'truncated';
  message: string;
}

/**
 * Checks a trail given in stored order: every event's hash is its own, every link names the event before,
 * sequence numbers run 1, 2, 3... and, when a signed head is given, the trail holds that very record. Events
 * written before the chain existed (no hash, at the start of the trail) are counted, not checked.
 */
export function verifyChain(
  initiativeId: string,
  events: readonly AuditEvent[],
  signedHead?: ChainHead,
): { ok: true; head: ChainHead | undefined; unchained: number } | { ok: false; broken: ChainBreak } {
  // Records after the signed head are checked as a chain; only a later checkpoint can vouch for them.
  let prev: string | undefined;
  let unchained = 0;
  let head: ChainHead | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Partial<ChainedEvent> & AuditEvent;
    const at = { position: i + 1, seq: e.seq };
    if (e.seq !== i + 1) {
      return {
        ok: false,
        broken: {
          ...at,
          problem: 'sequence',
          message: `record ${i + 1} claims seq ${String(e.seq)}: a record before it is missing, or the records were reordered`,
        },
      };
    }
    if (!e.hash || !e.prev) {
      if (prev !== undefined)
        return {
          ok: false,
          broken: { ...at, problem: 'unchained', message: `seq ${e.seq} has no hash, after chained records` },
        };
      unchained += 1;
      continue;
    }
    if (e.prev !== (prev ?? CHAIN_GENESIS))
      return {
        ok: false,
        broken: {
          ...at,
          problem: 'missing_or_reordered',
          message: `seq ${e.seq} does not follow the record before it: a record was removed, inserted or moved`,
        },
      };
    if (eventHash(initiativeId, e as ChainedEvent) !== e.hash)
      return {
        ok: false,
        broken: { ...at, problem: 'changed', message: `seq ${e.seq} (${e.type}) was changed after it was recorded` },
      };
    prev = e.hash;
    head = { seq: e.seq, hash: e.hash };
  }
  // The signed head vouches for the trail up to its seq: that record must be there, with that hash.
  const vouched = signedHead && events[signedHead.seq - 1];
  if (signedHead && (vouched as Partial<ChainedEvent> | undefined)?.hash !== signedHead.hash) {
    const short = events.length < signedHead.seq;
    return {
      ok: false,
      broken: {
        position: short ? events.length : signedHead.seq,
        seq: short ? head?.seq : signedHead.seq,
        problem: short ? 'truncated' : 'changed',
        message: short
          ? `the trail ends at seq ${events.length}, but the signed checkpoint vouches for seq ${signedHead.seq}: records were removed from its end`
          : `seq ${signedHead.seq} is not the record the signed checkpoint vouches for: the trail was rewritten`,
      },
    };
  }
  return { ok: true, head, unchained };
}
