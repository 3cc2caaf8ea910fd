/** Makes an initiative's evidence pack (src/evidence/pack.ts) from what the deployment holds. */
import { noticeReach, type NoticeOpening } from '../domain/notice-reach';
import { buildPack, type EvidencePack, type PackNotification } from '../evidence/pack';
import type { AuditSigner } from '../evidence/signing';
import type { Directory } from '../persistence/directory';
import type { NotificationRecord } from '../persistence/outbox';
import type { InitiativeService } from './initiatives';
import { withRecipientStates } from './notice-reach';
import type { ReadModel } from './read-model';

export interface EvidenceDeps {
  service: Pick<InitiativeService, 'get'>;
  readModel: Pick<ReadModel, 'events' | 'checkpoint'>;
  directory: Pick<Directory, 'person'>;
  /** Every email the initiative caused (the outbox's record); none where the outbox is not at hand. */
  notificationsOf?: (initiativeId: string) => Promise<NotificationRecord[]>;
  /** Each state's first opening of each revision put to it (src/persistence/notice-openings.ts). */
  openingsOf: (initiativeId: string) => Promise<NoticeOpening[]>;
  signer: AuditSigner;
  publicUrl: string;
}

/** The pack, or null when there is no such initiative. */
export async function evidencePackOf(deps: EvidenceDeps, id: string, now = new Date()): Promise<EvidencePack | null> {
  const view = await deps.service.get(id);
  if (!view) return null;
  const [trail, checkpoint, sent, openings] = await Promise.all([
    deps.readModel.events(id),
    deps.readModel.checkpoint(id),
    deps.notificationsOf ? deps.notificationsOf(id) : Promise.resolve([]),
    deps.openingsOf(id),
  ]);
  const notifications: PackNotification[] = (await withRecipientStates(deps.directory, sent)).map((n) => ({
    personId: n.personId,
    to: n.to,
    ...(n.state ? { state: n.state } : {}),
    kind: n.kind,
    ...(n.step ? { step: n.step } : {}),
    ...(n.revision !== undefined ? { revision: n.revision } : {}),
    status: n.status,
    queuedAt: new Date(n.createdAt).toISOString(),
    ...(n.sentAt ? { sentAt: new Date(n.sentAt).toISOString() } : {}),
    ...(n.smtpResponse ? { smtpResponse: n.smtpResponse } : {}),
  }));
  const reach = noticeReach(trail, notifications, openings, view.round);
  return buildPack({ view, trail, checkpoint, notifications, reach, signer: deps.signer, url: deps.publicUrl, now });
}
