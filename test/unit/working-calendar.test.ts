/**
 * Working calendars: a due date on a state's public holiday is flagged in that state's own zone, a decree's working
 * Saturday counts, working days skip weekends and holidays, reminders wait for 09:00 on the next working day, and
 * all of it holds across the DST switches of an observer in Europe; plus the KG/TJ/TM holiday data and the
 * checks on the Secretariat's edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dayOffName } from '../../src/i18n/titles';
import {
  calendarOf,
  calendarYears,
  DATA_FILE_STATE_CODES,
  DATE_HOLIDAYS_VERSION,
  validateCalendarEdits,
  type CalendarEdits,
} from '../../src/calendar/holidays';
import { isValidTimeZone, zonedWallTimeToUtc } from '../../src/domain/time';
import {
  addWorkingDays,
  commonWorkingInstant,
  dueDateProblem,
  holidayOn,
  holidaysBetween,
  isoWeekday,
  isWorkingDay,
  nextWorkingAt,
  type WorkingCalendar,
} from '../../src/domain/working-calendar';

/** ISO UTC of a wall time in a zone. */
const at = (date: string, time: string, zone: string) => zonedWallTimeToUtc(date, time, zone).toISOString();

const KZ = calendarOf('KZ', 'Asia/Almaty', [2026]);
const KG = calendarOf('KG', 'Asia/Bishkek', [2025, 2026, 2027]);
const UZ = calendarOf('UZ', 'Asia/Tashkent', [2026]);
const HU = calendarOf('HU', 'Europe/Budapest', [2026]);

/** A hand-made calendar, independent of any data: one holiday on Wednesday 10 June 2026, a working Saturday 13 June. */
const PLAIN: WorkingCalendar = {
  state: 'XX',
  timeZone: 'Asia/Tashkent',
  weekend: [6, 7],
  holidays: [{ date: '2026-06-10', name: 'Test Day', source: 'test' }],
  workingDays: [{ date: '2026-06-13', source: 'test decree' }],
};

describe('isoWeekday', () => {
  it.each([
    ['2026-03-21', 6],
    ['2026-03-22', 7],
    ['2026-03-23', 1],
    ['2026-08-31', 1],
    ['2025-01-11', 6],
  ])('%s is ISO weekday %i', (date, weekday) => expect(isoWeekday(date)).toBe(weekday));

  it('refuses a date that does not exist', () => expect(() => isoWeekday('2026-02-30')).toThrow(RangeError));
});

describe('isWorkingDay and holidayOn', () => {
  it('a holiday is not working, a weekday is, a weekend day is not', () => {
    expect(isWorkingDay(PLAIN, '2026-06-10')).toBe(false);
    expect(holidayOn(PLAIN, '2026-06-10')?.name).toBe('Test Day');
    expect(isWorkingDay(PLAIN, '2026-06-09')).toBe(true);
    expect(holidayOn(PLAIN, '2026-06-09')).toBeUndefined();
    expect(isWorkingDay(PLAIN, '2026-06-14')).toBe(false);
  });

  it('a Saturday declared working by decree is working; the next Saturday is not', () => {
    expect(isWorkingDay(PLAIN, '2026-06-13')).toBe(true);
    expect(isWorkingDay(PLAIN, '2026-06-20')).toBe(false);
  });

  it('in Kyrgyzstan, Saturday 11 January 2025 was a working day (in exchange for 2 January), Saturday 18 January not', () => {
    expect(isWorkingDay(KG, '2025-01-11')).toBe(true);
    expect(isWorkingDay(KG, '2025-01-02')).toBe(false);
    expect(isWorkingDay(KG, '2025-01-18')).toBe(false);
  });

  it('a holiday wins over a working day declared on the same date', () => {
    const cal = { ...PLAIN, workingDays: [{ date: '2026-06-10', source: 'odd decree' }] };
    expect(isWorkingDay(cal, '2026-06-10')).toBe(false);
  });

  it('honours a weekend other than Saturday and Sunday', () => {
    const friSat = { ...PLAIN, weekend: [5, 6] };
    expect(isWorkingDay(friSat, '2026-06-12')).toBe(false); // Friday
    expect(isWorkingDay(friSat, '2026-06-14')).toBe(true); // Sunday
  });
});

describe('commonWorkingInstant: where an extension over the days off goes', () => {
  /** Another hand-made calendar, two zones east of PLAIN: its holiday on Thursday 11 June 2026. */
  const EAST: WorkingCalendar = {
    state: 'YY',
    timeZone: 'Asia/Bishkek',
    weekend: [6, 7],
    holidays: [{ date: '2026-06-11', name: 'Other Day', source: 'test' }],
    workingDays: [],
  };
  it('keeps a due date that every calendar works', () => {
    const due = at('2026-06-09', '10:00', 'Asia/Tashkent');
    expect(commonWorkingInstant([PLAIN, EAST], due)).toBe(due);
  });
  it('moves by whole days, at the same hour, past every calendar’s days off', () => {
    // Wed 10 June is PLAIN's holiday, Thu 11 June EAST's, Fri 12 June both work.
    expect(commonWorkingInstant([PLAIN, EAST], at('2026-06-10', '10:00', 'Asia/Tashkent'))).toBe(
      at('2026-06-12', '10:00', 'Asia/Tashkent'),
    );
    // Friday 23:30 in Tashkent is already Saturday 00:30 in Bishkek: the first hour both work is Monday's.
    expect(commonWorkingInstant([PLAIN, EAST], at('2026-06-12', '23:30', 'Asia/Tashkent'))).toBe(
      at('2026-06-15', '23:30', 'Asia/Tashkent'),
    );
  });
  it('refuses an instant without a zone', () => {
    expect(() => commonWorkingInstant([PLAIN], '2026-06-10T10:00')).toThrow(RangeError);
  });
});

describe('dueDateProblem: a due date on a day off of a state that must act', () => {
  it.each(['2026-03-21', '2026-03-22', '2026-03-23'])('flags Nauryz in Kazakhstan on %s', (date) => {
    expect(dueDateProblem(KZ, at(date, '18:00', 'Asia/Almaty'))).toEqual({
      date,
      name: 'Nauryz',
      nameRu: 'Наурыз мейрамы',
      source: `date-holidays ${DATE_HOLIDAYS_VERSION} (Kazakhstan public holidays)`,
      kind: 'holiday',
    });
  });

  it('flags Independence Day in Kyrgyzstan on Monday 31 August 2026', () => {
    expect(dueDateProblem(KG, '2026-08-31T12:00:00.000Z')).toMatchObject({
      date: '2026-08-31',
      name: 'Independence Day',
      nameRu: 'День независимости',
      kind: 'holiday',
    });
  });

  it('is said in the reader’s language: the holiday’s Russian name, a weekend day as its weekday', () => {
    const holiday = dueDateProblem(KG, '2026-08-31T12:00:00.000Z')!;
    expect(dayOffName(holiday, 'ru')).toBe('День независимости');
    expect(dayOffName(holiday, 'en')).toBe('Independence Day');
    const saturday = dueDateProblem(KG, '2026-09-05T12:00:00.000Z')!;
    expect(saturday).toMatchObject({ kind: 'weekend', date: '2026-09-05' });
    expect(dayOffName(saturday, 'ru')).toBe('суббота');
    expect(dayOffName(saturday, 'en')).toBe('Saturday');
  });

  it('reads the date in the state’s zone: 19:30 UTC on 30 August is already 31 August in Bishkek', () => {
    expect(dueDateProblem(KG, '2026-08-30T19:30:00Z')?.date).toBe('2026-08-31');
    expect(dueDateProblem(KG, '2026-08-30T17:30:00Z')).toMatchObject({
      date: '2026-08-30',
      kind: 'weekend',
      name: 'Sunday',
    });
  });

  it('does not flag a working day, and flags a plain weekend as weekend', () => {
    expect(dueDateProblem(KG, at('2026-09-01', '18:00', 'Asia/Bishkek'))).toBeUndefined();
    expect(dueDateProblem(KG, at('2026-09-05', '18:00', 'Asia/Bishkek'))).toEqual({
      date: '2026-09-05',
      name: 'Saturday',
      kind: 'weekend',
    });
  });

  it('refuses an instant without a zone or offset, and a date that does not exist', () => {
    expect(() => dueDateProblem(KG, '2026-08-31T12:00:00')).toThrow(RangeError);
    expect(() => dueDateProblem(KG, '2026-02-30T12:00:00Z')).toThrow(/ISO-8601 instant/);
  });
});

describe('addWorkingDays', () => {
  it('skips a weekend and a holiday: 2 working days after Thursday 27 August 2026 in Bishkek is Tuesday 1 September, 18:00', () => {
    expect(addWorkingDays(KG, at('2026-08-27', '10:00', 'Asia/Bishkek'), 2)).toBe('2026-09-01T12:00:00.000Z');
  });

  it('counts from the local date: 20:00 UTC on Thursday 27 August is already Friday in Bishkek', () => {
    expect(addWorkingDays(KG, '2026-08-27T20:00:00Z', 1)).toBe('2026-09-01T12:00:00.000Z');
  });

  it('counts a decree’s working Saturday: 1 working day after Friday 10 January 2025 in Bishkek is Saturday 11 January', () => {
    expect(addWorkingDays(KG, at('2025-01-10', '17:00', 'Asia/Bishkek'), 1)).toBe('2025-01-11T12:00:00.000Z');
  });

  it('does not count the starting day, and takes the end time', () => {
    // Monday 8 June: Tue 9 (1), Wed 10 holiday, Thu 11 (2), Fri 12 (3).
    expect(addWorkingDays(PLAIN, at('2026-06-08', '08:00', 'Asia/Tashkent'), 3, '12:00')).toBe(
      at('2026-06-12', '12:00', 'Asia/Tashkent'),
    );
    expect(addWorkingDays(PLAIN, at('2026-06-08', '08:00', 'Asia/Tashkent'), 4)).toBe(
      at('2026-06-13', '18:00', 'Asia/Tashkent'),
    );
  });

  it('in Kazakhstan, the first working day after Friday 20 March 2026 comes after Nauryz and its substitute day', () => {
    const result = addWorkingDays(KZ, at('2026-03-20', '12:00', 'Asia/Almaty'), 1);
    expect(result > at('2026-03-24', '18:00', 'Asia/Almaty')).toBe(true);
    expect(dueDateProblem(KZ, result)).toBeUndefined();
  });

  it.each([0, -1, 367, 1.5, Number.NaN])('refuses n = %p with a RangeError', (n) => {
    expect(() => addWorkingDays(PLAIN, '2026-06-08T00:00:00Z', n)).toThrow(RangeError);
  });

  it('accepts n = 366', () => {
    expect(() => addWorkingDays(PLAIN, '2026-06-08T00:00:00Z', 366)).not.toThrow();
  });

  it('gives up with a RangeError on a calendar with no working day at all', () => {
    const never = { ...PLAIN, weekend: [1, 2, 3, 4, 5, 6, 7], workingDays: [] };
    expect(() => addWorkingDays(never, '2026-06-08T00:00:00Z', 1)).toThrow(/no working day|fewer than 1 working days/);
    expect(() => nextWorkingAt(never, '2026-06-08T00:00:00Z', '09:00')).toThrow(RangeError);
  });
});

describe('nextWorkingAt: reminders at 09:00 on the recipient’s own working days', () => {
  it('from a Friday evening in Tashkent it lands on Monday 09:00 (04:00 UTC)', () => {
    expect(nextWorkingAt(UZ, at('2026-11-13', '20:00', 'Asia/Tashkent'), '09:00')).toBe('2026-11-16T04:00:00.000Z');
  });

  it('when that Monday is a holiday (11 May 2026, Day of Memory moved from Saturday), it lands on Tuesday', () => {
    expect(dueDateProblem(UZ, at('2026-05-11', '09:00', 'Asia/Tashkent'))?.kind).toBe('holiday');
    expect(nextWorkingAt(UZ, at('2026-05-08', '19:00', 'Asia/Tashkent'), '09:00')).toBe('2026-05-12T04:00:00.000Z');
  });

  it('the same day when it is still before 09:00, the instant itself at exactly 09:00, the next day after it', () => {
    expect(nextWorkingAt(PLAIN, at('2026-06-08', '07:00', 'Asia/Tashkent'), '09:00')).toBe(
      at('2026-06-08', '09:00', 'Asia/Tashkent'),
    );
    expect(nextWorkingAt(PLAIN, at('2026-06-08', '09:00', 'Asia/Tashkent'), '09:00')).toBe(
      at('2026-06-08', '09:00', 'Asia/Tashkent'),
    );
    expect(nextWorkingAt(PLAIN, at('2026-06-08', '09:01', 'Asia/Tashkent'), '09:00')).toBe(
      at('2026-06-09', '09:00', 'Asia/Tashkent'),
    );
  });

  it('skips a holiday in the middle of the week', () => {
    expect(nextWorkingAt(PLAIN, at('2026-06-09', '10:00', 'Asia/Tashkent'), '09:00')).toBe(
      at('2026-06-11', '09:00', 'Asia/Tashkent'),
    );
  });

  it('refuses a malformed time', () => {
    expect(() => nextWorkingAt(PLAIN, '2026-06-08T00:00:00Z', '9:00')).toThrow(RangeError);
  });
});

describe('an observer in Europe/Budapest across the 2026 DST switches (29 March, 25 October)', () => {
  it('09:00 on the Monday after spring-forward is 07:00 UTC (CEST), not 08:00', () => {
    expect(nextWorkingAt(HU, '2026-03-27T17:00:00+01:00', '09:00')).toBe('2026-03-30T07:00:00.000Z');
  });

  it('one working day after Friday 27 March ends at 18:00 CEST on Monday 30 March', () => {
    expect(addWorkingDays(HU, '2026-03-27T10:00:00+01:00', 1)).toBe('2026-03-30T16:00:00.000Z');
  });

  it('one working day after Thursday 22 October skips National Day (23 October) and the weekend, ending at 18:00 CET', () => {
    expect(addWorkingDays(HU, '2026-10-22T12:00:00+02:00', 1)).toBe('2026-10-26T17:00:00.000Z');
  });

  it('an instant late on 22 October UTC is already National Day in Budapest', () => {
    expect(dueDateProblem(HU, '2026-10-22T22:30:00Z')).toMatchObject({ date: '2026-10-23', kind: 'holiday' });
    expect(dueDateProblem(HU, '2026-10-22T21:30:00Z')).toBeUndefined();
  });

  it('lists the days off of an extension across the October switch, one per local date', () => {
    expect(
      holidaysBetween(HU, '2026-10-22T12:00:00+02:00', '2026-10-26T12:00:00+01:00').map((d) => [d.date, d.kind]),
    ).toEqual([
      ['2026-10-23', 'holiday'],
      ['2026-10-24', 'weekend'],
      ['2026-10-25', 'weekend'],
    ]);
  });

  it('a time in the spring-forward gap lands just after it; one in the autumn overlap takes the earlier instant', () => {
    const sundaysWork = { ...HU, weekend: [6] };
    expect(nextWorkingAt(sundaysWork, '2026-03-28T23:00:00Z', '02:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(nextWorkingAt(sundaysWork, '2026-10-24T23:00:00Z', '02:30')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('includes only public holidays, not observances or optional days', () => {
    expect(holidayOn(HU, '2026-12-25')).toBeDefined();
    expect(holidayOn(HU, '2026-12-06')).toBeUndefined(); // Mikulás, an observance
    expect(holidayOn(HU, '2026-12-24')).toBeUndefined(); // Christmas Eve, optional
  });
});

describe('holidaysBetween', () => {
  it('lists Nauryz 2026 in Kazakhstan as holidays, even on the weekend, and leaves out working days', () => {
    const days = holidaysBetween(
      KZ,
      at('2026-03-20', '09:00', 'Asia/Almaty'),
      at('2026-03-23', '18:00', 'Asia/Almaty'),
    );
    expect(days.map((d) => [d.date, d.kind, d.name])).toEqual([
      ['2026-03-21', 'holiday', 'Nauryz'],
      ['2026-03-22', 'holiday', 'Nauryz'],
      ['2026-03-23', 'holiday', 'Nauryz'],
    ]);
  });

  it('marks a plain weekend as weekend, with the weekday’s name and no source', () => {
    expect(holidaysBetween(PLAIN, '2026-06-10T00:00:00Z', '2026-06-15T12:00:00Z')).toEqual([
      { date: '2026-06-10', name: 'Test Day', source: 'test', kind: 'holiday' },
      { date: '2026-06-14', name: 'Sunday', kind: 'weekend' },
    ]);
  });

  it('starts from the local date of `from`: 20:00 UTC on Sunday 30 August is Monday 31 August in Bishkek', () => {
    expect(holidaysBetween(KG, '2026-08-30T20:00:00Z', '2026-08-31T10:00:00Z')).toEqual([
      expect.objectContaining({ date: '2026-08-31', kind: 'holiday', name: 'Independence Day' }),
    ]);
  });

  it('is empty over working days, and refuses an interval that ends before it starts', () => {
    expect(holidaysBetween(PLAIN, '2026-06-08T04:00:00Z', '2026-06-09T13:00:00Z')).toEqual([]);
    expect(() => holidaysBetween(PLAIN, '2026-06-09T00:00:00Z', '2026-06-08T00:00:00Z')).toThrow(RangeError);
  });
});

describe('calendarOf', () => {
  it('names date-holidays and its version as the source for Kazakhstan, and gives one holiday per date', () => {
    expect(
      KZ.holidays.every((h) => h.source === `date-holidays ${DATE_HOLIDAYS_VERSION} (Kazakhstan public holidays)`),
    ).toBe(true);
    const dates = KZ.holidays.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect(KZ.weekend).toEqual([6, 7]);
  });

  it('pins the date-holidays version it names to the one installed', () => {
    const installed = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'node_modules', 'date-holidays', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(DATE_HOLIDAYS_VERSION).toBe(installed.version);
  });

  it('takes KG, TJ and TM from the data file, limited to the years asked', () => {
    const tj = calendarOf('TJ', 'Asia/Dushanbe', [2026]);
    expect(tj.holidays.every((h) => h.date.startsWith('2026-'))).toBe(true);
    expect(tj.holidays.filter((h) => h.name === 'Nowruz').map((h) => h.date)).toEqual([
      '2026-03-21',
      '2026-03-22',
      '2026-03-23',
      '2026-03-24',
    ]);
    expect(calendarOf('TM', 'Asia/Ashgabat', [2026]).holidays.map((h) => h.date)).toContain('2026-09-27');
    expect(calendarOf('KG', 'Asia/Bishkek', [2026]).workingDays).toEqual([]);
  });

  it('gives a state neither source knows no holidays and a Saturday-Sunday weekend', () => {
    expect(calendarOf('QQ', 'UTC', [2026])).toEqual({
      state: 'QQ',
      timeZone: 'UTC',
      weekend: [6, 7],
      holidays: [],
      workingDays: [],
    });
  });

  it('applies the Secretariat’s edits: removed, added (replacing), working days and weekend', () => {
    const edits: CalendarEdits = {
      removed: ['2026-03-20'],
      added: [
        { date: '2026-03-19', name: 'Eid al-Fitr (Orozo Ait)', source: 'Secretariat' },
        { date: '2026-08-31', name: 'Independence Day (35th anniversary)', source: 'Secretariat' },
      ],
      workingDays: [{ date: '2026-09-05', source: 'Secretariat' }],
      weekend: [7],
    };
    const kg = calendarOf('KG', 'Asia/Bishkek', [2026], edits);
    expect(holidayOn(kg, '2026-03-20')).toBeUndefined();
    expect(holidayOn(kg, '2026-03-19')).toEqual({
      date: '2026-03-19',
      name: 'Eid al-Fitr (Orozo Ait)',
      source: 'Secretariat',
    });
    expect(kg.holidays.filter((h) => h.date === '2026-08-31')).toEqual([
      { date: '2026-08-31', name: 'Independence Day (35th anniversary)', source: 'Secretariat' },
    ]);
    expect(kg.weekend).toEqual([7]);
    expect(isWorkingDay(kg, '2026-09-12')).toBe(true); // a Saturday, no longer weekend
    expect(kg.workingDays).toEqual([{ date: '2026-09-05', source: 'Secretariat' }]);
    expect(kg.holidays.map((h) => h.date)).toEqual([...kg.holidays.map((h) => h.date)].sort());
  });

  it('refuses invalid edits, an unknown zone and a nonsense year', () => {
    expect(() => calendarOf('KG', 'Asia/Bishkek', [2026], { removed: ['2026-02-30'] })).toThrow(/not a real date/);
    expect(() => calendarOf('KG', 'Asia/Nowhere', [2026])).toThrow(RangeError);
    expect(() => calendarOf('KG', 'Asia/Bishkek', [26.5])).toThrow(RangeError);
  });
});

describe('calendarYears', () => {
  it('covers a day either side, so New Year in any zone is included', () => {
    expect(calendarYears('2026-12-31T20:00:00Z', '2027-01-05T00:00:00Z')).toEqual([2026, 2027]);
    expect(calendarYears('2026-01-01T02:00:00Z', '2026-06-01T00:00:00Z')).toEqual([2025, 2026]);
    expect(calendarYears('2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).toEqual([2026]);
    expect(() => calendarYears('2026-06-02T00:00:00Z', '2026-06-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('data/holidays/central-asia.json', () => {
  interface Source {
    id: string;
    title: string;
    url: string;
  }
  interface StateData {
    timeZone: string;
    weekend: number[];
    sources: Source[];
    holidays: { date: string; name: string; source: string }[];
    workingDays: { date: string; source: string }[];
  }
  const file = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'holidays', 'central-asia.json'), 'utf8'),
  ) as { about: string; states: Record<string, StateData> };
  const states = Object.entries(file.states);

  it('covers exactly KG, TJ and TM, and says edits apply on top of it', () => {
    expect(Object.keys(file.states).sort()).toEqual(['KG', 'TJ', 'TM']);
    expect([...DATA_FILE_STATE_CODES].sort()).toEqual(['KG', 'TJ', 'TM']);
    expect(file.about).toMatch(/edits of a state's calendar .* are applied on top of this file/);
  });

  it.each(states)('%s: a valid zone, a Saturday-Sunday weekend, sources with unique ids and http(s) URLs', (_, s) => {
    expect(isValidTimeZone(s.timeZone)).toBe(true);
    expect(s.weekend).toEqual([6, 7]);
    const ids = s.sources.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const src of s.sources) {
      expect(src.title.length).toBeGreaterThan(20);
      expect(src.url).toMatch(/^https?:\/\/[a-z0-9.-]+\.(kg|tj|tm)\//);
    }
  });

  it.each(states)(
    '%s: every holiday names a source of its own state, a real date in 2025-2027, an English name',
    (_, s) => {
      const ids = new Set(s.sources.map((x) => x.id));
      for (const h of [...s.holidays, ...s.workingDays]) {
        expect({ date: h.date, source: h.source, known: ids.has(h.source) }).toEqual({
          date: h.date,
          source: h.source,
          known: true,
        });
        expect(h.date).toMatch(/^(2025|2026|2027)-\d{2}-\d{2}$/);
        expect(() => isoWeekday(h.date)).not.toThrow();
      }
      for (const h of s.holidays) expect(h.name).toMatch(/^[A-Za-z][A-Za-z0-9 '(),-]+$/);
    },
  );

  it.each(states)('%s: no date twice, sorted, and no holiday that is also a working day', (_, s) => {
    const dates = s.holidays.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates).toEqual([...dates].sort());
    for (const d of s.workingDays) {
      expect(dates).not.toContain(d.date);
      expect(s.weekend).toContain(isoWeekday(d.date));
    }
  });

  it.each(states)(
    '%s: Eid al-Fitr and Eid al-Adha every year, sourced to the annual decree the Secretariat must confirm',
    (_, s) => {
      for (const year of ['2025', '2026', '2027']) {
        for (const feast of ['Eid al-Fitr', 'Eid al-Adha']) {
          const found = s.holidays.filter(
            (h) => h.date.startsWith(year) && h.name.startsWith(feast) && !/moved/.test(h.name),
          );
          expect({ year, feast, count: found.length }).toEqual({ year, feast, count: 1 });
          const src = s.sources.find((x) => x.id === found[0].source);
          expect(src?.title).toMatch(/[Aa]nnual (decree|decision)/);
          expect(src?.title).toMatch(/Secretariat must confirm/);
        }
      }
    },
  );

  it('has the holidays of fixed date that a due date is checked against', () => {
    const kg = calendarOf('KG', 'Asia/Bishkek', [2025, 2026, 2027]);
    const tj = calendarOf('TJ', 'Asia/Dushanbe', [2025, 2026, 2027]);
    const tm = calendarOf('TM', 'Asia/Ashgabat', [2025, 2026, 2027]);
    for (const y of [2025, 2026, 2027]) {
      expect(holidayOn(kg, `${y}-08-31`)?.name).toBe('Independence Day');
      expect(holidayOn(kg, `${y}-03-21`)?.name).toBe('Nooruz');
      expect(holidayOn(tj, `${y}-09-09`)?.name).toBe('Independence Day');
      expect(holidayOn(tj, `${y}-06-27`)?.name).toBe('National Unity Day');
      expect(holidayOn(tm, `${y}-09-27`)?.name).toBe('Independence Day');
      expect(holidayOn(tm, `${y}-12-12`)?.name).toBe('International Neutrality Day');
    }
    // Kyrgyzstan's 2025 Labour Code made 7 April and 7-8 November working days.
    expect(isWorkingDay(kg, '2026-04-07')).toBe(true);
    expect(isWorkingDay(kg, '2025-11-07')).toBe(true);
  });
});

describe('validateCalendarEdits', () => {
  it('accepts good edits and no edits', () => {
    expect(validateCalendarEdits({})).toEqual([]);
    expect(
      validateCalendarEdits({
        weekend: [6, 7],
        added: [{ date: '2026-03-19', name: 'Eid al-Fitr', source: 'Secretariat' }],
        removed: ['2026-03-20'],
        workingDays: [{ date: '2026-03-28', source: 'Government decree' }],
      }),
    ).toEqual([]);
  });

  it('names a date that does not exist or is badly written', () => {
    expect(validateCalendarEdits({ removed: ['2026-02-30', '31.08.2026'] })).toEqual([
      'Removed holiday 1: "2026-02-30" is not a real date in the form YYYY-MM-DD.',
      'Removed holiday 2: "31.08.2026" is not a real date in the form YYYY-MM-DD.',
    ]);
    expect(validateCalendarEdits({ added: [{ date: '2026-13-01', name: 'X', source: 'Secretariat' }] })).toEqual([
      'Added holiday 1: "2026-13-01" is not a real date in the form YYYY-MM-DD.',
    ]);
  });

  it('refuses a weekday out of range, one listed twice, and a week with no working day', () => {
    expect(validateCalendarEdits({ weekend: [0, 6, 8, 6] })).toEqual([
      'weekend: 0 is not an ISO weekday (1 = Monday … 7 = Sunday).',
      'weekend: 8 is not an ISO weekday (1 = Monday … 7 = Sunday).',
      'weekend: Saturday (6) is listed twice.',
    ]);
    expect(validateCalendarEdits({ weekend: [1, 2, 3, 4, 5, 6, 7] })).toEqual([
      'weekend: every day of the week is off; at least one must be a working day.',
    ]);
  });

  it('refuses a duplicate date, an empty name or source, and contradictions', () => {
    expect(
      validateCalendarEdits({
        added: [
          { date: '2026-03-19', name: 'Eid al-Fitr', source: 'Secretariat' },
          { date: '2026-03-19', name: '  ', source: 'Secretariat' },
          { date: '2026-03-28', name: 'Extra day', source: '' },
        ],
        removed: ['2026-03-19'],
        workingDays: [{ date: '2026-03-28', source: 'Government decree' }],
      }),
    ).toEqual([
      'Added holiday 2026-03-19 is listed twice.',
      'Added holiday 2026-03-19: the name is empty.',
      'Added holiday 2026-03-28: the source is empty (for example "Secretariat").',
      '2026-03-19 is both added and removed as a holiday.',
      '2026-03-28 is both an added holiday and a working day.',
    ]);
  });

  it('reports input of the wrong type instead of throwing', () => {
    expect(validateCalendarEdits(null as unknown as CalendarEdits)).toHaveLength(1);
    expect(validateCalendarEdits({ added: 'x' } as unknown as CalendarEdits)).toEqual([
      'Added holidays must be a list.',
    ]);
    expect(validateCalendarEdits({ workingDays: ['2026-03-28'] } as unknown as CalendarEdits)).toEqual([
      'Working day 1 must be an object with a date, got "2026-03-28".',
    ]);
  });
});
