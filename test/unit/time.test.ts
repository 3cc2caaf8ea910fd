import {
  addDays,
  closeOfBusinessOn,
  formatInZone,
  isValidTimeZone,
  localDateOf,
  utcOffsetLabel,
  zonedWallTimeToUtc,
} from '../../src/domain/time';

/** Member zones whose UTC offset has been stable for years (no DST, no recent change). */
const STABLE_MEMBER_ZONES: Array<[zone: string, offsetHours: number]> = [
  ['Asia/Tashkent', 5],
  ['Asia/Baku', 4],
  ['Asia/Bishkek', 6],
  ['Asia/Dushanbe', 5],
  ['Asia/Ashgabat', 5],
];

/** Offset in ms parsed from the module's own label, so Almaty tests pass whether ICU says +05 or +06. */
function offsetMsFromLabel(label: string): number {
  const m = /^UTC([+-])(\d{2}):(\d{2})$/.exec(label);
  if (!m) throw new Error(`bad label ${label}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

const iso = (d: Date) => d.toISOString();

describe('isValidTimeZone', () => {
  it.each([
    'Asia/Almaty',
    'Asia/Bishkek',
    'Asia/Dushanbe',
    'Asia/Ashgabat',
    'Asia/Tashkent',
    'Asia/Baku',
    'Europe/Berlin',
    'UTC',
  ])('accepts the IANA zone %s', (zone) => expect(isValidTimeZone(zone)).toBe(true));

  it.each(['', 'Foo/Bar', '+05:00', '-03:00', 'Asia/Nowhere', 'not a zone'])('rejects %p', (zone) =>
    expect(isValidTimeZone(zone)).toBe(false),
  );
});

describe('zonedWallTimeToUtc', () => {
  it.each(STABLE_MEMBER_ZONES)('09:00 on 7 December 2026 in %s is 09:00 minus %i hours UTC', (zone, hours) => {
    const expected = Date.UTC(2026, 11, 7, 9 - hours, 0);
    expect(zonedWallTimeToUtc('2026-12-07', '09:00', zone).getTime()).toBe(expected);
  });

  it('09:00 in Almaty is 09:00 minus whatever offset this ICU gives Almaty (+05 since 2024-03-01, +06 before)', () => {
    const at = zonedWallTimeToUtc('2026-12-07', '09:00', 'Asia/Almaty');
    const offset = offsetMsFromLabel(utcOffsetLabel(at, 'Asia/Almaty'));
    expect([5 * 3_600_000, 6 * 3_600_000]).toContain(offset);
    expect(at.getTime()).toBe(Date.UTC(2026, 11, 7, 9, 0) - offset);
    expect(formatInZone(at, 'Asia/Almaty', 'en')).toContain(', 09:00 (Asia/Almaty, UTC+0');
  });

  it('an early-morning time in Baku falls on the previous UTC day (and year), a late-evening one does not', () => {
    expect(iso(zonedWallTimeToUtc('2026-01-01', '02:30', 'Asia/Baku'))).toBe('2025-12-31T22:30:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-12-31', '23:59', 'Asia/Baku'))).toBe('2026-12-31T19:59:00.000Z');
  });

  describe('Europe/Berlin across the 2026 DST switches', () => {
    it('uses CET (+01) the day before spring-forward and CEST (+02) the day after', () => {
      expect(iso(zonedWallTimeToUtc('2026-03-28', '09:00', 'Europe/Berlin'))).toBe('2026-03-28T08:00:00.000Z');
      expect(iso(zonedWallTimeToUtc('2026-03-30', '09:00', 'Europe/Berlin'))).toBe('2026-03-30T07:00:00.000Z');
    });

    it('maps the times either side of the 29 March gap exactly', () => {
      expect(iso(zonedWallTimeToUtc('2026-03-29', '01:59', 'Europe/Berlin'))).toBe('2026-03-29T00:59:00.000Z');
      expect(iso(zonedWallTimeToUtc('2026-03-29', '03:00', 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
      expect(iso(zonedWallTimeToUtc('2026-03-29', '09:00', 'Europe/Berlin'))).toBe('2026-03-29T07:00:00.000Z');
    });

    it('moves a non-existent time (02:00-02:59 on 29 March) forward past the gap by its length', () => {
      // 02:30 does not exist; the result is 03:30 CEST (01:30Z), after the gap.
      expect(iso(zonedWallTimeToUtc('2026-03-29', '02:30', 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
      expect(iso(zonedWallTimeToUtc('2026-03-29', '02:00', 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
      expect(formatInZone(zonedWallTimeToUtc('2026-03-29', '02:30', 'Europe/Berlin'), 'Europe/Berlin', 'en')).toBe(
        'Sun 29 March 2026, 03:30 (Europe/Berlin, UTC+02:00)',
      );
    });

    it('resolves an ambiguous time (02:00-02:59 on 25 October) to the earlier, CEST instant', () => {
      expect(iso(zonedWallTimeToUtc('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
      expect(iso(zonedWallTimeToUtc('2026-10-25', '02:00', 'Europe/Berlin'))).toBe('2026-10-25T00:00:00.000Z');
    });

    it('maps the times either side of the 25 October overlap exactly', () => {
      expect(iso(zonedWallTimeToUtc('2026-10-25', '01:59', 'Europe/Berlin'))).toBe('2026-10-24T23:59:00.000Z');
      expect(iso(zonedWallTimeToUtc('2026-10-25', '03:00', 'Europe/Berlin'))).toBe('2026-10-25T02:00:00.000Z');
      expect(iso(zonedWallTimeToUtc('2026-10-26', '09:00', 'Europe/Berlin'))).toBe('2026-10-26T08:00:00.000Z');
    });

    it('round-trips every existing minute of both switch days', () => {
      for (const date of ['2026-03-29', '2026-10-25']) {
        for (let minutes = 0; minutes < 24 * 60; minutes++) {
          const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
          if (date === '2026-03-29' && time.startsWith('02:')) continue; // the gap
          const at = zonedWallTimeToUtc(date, time, 'Europe/Berlin');
          expect(localDateOf(at, 'Europe/Berlin')).toBe(date);
          expect(formatInZone(at, 'Europe/Berlin', 'en')).toContain(`, ${time} (Europe/Berlin`);
        }
      }
    });
  });

  it.each([
    ['2026-02-30', '09:00', 'Asia/Baku'],
    ['2026-13-01', '09:00', 'Asia/Baku'],
    ['2026-12-7', '09:00', 'Asia/Baku'],
    ['2026-12-07', '24:00', 'Asia/Baku'],
    ['2026-12-07', '9:00', 'Asia/Baku'],
    ['2026-12-07', '09:60', 'Asia/Baku'],
    ['2026-12-07', '09:00', 'Foo/Bar'],
  ])('throws a RangeError for %s %s in %s', (date, time, zone) => {
    expect(() => zonedWallTimeToUtc(date, time, zone)).toThrow(RangeError);
  });
});

describe('localDateOf', () => {
  it('gives the recipient-local calendar date, which can differ from the UTC date', () => {
    const instant = new Date('2026-12-06T20:00:00Z');
    expect(localDateOf(instant, 'Asia/Bishkek')).toBe('2026-12-07'); // 02:00 local
    expect(localDateOf(instant, 'Asia/Baku')).toBe('2026-12-07'); // 00:00 local
    expect(localDateOf(new Date('2026-12-06T19:59:59Z'), 'Asia/Baku')).toBe('2026-12-06'); // 23:59:59 local
    expect(localDateOf(instant, 'UTC')).toBe('2026-12-06');
  });

  it('follows DST in Berlin', () => {
    expect(localDateOf(new Date('2026-07-01T22:00:00Z'), 'Europe/Berlin')).toBe('2026-07-02'); // 00:00 CEST
    expect(localDateOf(new Date('2026-12-31T22:59:59Z'), 'Europe/Berlin')).toBe('2026-12-31'); // 23:59:59 CET
  });

  it('throws on an unknown zone or an invalid date', () => {
    expect(() => localDateOf(new Date('2026-12-07T00:00:00Z'), 'Foo/Bar')).toThrow(RangeError);
    expect(() => localDateOf(new Date('nonsense'), 'Asia/Baku')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-12-07', -7, '2026-11-30'],
    ['2026-12-07', 0, '2026-12-07'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-28', 2, '2026-03-30'], // across the Berlin DST switch: pure calendar arithmetic
    ['2026-01-01', 365, '2027-01-01'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('throws on a malformed date or a non-integer day count', () => {
    expect(() => addDays('2026-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('07.12.2026', 1)).toThrow(RangeError);
    expect(() => addDays('2026-12-07', 1.5)).toThrow(RangeError);
    expect(() => addDays('2026-12-07', Number.NaN)).toThrow(RangeError);
  });
});

describe('utcOffsetLabel', () => {
  it.each(STABLE_MEMBER_ZONES)('labels %s as UTC+0%d:00', (zone, hours) => {
    expect(utcOffsetLabel(new Date('2026-12-07T04:00:00Z'), zone)).toBe(`UTC+0${hours}:00`);
  });

  it('labels zero, half-hour and negative offsets, and DST-dependent ones at the given instant', () => {
    expect(utcOffsetLabel(new Date('2026-12-07T04:00:00Z'), 'UTC')).toBe('UTC+00:00');
    expect(utcOffsetLabel(new Date('2026-12-07T04:00:00Z'), 'Asia/Kolkata')).toBe('UTC+05:30');
    expect(utcOffsetLabel(new Date('2026-01-15T12:00:00Z'), 'America/St_Johns')).toBe('UTC-03:30');
    expect(utcOffsetLabel(new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe('UTC+01:00');
    expect(utcOffsetLabel(new Date('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe('UTC+02:00');
  });

  it('gives Almaty +05:00 or +06:00 depending on the bundled tzdata', () => {
    expect(['UTC+05:00', 'UTC+06:00']).toContain(utcOffsetLabel(new Date('2026-12-07T04:00:00Z'), 'Asia/Almaty'));
  });
});

describe('formatInZone', () => {
  const nineInTashkent = new Date('2026-12-07T04:00:00Z');

  it('writes the English form with weekday, date, 24-hour time, IANA zone and offset', () => {
    expect(formatInZone(nineInTashkent, 'Asia/Tashkent', 'en')).toBe(
      'Mon 7 December 2026, 09:00 (Asia/Tashkent, UTC+05:00)',
    );
    expect(formatInZone(new Date('2026-12-07T03:00:00Z'), 'Asia/Bishkek', 'en')).toBe(
      'Mon 7 December 2026, 09:00 (Asia/Bishkek, UTC+06:00)',
    );
  });

  it('writes the Russian form with the Intl ru date part, then the same time, zone and offset', () => {
    const text = formatInZone(nineInTashkent, 'Asia/Tashkent', 'ru');
    expect(text).toMatch(/^пн.* 7 декабря 2026.*, 09:00 \(Asia\/Tashkent, UTC\+05:00\)$/);
  });

  it('names Almaty and the offset in force at that instant, in both languages', () => {
    const at = zonedWallTimeToUtc('2026-12-07', '09:00', 'Asia/Almaty');
    const label = utcOffsetLabel(at, 'Asia/Almaty');
    expect(formatInZone(at, 'Asia/Almaty', 'en')).toBe(`Mon 7 December 2026, 09:00 (Asia/Almaty, ${label})`);
    const ru = formatInZone(at, 'Asia/Almaty', 'ru');
    expect(ru).toContain('7 декабря 2026');
    expect(ru.endsWith(`, 09:00 (Asia/Almaty, ${label})`)).toBe(true);
  });

  it('shows midnight as 00:00 and uses the offset at the instant, not today’s', () => {
    expect(formatInZone(new Date('2026-12-06T20:00:00Z'), 'Asia/Baku', 'en')).toBe(
      'Mon 7 December 2026, 00:00 (Asia/Baku, UTC+04:00)',
    );
    expect(formatInZone(new Date('2026-07-15T07:00:00Z'), 'Europe/Berlin', 'en')).toBe(
      'Wed 15 July 2026, 09:00 (Europe/Berlin, UTC+02:00)',
    );
    expect(formatInZone(new Date('2026-01-15T08:00:00Z'), 'Europe/Berlin', 'en')).toBe(
      'Thu 15 January 2026, 09:00 (Europe/Berlin, UTC+01:00)',
    );
  });

  it('throws on an unknown zone', () => {
    expect(() => formatInZone(nineInTashkent, 'Foo/Bar', 'en')).toThrow(RangeError);
  });
});

describe('default due dates', () => {
  it('fall at the close of business in the zone on the day the period ends, or at its exact end within the day', () => {
    const now = Date.parse('2026-12-03T14:14:37Z'); // 19:14 in Tashkent
    const twoWeeks = now + 14 * 86_400_000;
    expect(closeOfBusinessOn(twoWeeks, now, 'Asia/Tashkent').toISOString()).toBe('2026-12-17T13:00:00.000Z');
    // Across a DST change in the zone: still 18:00 there.
    expect(closeOfBusinessOn(Date.parse('2027-03-30T10:00:00Z'), now, 'Europe/Berlin').toISOString()).toBe(
      '2027-03-30T16:00:00.000Z',
    );
    // An hour's period ending after 18:00 keeps its end: a due date is never set in the past.
    expect(closeOfBusinessOn(now + 3_600_000, now, 'Asia/Tashkent').toISOString()).toBe('2026-12-03T15:14:37.000Z');
  });
});
