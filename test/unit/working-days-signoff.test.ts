/**
 * Each state's working calendar in a sign-off round: a due date on a member's day off is flagged when it is
 * set (and again when it moves), and reminders go out at 09:00 on the recipient's own working days.
 */
import { calendarOf } from '../../src/calendar/holidays';
import * as rules from '../../src/domain/initiative';
import { viewOf } from '../../src/domain/view';
import { DAY_MS } from '../../src/domain/reminders';
import type { MemberState } from '../../src/domain/types';
import { zonedWallTimeToUtc } from '../../src/domain/time';
import { assignKyrgyzstan, initiativeInput, MEMBERS_2026, official, secretariat } from '../support/initiative-fixtures';

/** The round opens 21 days before Monday 22 March 2027, 11:00 in Almaty: Nauryz in Kazakhstan. */
const DUE = Date.parse('2027-03-22T06:00:00Z');
const T0 = DUE - 21 * DAY_MS;

const withCalendars: MemberState[] = MEMBERS_2026.map((m) => ({
  ...m,
  calendar: calendarOf(m.code, m.timeZone, [2027]),
}));

function openRound(members: MemberState[]) {
  const { state } = rules.startInitiative(initiativeInput(T0), T0);
  assignKyrgyzstan(state, T0);
  const changes = rules.applySubmitDraft(
    state,
    { actor: official('KG'), title: 'Corridor agreement', text: 'Article 1.', members },
    T0,
  );
  return { state, changes };
}

describe('a sign-off due date on a day off', () => {
  it('is flagged for the member whose holiday it is, in the round and in the record of its opening', () => {
    const { state, changes } = openRound(withCalendars);
    const kz = state.round!.daysOff!.find((o) => o.state === 'KZ');
    expect(kz).toEqual({
      state: 'KZ',
      date: '2027-03-22',
      name: expect.stringMatching(/Nauryz/),
      nameRu: expect.stringMatching(/Наурыз/),
      kind: 'holiday',
    });
    // Kyrgyzstan keeps Nooruz on 21 March only (a Sunday in 2027), and works on the 22nd.
    expect(state.round!.daysOff!.map((o) => o.state)).not.toContain('KG');
    const opened = changes.events.find((e) => e.type === 'signoff_opened')!;
    expect(opened.data).toMatchObject({ daysOff: expect.arrayContaining([kz]) });
  });

  it('is flagged again when the Secretariat moves it, and cleared when it lands on a working day', () => {
    const { state } = openRound(withCalendars);
    const moved = rules.applyExtendDeadline(
      state,
      { actor: secretariat, step: 'signoff', dueAt: '2027-03-26T06:00:00Z', reason: 'after Nauryz' },
      T0 + DAY_MS,
    );
    expect(state.round!.daysOff).toEqual([]);
    expect(moved.events[0].data).not.toHaveProperty('daysOff');
    const onSunday = rules.applyExtendDeadline(
      state,
      { actor: secretariat, step: 'signoff', dueAt: '2027-03-28T06:00:00Z', reason: 'a week more' },
      T0 + 2 * DAY_MS,
    );
    expect(state.round!.daysOff!.map((o) => [o.state, o.kind])).toContainEqual(['KZ', 'weekend']);
    expect(onSunday.events[0].data).toMatchObject({ daysOff: expect.any(Array) });
  });

  it('is not flagged for rounds whose members came without calendars (rounds opened before calendars existed)', () => {
    const { state } = openRound(MEMBERS_2026);
    expect(state.round!.daysOff).toEqual([]);
  });
});

describe("reminders on the recipient's working days", () => {
  const kzReminders = (state: rules.InitiativeState) =>
    rules
      .openDuties(state)
      .filter((d) => d.kind === 'reminder' && d.party.key === 'state:KZ')
      .map((d) => d.at);

  it("sends Kazakhstan's due-day reminder at 09:00 on its last working day before Nauryz, not on the holiday", () => {
    const { state } = openRound(withCalendars);
    // 7 days before: Monday 15 March, a holiday there by date-holidays (Constitution Day) → Friday 12 March;
    // 2 days before: Saturday 20 March → Friday 19 March; the due day, Nauryz → Friday 19 March.
    expect(kzReminders(state)).toEqual([
      '2027-03-12T04:00:00.000Z',
      '2027-03-19T04:00:00.000Z',
      '2027-03-19T04:00:00.000Z',
    ]);
  });

  it('keeps the calendar-blind times for members without a calendar', () => {
    const { state } = openRound(MEMBERS_2026);
    expect(kzReminders(state)).toEqual([
      '2027-03-15T04:00:00.000Z',
      '2027-03-20T04:00:00.000Z',
      '2027-03-22T04:00:00.000Z',
    ]);
  });
});

describe('a sign-off of N working days for each state', () => {
  /** Two hand-made calendars: Tajikistan off on Tuesday 23 March 2027, Uzbekistan working every weekday. */
  const hand = (code: string, timeZone: string, holidays: string[]): MemberState => ({
    code,
    timeZone,
    calendar: {
      state: code,
      timeZone,
      weekend: [6, 7],
      holidays: holidays.map((date) => ({ date, name: 'Test Day', source: 'test' })),
      workingDays: [],
    },
  });
  const members = [hand('TJ', 'Asia/Dushanbe', ['2027-03-23']), hand('UZ', 'Asia/Tashkent', [])];
  /** Friday 19 March 2027, noon in both zones (UTC+05:00). */
  const FRIDAY = Date.parse('2027-03-19T07:00:00Z');

  it('gives each state its own N working days and ends the round with the last of them', () => {
    const { state } = openRound(members);
    const x = { actor: secretariat, step: 'signoff', workingDays: 3, reason: 'three working days each' };
    rules.validateExtendDeadline(state, x, FRIDAY);
    const changes = rules.applyExtendDeadline(state, x, FRIDAY);
    // Uzbekistan: Mon 22, Tue 23, Wed 24 March; Tajikistan skips its Tuesday: Mon 22, Wed 24, Thu 25 (18:00 local).
    expect(changes.events[0].data).toMatchObject({
      to: '2027-03-25T13:00:00.000Z',
      workingDays: 3,
      dueByState: { UZ: '2027-03-24T13:00:00.000Z', TJ: '2027-03-25T13:00:00.000Z' },
    });
    expect(state.round!.dueAt).toBe('2027-03-25T13:00:00.000Z');
    expect(state.deadlines.signoff.dueAt).toBe('2027-03-25T13:00:00.000Z');
    expect(changes.notifications[0].details).toMatchObject({ workingDays: 3 });
  });

  it('counts weekends only for members that came without calendars', () => {
    const { state } = openRound(MEMBERS_2026.filter((m) => m.code === 'KZ'));
    const x = { actor: secretariat, step: 'signoff', workingDays: 1, reason: 'one day' };
    rules.applyExtendDeadline(state, x, FRIDAY);
    expect(state.round!.dueAt).toBe(zonedWallTimeToUtc('2027-03-22', '18:00', 'Asia/Almaty').toISOString());
  });

  it('is refused beside a date, for a step other than sign-off, or for a count that is not a whole number', () => {
    const { state } = openRound(members);
    const refusal = (x: object) => {
      try {
        rules.validateExtendDeadline(state, { actor: secretariat, step: 'signoff', reason: 'r', ...x }, FRIDAY);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal({ workingDays: 3, dueAt: '2027-04-01T00:00:00Z' })).toBe('give dueAt or workingDays, not both');
    expect(refusal({ workingDays: 2.5 })).toBe('workingDays must be a whole number from 1 to 366');
    expect(refusal({ workingDays: 0 })).toBe('workingDays must be a whole number from 1 to 366');
    expect(refusal({ step: 'draft', workingDays: 3 })).toMatch(/^no open step "draft"/);
    expect(refusal({ workingDays: 3 })).toBe('accepted');
  });
});

describe('a draft due on a day off in the lead state', () => {
  const kz = calendarOf('KZ', 'Asia/Almaty', [2027]);
  const assignKZ = (draftDueAt: string) => {
    const { state } = rules.startInitiative(initiativeInput(T0), T0);
    const changes = rules.applyAssign(
      state,
      {
        actor: secretariat,
        leadState: 'KZ',
        leadTimeZone: 'Asia/Almaty',
        leadCalendar: kz,
        officialId: 'official-kz',
        officialName: 'Focal point KZ',
        draftDueAt,
      },
      T0,
    );
    return { state, changes };
  };

  it('is flagged when it is set, in the record and the view', () => {
    const { state, changes } = assignKZ('2027-03-22T06:00:00.000Z');
    const off = {
      state: 'KZ',
      date: '2027-03-22',
      name: expect.stringMatching(/Nauryz/),
      nameRu: expect.stringMatching(/Наурыз/),
      kind: 'holiday',
    };
    expect(state.draftDayOff).toEqual(off);
    expect(changes.events[0].data).toMatchObject({ daysOff: [off] });
    expect(viewOf(state).draftDayOff).toEqual(off);
  });

  it('is cleared when the Secretariat moves it to a working day, and not flagged on one', () => {
    const { state } = assignKZ('2027-03-22T06:00:00.000Z');
    const moved = rules.applyExtendDeadline(
      state,
      { actor: secretariat, step: 'draft', dueAt: '2027-03-26T06:00:00Z', reason: 'after Nauryz' },
      T0 + DAY_MS,
    );
    expect(state.draftDayOff).toBeUndefined();
    expect(moved.events[0].data).not.toHaveProperty('daysOff');
    expect(assignKZ('2027-03-26T06:00:00.000Z').state.draftDayOff).toBeUndefined();
  });
});
