/** Parses a body or query with its schema; a failure is a 422 naming each bad field. */
import type { z } from 'zod';
import { problems } from './problem';

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw problems.invalid(result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
}
