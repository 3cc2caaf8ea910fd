/**
 * Rate-limit counters in MongoDB, so that every API process counts against the same limit: one
 * document per limiter and key, whose window starts at its first hit (as express-rate-limit's own
 * memory store does). Only single-document updates, so FerretDB serves it as MongoDB does.
 */
import { Connection, Schema } from 'mongoose';
import { isDuplicateKey } from './connection';

export interface RateLimitDoc {
  _id: string; // "<limiter>:<key>"
  hits: number;
  resetAt: Date;
}

const schema = new Schema<RateLimitDoc>(
  { _id: String, hits: { type: Number, required: true }, resetAt: { type: Date, required: true } },
  { versionKey: false },
);
// Purging counters whose window has ended.
schema.index({ resetAt: 1 });

export function rateLimitModel(conn: Connection) {
  return conn.model<RateLimitDoc>('RateLimit', schema, 'rate_limits');
}
export type RateLimitModel = ReturnType<typeof rateLimitModel>;

export interface RateLimitCount {
  hits: number;
  resetAt: Date;
}

/** The counters' repository: what the API's limiters (src/api/rate-limits.ts) call. */
export function createRateLimitCounters(model: RateLimitModel) {
  return {
    /**
     * Counts one hit of `id` and returns the count in its window, opening a new window of `windowMs`
     * when there is none or it has ended. Of two processes opening the same window at once, one inserts
     * and the other's insert fails on the key and counts in the window the first one opened.
     */
    async count(id: string, windowMs: number): Promise<RateLimitCount> {
      for (let attempt = 0; ; attempt++) {
        const now = new Date();
        const counted = await model.findOneAndUpdate(
          { _id: id, resetAt: { $gt: now } },
          { $inc: { hits: 1 } },
          { new: true, lean: true },
        );
        if (counted) return counted;
        const fresh = { hits: 1, resetAt: new Date(now.getTime() + windowMs) };
        const reopened = await model.updateOne({ _id: id, resetAt: { $lte: now } }, { $set: fresh });
        if (reopened.modifiedCount === 1) return fresh;
        try {
          await model.create({ _id: id, ...fresh });
          return fresh;
        } catch (err) {
          if (!isDuplicateKey(err) || attempt >= 2) throw err;
        }
      }
    },

    /** Takes back one hit of a window that is still open (a request the limiter does not count after all). */
    async uncount(id: string): Promise<void> {
      await model.updateOne({ _id: id, resetAt: { $gt: new Date() }, hits: { $gt: 0 } }, { $inc: { hits: -1 } });
    },

    async current(id: string): Promise<RateLimitCount | undefined> {
      const doc = await model.findById(id).lean();
      return doc && doc.resetAt > new Date() ? doc : undefined;
    },

    async reset(id: string): Promise<void> {
      await model.deleteOne({ _id: id });
    },

    /** Deletes the counters whose window ended before `before`; returns how many. */
    async purgeEnded(before: Date): Promise<number> {
      return (await model.deleteMany({ resetAt: { $lt: before } })).deletedCount;
    },
  };
}
export type RateLimitCounters = ReturnType<typeof createRateLimitCounters>;
