/**
 * A state's working calendar: its weekend, its public holidays and the weekend dates a decree made working.
 * Answers "is this a working day there", "when is 09:00 on their next working day", "n working days from
 * now" and "does this due date or extension fall on a day off there" — always in the state's own zone.
 *
 * Pure and deterministic: safe inside Temporal's workflow sandbox (no clock reads, no I/O). The calendars
 * themselves are built outside workflows (src/calendar/holidays.ts) and passed in as data.
 */
import { addDays, localDateOf, zonedWallTimeToUtc } from './time';

/** A public holiday (a non-working day) on a local calendar date. */
export interface Holiday {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** English name, e.g. "Nauryz" or "Independence Day". */
  name: string;
  /** Russian name, where the source gives one. */
  nameRu?: string;
  /** Where the date comes from: a law, a decree, a library, or "Secretariat". */
  source: string;
}

/** A weekend date that a decree declared a working day (in exchange for a day off elsewhere). */
export interface TransferredDay {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  source: string;
}

/** One state's calendar. The date strings are local dates in `timeZone`. */
export interface WorkingCalendar {
  /** State code, e.g. "KZ" or an observer such as "HU". */
  state: string;
  /** IANA zone in which the dates are read, e.g. "Asia/Almaty". */
  timeZone: string;
  /** ISO weekdays off every week, 1 = Monday … 7 = Sunday; usually DEFAULT_WEEKEND. */
  weekend: number[];
  holidays: Holiday[];
  workingDays: TransferredDay[];
}

/** A day off met on the way: a holiday, or a weekend day not declared working. */
export interface DayOff {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** The holiday's name, or the weekday's English name ("Saturday") for a weekend day (say it with dayOffName). */
  name: string;
  /** The holiday's Russian name, where its source gives one. */
  nameRu?: string;
  /** The holiday's source; absent for a weekend day. */
  source?: string;
  kind: 'holiday' | 'weekend';
}

/** Saturday and Sunday. */
export const DEFAULT_WEEKEND: readonly number[] = Object.freeze([6, 7]);

/** The time of day `addWorkingDays` lands on by default: the close of business. */
export const DEFAULT_END_TIME = '18:00';

/** `addWorkingDays` counts 1 to this many working days. */
export const MAX_WORKING_DAYS = 366;

/** How far (in days) a search for a working day or a span of days may run before giving up: ten years. */
const MAX_SCAN_DAYS = 3_660;

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const ISO_INSTANT_RE =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Epoch ms of an ISO-8601 instant with an explicit `Z` or offset (never host-local time); RangeError otherwise. */
function parseInstant(iso: string, name: string): number {
  const m = typeof iso === 'string' ? ISO_INSTANT_RE.exec(iso) : null;
  const ms = m && dateExists(m[1]) ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) {
    throw new RangeError(`${name} must be an ISO-8601 instant with Z or an offset, got ${JSON.stringify(iso)}`);
  }
  return ms;
}

/** Whether a YYYY-MM-DD date exists (2026-02-30 does not). */
function dateExists(localDate: string): boolean {
  try {
    addDays(localDate, 0);
    return true;
  } catch {
    return false;
  }
}

/** ISO weekday of a YYYY-MM-DD date: 1 = Monday … 7 = Sunday. Throws RangeError on a date that does not exist. */
export function isoWeekday(localDate: string): number {
  addDays(localDate, 0); // validates
  const [year, month, day] = localDate.split('-').map(Number);
  // Anchored in 2000-2399: the weekdays repeat every 400 years, and Date.UTC treats years 0-99 as 19xx.
  const sunday0 = new Date(Date.UTC(2000 + (year % 400), month - 1, day)).getUTCDay();
  return sunday0 === 0 ? 7 : sunday0;
}

/** The holiday on `localDate` (YYYY-MM-DD in the calendar's zone), or undefined. */
export function holidayOn(cal: WorkingCalendar, localDate: string): Holiday | undefined {
  return cal.holidays.find((h) => h.date === localDate);
}

/**
 * Whether `localDate` is a working day in the state: not a holiday, and either not a weekend day or a weekend
 * day a decree declared working. A holiday wins over a transferred working day on the same date.
 */
export function isWorkingDay(cal: WorkingCalendar, localDate: string): boolean {
  if (holidayOn(cal, localDate)) return false;
  if (cal.workingDays.some((d) => d.date === localDate)) return true;
  return !cal.weekend.includes(isoWeekday(localDate));
}

/** The day off `localDate` is, or undefined on a working day. */
function dayOffOn(cal: WorkingCalendar, localDate: string): DayOff | undefined {
  const holiday = holidayOn(cal, localDate);
  if (holiday) {
    const { name, nameRu, source } = holiday;
    return { date: localDate, name, ...(nameRu ? { nameRu } : {}), source, kind: 'holiday' };
  }
  if (isWorkingDay(cal, localDate)) return undefined;
  return { date: localDate, name: WEEKDAY_NAMES[isoWeekday(localDate) - 1], kind: 'weekend' };
}

/**
 * The first instant at `localTime` ("HH:MM") in the calendar's zone on a working day that is not before
 * `instantIso` — the instant itself when it is exactly that time on a working day. Used to send a reminder at
 * 09:00 on the recipient's own next working day. A time inside a spring-forward gap lands just after the gap
 * (see zonedWallTimeToUtc). Returns ISO UTC. Throws RangeError on a bad instant, time or zone, or when there is
 * no working day within ten years (a calendar whose every day is off).
 */
export function nextWorkingAt(cal: WorkingCalendar, instantIso: string, localTime: string): string {
  const fromMs = parseInstant(instantIso, 'instant');
  let date = localDateOf(new Date(fromMs), cal.timeZone);
  for (let i = 0; i <= MAX_SCAN_DAYS; i++, date = addDays(date, 1)) {
    if (!isWorkingDay(cal, date)) continue;
    const at = zonedWallTimeToUtc(date, localTime, cal.timeZone);
    if (at.getTime() >= fromMs) return at.toISOString();
  }
  throw new RangeError(`${cal.state} has no working day within ${MAX_SCAN_DAYS} days of ${instantIso}`);
}

/**
 * The last instant at `localTime` ("HH:MM") in the calendar's zone on a working day that is not after
 * `instantIso`: a reminder planned for a day off goes out on the working day before it. Returns ISO UTC.
 */
export function previousWorkingAt(cal: WorkingCalendar, instantIso: string, localTime: string): string {
  const fromMs = parseInstant(instantIso, 'instant');
  let date = localDateOf(new Date(fromMs), cal.timeZone);
  for (let i = 0; i <= MAX_SCAN_DAYS; i++, date = addDays(date, -1)) {
    if (!isWorkingDay(cal, date)) continue;
    const at = zonedWallTimeToUtc(date, localTime, cal.timeZone);
    if (at.getTime() <= fromMs) return at.toISOString();
  }
  throw new RangeError(`${cal.state} has no working day within ${MAX_SCAN_DAYS} days before ${instantIso}`);
}

/**
 * The instant at `endTime` (local, default 18:00) on the n-th working day after the local date of
 * `fromInstantIso` in the calendar's zone (that date itself does not count, working or not). Returns ISO UTC.
 * Throws RangeError when n is not an integer from 1 to 366, on a bad instant, time or zone, or when the
 * calendar has no working day within ten years.
 */
export function addWorkingDays(
  cal: WorkingCalendar,
  fromInstantIso: string,
  n: number,
  endTime: string = DEFAULT_END_TIME,
): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS) {
    throw new RangeError(`n must be a whole number of working days from 1 to ${MAX_WORKING_DAYS}, got ${n}`);
  }
  const fromMs = parseInstant(fromInstantIso, 'fromInstant');
  let date = localDateOf(new Date(fromMs), cal.timeZone);
  let counted = 0;
  for (let i = 1; i <= MAX_SCAN_DAYS; i++) {
    date = addDays(date, 1);
    if (isWorkingDay(cal, date) && ++counted === n)
      return zonedWallTimeToUtc(date, endTime, cal.timeZone).toISOString();
  }
  throw new RangeError(
    `${cal.state} has fewer than ${n} working days within ${MAX_SCAN_DAYS} days of ${fromInstantIso}`,
  );
}

/**
 * The days off whose local date (in the calendar's zone) lies from the local date of `fromIso` to that of
 * `toIso`, both included, in date order: each holiday (kind 'holiday', even on a weekend) and each weekend day
 * not declared working (kind 'weekend'). Used to warn that an extension crosses a state's public holiday.
 * Throws RangeError on a bad instant, when `toIso` is before `fromIso`, or on a span over ten years.
 */
export function holidaysBetween(cal: WorkingCalendar, fromIso: string, toIso: string): DayOff[] {
  const fromMs = parseInstant(fromIso, 'from');
  const toMs = parseInstant(toIso, 'to');
  if (toMs < fromMs) throw new RangeError(`to (${toIso}) is before from (${fromIso})`);
  const last = localDateOf(new Date(toMs), cal.timeZone);
  const out: DayOff[] = [];
  let date = localDateOf(new Date(fromMs), cal.timeZone);
  for (let i = 0; date <= last; i++, date = addDays(date, 1)) {
    if (i > MAX_SCAN_DAYS) throw new RangeError(`The span ${fromIso} to ${toIso} is over ${MAX_SCAN_DAYS} days`);
    const off = dayOffOn(cal, date);
    if (off) out.push(off);
  }
  return out;
}

/**
 * Undefined when the due instant falls on a working day in the state; otherwise the day off it falls on
 * (its local date there, the holiday's or weekday's name, and the kind). Throws RangeError on a bad instant.
 */
export function dueDateProblem(cal: WorkingCalendar, dueIso: string): DayOff | undefined {
  const dueMs = parseInstant(dueIso, 'due');
  return dayOffOn(cal, localDateOf(new Date(dueMs), cal.timeZone));
}

/**
 * The first instant from `dueIso` on, whole days later at the same time, that falls on a working day in every
 * calendar: where an expiry on someone's day off goes when the Chair extends it over the day off. Throws
 * RangeError on a bad instant, or when no such day comes within ten years.
 */
export function commonWorkingInstant(cals: readonly WorkingCalendar[], dueIso: string): string {
  const dueMs = parseInstant(dueIso, 'due');
  for (let i = 0; i <= MAX_SCAN_DAYS; i++) {
    const at = new Date(dueMs + i * 86_400_000);
    if (cals.every((cal) => isWorkingDay(cal, localDateOf(at, cal.timeZone)))) return at.toISOString();
  }
  throw new RangeError(`no day within ${MAX_SCAN_DAYS} days of ${dueIso} is a working day in every calendar`);
}
