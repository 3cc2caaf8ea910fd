/**
 * Authentication: an API token (Authorization: Bearer) or a session cookie; the signed-in person's
 * roles are read from the directory on every request, so a change there applies at once.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Actor, Role } from '../domain/types';
import type { Directory } from '../persistence/directory';
import { personOfToken, TokenModel } from '../persistence/tokens';
import { actorOf } from '../service/initiatives';
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

export const today = () => new Date().toISOString().slice(0, 10);

/**
 * Identifies the caller when credentials are present; anonymous requests pass on (operations that need a
 * person call requireActor). A bad bearer token is a 401 straight away: it never falls back to a cookie.
 */
export function authenticate(deps: { tokens: TokenModel; directory: Directory; sessions: SessionSupport }) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const header = req.get('authorization');
      if (header !== undefined) {
        const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
        if (!match) throw problems.unauthenticated('the Authorization header must be "Bearer <API token>"');
        const personId = await personOfToken(deps.tokens, match[1]);
        const person = personId ? await deps.directory.person(personId) : null;
        if (!person) throw problems.unauthenticated('this API token is unknown or revoked');
        req.actor = actorOf(person, today());
        req.auth = { via: 'token' };
        return next();
      }
      const session = await deps.sessions.resolve(req);
      if (session) {
        const person = await deps.directory.person(session.personId);
        if (person) {
          req.actor = actorOf(person, today());
          req.auth = {
            via: 'session',
            csrfToken: session.csrfToken,
            csrfOk: isSafeMethod(req.method) || deps.sessions.csrfOk(req, session),
            sessionExpiresAt: session.expiresAt,
          };
        }
      }
      // The CSRF field of a form is not part of any operation's body.
      if (req.body && typeof req.body === 'object' && '_csrf' in req.body) delete (req.body as Record<string, unknown>)._csrf;
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
  if (!actor.roles.includes(role)) throw problems.forbidden(`only the ${role} may ${what}; ${actor.name} is ${actor.roles.join(', ') || 'without a role'}`);
  return actor;
}
