/**
 * Browser sessions: a random id in a secure (when PUBLIC_URL is https), HTTP-only, SameSite=Lax cookie,
 * its hash in MongoDB, and a per-session CSRF token every cookie-authenticated change must echo
 * (X-CSRF-Token header, or a _csrf field in a form), an absolute expiry (SESSION_TTL_MS) and an idle timeout
 * (SESSION_IDLE_MS). Unsafe requests that a browser marks as cross-site are refused before anything else
 * runs, signed in or not (src/api/app.ts, with `crossSite` below). Server-rendered pages (the web UI) reuse all of it:
 * mount `authenticate` (src/api/auth.ts), put `csrfTokenOf(req)` in each form, and call `requireActor(req)`.
 */
import type { CookieOptions, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import { closeSession, findSession, openSession, SessionDoc, SessionModel } from '../persistence/sessions';

/** Where the sign-in page sends a browser once signed in: the web interface's home (its inbox). */
export const SIGNED_IN_LANDING = '/';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

export interface SessionSupport {
  cookieName: string;
  secure: boolean;
  /** The live session the request's cookie names, if any. */
  resolve(req: Request): Promise<SessionDoc | null>;
  /** Opens a session for a person and sets its cookie. */
  start(res: Response, personId: string): Promise<{ csrfToken: string; expiresAt: Date }>;
  /** Closes the request's session (if any) and clears its cookie. */
  end(req: Request, res: Response): Promise<void>;
  /** True when an unsafe request carries the session's CSRF token and, if it says where it comes from, comes from this site. */
  csrfOk(req: Request, session: SessionDoc): boolean;
  /** True when a browser says the request comes from another site (Origin, Sec-Fetch-Site); false when it says nothing (curl, scripts). */
  crossSite(req: Request): boolean;
}

/** Compares two secrets in constant time; false unless both are strings. */
export function sameSecret(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSessionSupport(
  sessions: SessionModel,
  config: Pick<Config, 'PUBLIC_URL' | 'SESSION_TTL_MS' | 'SESSION_IDLE_MS'>,
): SessionSupport {
  const publicOrigin = new URL(config.PUBLIC_URL).origin;
  const secure = publicOrigin.startsWith('https:');
  // __Host- binds the cookie to this exact origin (browsers accept it only with Secure, Path=/ and no Domain).
  const cookieName = secure ? '__Host-sfu_session' : 'sfu_session';
  const cookieOptions = (maxAge?: number): CookieOptions => ({
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    ...(maxAge ? { maxAge } : {}),
  });
  const idOf = (req: Request): string | undefined => {
    const v = (req.cookies as Record<string, unknown> | undefined)?.[cookieName];
    return typeof v === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : undefined;
  };

  /**
   * Sec-Fetch-Site (sent by every current browser) is the clearest word: cross-site and same-site (a sibling
   * subdomain, which another party may run) are refused. Origin must be ours when it names one; "null"
   * (what a browser sends for a form posted from a page with Referrer-Policy: no-referrer, as ours are, and
   * from a sandboxed frame) counts as ours only when Sec-Fetch-Site says same-origin or is absent (older
   * browsers), where the session's CSRF token and JSON-only /api still stand.
   */
  const crossSite = (req: Request): boolean => {
    const site = req.get('sec-fetch-site')?.toLowerCase();
    if (site === 'cross-site' || site === 'same-site') return true;
    const origin = req.get('origin');
    if (origin === undefined || origin === 'null') return false;
    return origin !== publicOrigin && origin !== `${req.protocol}://${req.get('host')}`;
  };

  return {
    cookieName,
    secure,
    crossSite,
    async resolve(req) {
      const id = idOf(req);
      return id ? findSession(sessions, id, config.SESSION_IDLE_MS) : null;
    },
    async start(res, personId) {
      const s = await openSession(sessions, personId, config.SESSION_TTL_MS);
      res.cookie(cookieName, s.id, cookieOptions(config.SESSION_TTL_MS));
      return { csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    },
    async end(req, res) {
      const id = idOf(req);
      if (id) await closeSession(sessions, id);
      res.clearCookie(cookieName, cookieOptions());
    },
    csrfOk(req, session) {
      if (crossSite(req)) return false;
      const body = req.body as Record<string, unknown> | undefined;
      const given = req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
      return sameSecret(given, session.csrfToken);
    },
  };
}

/** The CSRF token a server-rendered form must carry (as a hidden _csrf field) for the signed-in browser. */
export function csrfTokenOf(req: Request): string | undefined {
  return req.auth?.via === 'session' ? req.auth.csrfToken : undefined;
}
