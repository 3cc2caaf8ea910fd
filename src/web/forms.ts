/**
 * From HTML forms to the API's own request schemas: empty fields are absent, local date-times are read in
 * the reader's zone, and a validation failure becomes errors by form field, shown next to each field.
 */
import type { z } from 'zod';
import { ApiError } from '../api/problem';
import { parse } from '../api/validate';
import { zonedWallTimeToUtc } from '../domain/time';
import type { FieldErrors } from './layout';

export type FormValues = Record<string, string>;

/** The form's fields as strings, without the CSRF token and idempotency key; repeated fields keep their last value. */
export function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf' || k === '_key') continue;
    const s = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof s === 'string') out[k] = s;
  }
  return out;
}

/** All values of a repeated field (checkbox groups). */
export function formList(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** The idempotency key a form carried, if well formed. */
export function formKey(body: unknown): string | undefined {
  const k = (body as Record<string, unknown> | undefined)?._key;
  return typeof k === 'string' && /^[A-Za-z0-9_.:-]{8,128}$/.test(k) ? k : undefined;
}

/** A trimmed value, or undefined when empty. */
export const opt = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** A datetime-local value ("2026-12-07T09:00") read in the zone, as an ISO instant; undefined when empty, the raw text when malformed (the schema then names it). */
export function instantFrom(local: string | undefined, zone: string): string | undefined {
  const v = opt(local);
  if (!v) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(v);
  if (!m) return v;
  try {
    return zonedWallTimeToUtc(m[1], m[2], zone).toISOString();
  } catch {
    return v;
  }
}

/** An ISO instant as a datetime-local value in the zone. */
export function localInputOf(iso: string | undefined, zone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return '';
  const p: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d)) {
    p[part.type] = part.value;
  }
  return `${p.year}-${p.month}-${p.day}T${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** Errors by form field from a 422: the API's field path mapped to the form's name for it. */
export function fieldErrorsOf(err: ApiError, rename: Record<string, string> = {}): FieldErrors {
  const list = (err.extra.errors as { field: string; message: string }[] | undefined) ?? [];
  const out: FieldErrors = {};
  for (const e of list) {
    const name = rename[e.field] ?? rename[e.field.split('.')[0]] ?? e.field;
    out[name] = out[name] ? `${out[name]}; ${e.message}` : e.message;
  }
  if (!list.length) out._form = err.detail ?? err.title;
  return out;
}

/** Invalid fields (not another 422, such as a reused Idempotency-Key): the form is shown again with its errors. */
export const isInvalid = (err: unknown): err is ApiError => err instanceof ApiError && err.type === 'validation-failed';

/** Parses with an API schema; a failure is the API's own 422 naming each field. */
export function parseForm<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  return parse(schema, value);
}
