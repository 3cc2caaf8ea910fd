/** Prometheus metrics of the API process (served to operators only): requests and latencies, workflow starts, acts, emails (from the outbox) and sign-in emails. */
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { outboxCounts, type OutboxCounts, type OutboxModel } from '../persistence/outbox';

/** The outbox counts scan MongoDB once per status (whole-collection scans on FerretDB): a scrape storm reuses them. */
export const OUTBOX_COUNTS_CACHE_MS = 15_000;

/** The outbox counts, read again at most every OUTBOX_COUNTS_CACHE_MS; concurrent scrapes share one read. Undefined while MongoDB fails. */
function cachedOutboxCounts(outbox: OutboxModel): () => Promise<OutboxCounts | undefined> {
  let last: { at: number; value: Promise<OutboxCounts | undefined> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= OUTBOX_COUNTS_CACHE_MS) {
      const entry = { at: now, value: outboxCounts(outbox).catch(() => undefined) };
      // A failed read is not kept: the next scrape tries again.
      void entry.value.then((v) => {
        if (v === undefined && last === entry) last = undefined;
      });
      last = entry;
    }
    return last.value;
  };
}

export function createMetrics(outbox?: OutboxModel) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'summit_api_' });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const workflowStarts = new Counter({
    name: 'summit_workflow_starts_total',
    help: 'Initiative starts: created a workflow, or found it running',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const acts = new Counter({
    name: 'summit_acts_total',
    help: 'Acts attempted, through the API, the web pages or email links, by act and outcome (ok, refused, forbidden, invalid, not_found, unavailable, error)',
    labelNames: ['act', 'outcome'],
    registers: [registry],
  });
  const signInEmails = new Counter({
    name: 'summit_sign_in_emails_total',
    help: 'Sign-in requests answered by the queue, by outcome (sent; failed: a send to retry; unknown: no such address; dropped: unsent within the link lifetime)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const counts = outbox ? cachedOutboxCounts(outbox) : undefined;
  new Gauge({
    name: 'summit_emails',
    help: `Notification emails in the outbox by status (sent, failed, pending, ...), counted at most every ${OUTBOX_COUNTS_CACHE_MS / 1000} s`,
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      if (!counts) return;
      this.reset();
      for (const [status, n] of Object.entries((await counts()) ?? {})) this.set({ status }, n);
    },
  });

  /** Counts each request when it finishes, under its route pattern (never the raw URL, which may hold tokens). */
  function middleware(req: Request, res: Response, next: NextFunction): void {
    const end = latency.startTimer();
    res.on('finish', () => {
      const route = routeOf(req, res);
      end({ method: req.method, route });
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  }

  return { registry, middleware, workflowStarts, acts, signInEmails };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** The pattern of the route that answered, or "unmatched". */
export function routeOf(req: Request, res: Response): string {
  if (typeof res.locals.route === 'string') return res.locals.route;
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}
