/**
 * The evidence pack of an initiative: what was decided, by whom (and on whose behalf), on which text, who was
 * told and when, with the whole hash-chained trail and the deployment's signed checkpoint of it. It is made
 * to be kept outside the system (Temporal's history is deleted after the namespace's retention) and checked
 * offline by `npm run verify-evidence` (src/evidence/verify.ts) against the deployment's published key.
 *
 * Two signatures, two purposes: the checkpoint was signed when the trail was recorded, so a trail changed in
 * the database before the pack was made is caught; the pack's seal covers everything in it, so nothing in the
 * pack (the summary, the notification record) can be changed after it was issued.
 */
import { TEXT_LANGUAGES } from '../domain/draft-text';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { NoticeReach } from '../domain/notice-reach';
import type { AuditEvent } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import type { AuditSigner, Checkpoint } from './signing';

export const PACK_FORMAT = 'summit-followup/evidence-pack';

/** One state's decision, as the trail records it. */
export interface PackDecision {
  seq: number;
  state: string;
  decision: string;
  revision: number;
  at: string;
  /** Who acted, and for a deputy the representative on whose behalf. */
  by?: string;
  byName?: string;
  onBehalfOf?: string;
  /** How the person proved who they were (absent on acts recorded before it was kept). */
  via?: string;
  reason?: string;
  /** The hash of the text decided on and the language version approved (absent on decisions recorded before). */
  textHash?: string;
  language?: string;
  /** A statement attached to an approval or abstention; the text an amendment proposed. */
  statement?: string;
  amendment?: string;
}

/** One email the initiative caused: to whom, and whether the SMTP server accepted it. */
export interface PackNotification {
  personId: string;
  to: string;
  state?: string;
  kind: string;
  step?: string;
  revision?: number;
  status: string;
  queuedAt: string;
  /** When the SMTP server accepted it, with its reply. */
  sentAt?: string;
  smtpResponse?: string;
}

export interface EvidencePack {
  format: typeof PACK_FORMAT;
  version: 1;
  generatedAt: string;
  issuer: { url: string; algorithm: 'Ed25519'; keyId: string; publicKey: string };
  initiative: {
    id: string;
    title: string;
    /** The title in Russian, where the Secretariat gave one. */
    titleRu?: string;
    summit: string;
    proposingState: string;
    source?: { document: string; quote: string };
    stage: string;
    revision: number;
    /** The text on record: its SHA-256 (UTF-8) stands for it. */
    text?: {
      revision: number;
      title: string;
      link?: string;
      /** A draft recorded before texts had languages: the SHA-256 of its one text. */
      sha256?: string;
      /** The hash a decision names: title, link and every language version (src/domain/draft-text.ts). */
      textHash?: string;
      /** Each language version's own SHA-256 (UTF-8), and whether it is authentic. */
      languages?: { lang: string; authentic: boolean; sha256: string }[];
    };
  };
  decisions: PackDecision[];
  notifications: PackNotification[];
  /** Who was told: per revision put to the states and per state, delivered, opened, acknowledged (src/domain/notice-reach.ts). */
  reach: NoticeReach[];
  trail: AuditEvent[];
  /** The latest signed checkpoint of the trail; null for a trail recorded before the chain existed. */
  checkpoint: Checkpoint | null;
  /** Ed25519 over the canonical JSON of everything above, by the issuer's key. */
  seal: { keyId: string; signature: string };
}

export type UnsealedPack = Omit<EvidencePack, 'seal'>;

/** The bytes the seal covers: the pack without its seal, in RFC 8785 canonical JSON. */
export function packBytes(pack: UnsealedPack | EvidencePack): Buffer {
  const { seal, ...rest } = pack as EvidencePack;
  void seal;
  return Buffer.from(canonicalize(rest)!, 'utf8');
}

/** Each state's decisions, in the order the trail holds them. */
export function decisionsOf(trail: readonly AuditEvent[]): PackDecision[] {
  return trail
    .filter((e) => e.type === 'decided')
    .map((e) => {
      const data = e.data as {
        state: string;
        decision: string;
        reason?: string;
        textHash?: string;
        language?: string;
        statement?: string;
        amendment?: string;
      };
      return {
        seq: e.seq,
        state: data.state,
        decision: data.decision,
        revision: e.revision,
        at: e.at,
        ...(e.actor ? { by: e.actor.personId, byName: e.actor.name } : {}),
        ...(e.actor?.onBehalfOf ? { onBehalfOf: e.actor.onBehalfOf } : {}),
        ...(e.actor?.via ? { via: e.actor.via } : {}),
        ...(data.reason ? { reason: data.reason } : {}),
        ...(data.textHash ? { textHash: data.textHash } : {}),
        ...(data.language ? { language: data.language } : {}),
        ...(data.statement ? { statement: data.statement } : {}),
        ...(data.amendment ? { amendment: data.amendment } : {}),
      };
    });
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Makes and seals the pack from the stored trail, its checkpoint, the live view and the outbox's record. */
export function buildPack(args: {
  view: InitiativeView;
  trail: AuditEvent[];
  checkpoint: Checkpoint | null;
  notifications: PackNotification[];
  reach: NoticeReach[];
  signer: AuditSigner;
  url: string;
  now: Date;
}): EvidencePack {
  const { view, signer } = args;
  const draft = view.draft;
  const unsealed: UnsealedPack = {
    format: PACK_FORMAT,
    version: 1,
    generatedAt: args.now.toISOString(),
    issuer: { url: args.url, algorithm: 'Ed25519', keyId: signer.keyId, publicKey: signer.publicKey },
    initiative: {
      id: view.id,
      title: view.title,
      ...(view.titleRu ? { titleRu: view.titleRu } : {}),
      summit: view.summit,
      proposingState: view.proposingState,
      ...(view.source ? { source: view.source } : {}),
      stage: view.stage,
      revision: view.revision,
      ...(draft
        ? {
            text: {
              revision: draft.revision,
              title: draft.title,
              ...(draft.link ? { link: draft.link } : {}),
              ...(draft.text !== undefined ? { sha256: sha256(draft.text) } : {}),
              ...(draft.textHash ? { textHash: draft.textHash } : {}),
              ...(draft.texts
                ? {
                    languages: TEXT_LANGUAGES.filter((l) => draft.texts![l]).map((l) => ({
                      lang: l,
                      authentic: draft.texts![l]!.authentic,
                      sha256: sha256(draft.texts![l]!.text),
                    })),
                  }
                : {}),
            },
          }
        : {}),
    },
    decisions: decisionsOf(args.trail),
    notifications: args.notifications,
    reach: args.reach,
    trail: args.trail,
    checkpoint: args.checkpoint,
  };
  // JSON keeps what the verifier will read: no undefined, dates as strings.
  const plain = JSON.parse(JSON.stringify(unsealed)) as UnsealedPack;
  return { ...plain, seal: { keyId: signer.keyId, signature: signer.signBytes(packBytes(plain)) } };
}
