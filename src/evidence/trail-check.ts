/** The stored trail checked against its signed checkpoint, for the initiative's page: intact, or where it broke. */
import { verifyChain, type ChainBreak } from '../domain/audit-chain';
import type { AuditEvent } from '../domain/types';
import { checkpointVerifies, type Checkpoint } from './signing';

export type TrailCheck =
  | { kind: 'intact'; records: number; signedSeq: number; signedAt: string; keyId: string }
  /** Recorded before the chain existed: nothing to check it against. */
  | { kind: 'unchained' }
  | { kind: 'broken'; at: ChainBreak | 'signature' };

export function trailCheck(
  initiativeId: string,
  events: readonly AuditEvent[],
  checkpoint: Checkpoint | null,
  publicKey: string,
): TrailCheck {
  if (!checkpoint) return { kind: 'unchained' };
  if (!checkpointVerifies(checkpoint, publicKey)) return { kind: 'broken', at: 'signature' };
  const chain = verifyChain(initiativeId, events, { seq: checkpoint.seq, hash: checkpoint.hash });
  if (!chain.ok) return { kind: 'broken', at: chain.broken };
  return {
    kind: 'intact',
    records: events.length,
    signedSeq: checkpoint.seq,
    signedAt: checkpoint.signedAt,
    keyId: checkpoint.keyId,
  };
}
