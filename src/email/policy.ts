/**
 * Which email a notification becomes for one person: sent now, deferred to the daily digest, or
 * suppressed because the person opted out; whether it is a decision request (action link, never an
 * unsubscribe link); whether it carries a calendar event.
 */
import { NotificationKind, Role, type Notification } from '../domain/types';
import type { PersonDoc } from '../persistence/directory';
import { UnsubscribeTopic } from './links';

/** Informational kinds a digest person receives once a day instead of one by one. */
export const DIGEST_KINDS: ReadonlySet<string> = new Set<string>([
  NotificationKind.Started,
  NotificationKind.DraftSubmitted,
  NotificationKind.DecisionRecorded,
  NotificationKind.Adopted,
  NotificationKind.Withdrawn,
  NotificationKind.Completed,
  NotificationKind.Reminder,
]);

/** Kinds about a due date: they carry the step's .ics event. */
export const DEADLINE_KINDS: ReadonlySet<string> = new Set<string>([
  NotificationKind.Assigned,
  NotificationKind.SignoffRequested,
  NotificationKind.ChangesRequested,
  NotificationKind.DeadlineExtended,
  NotificationKind.MilestoneAdded,
  NotificationKind.Reminder,
]);

/** Whether the email carries a calendar object: the step's event, or its cancellation. */
export function carriesCalendar(n: Pick<Notification, 'kind' | 'dueAt'>): boolean {
  return n.dueAt !== undefined && (DEADLINE_KINDS.has(n.kind) || n.kind === NotificationKind.CalendarCancelled);
}

export type Recipient = Pick<PersonDoc, '_id' | 'roles' | 'state' | 'notifications'>;

function decides(person: Recipient): boolean {
  return Boolean(person.state) && (person.roles.includes(Role.Representative) || person.roles.includes(Role.Deputy));
}

/**
 * A request to the person to decide for their state: the sign-off request itself, and a reminder
 * or new deadline of the sign-off step sent to a representative or deputy. These carry the action
 * link, are always sent at once, and can never be unsubscribed from.
 */
export function isDecisionRequest(n: Pick<Notification, 'kind' | 'step'>, person: Recipient): boolean {
  if (!decides(person)) return false;
  if (
    n.kind === NotificationKind.SignoffRequested ||
    n.kind === NotificationKind.EditorialRevision ||
    n.kind === NotificationKind.AcknowledgementMissing
  )
    return true;
  return n.step === 'signoff' && (n.kind === NotificationKind.Reminder || n.kind === NotificationKind.DeadlineExtended);
}

/** The List-Unsubscribe topic of this email, if the person may opt out of it: reminders, except decision requests. */
export function unsubscribeTopicFor(
  n: Pick<Notification, 'kind' | 'step'>,
  person: Recipient,
): UnsubscribeTopic | undefined {
  if (n.kind === NotificationKind.Reminder && !isDecisionRequest(n, person)) return UnsubscribeTopic.Reminder;
  return undefined;
}

export const Delivery = { Send: 'send', Defer: 'defer', Suppress: 'suppress' } as const;
export type Delivery = (typeof Delivery)[keyof typeof Delivery];

/** When the decision is taken: now, and the person's next digest instant (nextDigestAt in their zone), in ms. */
export interface DeliveryClock {
  now: number;
  nextDigestAt: number;
}

/**
 * A deadline at or before the next digest: the digest would bring the news after the fact (issue 14, a
 * "due today" reminder arrived in the 09:00 digest half an hour after its deadline, without its time or .ics).
 */
export function dueBeforeDigest(n: Pick<Notification, 'dueAt'>, clock: DeliveryClock): boolean {
  return n.dueAt !== undefined && Date.parse(n.dueAt) <= clock.nextDigestAt;
}

/**
 * What to do with one notification for one person, by their preferences: a digest person's informational
 * email waits for the digest, unless it carries a deadline the digest would come too late for; then it goes
 * at once, on its own and with its calendar event.
 */
export function deliveryFor(
  n: Pick<Notification, 'kind' | 'step' | 'dueAt'>,
  person: Recipient,
  clock: DeliveryClock,
): Delivery {
  if (isDecisionRequest(n, person)) return Delivery.Send;
  const optOut = person.notifications?.optOut ?? [];
  const topic = unsubscribeTopicFor(n, person);
  if (topic && optOut.includes(topic)) return Delivery.Suppress;
  if (person.notifications?.digest && DIGEST_KINDS.has(n.kind) && !dueBeforeDigest(n, clock)) {
    return optOut.includes(UnsubscribeTopic.Digest) ? Delivery.Suppress : Delivery.Defer;
  }
  return Delivery.Send;
}
