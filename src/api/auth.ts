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
import { actorOf } from '../service/initiatives';
import { outageOf, problems } from './problem';
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

/** How long a token's owner and a person's directory entry are reused: the longest a revocation or an edit made elsewhere waits. */
export const AUTH_CACHE_TTL_MS = 5_000;
const AUTH_CACHE_MAX_ENTRIES = 10_000;
/** During a MongoDB outage: how old a token's owner or a person's entry may be and still authenticate. */
export const AUTH_STALE_MAX_MS = 10 * 60_000;
/** How long a read may take before a recent value stands in for it. */
const AUTH_STALE_AFTER_MS = 1_000;
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Values by key for a while; concurrent misses of one key share a single read, and a failed read is not kept.
 * While MongoDB is unreachable (a read fails or takes over a second), a value read within AUTH_STALE_MAX_MS
 * stands in for it:
 * a revocation needs MongoDB too, so nobody could have revoked the token meanwhile except just before the
 * outage, elsewhere. Acts that need only Temporal (decisions) then go through an outage.
 */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();
  private readonly lastGood = new Map<string, { value: V; at: number }>();
  /**
   * Bumped by delete: a read that began before it (and may have returned the entry as it was before a
   * revocation) must not become the value kept for an outage afterwards.
   */
  private readonly generations = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  get(key: string, read: () => Promise<V>, keep: (v: V) => boolean): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (this.entries.size >= AUTH_CACHE_MAX_ENTRIES) this.sweep(now);
    const fresh = read();
    const last = this.lastGood.get(key);
    const stale = last && now - last.at <= AUTH_STALE_MAX_MS ? last : undefined;
    // With a recent value at hand, a read MongoDB does not answer in time (an outage: the driver only
    // gives up after its server-selection timeout) does not hold the request.
    const value = stale
      ? Promise.race([fresh, delay(AUTH_STALE_AFTER_MS).then(() => stale.value)]).catch((err: unknown) => {
          if (outageOf(err) === 'MongoDB') return stale.value;
          throw err;
        })
      : fresh;
    const entry = { value, until: now + this.ttlMs };
    this.entries.set(key, entry);
    const generation = this.generations.get(key) ?? 0;
    const drop = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    fresh.then((v) => {
      if ((this.generations.get(key) ?? 0) !== generation) return;
      if (keep(v)) this.lastGood.set(key, { value: v, at: Date.now() });
      else {
        drop();
        this.lastGood.delete(key);
      }
    }, drop);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.lastGood.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  /** Drops every entry whose (settled) value matches. */
  async deleteWhere(match: (v: V) => boolean): Promise<void> {
    for (const [key, entry] of [...this.entries]) {
      const v = await entry.value.catch(() => undefined);
      if (v !== undefined && match(v) && this.entries.get(key) === entry) this.delete(key);
    }
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
    for (const [key, good] of this.lastGood) if (now - good.at > AUTH_STALE_MAX_MS) this.lastGood.delete(key);
    if (this.entries.size >= AUTH_CACHE_MAX_ENTRIES) this.entries.clear();
    if (this.lastGood.size >= AUTH_CACHE_MAX_ENTRIES) this.lastGood.clear();
    // Only reads in flight at a delete need its generation; they finish long before a sweep comes round
    // again. Clearing entries and lastGood first means no read older than this can be kept.
    if (this.generations.size >= AUTH_CACHE_MAX_ENTRIES) {
      this.entries.clear();
      this.lastGood.clear();
      this.generations.clear();
    }
  }
}

interface AuthCache {
  /** Token hash → the person it belongs to, when issued and until when; unknown and revoked tokens are not kept. */
  tokens: TtlCache<TokenOwner | null>;
  /** Person id → the directory entry; people not found are not kept. */
  people: TtlCache<PersonDoc | null>;
}
const caches = new WeakMap<TokenModel, AuthCache>();

/** One cache per token store (per MongoDB connection), shared by every middleware built on it. */
function authCacheOf(tokens: TokenModel): AuthCache {
  let cache = caches.get(tokens);
  if (!cache) {
    cache = { tokens: new TtlCache(AUTH_CACHE_TTL_MS), people: new TtlCache(AUTH_CACHE_TTL_MS) };
    caches.set(tokens, cache);
  }
  return cache;
}

/** After a revocation in this process: the person's tokens are looked up again on their next use. */
export async function forgetTokensOf(tokens: TokenModel, personId: string): Promise<void> {
  await authCacheOf(tokens).tokens.deleteWhere((owner) => owner?.personId === personId);
}

/** After an edit of a person in this process: their roles are read again on their next request. */
export function forgetPerson(tokens: TokenModel, personId: string): void {
  authCacheOf(tokens).people.delete(personId);
}

/**
 * Identifies the caller when credentials are present; anonymous requests pass on (operations that need a
 * person call requireActor). A bad bearer token is a 401 straight away: it never falls back to a cookie.
 */
export function authenticate(deps: { tokens: TokenModel; directory: Directory; sessions: SessionSupport }) {
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
        req.actor = actorOf(person, today());
        req.auth = { via: 'token' };
        return next();
      }
      const session = await deps.sessions.resolve(req);
      if (session) {
        const person = await personOf(session.personId);
        // A session opened before its person's credentials were revoked is void (the person was replaced,
        // or signed out everywhere), even if its document was not deleted: the request goes on anonymous.
        if (person && credentialStillValid(person, session.createdAt)) {
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
