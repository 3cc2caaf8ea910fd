/** Every error becomes application/problem+json (RFC 9457) with a stable type, or an HTML page for a browser; nothing leaks a stack trace. */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { logger, redactUrl } from '../logger';
import { AppError, AppErrorCode, outageOf } from '../app/errors';
import { FORM_FIELD_LIMIT } from './body-limits';
import { html, page } from './html';

export const PROBLEM_BASE = 'https://summit-followup.example.org/problems/';

export type { FieldError } from '../app/errors';
import type { FieldError } from '../app/errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    /** Seconds after which a retry may succeed (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(detail ?? title);
  }
}

/** The problem types this API answers with; `type` is PROBLEM_BASE + the key's value. */
export const problems = {
  badRequest: (detail: string) => new ApiError(400, 'malformed-request', 'Malformed request', detail),
  invalid: (errors: FieldError[]) =>
    new ApiError(422, 'validation-failed', 'Invalid fields', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      errors,
    }),
  unauthenticated: (detail = 'sign in by email, or send an API token as "Authorization: Bearer <token>"') =>
    new ApiError(401, 'unauthenticated', 'Sign-in required', detail),
  forbidden: (detail: string) => new ApiError(403, 'forbidden', 'Not allowed', detail),
  csrf: () =>
    new ApiError(
      403,
      'csrf-failed',
      'CSRF check failed',
      "a cookie-authenticated change needs the session's CSRF token in the X-CSRF-Token header (GET /api/me gives it) and a same-origin request",
    ),
  crossSite: () =>
    new ApiError(
      403,
      'cross-site-request',
      'Cross-site request refused',
      'a request from another site cannot change anything here; open this site itself and try again',
    ),
  notFound: (what: string) => new ApiError(404, 'not-found', 'Not found', `${what} does not exist`),
  refused: (code: string, detail: string) => new ApiError(409, 'act-refused', 'Act refused', detail, { code }),
  conflict: (detail: string) => new ApiError(409, 'conflict', 'Conflict', detail),
  idempotencyKeyReused: (detail: string) =>
    new ApiError(422, 'idempotency-key-reused', 'Idempotency-Key reused', detail),
  gone: (detail: string) => new ApiError(410, 'link-unusable', 'Link no longer valid', detail),
  methodNotAllowed: (method: string, path: string, allow: string[]) =>
    new ApiError(
      405,
      'method-not-allowed',
      'Method not allowed',
      `${path} answers ${allow.join(', ')}, not ${method}`,
      { allow },
    ),
  tooLarge: (limit: string) =>
    new ApiError(413, 'body-too-large', 'Body too large', `the request body exceeds the limit of ${limit}`),
  unsupportedMediaType: (detail: string) =>
    new ApiError(415, 'unsupported-media-type', 'Unsupported media type', detail),
  tooMany: (what: string, retryAfter: number) =>
    new ApiError(
      429,
      'rate-limited',
      'Too many requests',
      `too many ${what}; try again in ${retryAfter} s`,
      {},
      retryAfter,
    ),
  unavailable: (service: string) =>
    new ApiError(
      503,
      'service-unavailable',
      'Service unavailable',
      `${service} cannot be reached; try again shortly`,
      {},
      5,
    ),
};

function wantsHtml(req: Request): boolean {
  return req.accepts(['application/problem+json', 'application/json', 'text/html']) === 'text/html';
}

export function sendProblem(req: Request, res: Response, err: ApiError): void {
  if (res.headersSent) return;
  res.status(err.status);
  if (err.retryAfter !== undefined) res.set('Retry-After', String(err.retryAfter));
  if (err.status === 405 && Array.isArray(err.extra.allow)) res.set('Allow', err.extra.allow.join(', '));
  if (wantsHtml(req)) {
    res.type('html').send(page(err.title, html`<div class="error"><h1>${err.title}</h1><p>${err.detail}</p></div>`));
    return;
  }
  res.type('application/problem+json').send(
    JSON.stringify({
      type: PROBLEM_BASE + err.type,
      title: err.title,
      status: err.status,
      detail: err.detail,
      ...err.extra,
    }),
  );
}

/**
 * The one table from the use cases' error codes to HTTP: a refusal for want of entitlement is 403, any other
 * refusal 409 with the workflow's code, a reused Idempotency-Key 422. Other errors pass unchanged.
 */
export function asProblem(err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  switch (err.code) {
    case AppErrorCode.Invalid:
      return problems.invalid(err.details.fields ?? []);
    case AppErrorCode.NotFound:
      return new ApiError(404, 'not-found', 'Not found', err.message);
    case AppErrorCode.Forbidden:
      return problems.forbidden(err.message);
    case AppErrorCode.Refused:
      return err.details.refusal === 'not_entitled'
        ? problems.forbidden(err.message)
        : problems.refused(err.details.refusal ?? 'refused', err.message);
    case AppErrorCode.IdempotencyKeyReused:
      return problems.idempotencyKeyReused(err.message);
  }
}

export const errorHandler: ErrorRequestHandler = (raw, req, res, next) => {
  void next;
  const err = asProblem(raw);
  if (err instanceof ApiError) return sendProblem(req, res, err);
  const bodyErr = err as { type?: string; status?: number; limit?: number };
  if (bodyErr.type === 'entity.parse.failed')
    return sendProblem(req, res, problems.badRequest('the body is not valid JSON'));
  if (bodyErr.type === 'entity.too.large')
    return sendProblem(req, res, problems.tooLarge(`${bodyErr.limit ?? '?'} bytes`));
  if (bodyErr.type === 'charset.unsupported' || bodyErr.type === 'encoding.unsupported')
    return sendProblem(req, res, problems.unsupportedMediaType('unsupported body encoding'));
  if (bodyErr.type === 'parameters.too.many')
    return sendProblem(req, res, problems.tooLarge(`${FORM_FIELD_LIMIT} form fields`));
  const outage = outageOf(err);
  if (outage) {
    logger.warn({ path: redactUrl(req.originalUrl), outage, err: (err as Error).message }, 'dependency unreachable');
    return sendProblem(req, res, problems.unavailable(outage));
  }
  if (typeof bodyErr.status === 'number' && bodyErr.status >= 400 && bodyErr.status < 500) {
    return sendProblem(
      req,
      res,
      new ApiError(bodyErr.status, 'malformed-request', 'Malformed request', (err as Error).message),
    );
  }
  const errorId = randomUUID();
  logger.error({ err, errorId, path: redactUrl(req.originalUrl) }, 'unexpected error');
  sendProblem(req, res, new ApiError(500, 'internal', 'Internal error', `reference ${errorId}`));
};
