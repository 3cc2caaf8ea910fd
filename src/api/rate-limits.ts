/** Rate limits (in this process's memory: one API process, or sticky routing): sign-in by address and by IP, acts by person. */
import type { Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../config';
import { problems } from './problem';

const FIFTEEN_MINUTES = 15 * 60_000;

function limiter(what: string, windowMs: number, limit: number, key: (req: Request) => string) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
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
) {
  return {
    /** Sign-in requests from one IP address. */
    signInByIp: limiter('sign-in requests from this address', FIFTEEN_MINUTES, config.RATE_LIMIT_SIGNIN_PER_IP, ipOf),
    /** Sign-in emails to one address (whether or not it belongs to anyone: the answer must not tell). */
    signInByEmail: limiter(
      'sign-in emails to this address',
      FIFTEEN_MINUTES,
      config.RATE_LIMIT_SIGNIN_PER_EMAIL,
      (req) => {
        const email = (req.body as { email?: unknown } | undefined)?.email;
        return typeof email === 'string' ? `email:${email.trim().toLowerCase()}` : `ip:${ipOf(req)}`;
      },
    ),
    /** Acts by one person (or one IP address for action links). */
    acts: limiter('acts', 60_000, config.RATE_LIMIT_ACTS_PER_MINUTE, (req) =>
      req.actor ? `person:${req.actor.personId}` : `ip:${ipOf(req)}`,
    ),
  };
}
export type RateLimits = ReturnType<typeof createRateLimits>;
