/**
 * Deadline reminder planning. Pure and deterministic (usable inside Temporal workflows).
 */
import { isValidTimeZone, localDateOf, zonedWallTimeToUtc } from './time';

/** When reminders go out relative to a due instant. */
export interface ReminderPolicy {
  /** Offsets before the due instant, in ms, e.g. [7 * DAY_MS, 2 * DAY_MS, 0]. */
  offsetsMs: number[];
  /** true: each reminder at `localTime` in the recipient's zone on the local date of (dueAt - offset); false: exactly dueAt - offset. */
  alignLocalTime: boolean;
  /** "HH:MM", used when `alignLocalTime` is true. */
  localTime: string;
}

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** 7 days before, 2 days before and the due day itself, each at 09:00 recipient-local time. */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  offsetsMs: Object.freeze([7 * DAY_MS, 2 * DAY_MS, 0]) as number[],
  alignLocalTime: true,
  localTime: '09:00',
});

/** A reminder to send: which offset produced it and when (ISO UTC). */
export interface PlannedReminder {
  offsetMs: number;
  at: string;
  /**
   * How long before the due instant it goes, where that is not offsetMs: a reminder moved to the day before
   * a due instant that comes before the local hour (the email says "tomorrow", not "today").
   */
  leadMs?: number;
}

const MAX_OFFSETS = 10;
const LOCAL_TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Epoch ms of an ISO-8601 instant with an explicit `Z` or offset (never host-local time); rejects 2026-02-30 etc. */
function parseInstant(iso: string, name: string): number {
  const m = typeof iso === 'string' ? ISO_INSTANT_RE.exec(iso) : null;
  const ms = m ? Date.parse(iso) : NaN;
  const dateExists = m !== null && dayExists(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!Number.isFinite(ms) || !dateExists) {
    throw new RangeError(`${name} must be an ISO-8601 instant with Z or an offset, got ${show(iso)}`);
  }
  return ms;
}

/** Whether year-month-day is a real calendar date (the Gregorian calendar repeats every 400 years). */
function dayExists(year: number, month: number, day: number): boolean {
  const daysInMonth = new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

/** A value rendered for an error message. */
function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * The reminders for one recipient of one due date. Drops any instant before notBefore (never a
 * reminder in the past — notBefore is when the deadline was set or extended), any instant after
 * dueAt (an aligned 09:00 after an 08:00 deadline), and duplicates of the same instant (keeping the
 * largest offset); sorted ascending. Throws RangeError on a bad instant, zone or policy.
 *
 * With `dayBeforeEarlyDue`, an aligned reminder that would come after the due instant (09:00 on the day of an
 * 08:00 deadline, as a deadline set at 09:00 in Tashkent is in Baku) goes at the local hour of the day before
 * instead, so the reader is reminded before the deadline rather than not at all.
 */
export function planReminders(
  dueAt: string,
  timeZone: string,
  policy: ReminderPolicy,
  notBefore: string,
  opts: { dayBeforeEarlyDue?: boolean } = {},
): PlannedReminder[] {
  const dueMs = parseInstant(dueAt, 'dueAt');
  const notBeforeMs = parseInstant(notBefore, 'notBefore');
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Invalid IANA time zone "${timeZone}"`);
  const checked = validateReminderPolicy(policy);
  if (!checked.ok) throw new RangeError(`Invalid reminder policy: ${checked.errors.join('; ')}`);
  const { offsetsMs, alignLocalTime, localTime } = checked.policy;

  /** The local hour on the local date of `ms`. */
  const alignedOn = (ms: number) =>
    zonedWallTimeToUtc(localDateOf(new Date(ms), timeZone), localTime, timeZone).getTime();
  const byInstant = new Map<number, number>(); // instant ms -> largest offset
  for (const offsetMs of offsetsMs) {
    const rawMs = dueMs - offsetMs;
    // Aligning stays on the same local date (or the one before), so it moves an instant by little more than a day.
    if (rawMs < notBeforeMs - 2 * DAY_MS) continue;
    let atMs = alignLocalTime ? alignedOn(rawMs) : rawMs;
    if (atMs > dueMs && alignLocalTime && opts.dayBeforeEarlyDue) atMs = alignedOn(rawMs - DAY_MS);
    if (atMs < notBeforeMs || atMs > dueMs) continue;
    byInstant.set(atMs, Math.max(offsetMs, byInstant.get(atMs) ?? -1));
  }

  return [...byInstant.entries()]
    .sort(([a], [b]) => a - b)
    .map(([atMs, offsetMs]) => {
      const at = new Date(atMs).toISOString();
      // The day before the due date, for an offset that asked for the day itself (or later).
      const moved =
        opts.dayBeforeEarlyDue &&
        localDateOf(new Date(dueMs - offsetMs), timeZone) > localDateOf(new Date(atMs), timeZone);
      return moved ? { offsetMs, at, leadMs: dueMs - atMs } : { offsetMs, at };
    });
}

/**
 * Escalation instants of an overdue step: dueAt, dueAt+interval, dueAt+2*interval ...; returns the
 * first one strictly after `after` (ISO) — or dueAt itself if after < dueAt. Result is ISO UTC.
 */
export function nextEscalationAt(dueAt: string, intervalMs: number, after: string): string {
  const dueMs = parseInstant(dueAt, 'dueAt');
  const afterMs = parseInstant(after, 'after');
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
  }
  if (afterMs < dueMs) return new Date(dueMs).toISOString();
  const steps = Math.floor((afterMs - dueMs) / intervalMs) + 1;
  return new Date(dueMs + steps * intervalMs).toISOString();
}

/**
 * Checks untrusted input: offsetsMs is an array of at most 10 non-negative integers (ms),
 * alignLocalTime a boolean, localTime "HH:MM" within 00:00-23:59. On success returns a clean copy.
 */
export function validateReminderPolicy(
  p: unknown,
): { ok: true; policy: ReminderPolicy } | { ok: false; errors: string[] } {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    return { ok: false, errors: ['policy must be an object'] };
  }
  const { offsetsMs, alignLocalTime, localTime } = p as Record<string, unknown>;
  const errors: string[] = [];

  if (!Array.isArray(offsetsMs)) {
    errors.push('offsetsMs must be an array of milliseconds');
  } else {
    if (offsetsMs.length > MAX_OFFSETS)
      errors.push(`offsetsMs must have at most ${MAX_OFFSETS} entries, got ${offsetsMs.length}`);
    offsetsMs.forEach((o, i) => {
      if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) {
        errors.push(`offsetsMs[${i}] must be a non-negative integer (ms), got ${show(o)}`);
      }
    });
  }
  if (typeof alignLocalTime !== 'boolean') errors.push('alignLocalTime must be a boolean');
  if (typeof localTime !== 'string' || !LOCAL_TIME_RE.test(localTime)) {
    errors.push(`localTime must be "HH:MM" between 00:00 and 23:59, got ${show(localTime)}`);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    policy: {
      offsetsMs: [...(offsetsMs as number[])],
      alignLocalTime: alignLocalTime as boolean,
      localTime: localTime as string,
    },
  };
}
