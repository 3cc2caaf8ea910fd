/**
 * Builds a state's working calendar (src/domain/working-calendar.ts) from its public holidays: the date-holidays
 * library for the states it knows (KZ, UZ, AZ and observers such as HU or TR), data/holidays/central-asia.json
 * for KG, TJ and TM, which it does not, and the Secretariat's edits from the directory on top.
 *
 * Not workflow code: activities and services build calendars and hand them to workflows as data.
 */
import Holidays from 'date-holidays';
import centralAsia from '../../data/holidays/central-asia.json';
import { addDays, isValidTimeZone } from '../domain/time';
import { DEFAULT_WEEKEND, type Holiday, type TransferredDay, type WorkingCalendar } from '../domain/working-calendar';

/** The installed date-holidays version, named in each holiday's source (package.json pins it; a test checks). */
export const DATE_HOLIDAYS_VERSION = '3.37.0';

/** Changes to a state's calendar (the Secretariat's, once the directory keeps them), applied on top of the built-in one. */
export interface CalendarEdits {
  /** Replaces the weekend (ISO weekdays, 1 = Monday … 7 = Sunday). */
  weekend?: number[];
  /** Holidays to add (source e.g. "Secretariat"); one on a date that already has a holiday replaces it. */
  added?: Holiday[];
  /** Dates (YYYY-MM-DD) whose built-in holiday is dropped. */
  removed?: string[];
  /** Weekend dates a decree declared working. */
  workingDays?: TransferredDay[];
}

/** One state's entry in data/holidays/central-asia.json. */
interface DataFileState {
  timeZone: string;
  weekend: number[];
  sources: { id: string; title: string; url: string }[];
  holidays: Holiday[];
  workingDays: TransferredDay[];
}

const DATA_FILE_STATES: Record<string, DataFileState> = centralAsia.states;

/** The state codes whose calendars come from data/holidays/central-asia.json. */
export const DATA_FILE_STATE_CODES: readonly string[] = Object.freeze(Object.keys(DATA_FILE_STATES));

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

/** Country names (English) by code, for every country date-holidays knows. */
let knownCountries: Record<string, string> | undefined;

function dateHolidaysCountryName(state: string): string | undefined {
  knownCountries ??= new Holidays().getCountries('en');
  return Object.hasOwn(knownCountries, state) ? knownCountries[state] : undefined;
}

/**
 * date-holidays' own list for one state and year. Building it takes tens of milliseconds (the library parses its
 * rules each time), and every sign-off round asks for six states: the lists are kept, as they never change for
 * one version of the library. Bounded, since the API lets a reader ask for any year.
 */
const libraryLists = new Map<string, ReturnType<Holidays['getHolidays']>>();
const LIBRARY_LISTS_KEPT = 400;

function libraryList(state: string, year: number, lang: 'en' | 'ru') {
  const key = `${state}:${year}:${lang}`;
  let list = libraryLists.get(key);
  if (!list) {
    if (libraryLists.size >= LIBRARY_LISTS_KEPT) libraryLists.clear();
    list = new Holidays(state).getHolidays(year, lang);
    libraryLists.set(key, list);
  }
  return list;
}

/**
 * The public (state-level) holidays date-holidays lists for `state` in `years`, one per date, with English names
 * and the library's Russian ones (it has Russian for the region's states; where it has none it repeats English).
 */
function dateHolidaysOf(state: string, country: string, years: readonly number[]): Holiday[] {
  const source = `date-holidays ${DATE_HOLIDAYS_VERSION} (${country} public holidays)`;
  type Names = { names: string[]; substitutes: string[] };
  const byDate = new Map<string, { en: Names; ru: Names }>();
  for (const year of years) {
    for (const lang of ['en', 'ru'] as const) {
      for (const h of libraryList(state, year, lang)) {
        if (h.type !== 'public') continue;
        const date = h.date.slice(0, 10); // "2026-05-27 00:00:00 -0600": the local date comes first
        const entry = byDate.get(date) ?? { en: { names: [], substitutes: [] }, ru: { names: [], substitutes: [] } };
        const list = h.substitute ? entry[lang].substitutes : entry[lang].names;
        if (!list.includes(h.name)) list.push(h.name);
        byDate.set(date, entry);
      }
    }
  }
  // A date that is both a holiday and another's substitute day off (KZ: 23 March 2026) is named for the holiday.
  const nameOf = ({ names, substitutes }: Names) => (names.length > 0 ? names : substitutes).join(' / ');
  return [...byDate.entries()].map(([date, { en, ru }]) => {
    const name = nameOf(en);
    const nameRu = nameOf(ru);
    return { date, name, ...(nameRu && nameRu !== name ? { nameRu } : {}), source };
  });
}

const inYears = (years: readonly number[]) => (d: { date: string }) => years.includes(Number(d.date.slice(0, 4)));

/**
 * The working calendar of `state` (e.g. "KZ", "KG", or an observer such as "HU") for `years`, read in
 * `timeZone`: holidays of type `public` from date-holidays for the countries it knows, the data file for KG, TJ
 * and TM, otherwise none; weekend Saturday and Sunday unless the data file or the edits say otherwise; then the
 * Secretariat's `edits` (a removed date drops the holiday on it, an added one replaces any on its date). Holidays
 * and working days are limited to `years` and sorted by date.
 * Throws RangeError on an unknown zone, a year that is not an integer from 1900 to 2200, or invalid edits (see
 * validateCalendarEdits).
 */
export function calendarOf(state: string, timeZone: string, years: number[], edits?: CalendarEdits): WorkingCalendar {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Invalid IANA time zone "${timeZone}"`);
  for (const y of years) {
    if (!Number.isInteger(y) || y < MIN_YEAR || y > MAX_YEAR) {
      throw new RangeError(`years must be whole years from ${MIN_YEAR} to ${MAX_YEAR}, got ${y}`);
    }
  }
  if (edits) {
    const problems = validateCalendarEdits(edits);
    if (problems.length > 0) throw new RangeError(`Invalid calendar edits for ${state}: ${problems.join('; ')}`);
  }
  const code = state.toUpperCase();
  const wanted = inYears(years);

  let weekend = [...DEFAULT_WEEKEND];
  let holidays: Holiday[] = [];
  let workingDays: TransferredDay[] = [];
  const fromFile = Object.hasOwn(DATA_FILE_STATES, code) ? DATA_FILE_STATES[code] : undefined;
  const country = fromFile ? undefined : dateHolidaysCountryName(code);
  if (fromFile) {
    weekend = [...fromFile.weekend];
    holidays = fromFile.holidays.filter(wanted).map((h) => ({ ...h }));
    workingDays = fromFile.workingDays.filter(wanted).map((d) => ({ ...d }));
  } else if (country) {
    holidays = dateHolidaysOf(code, country, years);
  }

  if (edits) {
    if (edits.weekend) weekend = [...edits.weekend];
    const removed = new Set(edits.removed ?? []);
    const added = (edits.added ?? []).filter(wanted);
    const addedDates = new Set(added.map((h) => h.date));
    holidays = holidays.filter((h) => !removed.has(h.date) && !addedDates.has(h.date));
    holidays.push(...added.map((h) => ({ date: h.date, name: h.name.trim(), source: h.source.trim() })));
    const transferred = (edits.workingDays ?? []).filter(wanted);
    const transferredDates = new Set(transferred.map((d) => d.date));
    workingDays = workingDays.filter((d) => !transferredDates.has(d.date));
    workingDays.push(...transferred.map((d) => ({ date: d.date, source: d.source.trim() })));
  }

  const byDate = (a: { date: string }, b: { date: string }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  return {
    state: code,
    timeZone,
    weekend: [...new Set(weekend)].sort((a, b) => a - b),
    holidays: holidays.sort(byDate),
    workingDays: workingDays.sort(byDate),
  };
}

/**
 * The calendar years a calendar must cover for computations from `fromIso` to `toIso` (ISO instants): every
 * year from the UTC year a day before `fromIso` to the UTC year a day after `toIso`, so a date near New Year
 * in any zone is covered. Throws RangeError on an unparseable instant or when `toIso` is before `fromIso`.
 */
export function calendarYears(fromIso: string, toIso: string): number[] {
  const DAY_MS = 86_400_000;
  const fromMs = Date.parse(fromIso);
  const toMs = Date.parse(toIso);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new RangeError(
      `calendarYears needs two ISO instants, got ${JSON.stringify(fromIso)} and ${JSON.stringify(toIso)}`,
    );
  }
  if (toMs < fromMs) throw new RangeError(`to (${toIso}) is before from (${fromIso})`);
  const first = new Date(fromMs - DAY_MS).getUTCFullYear();
  const last = new Date(toMs + DAY_MS).getUTCFullYear();
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_SHAPE.test(value)) return false;
  try {
    addDays(value, 0);
    return true;
  } catch {
    return false;
  }
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const isBlank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/**
 * The problems with the Secretariat's edits to a calendar, in English, one sentence each; empty when they
 * can be saved. Checks: weekend days are ISO weekdays 1-7, none twice, not all seven; every date is a real
 * YYYY-MM-DD date and appears once per list; added holidays have a name and a source; working days have a
 * source; no date is both added and removed, or both a holiday and a working day.
 * Safe on untrusted input: a value of the wrong type is reported, never thrown on.
 */
export function validateCalendarEdits(edits: CalendarEdits): string[] {
  const problems: string[] = [];
  if (typeof edits !== 'object' || edits === null || Array.isArray(edits)) {
    return ['The calendar edits must be an object with weekend, added, removed and workingDays.'];
  }
  const { weekend, added, removed, workingDays } = edits;

  if (weekend !== undefined) {
    if (!Array.isArray(weekend)) {
      problems.push('weekend must be a list of ISO weekdays (1 = Monday … 7 = Sunday).');
    } else {
      const seen = new Set<number>();
      for (const day of weekend) {
        if (!Number.isInteger(day) || day < 1 || day > 7) {
          problems.push(`weekend: ${show(day)} is not an ISO weekday (1 = Monday … 7 = Sunday).`);
        } else if (seen.has(day)) {
          problems.push(`weekend: ${WEEKDAY_NAMES[day - 1]} (${day}) is listed twice.`);
        } else {
          seen.add(day);
        }
      }
      if (seen.size === 7) problems.push('weekend: every day of the week is off; at least one must be a working day.');
    }
  }

  /** Checks each entry's date (real, once per list) and, for entries that are objects, the rest with `more`. */
  const checkDates = <T>(
    list: T[] | undefined,
    label: string,
    dateOf: ((item: T) => unknown) | undefined,
    more: (item: T, where: string) => void,
  ): Set<string> => {
    const dates = new Set<string>();
    if (list === undefined) return dates;
    if (!Array.isArray(list)) {
      problems.push(`${label}s must be a list.`);
      return dates;
    }
    list.forEach((item, i) => {
      if (dateOf && (typeof item !== 'object' || item === null)) {
        problems.push(`${label} ${i + 1} must be an object with a date, got ${show(item)}.`);
        return;
      }
      const date = dateOf ? dateOf(item) : item;
      if (!isRealDate(date)) {
        problems.push(`${label} ${i + 1}: ${show(date)} is not a real date in the form YYYY-MM-DD.`);
        return;
      }
      if (dates.has(date)) problems.push(`${label} ${date} is listed twice.`);
      dates.add(date);
      more(item, `${label} ${date}`);
    });
    return dates;
  };

  const addedDates = checkDates(
    added,
    'Added holiday',
    (h) => h.date,
    (h, where) => {
      if (isBlank(h.name)) problems.push(`${where}: the name is empty.`);
      if (isBlank(h.source)) problems.push(`${where}: the source is empty (for example "Secretariat").`);
    },
  );
  const removedDates = checkDates(removed, 'Removed holiday', undefined, () => {});
  const workingDates = checkDates(
    workingDays,
    'Working day',
    (d) => d.date,
    (d, where) => {
      if (isBlank(d.source)) problems.push(`${where}: the source is empty (for example the decree that moved it).`);
    },
  );

  for (const date of addedDates) {
    if (removedDates.has(date)) problems.push(`${date} is both added and removed as a holiday.`);
    if (workingDates.has(date)) problems.push(`${date} is both an added holiday and a working day.`);
  }
  return problems;
}
