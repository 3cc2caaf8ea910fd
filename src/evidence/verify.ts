/**
 * Checks an evidence pack offline against the public key the reader trusts (the deployment's, from
 * GET /api/audit-key or its published copy), never against the key the pack carries: a pack made by another
 * deployment, or re-signed by whoever altered it, names a key of its own and fails here.
 */
import { verifyChain } from '../domain/audit-chain';
import { decisionsOf, PACK_FORMAT, packBytes, type EvidencePack } from './pack';
import { checkpointVerifies, keyIdOf, signatureVerifies } from './signing';
import canonicalize from 'canonicalize';

export interface PackVerdict {
  ok: boolean;
  /** What holds, one line each, in the order checked. */
  checked: string[];
  /** The first thing that does not hold, in words; set when ok is false. */
  problem?: string;
  /** The trail's record where it broke, when it did. */
  brokenAt?: { position: number; seq: number | undefined; kind: string };
}

/** A raw Ed25519 public key in base64url: 43 characters. */
export function isPublicKey(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}

export function verifyPack(pack: EvidencePack, trustedKey: string): PackVerdict {
  const checked: string[] = [];
  const fail = (problem: string, brokenAt?: PackVerdict['brokenAt']): PackVerdict => ({
    ok: false,
    checked,
    problem,
    ...(brokenAt ? { brokenAt } : {}),
  });
  if (pack?.format !== PACK_FORMAT || pack.version !== 1) return fail(`not an evidence pack (format ${PACK_FORMAT} 1)`);
  const trustedId = keyIdOf(trustedKey);
  if (pack.seal?.keyId !== trustedId)
    return fail(
      `the pack is sealed by key ${String(pack.seal?.keyId)}, not by the key you trust (${trustedId}): it comes from another deployment, or was re-sealed`,
    );
  if (!signatureVerifies(trustedKey, packBytes(pack), pack.seal.signature))
    return fail('the seal does not verify: the pack was changed after it was issued');
  checked.push(`sealed by key ${trustedId} on ${pack.generatedAt}`);

  const id = pack.initiative.id;
  const cp = pack.checkpoint;
  if (!cp) return fail('the pack holds no signed checkpoint: its trail was recorded before the trail was chained');
  if (cp.initiativeId !== id) return fail(`the checkpoint is of initiative ${cp.initiativeId}, not ${id}`);
  if (!checkpointVerifies(cp, trustedKey))
    return fail('the checkpoint of the trail does not verify under the key you trust');
  checked.push(`checkpoint signed on ${cp.signedAt} vouches for the trail up to seq ${cp.seq}`);

  const chain = verifyChain(id, pack.trail, { seq: cp.seq, hash: cp.hash });
  if (!chain.ok)
    return fail(`the trail breaks at record ${chain.broken.position}: ${chain.broken.message}`, {
      position: chain.broken.position,
      seq: chain.broken.seq,
      kind: chain.broken.problem,
    });
  checked.push(
    `the trail's ${pack.trail.length} records are intact and in order` +
      (chain.unchained > 0 ? ` (the first ${chain.unchained} were recorded before the chain and are not covered)` : ''),
  );
  if (pack.trail.length > cp.seq)
    checked.push(`records after seq ${cp.seq} are chained but no checkpoint signs them yet`);

  if (canonicalize(decisionsOf(pack.trail)) !== canonicalize(pack.decisions))
    return fail('the list of decisions does not match the decisions in the trail');
  checked.push(`${pack.decisions.length} decisions match the trail`);
  return { ok: true, checked };
}
