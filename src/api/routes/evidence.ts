/** Evidence that outlives the system: the key that signs the trail, and each initiative's evidence pack. */
import type { Router } from 'express';
import * as s from '../../app/schemas';
import { auditSignerOf } from '../../evidence/signing';
import { notificationRecordOf } from '../../persistence/outbox';
import { evidencePackOf } from '../../service/evidence';
import type { RouteDeps } from '../deps';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';

const TAG = 'Evidence';

export function evidenceRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  const { define } = registry.on(api, '/api');
  const signer = auditSignerOf(deps.secret);

  define(
    {
      method: 'get',
      path: '/audit-key',
      summary: "The deployment's public signing key",
      description:
        'Ed25519: it signs the checkpoints of every audit trail and seals every evidence pack. Keep a copy: `npm run verify-evidence` checks a pack against it, offline.',
      tag: TAG,
      auth: 'public',
      success: { description: 'the public key', schema: s.auditKeyResponse },
    },
    () => ({ algorithm: 'Ed25519' as const, keyId: signer.keyId, publicKey: signer.publicKey }),
  );

  define(
    {
      method: 'get',
      path: '/initiatives/:id/evidence',
      summary: "An initiative's evidence pack",
      description:
        "What was decided, by whom and on whose behalf, on which text (its SHA-256), who was told and when (the SMTP server's acceptance), with the whole hash-chained trail, its signed checkpoint and a seal over all of it. Verify it with `npm run verify-evidence -- PACK.json --key KEY`.",
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: { description: 'the sealed pack, as a download', schema: s.evidencePackResponse },
      errors: [404],
    },
    async ({ params, res }) => {
      const pack = await evidencePackOf(
        {
          ...deps,
          signer,
          publicUrl: deps.config.PUBLIC_URL,
          notificationsOf: deps.outbox && ((initiativeId) => notificationRecordOf(deps.outbox!, initiativeId)),
        },
        params.id,
      );
      if (!pack) throw problems.notFound(`initiative ${params.id}`);
      res.attachment(`${params.id}-evidence.json`);
      return pack;
    },
  );
}
