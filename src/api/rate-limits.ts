/**
 * Rate limits: sign-in by address and by IP, acts by person. The counts live in MongoDB
 * (src/persistence/rate-limits.ts), so any number of API processes enforce one limit between them.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options, type Store } from 'express-rate-limit';
import type { Config } from '../config';
import { logger } from '../logger';
import type { RateLimitCounters } from '../persistence/rate-limits';
import { problems } from './problem';

const FIFTEEN_MINUTES = 15 * 60_000;
/**
 * A shared count that takes longer than this is not waited for: during a MongoDB outage a request must not
 * wait for the database just to be counted (the driver would hold it for seconds).
 */
const SHARED_COUNT_TIMEOUT_MS = 1000;
/** Ended windows are deleted at most this often by each process (FerretDB has no TTL index). */
const PURGE_INTERVAL_MS = 60_000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * An express-rate-limit store over the shared counters. Every hit is also counted in this process's memory,
 * which decides only when the shared count fails or is late: the limit still holds for what this process
 * saw. Taking the larger of the two would refuse too early at the limit, since concurrent hits are numbered
 * in one order by the memory store and in another by the shared slots.
 */
export class SharedRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  /** Past this count every request is refused: no more slots need claiming. */
  private ceiling = Number.POSITIVE_INFINITY;
  private readonly local = new MemoryStore();
  private lastPurge = 0;

  /** `timeoutMs`: how long a hit waits for the shared count before this process's own count decides. */
  constructor(
    private readonly counters: RateLimitCounters,
    readonly prefix: string,
    private readonly timeoutMs = SHARED_COUNT_TIMEOUT_MS,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
    if (typeof options.limit === 'number') this.ceiling = options.limit;
    this.local.init(options);
  }

  /** Keys hold email and IP addresses: the database keeps only their hashes. */
  private id(key: string): string {
    return `${this.prefix}:${createHash('sha256').update(key).digest('base64url')}`;
  }

  async increment(key: string) {
    this.purgeNowAndThen();
    // A copy: the memory store answers with its live record, which the next hit changes while this one waits.
    const { totalHits, resetTime } = await this.local.increment(key);
    const local = { totalHits, resetTime };
    try {
      const shared = await within(this.timeoutMs, this.counters.count(this.id(key), this.windowMs, this.ceiling));
      return { totalHits: shared.hits, resetTime: shared.resetAt };
    } catch (err) {
      logger.warn({ err, limiter: this.prefix }, 'rate limit counted in this process only: the shared count failed');
      return local;
    }
  }

  /** Only limiters that skip some requests afterwards decrement; none here does, and a claimed slot stays claimed. */
  async decrement(key: string) {
    await this.local.decrement(key);
  }

  async resetKey(key: string) {
    await Promise.all([this.local.resetKey(key), this.counters.reset(this.id(key))]);
  }

  shutdown(): void {
    this.local.shutdown();
  }

  private purgeNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    this.counters
      .purgeEnded(new Date(now))
      .catch((err: unknown) =>
        logger.warn({ err }, 'ended rate-limit windows could not be purged; the next purge retries'),
      );
  }
}

function limiter(
  counters: RateLimitCounters,
  name: string,
  what: string,
  windowMs: number,
  limit: number,
  key: (req: Request) => string,
) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
    store: new SharedRateLimitStore(counters, name),
    handler: (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      next(problems.tooMany(what, retryAfter));
    },
  });
}

const ipOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

export function createRateLimits(
  config: Pick<Config, 'RATE_LIMIT_SIGNIN_PER_EMAIL' | 'RATE_LIMIT_SIGNIN_PER_IP' | 'RATE_LIMIT_ACTS_PER_MINUTE'>,
  counters: RateLimitCounters,
) {
  return {
    /** Sign-in requests from one IP address. */
    signInByIp: limiter(
      counters,
      'sign-in-ip',
      'sign-in requests from this address',
      FIFTEEN_MINUTES,
      config.RATE_LIMIT_SIGNIN_PER_IP,
      ipOf,
    ),
    /** Sign-in emails to one address (whether or not it belongs to anyone: the answer must not tell). */
    signInByEmail: limiter(
      counters,
      'sign-in-email',
      'sign-in emails to this address',
      FIFTEEN_MINUTES,
      config.RATE_LIMIT_SIGNIN_PER_EMAIL,
      (req) => {
        const email = (req.body as { email?: unknown } | undefined)?.email;
        return typeof email === 'string' ? `email:${email.trim().toLowerCase()}` : `ip:${ipOf(req)}`;
      },
    ),
    /** Acts by one person (or one IP address for action links). */
    acts: limiter(counters, 'acts', 'acts', 60_000, config.RATE_LIMIT_ACTS_PER_MINUTE, (req) =>
      req.actor ? `person:${req.actor.personId}` : `ip:${ipOf(req)}`,
    ),
  };
}
export type RateLimits = ReturnType<typeof createRateLimits>;
