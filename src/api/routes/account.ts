/** Signing in (magic links by email), the session, who am I, and API tokens. */
import { langOf } from '../../web/context';
import { translator } from '../../web/i18n';
import type { Request, Response, Router } from 'express';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../../domain/types';
import type { RedeemResult } from '../../persistence/magic-links';
import { tokenExpiry } from '../../persistence/tokens';
import { actorNow, forgetTokensOf } from '../../app/credential-cache';
import type { RouteDeps } from '../deps';
import { escapeHtml, html, page } from '../html';
import { ApiError, problems } from '../problem';
import type { OperationRegistry } from '../routing';
import * as s from '../../app/schemas';
import { sameSecret, SIGNED_IN_LANDING } from '../session';
import { setDigestPreference } from '../../email/preferences';

const NONCE_COOKIE = 'sfu_signin_nonce';

/** The sign-in email: the link opens a page whose button signs in (a mail scanner's GET signs nobody in). */
export function renderSignInEmail(name: string, link: string, minutes: number) {
  const lines = [
    `Dear ${name},`,
    '',
    'Use this link to sign in to Summit Follow-up:',
    link,
    '',
    `It works once, within ${minutes} minutes. If you did not ask to sign in, ignore this email: nothing happens without the link.`,
    '',
    '— Summit Follow-up',
  ];
  const htmlBody = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>Dear ${escapeHtml(name)},</p>`,
    `<p><a href="${escapeHtml(link)}">Sign in to Summit Follow-up</a></p>`,
    `<p>The link works once, within ${minutes} minutes. If you did not ask to sign in, ignore this email.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: 'Your sign-in link for Summit Follow-up', text: lines.join('\n'), html: htmlBody };
}

function refusal(result: Exclude<RedeemResult, { ok: true }>) {
  const why = {
    unknown: 'this sign-in link is not valid',
    expired: 'this sign-in link has expired',
    used: 'this sign-in link was already used',
  }[result.reason];
  return problems.unauthenticated(`${why}; ask for a new one`);
}

export function accountRoutes(registry: OperationRegistry, app: Router, api: Router, deps: RouteDeps): void {
  const onApi = registry.on(api, '/api').define;
  const onApp = registry.on(app).define;
  const minutes = Math.round(deps.config.MAGIC_LINK_TTL_MS / 60_000);
  const maxTtlDays = deps.config.API_TOKEN_MAX_TTL_DAYS;
  const maxLive = deps.config.API_TOKENS_PER_PERSON;
  /** The caller's credentialsRevokedAt: tokens issued before it are shown (and counted) as revoked. */
  const credentialsRevokedAtOf = async (actor: Actor) =>
    (await deps.directory.person(actor.personId))?.credentialsRevokedAt;
  const nonceCookie = {
    httpOnly: true,
    secure: deps.sessionSupport.secure,
    sameSite: 'strict' as const,
    path: '/auth/',
    maxAge: 30 * 60_000,
  };

  async function me(actor: Actor, req: Request) {
    const person = await deps.directory.person(actor.personId);
    return {
      person: { id: actor.personId, name: actor.name, email: person?.email ?? '', state: actor.state },
      roles: actor.roles,
      onBehalfOf: actor.onBehalfOf,
      via: req.auth?.via ?? 'token',
      session:
        req.auth?.via === 'session'
          ? { csrfToken: req.auth.csrfToken!, expiresAt: req.auth.sessionExpiresAt!.toISOString() }
          : undefined,
    };
  }

  async function signIn(res: Response, personId: string) {
    const person = await deps.directory.person(personId);
    if (!person) throw problems.unauthenticated('the person of this sign-in link is no longer in the directory');
    const session = await deps.sessionSupport.start(res, personId);
    return { person, session };
  }

  onApi(
    {
      method: 'post',
      path: '/auth/magic-links',
      summary: 'Ask for a sign-in link by email',
      description: `Queues a single-use link valid for ${minutes} minutes for the address, mailed if it belongs to someone in the directory. The answer (202, at once) is the same either way, and whether or not the mail server is up.`,
      tag: 'Sign-in',
      auth: 'public',
      body: s.magicLinkBody,
      status: 202,
      success: { description: 'the request was accepted', schema: s.accepted },
      errors: [429, 503],
      before: [deps.limits.signInByIp, deps.limits.signInByEmail],
    },
    async ({ body }) => {
      await deps.signIn.request({ email: body.email, via: 'api' });
      return {
        message: `if this address belongs to someone in the directory, a sign-in link is on its way; it works once, within ${minutes} minutes`,
      };
    },
  );

  onApi(
    {
      method: 'post',
      path: '/auth/session',
      summary: 'Sign in with the token of a sign-in link (for clients that are not browsers)',
      description:
        "Redeems the link's token once and opens a session: the answer sets the session cookie and gives the CSRF token that unsafe cookie-authenticated requests must send as X-CSRF-Token.",
      tag: 'Sign-in',
      auth: 'public',
      body: s.redeemBody,
      status: 201,
      success: { description: 'signed in', schema: s.meResponse },
      errors: [401, 429],
      before: [deps.limits.signInByIp],
    },
    async ({ body, req, res }) => {
      const result = await deps.credentials.redeemSignInLink(body.token, deps.directory);
      if (!result.ok) throw refusal(result);
      const { person, session } = await signIn(res, result.personId);
      req.auth = { via: 'session', csrfToken: session.csrfToken, sessionExpiresAt: session.expiresAt };
      res.status(201);
      return me(await actorNow(deps.tokens, deps.directory, person, deps.config.SECRETARIAT_TIME_ZONE), req);
    },
  );

  onApi(
    {
      method: 'delete',
      path: '/auth/session',
      summary: 'Sign out',
      tag: 'Sign-in',
      auth: 'signed-in',
      status: 204,
      success: { description: 'the session is closed and its cookie cleared' },
    },
    async ({ req, res }) => {
      await deps.sessionSupport.end(req, res);
      return undefined;
    },
  );

  onApi(
    {
      method: 'get',
      path: '/me',
      summary: 'Who is signed in, with the roles in force today',
      tag: 'Sign-in',
      auth: 'signed-in',
      success: { description: 'the signed-in person', schema: s.meResponse },
    },
    ({ actor, req }) => me(actor, req),
  );

  onApi(
    {
      method: 'put',
      path: '/me/notifications',
      summary: 'Choose one digest email a day (09:00 in your zone) instead of one email per item',
      tag: 'Sign-in',
      auth: 'signed-in',
      body: s.notificationPreferencesBody,
      success: { description: 'the preference now in force', schema: s.notificationPreferencesBody },
    },
    async ({ actor, body }) => {
      await setDigestPreference(deps.directory, actor.personId, body.digest);
      return body;
    },
  );

  // The link in the email: a page with a button, because GET must change nothing (mail scanners prefetch links).
  onApp(
    {
      method: 'get',
      path: '/auth/sign-in',
      summary: 'Sign-in link page (HTML)',
      description: 'Shows a button that signs in; opening it changes nothing.',
      tag: 'Sign-in',
      auth: 'public',
      query: s.signInPageQuery,
      success: { description: 'an HTML page', contentType: 'text/html' },
    },
    ({ query, req, res }) => {
      const nonce = randomBytes(18).toString('base64url');
      const lang = langOf(req, null);
      const t = translator(lang);
      res.cookie(NONCE_COOKIE, nonce, nonceCookie);
      res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
      res.type('html').send(
        page(
          t('signInButton'),
          html`<h1>${t('signInPageTitle')}</h1>
<form method="post" action="/auth/sign-in">
<input type="hidden" name="token" value="${query.token}"><input type="hidden" name="nonce" value="${nonce}">
<button type="submit">${t('signInButton')}</button></form>
<p class="note">${t('signInPageNote')}</p>`,
          lang,
        ),
      );
      return undefined;
    },
  );

  onApp(
    {
      method: 'post',
      path: '/auth/sign-in',
      summary: 'Sign in from the sign-in page (HTML form)',
      tag: 'Sign-in',
      auth: 'public',
      body: s.signInForm,
      formBody: true,
      status: 303,
      success: { description: `signed in: a redirect to ${SIGNED_IN_LANDING} with the session cookie` },
      errors: [401, 403, 429],
      before: [deps.limits.signInByIp],
    },
    async ({ body, req, res }) => {
      // The nonce ties the form to the page this browser opened (no sign-in by a form posted from elsewhere).
      if (!sameSecret(body.nonce, (req.cookies as Record<string, unknown>)[NONCE_COOKIE])) {
        throw problems.forbidden('open the sign-in link again and press the button on that page');
      }
      const result = await deps.credentials.redeemSignInLink(body.token, deps.directory);
      if (!result.ok) throw refusal(result);
      await signIn(res, result.personId);
      res.clearCookie(NONCE_COOKIE, { ...nonceCookie, maxAge: undefined });
      res.redirect(303, SIGNED_IN_LANDING);
      return undefined;
    },
  );

  // ---- API tokens ------------------------------------------------------------------------------------

  onApi(
    {
      method: 'get',
      path: '/tokens',
      summary: 'List your API tokens with their last use',
      tag: 'API tokens',
      auth: 'signed-in',
      success: {
        description: 'your tokens, newest first (never the tokens themselves)',
        schema: z.object({ items: z.array(s.tokenSummary) }),
      },
    },
    async ({ actor }) => ({
      items: await deps.credentials.listTokens(actor.personId, await credentialsRevokedAtOf(actor)),
    }),
  );

  onApi(
    {
      method: 'post',
      path: '/tokens',
      summary: 'Create an API token',
      description: `The token is in this answer only; the server keeps its hash. It lasts until revoked, or \`expiresInDays\`${
        maxTtlDays ? ` (at most, and by default, ${maxTtlDays} days on this deployment)` : ''
      }; an expired token answers 401 like a revoked one. A person holds at most ${maxLive} live tokens: one more answers 409.`,
      tag: 'API tokens',
      auth: 'signed-in',
      body: s.createTokenBody,
      status: 201,
      success: { description: 'the new token', schema: s.tokenCreated },
      errors: [409, 422],
    },
    async ({ actor, body, res }) => {
      const expiry = tokenExpiry(body.expiresInDays, maxTtlDays);
      if ('overMax' in expiry)
        throw problems.invalid([
          { field: 'expiresInDays', message: `at most ${expiry.overMax} on this deployment (API_TOKEN_MAX_TTL_DAYS)` },
        ]);
      const created = await deps.credentials.createToken(actor.personId, body.label, {
        ...expiry,
        maxLive,
        credentialsRevokedAt: await credentialsRevokedAtOf(actor),
      });
      if (!created.ok) {
        throw new ApiError(
          409,
          'token-limit',
          'Too many API tokens',
          `${actor.name} already holds ${created.live} live API tokens, the limit (API_TOKENS_PER_PERSON) is ${maxLive}: revoke one first (DELETE /api/tokens/{id})`,
          { limit: maxLive },
        );
      }
      const { ok: _ok, ...token } = created;
      res.status(201).set('Cache-Control', 'no-store');
      return token;
    },
  );

  onApi(
    {
      method: 'delete',
      path: '/tokens/:id',
      summary: 'Revoke one of your API tokens',
      tag: 'API tokens',
      auth: 'signed-in',
      params: s.tokenIdParams,
      success: { description: 'the token, revoked', schema: s.tokenSummary },
      errors: [404],
    },
    async ({ actor, params }) => {
      const revoked = await deps.credentials.revokeToken(actor.personId, params.id);
      if (!revoked) throw problems.notFound(`token ${params.id} of ${actor.personId}`);
      await forgetTokensOf(deps.tokens, actor.personId);
      return revoked;
    },
  );

  onApi(
    {
      method: 'post',
      path: '/me/sign-out-everywhere',
      summary: 'Sign out everywhere: close all your sessions, revoke all your API tokens and calendar feed',
      description:
        'Every credential of yours issued until now stops working, on every device: sessions (this one too), API tokens, your calendar feed URL, unused sign-in links and the decision links already emailed to you. Sign in again by email. Recorded in the directory trail.',
      tag: 'Sign-in',
      auth: 'signed-in',
      body: s.revocationBody,
      success: { description: 'how many credentials were ended', schema: s.revocationResponse },
    },
    async ({ actor, body, req, res }) => {
      const result = await deps.directoryEdits.revokeCredentials(
        actor,
        actor.personId,
        body.reason ?? 'signed out everywhere',
        'self',
      );
      // The cookie of this browser goes too (its session is already deleted).
      await deps.sessionSupport.end(req, res);
      res.set('Cache-Control', 'no-store');
      return result;
    },
  );
}
