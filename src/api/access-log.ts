/** Structured access logs: one JSON line per request, with no credentials (no headers; tokens in URLs redacted by src/logger.ts). */
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { logger, redactUrl } from '../logger';
import { routeOf } from './metrics';

/** Kept here for the callers that redacted before the logger did; the one rule lives in src/logger.ts. */
export { redactUrl };

export function accessLog(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  const requestId = /^[A-Za-z0-9_.:-]{8,64}$/.test(req.get('x-request-id') ?? '')
    ? req.get('x-request-id')!
    : randomUUID();
  res.set('X-Request-Id', requestId);
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const quiet = req.path === '/healthz' || req.path === '/readyz' || req.path === '/metrics';
    logger[quiet ? 'debug' : 'info'](
      {
        requestId,
        method: req.method,
        url: redactUrl(req.originalUrl),
        route: routeOf(req, res),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        personId: req.actor?.personId,
        auth: req.auth?.via,
        ip: req.ip,
        bytes: Number(res.get('content-length') ?? 0) || undefined,
      },
      'request',
    );
  });
  next();
}
