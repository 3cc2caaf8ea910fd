/**
 * Authentication: an API token (Authorization: Bearer) or a session cookie. Whom a token belongs to, and
 * that person's directory entry (roles, state, delegation, credentialsRevokedAt), are reused for
 * AUTH_CACHE_TTL_MS before they are read again, which spares every request two MongoDB reads. So a token
 * revoked, or a person edited or revoked, by another API process (or directly in MongoDB) takes effect
 * within that time; in this process it takes effect at once (forgetTokensOf, forgetPerson). Sessions are
 * read on every request: signing out is immediate. Either credential counts only if it was issued after
 * the person's credentialsRevokedAt (credentialStillValid), and a token only until it expires.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Actor, Role } from '../domain/types';
import { credentialStillValid, Directory, PersonDoc } from '../persistence/directory';
import { hashToken, personOfToken, TokenModel, TokenOwner, tokenUnexpired } from '../persistence/tokens';
import { actorNow, authCacheOf } from '../app/credential-cache';
import { problems } from './problem';
import { isSafeMethod, SessionSupport } from './session';

export interface AuthInfo {
  via: 'token' | 'session';
  /** Session only: the token forms and pages must echo, and whether this request did. */
  csrfToken?: string;
  csrfOk?: boolean;
  sessionExpiresAt?: Date;
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    auth?: AuthInfo;
  }
}

/**
 * Identifies the caller when credentials are present; anonymous requests pass on (operations that need a
 * person call requireActor). A bad bearer token is a 401 straight away: it never falls back to a cookie.
 */
export function authenticate(deps: {
  tokens: TokenModel;
  directory: Directory;
  sessions: SessionSupport;
  fallbackZone: string;
}) {
  const cache = authCacheOf(deps.tokens);
  const personOf = (id: string) => cache.people.get(id, () => deps.directory.person(id), Boolean);
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const header = req.get('authorization');
      if (header !== undefined) {
        const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
        if (!match) throw problems.unauthenticated('the Authorization header must be "Bearer <API token>"');
        const token = match[1];
        const owner = await cache.tokens.get(hashToken(token), () => personOfToken(deps.tokens, token), Boolean);
        const refused = problems.unauthenticated('this API token is unknown, expired or revoked');
        // Expiry is checked on every request against the cached owner, so a cached token lasts not a moment longer.
        if (!owner || !tokenUnexpired(owner)) throw refused;
        const person = await personOf(owner.personId);
        if (!person || !credentialStillValid(person, owner.createdAt)) throw refused;
        // A copy: the actor may come from the credential cache, shared by other requests.
        req.actor = { ...(await actorNow(deps.tokens, deps.directory, person, deps.fallbackZone)), via: 'api-token' };
        req.auth = { via: 'token' };
        return next();
      }
      const session = await deps.sessions.resolve(req);
      if (session) {
        const person = await personOf(session.personId);
        // A session opened before its person's credentials were revoked is void (the person was replaced,
        // or signed out everywhere), even if its document was not deleted: the request goes on anonymous.
        if (person && credentialStillValid(person, session.createdAt)) {
          req.actor = {
            ...(await actorNow(deps.tokens, deps.directory, person, deps.fallbackZone)),
            via: 'web-session',
          };
          req.auth = {
            via: 'session',
            csrfToken: session.csrfToken,
            csrfOk: isSafeMethod(req.method) || deps.sessions.csrfOk(req, session),
            sessionExpiresAt: session.expiresAt,
          };
        }
      }
      // The CSRF field of a form is not part of any operation's body.
      if (req.body && typeof req.body === 'object' && '_csrf' in req.body)
        delete (req.body as Record<string, unknown>)._csrf;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The signed-in person; 401 when nobody is, 403 when a cookie-authenticated change lacks its CSRF token. */
export function requireActor(req: Request): Actor {
  if (!req.actor) throw problems.unauthenticated();
  if (req.auth?.via === 'session' && !req.auth.csrfOk) throw problems.csrf();
  return req.actor;
}

export function requireRole(actor: Actor, role: Role, what: string): Actor {
  if (!actor.roles.includes(role))
    throw problems.forbidden(
      `only the ${role} may ${what}; ${actor.name} is ${actor.roles.join(', ') || 'without a role'}`,
    );
  return actor;
}
