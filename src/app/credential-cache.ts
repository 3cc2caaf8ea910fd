/**
 * Whom a token belongs to, and people's directory entries, kept for AUTH_CACHE_TTL_MS so that a request
 * need not read MongoDB twice (src/api/auth.ts reads through it). A revocation or an edit made in this
 * process forgets the entries at once (src/service/directory-edits.ts); one made elsewhere applies within
 * the TTL.
 */
import { dayOf } from '../domain/delegation';
import { speaksForState } from '../domain/roles';
import { Role, type Actor } from '../domain/types';
import type { Directory, PersonDoc } from '../persistence/directory';
import type { TokenModel, TokenOwner } from '../persistence/tokens';
import { actorOf } from '../service/initiatives';
import { outageOf } from './errors';

/** How long a token's owner and a person's directory entry are reused: the longest a revocation or an edit made elsewhere waits. */
export const AUTH_CACHE_TTL_MS = 5_000;
const AUTH_CACHE_MAX_ENTRIES = 10_000;
const STATE_ZONE_TTL_MS = 60_000;
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

export interface AuthCache {
  /** Token hash → the person it belongs to, when issued and until when; unknown and revoked tokens are not kept. */
  tokens: TtlCache<TokenOwner | null>;
  /** Person id → the directory entry; people not found are not kept. */
  people: TtlCache<PersonDoc | null>;
  /** State code → its time zone (states and their zones rarely change). */
  stateZones: TtlCache<string | null>;
  /** Day at the Secretariat's seat → the chairing state that day (the rotation calendar rarely changes). */
  chairs: TtlCache<string | null>;
}
const caches = new WeakMap<TokenModel, AuthCache>();

/** One cache per token store (per MongoDB connection), shared by every middleware built on it. */
export function authCacheOf(tokens: TokenModel): AuthCache {
  let cache = caches.get(tokens);
  if (!cache) {
    cache = {
      tokens: new TtlCache(AUTH_CACHE_TTL_MS),
      people: new TtlCache(AUTH_CACHE_TTL_MS),
      stateZones: new TtlCache(STATE_ZONE_TTL_MS),
      chairs: new TtlCache(STATE_ZONE_TTL_MS),
    };
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
 * The person as an actor right now: their roles on today's date where they are (their own zone, else their
 * state's, else `fallbackZone`), so that a delegation ends at midnight where the deputy is, not in UTC. Who
 * speaks for the state chairing today (at the Secretariat's seat, `fallbackZone`) acts as the Chair too.
 */
export async function actorNow(
  tokens: TokenModel,
  directory: Pick<Directory, 'state' | 'chairOn'>,
  person: PersonDoc,
  fallbackZone: string,
  now = new Date(),
): Promise<Actor> {
  const code = person.state;
  const stateZone =
    !person.timeZone && code
      ? await authCacheOf(tokens).stateZones.get(
          code,
          async () => (await directory.state(code))?.timeZone ?? null,
          Boolean,
        )
      : null;
  const actor = actorOf(person, dayOf(now, person.timeZone ?? stateZone ?? fallbackZone));
  if (!speaksForState(actor)) return actor;
  const seatDay = dayOf(now, fallbackZone);
  const chair = await authCacheOf(tokens).chairs.get(
    seatDay,
    async () => (await directory.chairOn(seatDay))?.chairState ?? null,
    Boolean,
  );
  return chair === actor.state ? { ...actor, roles: [...actor.roles, Role.Chair] } : actor;
}
