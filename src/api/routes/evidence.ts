/** Evidence that outlives the system: the key that signs the trail, and each initiative's evidence pack. */
import type { Router } from 'express';
import * as s from '../../app/schemas';
import { auditSignerOf } from '../../evidence/signing';
import { notificationRecordOf } from '../../persistence/outbox';
import { evidenceDocument, packFileName } from '../../evidence/document';
import { renderPdf } from '../../report/pdf';
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
        "What was decided, by whom and on whose behalf, on which text (its SHA-256), who was told and when (the SMTP server's acceptance), with the whole hash-chained trail, its signed checkpoint and a seal over all of it. Verify it with `npm run verify-evidence -- PACK.json --key KEY`. `format=pdf` gives the same for people, in `lang` en or ru, with the sealed JSON attached to the PDF.",
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      query: s.evidenceQuery,
      success: {
        description: 'the sealed pack, as a download',
        schema: s.evidencePackResponse,
        also: ['application/pdf'],
      },
      errors: [404],
    },
    async ({ params, query, res }) => {
      const pack = await evidencePackOf(
        {
          ...deps,
          signer,
          publicUrl: deps.config.PUBLIC_URL,
          notificationsOf: deps.outbox && ((initiativeId) => notificationRecordOf(deps.outbox!, initiativeId)),
          openingsOf: (initiativeId) => deps.openings.of(initiativeId),
        },
        params.id,
      );
      if (!pack) throw problems.notFound(`initiative ${params.id}`);
      if (query.format === 'json') {
        res.attachment(packFileName(pack));
        return pack;
      }
      const names = Object.fromEntries((await deps.directory.states()).map((st) => [st._id, st.name]));
      const doc = evidenceDocument(pack, query.lang, names, deps.config.SECRETARIAT_TIME_ZONE);
      const json = Buffer.from(`${JSON.stringify(pack, null, 2)}\n`, 'utf8');
      const pdf = await renderPdf(doc, new Date(pack.generatedAt), [
        { name: packFileName(pack), data: json, type: 'application/json', description: 'The sealed evidence pack' },
      ]);
      res.type('application/pdf').attachment(`${params.id}-evidence-${query.lang}.pdf`).send(pdf);
      return undefined;
    },
  );
}
