/**
 * Who was told. A state's silence counts as consent only if the state could have objected, so for each revision
 * put to the states and each state asked, the record shows when the text reached the state's people (the SMTP
 * server accepted the email that carries it), when one of them first opened it (the email's decision link or
 * the initiative's page), and when the state acknowledged it by an explicit act. An opening by link is only as
 * good as the link: a mail scanner that follows links opens it too, which is why the acknowledgement exists.
 */
import { NotificationKind, type AuditEvent } from './types';

/** The emails that carry a revision's text to a state. */
const TEXT_BEARING: ReadonlySet<string> = new Set([
  NotificationKind.SignoffRequested,
  NotificationKind.EditorialRevision,
]);

export type OpenedVia = 'link' | 'page';

/** A state's first opening of a revision put to it. */
export interface NoticeOpening {
  revision: number;
  state: string;
  at: string;
  by: string;
  via: OpenedVia;
}

/** One email of the outbox's record, with the state of the person it went to. */
export interface SentNotice {
  state?: string;
  kind: string;
  revision?: number;
  /** When the SMTP server accepted it. */
  sentAt?: string;
}

export interface NoticeReach {
  revision: number;
  state: string;
  deliveredAt?: string;
  openedAt?: string;
  openedVia?: OpenedVia;
  openedBy?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
}

/** The revisions put to the states, oldest first, with the states each was put to. */
function roundsOf(trail: readonly AuditEvent[]): { revision: number; members: string[] }[] {
  const rounds: { revision: number; members: string[] }[] = [];
  for (const e of trail) {
    if (e.type === 'signoff_opened') rounds.push({ revision: e.revision, members: e.data.members });
    // An editorial revision puts its text to the same states, in the same round.
    if (e.type === 'editorial_revision' && rounds.length)
      rounds.push({ revision: e.data.revision, members: rounds[rounds.length - 1].members });
  }
  return rounds;
}

const earliest = (a: string | undefined, b: string | undefined) => (!a || (b && b < a) ? b : a);

/** The round as the workflow holds it now: the recorded trail may not have caught up with it yet. */
export interface LiveRound {
  revision: number;
  members: readonly string[];
  acknowledged?: Record<string, { at: string; byName: string }>;
}

/** Per revision put to the states and per state asked: delivered, opened, acknowledged (each absent until it happened). */
export function noticeReach(
  trail: readonly AuditEvent[],
  sent: readonly SentNotice[],
  openings: readonly NoticeOpening[],
  live?: LiveRound,
): NoticeReach[] {
  const rows = new Map<string, NoticeReach>();
  const key = (revision: number, state: string) => `${revision}|${state}`;
  for (const r of [...roundsOf(trail), ...(live ? [live] : [])])
    for (const state of r.members)
      if (!rows.has(key(r.revision, state))) rows.set(key(r.revision, state), { revision: r.revision, state });
  for (const n of sent) {
    const row = n.state && n.revision !== undefined ? rows.get(key(n.revision, n.state)) : undefined;
    if (row && TEXT_BEARING.has(n.kind) && n.sentAt) row.deliveredAt = earliest(row.deliveredAt, n.sentAt);
  }
  for (const o of openings) {
    const row = rows.get(key(o.revision, o.state));
    if (row && (!row.openedAt || o.at < row.openedAt))
      Object.assign(row, { openedAt: o.at, openedVia: o.via, openedBy: o.by });
  }
  for (const e of trail) {
    if (e.type !== 'acknowledged') continue;
    const row = rows.get(key(e.revision, e.data.state));
    if (row && !row.acknowledgedAt)
      Object.assign(row, { acknowledgedAt: e.at, ...(e.actor ? { acknowledgedBy: e.actor.name } : {}) });
  }
  for (const [state, a] of Object.entries(live?.acknowledged ?? {})) {
    const row = rows.get(key(live!.revision, state));
    if (row && !row.acknowledgedAt) Object.assign(row, { acknowledgedAt: a.at, acknowledgedBy: a.byName });
  }
  return [...rows.values()];
}
