/** Every error becomes application/problem+json (RFC 9457) with a stable type; nothing leaks a stack trace. */
import type { ErrorRequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { logger } from '../logger';

export const PROBLEM_BASE = 'https://summit-followup.example.org/problems/';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const problems = {
  badRequest: (detail: string) => new ApiError(400, 'malformed-request', 'Malformed request', detail),
  invalid: (errors: FieldError[]) =>
    new ApiError(422, 'validation-failed', 'Invalid fields', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors }),
  unauthenticated: () => new ApiError(401, 'unauthenticated', 'Sign-in required', 'send a valid API token as "Authorization: Bearer <token>"'),
  forbidden: (detail: string) => new ApiError(403, 'forbidden', 'Not allowed', detail),
  notFound: (what: string) => new ApiError(404, 'not-found', 'Not found', `${what} does not exist`),
  refused: (code: string, detail: string) => new ApiError(409, 'act-refused', 'Act refused', detail, { code }),
  unavailable: (service: string) => new ApiError(503, 'service-unavailable', 'Service unavailable', `${service} cannot be reached; try again shortly`),
};

export function sendProblem(res: Response, err: ApiError): void {
  res
    .status(err.status)
    .type('application/problem+json')
    .json({ type: PROBLEM_BASE + err.type, title: err.title, status: err.status, detail: err.detail, ...err.extra });
}

/** Recognises outages of MongoDB and Temporal, which are 503 rather than bugs. */
export function outageOf(err: unknown): string | undefined {
  const e = err as { name?: string; code?: number; message?: string };
  if (!e || typeof e !== 'object') return undefined;
  if (/^Mongo(ServerSelection|Network|NotConnected|PoolCleared)/.test(e.name ?? '') || /buffering timed out|Client must be connected/.test(e.message ?? '')) return 'MongoDB';
  if (e.name === 'ServiceError' || e.name === 'TransportError' || e.code === 14 /* gRPC UNAVAILABLE */) return 'Temporal';
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  void next;
  if (err instanceof ApiError) return sendProblem(res, err);
  const bodyErr = err as { type?: string; status?: number };
  if (bodyErr.type === 'entity.parse.failed') return sendProblem(res, problems.badRequest('the body is not valid JSON'));
  if (bodyErr.type === 'entity.too.large') return sendProblem(res, new ApiError(413, 'body-too-large', 'Body too large', 'the request body exceeds the limit'));
  if (bodyErr.type === 'charset.unsupported' || bodyErr.type === 'encoding.unsupported') return sendProblem(res, problems.badRequest('unsupported body encoding'));
  const outage = outageOf(err);
  if (outage) return sendProblem(res, problems.unavailable(outage));
  const errorId = randomUUID();
  logger.error({ err, errorId, path: req.path }, 'unexpected error');
  sendProblem(res, new ApiError(500, 'internal', 'Internal error', `reference ${errorId}`));
};
