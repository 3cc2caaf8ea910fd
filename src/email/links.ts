/**
 * Signed links in emails: the decision action link (decision requests) and the unsubscribe link
 * (reminders and digests). The API verifies them with the same deployment secret (APP_SECRET).
 *
 * Both tokens are `<payload>.<signature>`, URL-safe base64 without padding:
 *   payload   = base64url(UTF-8 JSON array of the claims, in the order below)
 *   signature = base64url(HMAC-SHA256(key, payload))
 *   key       = HMAC-SHA256(secret, "summit-followup:" + purpose)      (one key per purpose)
 *
 * Decision link  `${PUBLIC_URL}/act/<token>`, purpose "action-link:v2",
 *   claims [personId, state, initiativeId, revision, expiresAtMs, nonce, issuedAtMs]
 *   (src/api/routes/action-links.ts verifies it and spends the nonce on first use). The nonce is an HMAC
 *   of the email's outbox id under the secret: nobody who can read the initiative can compute it, and a
 *   link's act takes an update id derived from it that no API caller can produce. A link issued before
 *   its person's credentials were revoked (credentialsRevokedAt) no longer acts.
 * Unsubscribe    `${PUBLIC_URL}/unsubscribe/<token>`, purpose "unsubscribe:v1",
 *   claims ["unsubscribe", personId, topic]; no expiry, so an old email's link keeps working.
 *
 * A token of one purpose never verifies as the other: the keys differ.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The API's page for a decision link (GET shows the choices, POST decides). */
export const DECISION_PATH = '/act';
/** The API's unsubscribe endpoint (GET confirms, POST applies: RFC 8058 one-click). */
export const UNSUBSCRIBE_PATH = '/unsubscribe';
/** How long a decision link stays valid after the due date it was sent for (a later reminder carries a fresh link). */
export const DECISION_LINK_GRACE_MS = 14 * 86_400_000;

export const UnsubscribeTopic = { Reminder: 'reminder', Digest: 'digest' } as const;
export type UnsubscribeTopic = (typeof UnsubscribeTopic)[keyof typeof UnsubscribeTopic];

export interface DecisionClaims {
  personId: string;
  state: string;
  initiativeId: string;
  revision: number;
  /** When the link stops working, ms since the epoch. */
  expiresAt: number;
  nonce: string;
  /** When the link was issued, ms since the epoch. */
  issuedAt: number;
}

export interface UnsubscribeClaims {
  personId: string;
  topic: UnsubscribeTopic;
}

export const LinkTokenErrorCode = { Forged: 'forged', Expired: 'expired' } as const;
export type LinkTokenErrorCode = (typeof LinkTokenErrorCode)[keyof typeof LinkTokenErrorCode];

/** A link token that does not verify: forged (altered, truncated, another purpose) or expired. */
export class LinkTokenError extends Error {
  constructor(
    readonly code: LinkTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LinkTokenError';
  }
}

const DECISION_PURPOSE = 'action-link:v2';
const NONCE_PURPOSE = 'decision-link-nonce:v1';
const UNSUBSCRIBE_PURPOSE = 'unsubscribe:v1';

function keyFor(secret: string, purpose: string): Buffer {
  if (!secret) throw new Error('the link signing secret is empty');
  return createHmac('sha256', secret).update(`summit-followup:${purpose}`).digest();
}

function sign(secret: string, purpose: string, fields: unknown[]): string {
  const payload = Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
  return `${payload}.${createHmac('sha256', keyFor(secret, purpose)).update(payload).digest('base64url')}`;
}

function verify(secret: string, purpose: string, token: string): unknown[] {
  const [payload, signature, extra] = typeof token === 'string' ? token.split('.') : [];
  if (!payload || !signature || extra !== undefined)
    throw new LinkTokenError(LinkTokenErrorCode.Forged, 'the link is incomplete or not one of ours');
  const expected = Buffer.from(createHmac('sha256', keyFor(secret, purpose)).update(payload).digest('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new LinkTokenError(LinkTokenErrorCode.Forged, 'the link was altered or was not issued for this purpose');
  }
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    fields = undefined;
  }
  if (!Array.isArray(fields)) throw new LinkTokenError(LinkTokenErrorCode.Forged, 'the link payload is not readable');
  return fields;
}

function forged(what: string): never {
  throw new LinkTokenError(LinkTokenErrorCode.Forged, `the link has no valid ${what}`);
}

/**
 * A link's nonce: the same for the same notification key (a re-render yields the same link), unique across
 * keys, and keyed by the secret, so that knowing the key (initiative, step, person, due date) is not enough.
 */
export function nonceFor(secret: string, key: string): string {
  return createHmac('sha256', keyFor(secret, NONCE_PURPOSE)).update(key).digest('base64url').slice(0, 22);
}

/** Signs a decision token. Throws when the secret is empty. */
export function signDecisionToken(secret: string, c: DecisionClaims): string {
  return sign(secret, DECISION_PURPOSE, [
    c.personId,
    c.state,
    c.initiativeId,
    c.revision,
    c.expiresAt,
    c.nonce,
    c.issuedAt,
  ]);
}

/** Checks signature and expiry; throws LinkTokenError. The API's verifyActionToken accepts the same tokens. */
export function verifyDecisionToken(secret: string, token: string, now: number = Date.now()): DecisionClaims {
  const f = verify(secret, DECISION_PURPOSE, token);
  if (f.length !== 7) forged('claims');
  const [personId, state, initiativeId, revision, expiresAt, nonce, issuedAt] = f;
  if (
    typeof personId !== 'string' ||
    typeof state !== 'string' ||
    typeof initiativeId !== 'string' ||
    typeof nonce !== 'string'
  )
    forged('claims');
  if (typeof revision !== 'number' || typeof expiresAt !== 'number' || typeof issuedAt !== 'number')
    forged('revision, expiry or issue time');
  if (expiresAt <= now)
    throw new LinkTokenError(LinkTokenErrorCode.Expired, `the link expired on ${new Date(expiresAt).toISOString()}`);
  return { personId, state, initiativeId, revision, expiresAt, nonce, issuedAt };
}

export interface DecisionLinkInput {
  publicUrl: string;
  secret: string;
  personId: string;
  state: string;
  initiativeId: string;
  revision: number;
  nonce: string;
  /** The due date the request is for: the link expires DECISION_LINK_GRACE_MS after it (or after `now`, when later). */
  dueAt?: string;
  now: Date;
}

/** The action link of a decision request: `${PUBLIC_URL}/act/<token>`. */
export function decisionActionUrl(i: DecisionLinkInput): string {
  const base = Math.max(i.dueAt ? Date.parse(i.dueAt) || 0 : 0, i.now.getTime());
  const token = signDecisionToken(i.secret, {
    personId: i.personId,
    state: i.state,
    initiativeId: i.initiativeId,
    revision: i.revision,
    expiresAt: base + DECISION_LINK_GRACE_MS,
    nonce: i.nonce,
    issuedAt: i.now.getTime(),
  });
  return `${trimSlash(i.publicUrl)}${DECISION_PATH}/${token}`;
}

/** Signs an unsubscribe token. */
export function signUnsubscribeToken(secret: string, c: UnsubscribeClaims): string {
  return sign(secret, UNSUBSCRIBE_PURPOSE, ['unsubscribe', c.personId, c.topic]);
}

/** Checks signature and purpose; throws LinkTokenError. */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaims {
  const [kind, personId, topic, ...rest] = verify(secret, UNSUBSCRIBE_PURPOSE, token);
  if (kind !== 'unsubscribe' || rest.length || typeof personId !== 'string' || !personId) forged('claims');
  if (topic !== UnsubscribeTopic.Reminder && topic !== UnsubscribeTopic.Digest) forged('kind of email');
  return { personId, topic };
}

/** The List-Unsubscribe URL: `${PUBLIC_URL}/unsubscribe/<token>`. */
export function unsubscribeUrl(publicUrl: string, secret: string, c: UnsubscribeClaims): string {
  return `${trimSlash(publicUrl)}${UNSUBSCRIBE_PATH}/${signUnsubscribeToken(secret, c)}`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
