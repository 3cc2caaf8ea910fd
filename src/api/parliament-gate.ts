/**
 * A member of a national parliament reads what the Secretariat published to the parliaments, and nothing else:
 * one gate after authentication, so no route of the member states (the initiatives, the matrix, the reports, the
 * directory) has to remember it. A person who also holds another role passes as that role.
 */
import type { NextFunction, Request, Response } from 'express';
import { Role, type Actor } from '../domain/types';
import { problems } from './problem';

/** What a parliament-only person may reach: their own page and API, signing in and out, the public page. */
const OPEN_TO_PARLIAMENTS = [
  /^\/parliaments(\/|$)/,
  /^\/api\/parliaments(\/|$)/,
  /^\/api\/me$/,
  /^\/api\/auth(\/|$)/,
  /^\/sign-(in|out)(\/|$)/,
  /^\/public(\/|$)/,
  /^\/api\/public(\/|$)/,
  /^\/assets\//,
];

export const parliamentOnly = (actor: Pick<Actor, 'roles'> | undefined): boolean =>
  Boolean(actor && actor.roles.length > 0 && actor.roles.every((r) => r === Role.Parliament));

export function parliamentGate(req: Request, res: Response, next: NextFunction): void {
  if (!parliamentOnly(req.actor) || OPEN_TO_PARLIAMENTS.some((p) => p.test(req.path))) return next();
  // The member states' home page sends a member of parliament to theirs.
  if (req.method === 'GET' && req.path === '/') return res.redirect(303, '/parliaments');
  next(problems.forbidden('a member of parliament reads only the initiatives published to the parliaments'));
}
