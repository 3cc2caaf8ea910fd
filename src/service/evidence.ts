/** Makes an initiative's evidence pack (src/evidence/pack.ts) from what the deployment holds. */
import { buildPack, type EvidencePack, type PackNotification } from '../evidence/pack';
import type { AuditSigner } from '../evidence/signing';
import type { Directory } from '../persistence/directory';
import type { NotificationRecord } from '../persistence/outbox';
import type { InitiativeService } from './initiatives';
import type { ReadModel } from './read-model';

export interface EvidenceDeps {
  service: Pick<InitiativeService, 'get'>;
  readModel: Pick<ReadModel, 'events' | 'checkpoint'>;
  directory: Pick<Directory, 'person'>;
  /** Every email the initiative caused (the outbox's record); none where the outbox is not at hand. */
  notificationsOf?: (initiativeId: string) => Promise<NotificationRecord[]>;
  signer: AuditSigner;
  publicUrl: string;
}

/** The pack, or null when there is no such initiative. */
export async function evidencePackOf(deps: EvidenceDeps, id: string, now = new Date()): Promise<EvidencePack | null> {
  const view = await deps.service.get(id);
  if (!view) return null;
  const [trail, checkpoint, sent] = await Promise.all([
    deps.readModel.events(id),
    deps.readModel.checkpoint(id),
    deps.notificationsOf ? deps.notificationsOf(id) : Promise.resolve([]),
  ]);
  const stateOf = new Map<string, string | undefined>();
  for (const personId of new Set(sent.map((n) => n.personId)))
    stateOf.set(personId, (await deps.directory.person(personId))?.state);
  const notifications: PackNotification[] = sent.map((n) => ({
    personId: n.personId,
    to: n.to,
    ...(stateOf.get(n.personId) ? { state: stateOf.get(n.personId) } : {}),
    kind: n.kind,
    ...(n.step ? { step: n.step } : {}),
    ...(n.revision !== undefined ? { revision: n.revision } : {}),
    status: n.status,
    queuedAt: new Date(n.createdAt).toISOString(),
    ...(n.sentAt ? { sentAt: new Date(n.sentAt).toISOString() } : {}),
    ...(n.smtpResponse ? { smtpResponse: n.smtpResponse } : {}),
  }));
  return buildPack({ view, trail, checkpoint, notifications, signer: deps.signer, url: deps.publicUrl, now });
}
