/**
 * Each state's working calendar in a sign-off round: a due date on a member's day off is flagged when it is
 * set (and again when it moves), and reminders go out at 09:00 on the recipient's own working days.
 */
import { calendarOf } from '../../src/calendar/holidays';
import * as rules from '../../src/domain/initiative';
import { DAY_MS } from '../../src/domain/reminders';
import type { MemberState } from '../../src/domain/types';
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
    expect(kz).toEqual({ state: 'KZ', date: '2027-03-22', name: expect.stringMatching(/Nauryz/), kind: 'holiday' });
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
