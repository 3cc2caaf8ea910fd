/**
 * Time-zone helpers built only on `Intl` (no external libraries).
 *
 * Pure and deterministic: safe inside Temporal's workflow sandbox (no clock reads,
 * no `new Date()` without an argument, no I/O, no Node built-ins).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Formatters are costly to build; cache them per zone (and locale). */
const formatterCache = new Map<string, Intl.DateTimeFormat>();

function cachedFormatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatterCache.get(key);
  if (!f) {
    f = make();
    formatterCache.set(key, f);
  }
  return f;
}

/** Numeric wall-clock parts, 24-hour cycle, in `timeZone`. Throws RangeError on an unknown zone. */
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  return cachedFormatter(
    `parts|${timeZone}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  );
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallParts(instant: Date, timeZone: string): WallParts {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid Date');
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour % 24, // some engines render midnight as "24" even with h23
    minute: out.minute,
    second: out.second,
  };
}

/** Offset of `timeZone` from UTC at epoch-ms `ms`, in milliseconds (east positive). */
function offsetMsAt(ms: number, timeZone: string): number {
  const w = wallParts(new Date(ms), timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** Parses a strict YYYY-MM-DD calendar date; throws RangeError otherwise. */
function parseLocalDate(localDate: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(localDate);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // The Gregorian calendar repeats every 400 years, and 2000-2399 avoids Date.UTC's 0-99 quirk.
    const daysInMonth = new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth) return { year, month, day };
  }
  throw new RangeError(`Invalid local date "${localDate}" (expected an existing YYYY-MM-DD date)`);
}

/** Parses a strict HH:MM (00:00-23:59); throws RangeError otherwise. */
function parseLocalTime(localTime: string): { hour: number; minute: number } {
  const m = TIME_RE.exec(localTime);
  if (!m) throw new RangeError(`Invalid local time "${localTime}" (expected HH:MM, 00:00-23:59)`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Invalid IANA time zone "${timeZone}"`);
}

/** Epoch ms of a wall-clock date/time read as if it were UTC. */
function wallAsUtcMs(year: number, month: number, day: number, hour: number, minute: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** True for a time-zone name `Intl` knows (IANA names such as "Asia/Almaty", or "UTC"); false for '', unknown names and raw offsets like "+05:00". */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || !/^[A-Za-z]/.test(tz)) return false;
  try {
    partsFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The UTC instant at which the wall clock in `timeZone` shows `localDate` `localTime`.
 * Exact across DST changes: a non-existent local time (spring-forward gap) is moved forward
 * by the length of the gap, i.e. lands after it (02:30 → 03:30 in Berlin on 2026-03-29);
 * an ambiguous one (fall-back overlap) resolves to the earlier instant.
 * Throws RangeError on a malformed date/time or an unknown zone.
 */
export function zonedWallTimeToUtc(localDate: string, localTime: string, timeZone: string): Date {
  const { year, month, day } = parseLocalDate(localDate);
  const { hour, minute } = parseLocalTime(localTime);
  assertTimeZone(timeZone);

  const wall = wallAsUtcMs(year, month, day, hour, minute);
  const offsetBefore = offsetMsAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetMsAt(wall + DAY_MS, timeZone);

  // An instant is a match when the zone's offset at that instant is the one we assumed.
  const matches = [offsetBefore, offsetAfter]
    .map((offset) => wall - offset)
    .filter((ms) => offsetMsAt(ms, timeZone) === wall - ms);
  if (matches.length > 0) return new Date(Math.min(...matches));

  // In a gap: apply the pre-transition offset, which lands after the gap.
  return new Date(wall - offsetBefore);
}

/** The calendar date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  assertTimeZone(timeZone);
  const w = wallParts(instant, timeZone);
  return `${pad4(w.year)}-${pad2(w.month)}-${pad2(w.day)}`;
}

/** Calendar arithmetic on a YYYY-MM-DD date: `days` (an integer, may be negative) later. */
export function addDays(localDate: string, days: number): string {
  const { year, month, day } = parseLocalDate(localDate);
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  const d = new Date(wallAsUtcMs(year, month, day, 0, 0) + days * DAY_MS);
  if (!Number.isFinite(d.getTime())) throw new RangeError(`Date out of range: ${localDate} + ${days} days`);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** The zone's UTC offset at `instant` as "UTC+05:00" / "UTC-03:30" / "UTC+00:00". */
export function utcOffsetLabel(instant: Date, timeZone: string): string {
  assertTimeZone(timeZone);
  const offsetMs = offsetMsAt(instant.getTime(), timeZone);
  const sign = offsetMs < 0 ? '-' : '+';
  const totalMinutes = Math.floor(Math.abs(offsetMs) / MINUTE_MS);
  return `UTC${sign}${pad2(Math.floor(totalMinutes / 60))}:${pad2(totalMinutes % 60)}`;
}

/**
 * Human-readable instant in `timeZone`, always naming the IANA zone and the offset at that instant:
 * en: "Mon 7 December 2026, 09:00 (Asia/Almaty, UTC+05:00)";
 * ru: "пн, 7 декабря 2026 г., 09:00 (Asia/Almaty, UTC+05:00)" (date part as `Intl` renders it).
 */
export function formatInZone(instant: Date, timeZone: string, locale: 'en' | 'ru'): string {
  assertTimeZone(timeZone);
  const dateFormatter = cachedFormatter(
    `date|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
        timeZone,
        weekday: 'short',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }),
  );
  let datePart: string;
  if (locale === 'en') {
    const p: Record<string, string> = {};
    for (const part of dateFormatter.formatToParts(instant)) p[part.type] = part.value;
    datePart = `${p.weekday} ${p.day} ${p.month} ${p.year}`;
  } else {
    datePart = dateFormatter.format(instant);
  }
  const w = wallParts(instant, timeZone);
  const zoneName = partsFormatter(timeZone).resolvedOptions().timeZone;
  return `${datePart}, ${pad2(w.hour)}:${pad2(w.minute)} (${zoneName}, ${utcOffsetLabel(instant, timeZone)})`;
}

/** When a default due date falls due: the close of business, not the odd minute a period happens to end on. */
export const CLOSE_OF_BUSINESS = '18:00';

/**
 * A default due date for a period ending at `endMs`: the close of business in `timeZone` on that day, or
 * the period's exact end when the close of business would not be after `nowMs` (a period of hours).
 */
export function closeOfBusinessOn(endMs: number, nowMs: number, timeZone: string): Date {
  const close = zonedWallTimeToUtc(localDateOf(new Date(endMs), timeZone), CLOSE_OF_BUSINESS, timeZone);
  return close.getTime() > nowMs ? close : new Date(endMs);
}

/** A span in its largest natural unit, with the language's plural forms: "1 minute", "5 hours", "3 дня". */
export function durationInWords(ms: number, lang: 'en' | 'ru'): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  const [n, unit] =
    minutes < 60
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [Math.floor(minutes / 60), 'hour']
        : [Math.floor(minutes / 1440), 'day'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
}
