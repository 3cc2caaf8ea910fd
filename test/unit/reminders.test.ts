import {
  DAY_MS,
  DEFAULT_REMINDER_POLICY,
  nextEscalationAt,
  planReminders,
  ReminderPolicy,
  validateReminderPolicy,
} from '../../src/domain/reminders';
import { utcOffsetLabel, zonedWallTimeToUtc } from '../../src/domain/time';

const HOUR_MS = 3_600_000;
const SECOND_MS = 1_000;

/** Due instant (ISO UTC) of a local wall time. */
const dueLocal = (date: string, time: string, zone: string) => zonedWallTimeToUtc(date, time, zone).toISOString();

const LONG_AGO = '2026-11-01T00:00:00.000Z';

describe('planReminders with the default policy (7 days, 2 days, the day itself, at 09:00 local)', () => {
  it('a reminder seven days ahead is sent at 09:00 in Bishkek, 03:00 UTC', () => {
    const plan = planReminders(
      dueLocal('2026-12-07', '18:00', 'Asia/Bishkek'),
      'Asia/Bishkek',
      DEFAULT_REMINDER_POLICY,
      LONG_AGO,
    );
    expect(plan[0]).toEqual({ offsetMs: 7 * DAY_MS, at: '2026-11-30T03:00:00.000Z' });
  });

  it.each([
    ['Asia/Tashkent', '04:00'],
    ['Asia/Baku', '05:00'],
    ['Asia/Bishkek', '03:00'],
    ['Asia/Dushanbe', '04:00'],
    ['Asia/Ashgabat', '04:00'],
  ])(
    'reminders for a deadline at 18:00 in %s go out at 09:00 local, %s UTC, on 30 Nov, 5 Dec and 7 Dec',
    (zone, utcTime) => {
      const plan = planReminders(dueLocal('2026-12-07', '18:00', zone), zone, DEFAULT_REMINDER_POLICY, LONG_AGO);
      expect(plan).toEqual([
        { offsetMs: 7 * DAY_MS, at: `2026-11-30T${utcTime}:00.000Z` },
        { offsetMs: 2 * DAY_MS, at: `2026-12-05T${utcTime}:00.000Z` },
        { offsetMs: 0, at: `2026-12-07T${utcTime}:00.000Z` },
      ]);
    },
  );

  it('reminders in Almaty go out at 09:00 local, whichever offset (+05 or +06) this ICU gives Almaty', () => {
    const plan = planReminders(
      dueLocal('2026-12-07', '18:00', 'Asia/Almaty'),
      'Asia/Almaty',
      DEFAULT_REMINDER_POLICY,
      LONG_AGO,
    );
    const offsetHours = Number(utcOffsetLabel(new Date('2026-12-07T00:00:00Z'), 'Asia/Almaty').slice(4, 6));
    expect([5, 6]).toContain(offsetHours);
    const utcTime = `${String(9 - offsetHours).padStart(2, '0')}:00`;
    expect(plan.map((r) => r.at)).toEqual([
      `2026-11-30T${utcTime}:00.000Z`,
      `2026-12-05T${utcTime}:00.000Z`,
      `2026-12-07T${utcTime}:00.000Z`,
    ]);
  });

  it('counts days on the recipient’s local calendar, not the UTC one (02:00 Bishkek is the previous UTC day)', () => {
    // Due 2026-12-07 02:00 in Bishkek = 2026-12-06T20:00Z.
    const plan = planReminders(
      dueLocal('2026-12-07', '02:00', 'Asia/Bishkek'),
      'Asia/Bishkek',
      DEFAULT_REMINDER_POLICY,
      LONG_AGO,
    );
    expect(plan).toEqual([
      { offsetMs: 7 * DAY_MS, at: '2026-11-30T03:00:00.000Z' },
      { offsetMs: 2 * DAY_MS, at: '2026-12-05T03:00:00.000Z' },
      // the 09:00 reminder on the day itself would come after the 02:00 deadline: dropped
    ]);
  });

  it('drops the day-of reminder when the deadline is at 08:00 local (09:00 would be after it)', () => {
    const plan = planReminders(
      dueLocal('2026-12-07', '08:00', 'Asia/Tashkent'),
      'Asia/Tashkent',
      DEFAULT_REMINDER_POLICY,
      LONG_AGO,
    );
    expect(plan).toEqual([
      { offsetMs: 7 * DAY_MS, at: '2026-11-30T04:00:00.000Z' },
      { offsetMs: 2 * DAY_MS, at: '2026-12-05T04:00:00.000Z' },
    ]);
  });

  it('keeps the day-of reminder when the deadline is exactly 09:00 local', () => {
    const dueAt = dueLocal('2026-12-07', '09:00', 'Asia/Tashkent');
    const plan = planReminders(dueAt, 'Asia/Tashkent', DEFAULT_REMINDER_POLICY, LONG_AGO);
    expect(plan[plan.length - 1]).toEqual({ offsetMs: 0, at: dueAt });
  });

  it('keeps 09:00 local across the Berlin spring-forward: 08:00 UTC before it, 07:00 UTC after', () => {
    const plan = planReminders(
      dueLocal('2026-03-30', '17:00', 'Europe/Berlin'),
      'Europe/Berlin',
      DEFAULT_REMINDER_POLICY,
      '2026-03-01T00:00:00Z',
    );
    expect(plan.map((r) => r.at)).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('keeps 09:00 local across the Berlin fall-back: 07:00 UTC before it, 08:00 UTC after', () => {
    const plan = planReminders(
      dueLocal('2026-10-26', '17:00', 'Europe/Berlin'),
      'Europe/Berlin',
      DEFAULT_REMINDER_POLICY,
      '2026-10-01T00:00:00Z',
    );
    expect(plan.map((r) => r.at)).toEqual([
      '2026-10-19T07:00:00.000Z',
      '2026-10-24T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
  });
});

describe('planReminders with dayBeforeEarlyDue (runs started since the early-due-reminder patch)', () => {
  const EARLY = { dayBeforeEarlyDue: true };

  it('reminds Baku the day before of a deadline set at 09:00 in Tashkent (08:00 in Baku), telling the lead', () => {
    const dueAt = dueLocal('2026-12-07', '09:00', 'Asia/Tashkent');
    expect(planReminders(dueAt, 'Asia/Baku', DEFAULT_REMINDER_POLICY, LONG_AGO, EARLY)).toEqual([
      { offsetMs: 7 * DAY_MS, at: '2026-11-30T05:00:00.000Z' },
      { offsetMs: 2 * DAY_MS, at: '2026-12-05T05:00:00.000Z' },
      // 09:00 on 6 December in Baku, 23 hours before the deadline: the email says "tomorrow".
      { offsetMs: 0, at: '2026-12-06T05:00:00.000Z', leadMs: 23 * HOUR_MS },
    ]);
    // Without it (a run started before), the reminder on the day itself is dropped, as before.
    expect(planReminders(dueAt, 'Asia/Baku', DEFAULT_REMINDER_POLICY, LONG_AGO).map((r) => r.offsetMs)).toEqual([
      7 * DAY_MS,
      2 * DAY_MS,
    ]);
  });

  it('reminds Bishkek at 09:00 the evening before of a deadline at 02:00', () => {
    const plan = planReminders(
      dueLocal('2026-12-07', '02:00', 'Asia/Bishkek'),
      'Asia/Bishkek',
      DEFAULT_REMINDER_POLICY,
      LONG_AGO,
      EARLY,
    );
    expect(plan.at(-1)).toEqual({ offsetMs: 0, at: '2026-12-06T03:00:00.000Z', leadMs: 17 * HOUR_MS });
  });

  it('moves nothing that already comes before the deadline, and nothing to before the deadline was set', () => {
    const dueAt = dueLocal('2026-12-07', '18:00', 'Asia/Tashkent');
    expect(planReminders(dueAt, 'Asia/Tashkent', DEFAULT_REMINDER_POLICY, LONG_AGO, EARLY)).toEqual(
      planReminders(dueAt, 'Asia/Tashkent', DEFAULT_REMINDER_POLICY, LONG_AGO),
    );
    const early = dueLocal('2026-12-07', '08:00', 'Asia/Tashkent');
    const setThatEvening = '2026-12-06T15:00:00.000Z';
    expect(planReminders(early, 'Asia/Tashkent', DEFAULT_REMINDER_POLICY, setThatEvening, EARLY)).toEqual([]);
  });
});

describe('planReminders after the deadline is set or extended (notBefore)', () => {
  it('an extension on 4 Dec to 10 Dec drops the seven-day reminder that would fall on 3 Dec', () => {
    const plan = planReminders(
      dueLocal('2026-12-10', '18:00', 'Asia/Bishkek'),
      'Asia/Bishkek',
      DEFAULT_REMINDER_POLICY,
      '2026-12-04T10:00:00Z',
    );
    expect(plan).toEqual([
      { offsetMs: 2 * DAY_MS, at: '2026-12-08T03:00:00.000Z' },
      { offsetMs: 0, at: '2026-12-10T03:00:00.000Z' },
    ]);
  });

  it('keeps a reminder that falls exactly at notBefore', () => {
    const plan = planReminders(
      dueLocal('2026-12-10', '18:00', 'Asia/Bishkek'),
      'Asia/Bishkek',
      DEFAULT_REMINDER_POLICY,
      '2026-12-03T03:00:00Z',
    );
    expect(plan.map((r) => r.offsetMs)).toEqual([7 * DAY_MS, 2 * DAY_MS, 0]);
  });

  it('a deadline set at 11:00 for 18:00 the same day gets no reminders (today’s 09:00 is already past)', () => {
    // 11:00 in Baku = 07:00Z
    const plan = planReminders(
      dueLocal('2026-12-04', '18:00', 'Asia/Baku'),
      'Asia/Baku',
      DEFAULT_REMINDER_POLICY,
      '2026-12-04T07:00:00Z',
    );
    expect(plan).toEqual([]);
  });

  it('a deadline already in the past gets no reminders', () => {
    const plan = planReminders('2026-12-01T00:00:00Z', 'Asia/Baku', DEFAULT_REMINDER_POLICY, '2026-12-04T07:00:00Z');
    expect(plan).toEqual([]);
  });
});

describe('planReminders without alignment (exact offsets)', () => {
  const secondsPolicy: ReminderPolicy = {
    offsetsMs: [20 * SECOND_MS, 10 * SECOND_MS, 0],
    alignLocalTime: false,
    localTime: '09:00',
  };
  const now = '2026-12-07T10:00:00.000Z';
  const dueIn30s = '2026-12-07T10:00:30.000Z';

  it('a deadline 30 s away gets reminders 10 s, 20 s and 30 s from now', () => {
    expect(planReminders(dueIn30s, 'Asia/Dushanbe', secondsPolicy, now)).toEqual([
      { offsetMs: 20 * SECOND_MS, at: '2026-12-07T10:00:10.000Z' },
      { offsetMs: 10 * SECOND_MS, at: '2026-12-07T10:00:20.000Z' },
      { offsetMs: 0, at: dueIn30s },
    ]);
  });

  it('gives the same instants in every member zone, since nothing is aligned', () => {
    for (const zone of [
      'Asia/Almaty',
      'Asia/Bishkek',
      'Asia/Dushanbe',
      'Asia/Ashgabat',
      'Asia/Tashkent',
      'Asia/Baku',
    ]) {
      expect(planReminders(dueIn30s, zone, secondsPolicy, now).map((r) => r.at)).toEqual([
        '2026-12-07T10:00:10.000Z',
        '2026-12-07T10:00:20.000Z',
        dueIn30s,
      ]);
    }
  });

  it('drops the offsets that are already past when the deadline is set 15 s before the first would fire', () => {
    const plan = planReminders(dueIn30s, 'Asia/Ashgabat', secondsPolicy, '2026-12-07T10:00:15.000Z');
    expect(plan.map((r) => r.offsetMs)).toEqual([10 * SECOND_MS, 0]);
  });

  it('is exact across DST: seven days before 17:00 CEST is 16:00 CET', () => {
    const policy: ReminderPolicy = { offsetsMs: [7 * DAY_MS], alignLocalTime: false, localTime: '09:00' };
    expect(planReminders('2026-03-30T15:00:00Z', 'Europe/Berlin', policy, '2026-03-01T00:00:00Z')).toEqual([
      { offsetMs: 7 * DAY_MS, at: '2026-03-23T15:00:00.000Z' },
    ]);
  });

  it('accepts instants with an explicit offset and returns ISO UTC', () => {
    const plan = planReminders(
      '2026-12-07T15:00:30+05:00',
      'Asia/Tashkent',
      secondsPolicy,
      '2026-12-07T15:00:00+05:00',
    );
    expect(plan.map((r) => r.at)).toEqual(['2026-12-07T10:00:10.000Z', '2026-12-07T10:00:20.000Z', dueIn30s]);
  });
});

describe('planReminders duplicates and ordering', () => {
  it.each([
    ['larger first', [2 * DAY_MS + 3 * HOUR_MS, 2 * DAY_MS, 7 * DAY_MS]],
    ['larger last', [2 * DAY_MS, 7 * DAY_MS, 2 * DAY_MS + 3 * HOUR_MS]],
  ])('merges offsets that align to the same 09:00, keeping the largest offset (%s)', (_order, offsetsMs) => {
    const policy: ReminderPolicy = { offsetsMs, alignLocalTime: true, localTime: '09:00' };
    const plan = planReminders(dueLocal('2026-12-07', '18:00', 'Asia/Baku'), 'Asia/Baku', policy, LONG_AGO);
    expect(plan).toEqual([
      { offsetMs: 7 * DAY_MS, at: '2026-11-30T05:00:00.000Z' },
      { offsetMs: 2 * DAY_MS + 3 * HOUR_MS, at: '2026-12-05T05:00:00.000Z' },
    ]);
  });

  it('merges repeated exact offsets', () => {
    const policy: ReminderPolicy = { offsetsMs: [0, 10 * SECOND_MS, 0], alignLocalTime: false, localTime: '09:00' };
    expect(planReminders('2026-12-07T10:00:30Z', 'Asia/Baku', policy, '2026-12-07T10:00:00Z')).toEqual([
      { offsetMs: 10 * SECOND_MS, at: '2026-12-07T10:00:20.000Z' },
      { offsetMs: 0, at: '2026-12-07T10:00:30.000Z' },
    ]);
  });

  it('sorts by instant whatever order the offsets are given in', () => {
    const policy: ReminderPolicy = { offsetsMs: [0, 7 * DAY_MS, 2 * DAY_MS], alignLocalTime: true, localTime: '09:00' };
    const plan = planReminders(dueLocal('2026-12-07', '18:00', 'Asia/Bishkek'), 'Asia/Bishkek', policy, LONG_AGO);
    expect(plan.map((r) => r.offsetMs)).toEqual([7 * DAY_MS, 2 * DAY_MS, 0]);
  });

  it('an empty policy plans nothing', () => {
    const policy: ReminderPolicy = { offsetsMs: [], alignLocalTime: true, localTime: '09:00' };
    expect(planReminders('2026-12-07T10:00:00Z', 'Asia/Baku', policy, LONG_AGO)).toEqual([]);
  });
});

describe('planReminders input checks', () => {
  it.each(['2026-12-07 09:00', 'Dec 7 2026', '2026-12-07', '2026-02-30T09:00:00Z', '2026-12-07T24:00:00Z', ''])(
    'rejects the non-ISO or impossible dueAt %p',
    (dueAt) => {
      expect(() => planReminders(dueAt, 'Asia/Baku', DEFAULT_REMINDER_POLICY, LONG_AGO)).toThrow(RangeError);
    },
  );

  it('rejects an unknown zone, a bad notBefore and an invalid policy', () => {
    const dueAt = '2026-12-07T10:00:00Z';
    expect(() => planReminders(dueAt, 'Foo/Bar', DEFAULT_REMINDER_POLICY, LONG_AGO)).toThrow(RangeError);
    expect(() => planReminders(dueAt, 'Asia/Baku', DEFAULT_REMINDER_POLICY, 'yesterday')).toThrow(RangeError);
    const bad = { offsetsMs: [-1], alignLocalTime: true, localTime: '09:00' };
    expect(() => planReminders(dueAt, 'Asia/Baku', bad, LONG_AGO)).toThrow(/offsetsMs\[0\]/);
  });
});

describe('DEFAULT_REMINDER_POLICY', () => {
  it('is 7 days, 2 days and the day itself, aligned to 09:00, and cannot be mutated by accident', () => {
    expect(DEFAULT_REMINDER_POLICY).toEqual({
      offsetsMs: [7 * DAY_MS, 2 * DAY_MS, 0],
      alignLocalTime: true,
      localTime: '09:00',
    });
    expect(DAY_MS).toBe(86_400_000);
    expect(Object.isFrozen(DEFAULT_REMINDER_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_REMINDER_POLICY.offsetsMs)).toBe(true);
  });
});

describe('nextEscalationAt', () => {
  const dueAt = '2026-12-07T04:00:00.000Z';
  const due = Date.parse(dueAt);
  const at = (ms: number) => new Date(ms).toISOString();

  it('before the due instant, the first escalation is the due instant itself', () => {
    expect(nextEscalationAt(dueAt, DAY_MS, '2026-12-01T00:00:00Z')).toBe(dueAt);
    expect(nextEscalationAt(dueAt, DAY_MS, at(due - 1))).toBe(dueAt);
  });

  it('exactly at the due instant, the next escalation is one interval later', () => {
    expect(nextEscalationAt(dueAt, DAY_MS, dueAt)).toBe(at(due + DAY_MS));
  });

  it('after the due instant, it is the first step strictly later', () => {
    expect(nextEscalationAt(dueAt, DAY_MS, at(due + 1))).toBe(at(due + DAY_MS));
    expect(nextEscalationAt(dueAt, DAY_MS, at(due + 1.5 * DAY_MS))).toBe(at(due + 2 * DAY_MS));
    expect(nextEscalationAt(dueAt, DAY_MS, at(due + DAY_MS))).toBe(at(due + 2 * DAY_MS));
    expect(nextEscalationAt(dueAt, DAY_MS, at(due + 30 * DAY_MS - 1))).toBe(at(due + 30 * DAY_MS));
  });

  it('works with seconds-long intervals for quick test runs', () => {
    expect(nextEscalationAt('2026-12-07T10:00:30Z', 10 * SECOND_MS, '2026-12-07T10:00:45Z')).toBe(
      '2026-12-07T10:00:50.000Z',
    );
  });

  it('normalises an offset-qualified dueAt to ISO UTC', () => {
    expect(nextEscalationAt('2026-12-07T09:00:00+05:00', DAY_MS, '2026-12-01T00:00:00Z')).toBe(dueAt);
  });

  it.each([0, -DAY_MS, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects the interval %p', (interval) => {
    expect(() => nextEscalationAt(dueAt, interval, dueAt)).toThrow(RangeError);
  });

  it('rejects non-ISO instants', () => {
    expect(() => nextEscalationAt('tomorrow', DAY_MS, dueAt)).toThrow(RangeError);
    expect(() => nextEscalationAt(dueAt, DAY_MS, '2026-12-07')).toThrow(RangeError);
  });
});

describe('validateReminderPolicy', () => {
  it('accepts the default policy and returns a copy', () => {
    const result = validateReminderPolicy(DEFAULT_REMINDER_POLICY);
    expect(result).toEqual({ ok: true, policy: DEFAULT_REMINDER_POLICY });
    if (result.ok) expect(result.policy.offsetsMs).not.toBe(DEFAULT_REMINDER_POLICY.offsetsMs);
  });

  it('accepts seconds-long unaligned offsets, an empty list, exactly 10 offsets and the 00:00 / 23:59 bounds', () => {
    expect(
      validateReminderPolicy({ offsetsMs: [20_000, 10_000, 0], alignLocalTime: false, localTime: '00:00' }).ok,
    ).toBe(true);
    expect(validateReminderPolicy({ offsetsMs: [], alignLocalTime: true, localTime: '23:59' }).ok).toBe(true);
    expect(
      validateReminderPolicy({
        offsetsMs: Array.from({ length: 10 }, (_, i) => i * DAY_MS),
        alignLocalTime: true,
        localTime: '09:00',
      }).ok,
    ).toBe(true);
  });

  it('drops unknown fields from the returned policy', () => {
    const result = validateReminderPolicy({ offsetsMs: [0], alignLocalTime: true, localTime: '09:00', extra: 1 });
    expect(result).toEqual({ ok: true, policy: { offsetsMs: [0], alignLocalTime: true, localTime: '09:00' } });
  });

  it.each([null, undefined, 42, 'policy', [0, 1]])('rejects the non-object %p', (value) => {
    expect(validateReminderPolicy(value)).toEqual({ ok: false, errors: ['policy must be an object'] });
  });

  it.each([
    ['a negative offset', [-1]],
    ['a fractional offset', [1.5]],
    ['NaN', [Number.NaN]],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a string offset', ['7d']],
    ['a null offset', [null]],
  ])('rejects %s', (_label, offsetsMs) => {
    const result = validateReminderPolicy({ offsetsMs, alignLocalTime: true, localTime: '09:00' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toEqual([expect.stringContaining('offsetsMs[0] must be a non-negative integer')]);
  });

  it('rejects more than 10 offsets', () => {
    const result = validateReminderPolicy({
      offsetsMs: Array.from({ length: 11 }, () => 0),
      alignLocalTime: true,
      localTime: '09:00',
    });
    expect(result).toEqual({ ok: false, errors: ['offsetsMs must have at most 10 entries, got 11'] });
  });

  it.each(['24:00', '9:00', '12:60', '09:00:00', 'noon', '', 900])('rejects the local time %p', (localTime) => {
    const result = validateReminderPolicy({ offsetsMs: [0], alignLocalTime: true, localTime });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.stringContaining('localTime must be "HH:MM"')]);
  });

  it('reports every problem at once', () => {
    const result = validateReminderPolicy({ offsetsMs: 'weekly', alignLocalTime: 'yes' });
    expect(result).toEqual({
      ok: false,
      errors: [
        'offsetsMs must be an array of milliseconds',
        'alignLocalTime must be a boolean',
        'localTime must be "HH:MM" between 00:00 and 23:59, got undefined',
      ],
    });
  });
});
