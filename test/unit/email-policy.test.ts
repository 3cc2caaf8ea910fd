/** Which email goes now, which waits for the digest, which the person opted out of; where the unsubscribe link goes. */
import type { Notification } from '../../src/domain/types';
import { nextDigestAt } from '../../src/domain/digest-time';
import {
  deliveryFor,
  isDecisionRequest,
  unsubscribeTopicFor,
  type DeliveryClock,
  type Recipient,
} from '../../src/email/policy';
import { SAMPLE_NOTIFICATIONS as N } from '../../src/email/samples';

const rep: Recipient = { _id: 'rep-kz', roles: ['representative'], state: 'KZ' };
const deputy: Recipient = { _id: 'deputy-kz', roles: ['deputy'], state: 'KZ' };
const official: Recipient = { _id: 'official-kg', roles: ['official'], state: 'KG' };
const secretariat: Recipient = { _id: 'secretariat', roles: ['secretariat'] };
const signoffReminder: Notification = { ...N.reminder, step: 'signoff' };

/** A clock at 08:00 in Tashkent on 20 Dec: the next digest (09:00) comes long before the samples' due date of 22 Dec. */
function clockAt(iso: string, zone = 'Asia/Tashkent'): DeliveryClock {
  const now = Date.parse(iso);
  return { now, nextDigestAt: nextDigestAt(now, zone).at };
}
const EARLY = clockAt('2026-12-20T03:00:00Z');

describe('decision requests', () => {
  it('are sign-off requests, and sign-off reminders and new deadlines, to representatives and deputies', () => {
    expect(isDecisionRequest(N.signoff_requested, rep)).toBe(true);
    expect(isDecisionRequest(N.signoff_requested, deputy)).toBe(true);
    expect(isDecisionRequest(signoffReminder, rep)).toBe(true);
    expect(isDecisionRequest(N.deadline_extended, rep)).toBe(true);
    expect(isDecisionRequest(N.reminder, official)).toBe(false);
    expect(isDecisionRequest(N.escalation, secretariat)).toBe(false);
  });

  it('never carry an unsubscribe link and are sent at once whatever the preferences', () => {
    const digestAndOptedOut = { ...rep, notifications: { digest: true, optOut: ['reminder', 'digest'] } };
    expect(unsubscribeTopicFor(signoffReminder, rep)).toBeUndefined();
    expect(unsubscribeTopicFor(N.signoff_requested, rep)).toBeUndefined();
    expect(deliveryFor(signoffReminder, digestAndOptedOut, EARLY)).toBe('send');
    expect(deliveryFor(N.signoff_requested, digestAndOptedOut, EARLY)).toBe('send');
  });
});

describe('preferences', () => {
  it('offers unsubscribing from reminders other than decision requests', () => {
    expect(unsubscribeTopicFor(N.reminder, official)).toBe('reminder');
    expect(unsubscribeTopicFor(N.assigned, official)).toBeUndefined();
    expect(unsubscribeTopicFor(N.escalation, secretariat)).toBeUndefined();
  });

  it('sends everything one by one by default', () => {
    for (const n of Object.values(N)) expect(deliveryFor(n, official, EARLY)).toBe('send');
  });

  it('defers informational kinds to the digest and keeps the rest immediate', () => {
    const digest = { ...secretariat, notifications: { digest: true, optOut: [] } };
    expect(deliveryFor(N.decision_recorded, digest, EARLY)).toBe('defer');
    expect(deliveryFor(N.draft_submitted, digest, EARLY)).toBe('defer');
    expect(deliveryFor(N.reminder, digest, EARLY)).toBe('defer');
    expect(deliveryFor(N.escalation, digest, EARLY)).toBe('send');
    expect(deliveryFor(N.objected, digest, EARLY)).toBe('send');
    expect(deliveryFor(N.assigned, digest, EARLY)).toBe('send');
  });

  it('suppresses what the person unsubscribed from', () => {
    expect(
      deliveryFor(N.reminder, { ...official, notifications: { digest: false, optOut: ['reminder'] } }, EARLY),
    ).toBe('suppress');
    expect(
      deliveryFor(N.decision_recorded, { ...secretariat, notifications: { digest: true, optOut: ['digest'] } }, EARLY),
    ).toBe('suppress');
    expect(
      deliveryFor(N.escalation, { ...secretariat, notifications: { digest: true, optOut: ['digest'] } }, EARLY),
    ).toBe('send');
  });
});

describe('a deadline the digest would come too late for', () => {
  const digest = { ...official, notifications: { digest: true, optOut: [] } };
  // The samples' reminder is due 2026-12-22T05:00Z: 10:00 in Tashkent, 11:00 in Bishkek.
  const dueToday = { ...N.reminder, sequence: 0 };

  it('goes at once when the deadline is before the next digest in the reader’s zone', () => {
    // 00:30 in Tashkent on the 22nd: the digest at 09:00 (04:00Z) is before the deadline, so it waits.
    expect(deliveryFor(dueToday, digest, clockAt('2026-12-21T19:30:00Z'))).toBe('defer');
    // 09:30 in Tashkent: the next digest is tomorrow's, a day after the deadline.
    expect(deliveryFor(dueToday, digest, clockAt('2026-12-22T04:30:00Z'))).toBe('send');
  });

  it('counts the deadline at the digest instant itself as too late, and one already past', () => {
    const atDigest = { ...dueToday, dueAt: '2026-12-22T04:00:00.000Z' };
    expect(deliveryFor(atDigest, digest, clockAt('2026-12-21T19:30:00Z'))).toBe('send');
    const past = { ...dueToday, dueAt: '2026-12-21T19:00:00.000Z' };
    expect(deliveryFor(past, digest, clockAt('2026-12-21T19:30:00Z'))).toBe('send');
  });

  it('reads the digest instant in the reader’s zone', () => {
    // 03:30Z on the 22nd is 08:30 in Tashkent (digest at 04:00Z, before the 05:00Z deadline) but 07:30 in Baku,
    // whose digest at 09:00 is 05:00Z: at the deadline itself.
    const at = '2026-12-22T03:30:00Z';
    expect(deliveryFor(dueToday, digest, clockAt(at, 'Asia/Tashkent'))).toBe('defer');
    expect(deliveryFor(dueToday, digest, clockAt(at, 'Asia/Baku'))).toBe('send');
  });

  it('is sent even to someone who unsubscribed from the digest, but not from reminders they stopped', () => {
    const late = clockAt('2026-12-22T04:30:00Z');
    expect(deliveryFor(dueToday, { ...official, notifications: { digest: true, optOut: ['digest'] } }, late)).toBe(
      'send',
    );
    expect(deliveryFor(dueToday, { ...official, notifications: { digest: true, optOut: ['reminder'] } }, late)).toBe(
      'suppress',
    );
  });

  it('leaves emails without a deadline to the digest', () => {
    expect(deliveryFor(N.decision_recorded, digest, clockAt('2026-12-22T04:30:00Z'))).toBe('defer');
  });
});
