/** Structured access logs: one JSON line per request, with no credentials (no headers, tokens in URLs redacted). */
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { logger } from '../logger';
import { routeOf } from './metrics';

/** Paths whose last segment is a credential, and query parameters that are. */
const SECRET_PATH = /^\/(calendar|act)\/[^/?]+/;
const SECRET_PARAMS = new Set(['token', 'nonce', '_csrf']);

export function redactUrl(url: string): string {
  const [path, query] = url.split('?', 2);
  const safePath = path.replace(SECRET_PATH, '/$1/[redacted]').replace(/\bsf[umc]_[A-Za-z0-9_-]+/g, '[redacted]');
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SECRET_PARAMS.has(key)) params.set(key, '[redacted]');
  return `${safePath}?${params.toString().replace(/%5Bredacted%5D/g, '[redacted]')}`;
}

export function accessLog(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  const requestId = /^[A-Za-z0-9_.:-]{8,64}$/.test(req.get('x-request-id') ?? '') ? req.get('x-request-id')! : randomUUID();
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
