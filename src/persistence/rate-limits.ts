/**
 * Rate-limit counters in MongoDB, so that every API process counts against the same limit. FerretDB 1.24
 * applies `$inc` as a read and a write with no lock between them (measured: 110 concurrent increments of one
 * document left 45 on SQLite and 19 on PostgreSQL), so a hit is counted by claiming a numbered slot with an
 * insert: the unique `_id` makes each claim atomic on MongoDB and on both FerretDB backends alike.
 * Windows are fixed and aligned to the epoch (every process agrees on them without asking).
 */
import { Connection, Schema } from 'mongoose';
import { claimSlot } from './connection';

export interface RateLimitSlotDoc {
  _id: string; // "<key>@<window start>#<slot>"
  key: string;
  resetAt: Date;
  /** Which claim took the slot: a claim whose insert the driver retried finds its own slot taken by itself. */
  claim: string;
}

const schema = new Schema<RateLimitSlotDoc>(
  {
    _id: String,
    key: { type: String, required: true },
    resetAt: { type: Date, required: true },
    claim: { type: String, required: true },
  },
  { versionKey: false },
);
// Purging the slots of ended windows.
schema.index({ resetAt: 1 });
// Resetting one key.
schema.index({ key: 1 });

export function rateLimitModel(conn: Connection) {
  return conn.model<RateLimitSlotDoc>('RateLimitSlot', schema, 'rate_limit_slots');
}
export type RateLimitModel = ReturnType<typeof rateLimitModel>;

export interface RateLimitCount {
  hits: number;
  resetAt: Date;
}

/** The counters' repository: what the API's limiters (src/api/rate-limits.ts) call. */
export function createRateLimitCounters(model: RateLimitModel) {
  // The next slot to try per key, in the window it belongs to: most claims then take one insert.
  const nextSlot = new Map<string, { windowStart: number; slot: number }>();
  return {
    /**
     * Counts one hit of `key` in the current window of `windowMs` and returns its number in that window.
     * Past `ceiling` it claims nothing more and answers ceiling + 1: the request is refused either way.
     */
    async count(key: string, windowMs: number, ceiling = Number.POSITIVE_INFINITY): Promise<RateLimitCount> {
      const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
      const resetAt = new Date(windowStart + windowMs);
      const idOf = (n: number) => `${key}@${windowStart}#${n}`;
      // Each try takes a number no other hit in this process has tried: concurrent hits here never meet each other,
      // only hits of other processes (each taken slot costs an insert and a read, seconds on a busy FerretDB).
      const reserve = () => {
        const hint = nextSlot.get(key);
        const n = hint?.windowStart === windowStart ? hint.slot : 1;
        nextSlot.set(key, { windowStart, slot: n + 1 });
        return n;
      };
      for (;;) {
        const n = reserve();
        // Past the ceiling the request is refused either way: nothing more is claimed.
        if (n > ceiling) return { hits: ceiling + 1, resetAt };
        if (await claimSlot(model, (claim) => ({ _id: idOf(n), key, resetAt, claim }))) return { hits: n, resetAt };
      }
    },

    /** Forgets every hit of `key`. */
    async reset(key: string): Promise<void> {
      nextSlot.delete(key);
      await model.deleteMany({ key });
    },

    /** Deletes the slots of windows that ended before `before`; returns how many. */
    async purgeEnded(before: Date): Promise<number> {
      for (const [key, { windowStart }] of nextSlot)
        if (windowStart < before.getTime() - 86_400_000) nextSlot.delete(key);
      return (await model.deleteMany({ resetAt: { $lt: before } })).deletedCount;
    },
  };
}
export type RateLimitCounters = ReturnType<typeof createRateLimitCounters>;
