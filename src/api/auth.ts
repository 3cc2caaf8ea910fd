/** Authentication by API token, and the role checks routes ask for. */
import type { NextFunction, Request, Response } from 'express';
import type { Actor, Role } from '../domain/types';
import type { Directory } from '../persistence/directory';
import { personOfToken, TokenModel } from '../persistence/tokens';
import { actorOf } from '../service/initiatives';
import { problems } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

export function authenticate(tokens: TokenModel, directory: Directory) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const header = req.get('authorization') ?? '';
      const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
      if (!match) throw problems.unauthenticated();
      const personId = await personOfToken(tokens, match[1]);
      const person = personId ? await directory.person(personId) : null;
      if (!person) throw problems.unauthenticated();
      req.actor = actorOf(person, new Date().toISOString().slice(0, 10));
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function requireRole(req: Request, role: Role, what: string): Actor {
  const actor = req.actor!;
  if (!actor.roles.includes(role)) throw problems.forbidden(`only the ${role} may ${what}`);
  return actor;
}
