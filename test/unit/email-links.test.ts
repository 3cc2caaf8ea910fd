/** Signed links: the decision action link and the unsubscribe link. */
import { createHash, createHmac } from 'node:crypto';
import {
  DECISION_LINK_GRACE_MS,
  decisionActionUrl,
  LinkTokenError,
  nonceFor,
  signDecisionToken,
  unsubscribeUrl,
  verifyDecisionToken,
  verifyUnsubscribeToken,
} from '../../src/email/links';

const SECRET = 'x'.repeat(40);
const now = new Date('2026-12-01T00:00:00.000Z');
const input = {
  publicUrl: 'https://summit.example.org/',
  secret: SECRET,
  personId: 'rep-kz',
  state: 'KZ',
  initiativeId: 'digital-transit-corridor',
  revision: 2,
  nonce: nonceFor(SECRET, 'some|outbox|key'),
  dueAt: '2026-12-22T05:00:00.000Z',
  now,
};

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

describe('decision action link', () => {
  it('is PUBLIC_URL/act/<token> and carries person, state, initiative, revision, nonce, expiry and issue time', () => {
    const url = decisionActionUrl(input);
    expect(url).toMatch(/^https:\/\/summit\.example\.org\/act\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const claims = verifyDecisionToken(SECRET, tokenOf(url), now.getTime());
    expect(claims).toEqual({
      personId: 'rep-kz',
      state: 'KZ',
      initiativeId: 'digital-transit-corridor',
      revision: 2,
      nonce: input.nonce,
      expiresAt: Date.parse(input.dueAt) + DECISION_LINK_GRACE_MS,
      issuedAt: now.getTime(),
    });
  });

  it('follows the documented format: base64url JSON array, HMAC-SHA256 with the purpose key', () => {
    const token = tokenOf(decisionActionUrl(input));
    const [payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual([
      'rep-kz',
      'KZ',
      'digital-transit-corridor',
      2,
      Date.parse(input.dueAt) + DECISION_LINK_GRACE_MS,
      input.nonce,
      now.getTime(),
    ]);
    const key = createHmac('sha256', SECRET).update('summit-followup:action-link:v2').digest();
    expect(signature).toBe(createHmac('sha256', key).update(payload).digest('base64url'));
  });

  it('refuses an altered, truncated, foreign or expired token', () => {
    const token = tokenOf(decisionActionUrl(input));
    const [payload, signature] = token.split('.');
    const altered = Buffer.from(JSON.stringify(['rep-kz', 'TM', 'digital-transit-corridor', 2, 9e15, 'n'])).toString(
      'base64url',
    );
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof LinkTokenError ? err.code : 'other';
      }
      return 'ok';
    };
    expect(code(() => verifyDecisionToken(SECRET, `${altered}.${signature}`, now.getTime()))).toBe('forged');
    expect(code(() => verifyDecisionToken(SECRET, payload, now.getTime()))).toBe('forged');
    expect(code(() => verifyDecisionToken('y'.repeat(40), token, now.getTime()))).toBe('forged');
    expect(code(() => verifyDecisionToken(SECRET, token, Date.parse(input.dueAt) + DECISION_LINK_GRACE_MS + 1))).toBe(
      'expired',
    );
    const unsub = tokenOf(unsubscribeUrl(input.publicUrl, SECRET, { personId: 'rep-kz', topic: 'reminder' }));
    expect(code(() => verifyDecisionToken(SECRET, unsub, now.getTime()))).toBe('forged');
  });

  it('gives the same notification the same nonce and different notifications different ones', () => {
    expect(nonceFor(SECRET, 'a')).toBe(nonceFor(SECRET, 'a'));
    expect(nonceFor(SECRET, 'a')).not.toBe(nonceFor(SECRET, 'b'));
    expect(signDecisionToken(SECRET, { ...input, expiresAt: 1, issuedAt: 0 })).toBe(
      signDecisionToken(SECRET, { ...input, expiresAt: 1, issuedAt: 0 }),
    );
  });

  it('keys the nonce by the secret: the notification key alone, which readers of the initiative can work out, does not give it', () => {
    const key = 'digital-transit-corridor|signoff|rep-kz|signoff_requested|2026-12-22T05:00:00.000Z|r2|-';
    const fromReadableFields = createHash('sha256').update(`nonce:${key}`).digest('base64url').slice(0, 22);
    expect(nonceFor(SECRET, key)).not.toBe(fromReadableFields);
    expect(nonceFor(SECRET, key)).not.toBe(nonceFor('y'.repeat(40), key));
  });
});

describe('unsubscribe link', () => {
  it('is PUBLIC_URL/unsubscribe/<token>, names person and topic, and does not expire', () => {
    const url = unsubscribeUrl('https://summit.example.org', SECRET, { personId: 'official-kg', topic: 'digest' });
    expect(url).toMatch(/^https:\/\/summit\.example\.org\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyUnsubscribeToken(SECRET, tokenOf(url))).toEqual({ personId: 'official-kg', topic: 'digest' });
  });

  it('refuses a decision token and a forged one', () => {
    const decision = tokenOf(decisionActionUrl(input));
    expect(() => verifyUnsubscribeToken(SECRET, decision)).toThrow(LinkTokenError);
    expect(() => verifyUnsubscribeToken(SECRET, 'abc.def')).toThrow(LinkTokenError);
  });
});
