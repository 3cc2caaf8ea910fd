/** The trail's hash chain and its signed checkpoints, without servers: what breaks is named, by record. */
import { chainEvents, CHAIN_GENESIS, verifyChain } from '../../src/domain/audit-chain';
import type { AuditEvent } from '../../src/domain/types';
import { auditSignerOf, checkpointVerifies } from '../../src/evidence/signing';

const ID = 'rail-corridor';

function trail(n: number): AuditEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    type: i === 0 ? 'started' : 'decided',
    at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    // An optional field left undefined: the chain hashes what the database will give back, without it.
    actor: { personId: `rep-${i}`, name: `Rep ${i}`, roles: ['representative'], state: 'KZ', onBehalfOf: undefined },
    revision: 1,
    data: { state: 'KZ', decision: 'approve' },
  })) as AuditEvent[];
}

const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('the hash chain of the audit trail', () => {
  it('links each event to the one before, from the genesis link, and survives a round trip through JSON', () => {
    const events = trail(4);
    const head = chainEvents(ID, undefined, events);
    expect(head.seq).toBe(4);
    expect((events[0] as AuditEvent & { prev: string }).prev).toBe(CHAIN_GENESIS);
    expect(verifyChain(ID, copy(events), head)).toEqual({ ok: true, head, unchained: 0 });
  });

  it('goes on from a head across batches, and a retried batch keeps its links', () => {
    const events = trail(5);
    const first = chainEvents(ID, undefined, events.slice(0, 2));
    const second = chainEvents(ID, first, events.slice(2));
    expect(chainEvents(ID, first, events.slice(2))).toEqual(second);
    expect(verifyChain(ID, events, second)).toMatchObject({ ok: true });
  });

  it('names a changed, removed, moved or cut-off record, and a trail of another initiative', () => {
    const events = trail(5);
    const head = chainEvents(ID, undefined, events);
    const changed = copy(events);
    (changed[2].data as { decision: string }).decision = 'object';
    expect(verifyChain(ID, changed, head)).toMatchObject({ ok: false, broken: { position: 3, problem: 'changed' } });

    const removed = copy(events).filter((e) => e.seq !== 2);
    expect(verifyChain(ID, removed, head)).toMatchObject({ ok: false, broken: { position: 2, problem: 'sequence' } });

    const moved = copy(events);
    [moved[1], moved[2]] = [moved[2], moved[1]];
    moved[1].seq = 2;
    moved[2].seq = 3;
    expect(verifyChain(ID, moved, head)).toMatchObject({
      ok: false,
      broken: { position: 2, problem: 'missing_or_reordered' },
    });

    expect(verifyChain(ID, copy(events).slice(0, 4), head)).toMatchObject({
      ok: false,
      broken: { problem: 'truncated', message: expect.stringContaining('vouches for seq 5') },
    });
    expect(verifyChain('another-initiative', copy(events))).toMatchObject({ ok: false, broken: { position: 1 } });
  });

  it('counts the events recorded before the chain existed, and refuses an unchained one after chained ones', () => {
    const events = trail(4);
    chainEvents(ID, undefined, events.slice(2));
    expect(verifyChain(ID, events)).toMatchObject({ ok: true, unchained: 2 });
    const after = trail(3);
    chainEvents(ID, undefined, after.slice(0, 2));
    expect(verifyChain(ID, after)).toMatchObject({ ok: false, broken: { position: 3, problem: 'unchained' } });
  });
});

describe('signed checkpoints', () => {
  const signer = auditSignerOf('a deployment secret');
  const checkpoint = signer.sign({ initiativeId: ID, seq: 5, hash: 'ab'.repeat(32), signedAt: '2026-12-03T06:00:00Z' });

  it('verify under the deployment key, with a key id derived from it', () => {
    expect(signer.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auditSignerOf('a deployment secret').publicKey).toBe(signer.publicKey);
    expect(checkpointVerifies(checkpoint, signer.publicKey)).toBe(true);
  });

  it("do not verify under another deployment's key, nor once a field changed", () => {
    expect(checkpointVerifies(checkpoint, auditSignerOf('another secret').publicKey)).toBe(false);
    expect(checkpointVerifies({ ...checkpoint, seq: 6 }, signer.publicKey)).toBe(false);
    expect(checkpointVerifies({ ...checkpoint, initiativeId: 'other' }, signer.publicKey)).toBe(false);
  });
});
