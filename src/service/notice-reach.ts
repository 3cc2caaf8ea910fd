/** Who was told (src/domain/notice-reach.ts): noting a state's opening, and the record for one initiative. */
import { noticeReach, type LiveRound, type NoticeReach, type OpenedVia } from '../domain/notice-reach';
import { speaksForState } from '../domain/roles';
import type { Actor, AuditEvent } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import { logger } from '../logger';
import type { Directory } from '../persistence/directory';
import type { NoticeOpenings } from '../persistence/notice-openings';
import type { NotificationRecord } from '../persistence/outbox';

/**
 * Notes that a person who speaks for a state asked to decide opened the revision now put to it (`revision`: the
 * one a link was sent for, noted only while it is the one put to the states). Best effort: a page that cannot
 * note its opening is still shown, and the acknowledgement remains the state's proof of receipt.
 */
export async function noteOpened(
  openings: Pick<NoticeOpenings, 'note'>,
  actor: Pick<Actor, 'personId' | 'roles' | 'state'>,
  view: InitiativeView | null | undefined,
  via: OpenedVia,
  revision?: number,
): Promise<void> {
  const round = view?.stage === 'signoff' ? view.round : undefined;
  if (!view || !round || !actor.state || !speaksForState(actor) || !round.members.includes(actor.state)) return;
  if (revision !== undefined && revision !== round.revision) return;
  try {
    await openings.note(view.id, { revision: round.revision, state: actor.state, by: actor.personId, via });
  } catch (err) {
    logger.warn({ err, initiativeId: view.id, state: actor.state }, 'could not note that a state opened its text');
  }
}

/** Each email's record with the state of the person it went to (as the directory has them now). */
export async function withRecipientStates<N extends { personId: string }>(
  directory: Pick<Directory, 'person'>,
  sent: readonly N[],
): Promise<(N & { state?: string })[]> {
  const stateOf = new Map<string, string | undefined>();
  for (const personId of new Set(sent.map((n) => n.personId)))
    stateOf.set(personId, (await directory.person(personId))?.state);
  return sent.map((n) => {
    const state = stateOf.get(n.personId);
    return state ? { ...n, state } : { ...n };
  });
}

/** The record of who was told, from the trail, the outbox (when at hand) and the openings. */
export async function reachOf(
  deps: {
    openings: Pick<NoticeOpenings, 'of'>;
    /** Every email the initiative caused (the outbox's record); none where the outbox is not at hand. */
    notificationsOf?: (initiativeId: string) => Promise<NotificationRecord[]>;
    directory: Pick<Directory, 'person'>;
  },
  id: string,
  trail: readonly AuditEvent[],
  live?: LiveRound,
): Promise<NoticeReach[]> {
  const [sent, opened] = await Promise.all([
    deps.notificationsOf ? deps.notificationsOf(id) : Promise.resolve([]),
    deps.openings.of(id),
  ]);
  const notices = (await withRecipientStates(deps.directory, sent)).map((n) => ({
    state: n.state,
    kind: n.kind,
    revision: n.revision,
    sentAt: n.sentAt ? new Date(n.sentAt).toISOString() : undefined,
  }));
  return noticeReach(trail, notices, opened, live);
}
