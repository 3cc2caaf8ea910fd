/**
 * For operators and integrators: health, readiness, Prometheus metrics, the OpenAPI document and the docs page.
 * Metrics and the readiness detail (which dependency is down, what the traffic is) help an attacker as much as
 * an operator: they are served only with the operator secret, OPERATOR_TOKEN.
 */
import type { Request, Router } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { buildOpenApi } from '../openapi';
import type { OperationRegistry } from '../routing';
import { problems } from '../problem';
import { sameSecret } from '../session';

const STATIC = path.join(__dirname, '..', 'static');
const VERSION = (require('../../../package.json') as { version: string }).version;

/** Resolves, or rejects after ms. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms))),
  ]).finally(() => clearTimeout(timer));
}

export function operationRoutes(registry: OperationRegistry, app: Router, deps: RouteDeps): void {
  const { define } = registry.on(app);
  const tag = 'Operations';
  /** The caller shows the operator secret; without one configured, nobody is an operator. */
  const isOperator = (req: Request): boolean => {
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    return deps.config.OPERATOR_TOKEN !== undefined && m !== null && sameSecret(m[1], deps.config.OPERATOR_TOKEN);
  };

  define(
    {
      method: 'get',
      path: '/healthz',
      summary: 'The process is up',
      tag,
      auth: 'public',
      success: { description: 'up', schema: z.object({ status: z.literal('ok') }) },
    },
    () => ({ status: 'ok' }),
  );

  define(
    {
      method: 'get',
      path: '/readyz',
      summary: 'Temporal, MongoDB and SMTP are reachable',
      description:
        'Anyone gets the status (200 or 503); which dependency is down only an operator sees (Authorization: Bearer <OPERATOR_TOKEN>).',
      tag,
      auth: 'public',
      success: {
        description: 'ready (503 with the same shape when not); checks only for an operator',
        alsoStatuses: [503],
        schema: z.object({
          status: z.enum(['ready', 'not ready']),
          checks: z.record(z.string(), z.enum(['ok', 'unreachable'])).optional(),
        }),
      },
    },
    async ({ req, res }) => {
      const results = await Promise.all(
        Object.entries(deps.readiness).map(async ([name, check]) => {
          try {
            await within(check(), 3000);
            return [name, 'ok'] as const;
          } catch {
            return [name, 'unreachable'] as const;
          }
        }),
      );
      const ready = results.every(([, v]) => v === 'ok');
      res.status(ready ? 200 : 503);
      if (!ready) res.set('Retry-After', '5');
      return {
        status: ready ? 'ready' : 'not ready',
        ...(isOperator(req) ? { checks: Object.fromEntries(results) } : {}),
      };
    },
  );

  define(
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics',
      description:
        'For operators only (Authorization: Bearer <OPERATOR_TOKEN>; 404 when no OPERATOR_TOKEN is configured). Requests and latencies by route, workflow starts, acts by outcome, notification emails by status (from the outbox, counted at most every 15 s), sign-in emails, and the process.',
      tag,
      auth: 'public',
      success: { description: 'Prometheus text exposition format', contentType: 'text/plain' },
      errors: [401, 404],
    },
    async ({ req, res }) => {
      if (!deps.config.OPERATOR_TOKEN) throw problems.notFound('GET /metrics (no OPERATOR_TOKEN is configured)');
      if (!isOperator(req))
        throw problems.unauthenticated('metrics are for operators: send "Authorization: Bearer <OPERATOR_TOKEN>"');
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
      return undefined;
    },
  );

  let spec: unknown;
  define(
    {
      method: 'get',
      path: '/openapi.json',
      summary: 'This API as OpenAPI 3.1',
      tag,
      auth: 'public',
      status: 200,
      success: {
        description: 'the OpenAPI document',
        schema: z.looseObject({
          openapi: z.string(),
          info: z.looseObject({}),
          paths: z.record(z.string(), z.unknown()),
        }),
      },
    },
    () => {
      spec ??= buildOpenApi(registry.operations, {
        version: VERSION,
        serverUrl: deps.config.PUBLIC_URL.replace(/\/$/, ''),
      });
      return spec;
    },
  );

  const docsPage = fs.readFileSync(path.join(STATIC, 'docs.html'), 'utf8');
  const docsScript = fs.readFileSync(path.join(STATIC, 'docs.js'), 'utf8');
  define(
    {
      method: 'get',
      path: '/docs',
      summary: 'Interactive API documentation (HTML)',
      tag,
      auth: 'public',
      success: { description: 'an HTML page', contentType: 'text/html' },
    },
    ({ res }) => {
      res.type('html').send(docsPage);
      return undefined;
    },
  );
  app.get('/docs/docs.js', (_req, res) => {
    res.type('text/javascript').send(docsScript);
  });
}
