/** Which email goes now, which waits for the digest, which the person opted out of; where the unsubscribe link goes. */
import type { Notification } from '../../src/domain/types';
import { deliveryFor, isDecisionRequest, unsubscribeTopicFor, type Recipient } from '../../src/email/policy';
import { SAMPLE_NOTIFICATIONS as N } from '../../src/email/samples';

const rep: Recipient = { _id: 'rep-kz', roles: ['representative'], state: 'KZ' };
const deputy: Recipient = { _id: 'deputy-kz', roles: ['deputy'], state: 'KZ' };
const official: Recipient = { _id: 'official-kg', roles: ['official'], state: 'KG' };
const secretariat: Recipient = { _id: 'secretariat', roles: ['secretariat'] };
const signoffReminder: Notification = { ...N.reminder, step: 'signoff' };

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
    expect(deliveryFor(signoffReminder, digestAndOptedOut)).toBe('send');
    expect(deliveryFor(N.signoff_requested, digestAndOptedOut)).toBe('send');
  });
});

describe('preferences', () => {
  it('offers unsubscribing from reminders other than decision requests', () => {
    expect(unsubscribeTopicFor(N.reminder, official)).toBe('reminder');
    expect(unsubscribeTopicFor(N.assigned, official)).toBeUndefined();
    expect(unsubscribeTopicFor(N.escalation, secretariat)).toBeUndefined();
  });

  it('sends everything one by one by default', () => {
    for (const n of Object.values(N)) expect(deliveryFor(n, official)).toBe('send');
  });

  it('defers informational kinds to the digest and keeps the rest immediate', () => {
    const digest = { ...secretariat, notifications: { digest: true, optOut: [] } };
    expect(deliveryFor(N.decision_recorded, digest)).toBe('defer');
    expect(deliveryFor(N.draft_submitted, digest)).toBe('defer');
    expect(deliveryFor(N.reminder, digest)).toBe('defer');
    expect(deliveryFor(N.escalation, digest)).toBe('send');
    expect(deliveryFor(N.objected, digest)).toBe('send');
    expect(deliveryFor(N.assigned, digest)).toBe('send');
  });

  it('suppresses what the person unsubscribed from', () => {
    expect(deliveryFor(N.reminder, { ...official, notifications: { digest: false, optOut: ['reminder'] } })).toBe(
      'suppress',
    );
    expect(
      deliveryFor(N.decision_recorded, { ...secretariat, notifications: { digest: true, optOut: ['digest'] } }),
    ).toBe('suppress');
    expect(deliveryFor(N.escalation, { ...secretariat, notifications: { digest: true, optOut: ['digest'] } })).toBe(
      'send',
    );
  });
});
