/** Parses a body or query with its schema; a failure is a 422 naming each bad field. Operator-like keys are refused everywhere. */
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { FieldError, problems } from './problem';

export function parse<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw problems.invalid(
    result.error.issues.map((i) => ({
      field: [...(prefix ? [prefix] : []), ...i.path.map(String)].join('.') || '(body)',
      message: i.message,
    })),
  );
}

/** Keys MongoDB would read as operators or paths ($where, a.b) and control characters: never legitimate in this API's input. */
const SUSPICIOUS_KEY = /^\$|[.\u0000-\u001f]|\[|\]/;

function suspiciousKeys(value: unknown, path: string, out: FieldError[], depth = 0): void {
  if (out.length >= 20) return;
  if (depth > 20) {
    out.push({ field: path || '(body)', message: 'nested too deeply' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => suspiciousKeys(v, `${path}.${i}`, out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const field = path ? `${path}.${k}` : k;
      if (SUSPICIOUS_KEY.test(k)) out.push({ field, message: 'operator-like or dotted keys are not accepted' });
      else suspiciousKeys(v, field, out, depth + 1);
    }
  }
}

/** Filter sanitization, before any route: a query or body key such as "$ne", "q[$regex]" or "a.b" is a 422 naming it. */
export function rejectOperatorKeys(req: Request, _res: Response, next: NextFunction): void {
  const errors: FieldError[] = [];
  suspiciousKeys(req.query, '', errors);
  if (req.body && typeof req.body === 'object') suspiciousKeys(req.body, '', errors);
  next(errors.length ? problems.invalid(errors) : undefined);
}
