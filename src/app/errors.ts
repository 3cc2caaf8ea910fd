/**
 * The one error family of the use cases (src/service, src/seed): a code, a message for people, and details.
 * They know nothing of HTTP; the API (src/api/problem.ts) and the web pages turn each code into a status
 * through one table, and the importer prints the message.
 */

export const AppErrorCode = {
  /** Fields the rules refuse: `fields` names each. */
  Invalid: 'invalid',
  NotFound: 'not_found',
  /** The person may not attempt this act at all (their roles or state). */
  Forbidden: 'forbidden',
  /** The workflow refused the act: `refusal` is its RefusalCode (src/domain/initiative.ts). */
  Refused: 'refused',
  /** An Idempotency-Key used before by someone else, or for another request. */
  IdempotencyKeyReused: 'idempotency_key_reused',
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { fields?: FieldError[]; refusal?: string } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const appErrors = {
  invalid: (fields: FieldError[]) =>
    new AppError(AppErrorCode.Invalid, fields.map((e) => `${e.field}: ${e.message}`).join('; '), { fields }),
  notFound: (what: string) => new AppError(AppErrorCode.NotFound, `${what} does not exist`),
  forbidden: (message: string) => new AppError(AppErrorCode.Forbidden, message),
  refused: (refusal: string, message: string) => new AppError(AppErrorCode.Refused, message, { refusal }),
  idempotencyKeyReused: (message: string) => new AppError(AppErrorCode.IdempotencyKeyReused, message),
};

/** Recognises outages of MongoDB and Temporal, which are 503 rather than bugs. */
export function outageOf(err: unknown): string | undefined {
  const e = err as { name?: string; code?: number; message?: string; cause?: unknown };
  if (!e || typeof e !== 'object') return undefined;
  if (
    /^Mongo(ServerSelection|Network|NotConnected|PoolCleared|Topology)/.test(e.name ?? '') ||
    /buffering timed out|Client must be connected|connection .* closed/i.test(e.message ?? '')
  )
    return 'MongoDB';
  if (
    e.name === 'ServiceError' ||
    e.name === 'TransportError' ||
    e.code === 14 /* gRPC UNAVAILABLE */ ||
    e.code === 4 /* DEADLINE_EXCEEDED */
  )
    return 'Temporal';
  if (e.cause && e.cause !== err) return outageOf(e.cause);
  return undefined;
}
