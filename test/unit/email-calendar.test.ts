/**
 * Honest calendars, by the pure rule (src/email/calendar.ts): a whole lifecycle run through the domain's rules,
 * each deadline email "delivered" to the people its recipient names, and after every change the cancellations and
 * moves the rule asks for applied, as the recording activity does. The calendar files themselves are parsed with
 * ical.js, a parser independent of ours.
 */
import ICAL from 'ical.js';
import * as rules from '../../src/domain/initiative';
import { DAY_MS } from '../../src/domain/reminders';
import type { AuditEvent, Notification } from '../../src/domain/types';
import { viewOf, type InitiativeView } from '../../src/domain/view';
import { calendarChanges, mayChangeCalendars, mayKeepEvent, type CalendarChange } from '../../src/email/calendar';
import { cancelledIcs, deadlineIcs, deadlineUid, icsMethod } from '../../src/email/ics';
import { carriesCalendar, type Recipient } from '../../src/email/policy';
import type { HeldEvent } from '../../src/persistence/outbox';
import {
  assignKyrgyzstan,
  initiativeInput,
  MEMBERS_2026,
  official,
  rep,
  secretariat,
} from '../support/initiative-fixtures';

const T0 = Date.parse('2026-01-10T06:00:00Z');
const later = (days: number) => new Date(T0 + days * DAY_MS).toISOString();

const PEOPLE: Recipient[] = [
  { _id: 'secretariat', roles: ['secretariat'] },
  ...MEMBERS_2026.flatMap((m) => [
    { _id: `rep-${m.code.toLowerCase()}`, roles: ['representative'], state: m.code } as Recipient,
    { _id: `deputy-${m.code.toLowerCase()}`, roles: ['deputy'], state: m.code } as Recipient,
    { _id: `official-${m.code.toLowerCase()}`, roles: ['official'], state: m.code } as Recipient,
  ]),
];
const BY_ID = new Map(PEOPLE.map((p) => [p._id, p]));

function resolve(to: Notification['to']): Recipient[] {
  if ('person' in to) return [BY_ID.get(to.person)!];
  if (to.role === 'secretariat') return PEOPLE.filter((p) => p.roles.includes('secretariat'));
  if (to.role === 'chair') return [BY_ID.get('rep-tm')!];
  const roles = to.role === 'representative' ? ['representative', 'deputy'] : ['official'];
  return PEOPLE.filter((p) => p.state === to.state && p.roles.some((r) => roles.includes(r)));
}

const submitDraft = (state: rules.InitiativeState) =>
  rules.applySubmitDraft(
    state,
    { actor: official('KG'), title: 'Concept note', link: 'https://example.org/dtc', members: MEMBERS_2026 },
    T0 + DAY_MS,
  );

/** What each person's calendar holds, fed as the recording activity feeds it. */
class Calendars {
  held = new Map<string, HeldEvent>();
  log: { view: InitiativeView; changes: CalendarChange[] }[] = [];

  record(state: rules.InitiativeState, changes: { events: AuditEvent[]; notifications: Notification[] }) {
    const view = viewOf(state);
    const receiving = new Set<string>();
    for (const n of changes.notifications.filter(carriesCalendar))
      for (const p of resolve(n.to)) {
        // Every event the domain sends is one its recipient may keep: the rule and the rules agree.
        expect({ step: n.step, person: p._id, keeps: mayKeepEvent(view, n.step, p) }).toEqual({
          step: n.step,
          person: p._id,
          keeps: true,
        });
        receiving.add(`${n.step}|${p._id}`);
        this.held.set(`${n.step}|${p._id}`, { personId: p._id, step: n.step, dueAt: n.dueAt!, sequence: 0 });
      }
    const follow = mayChangeCalendars(changes.events)
      ? calendarChanges(view, [...this.held.values()], BY_ID, receiving)
      : [];
    for (const c of follow) {
      const key = `${c.held.step}|${c.held.personId}`;
      if (c.kind === 'cancel') this.held.delete(key);
      else this.held.set(key, { ...c.held, dueAt: c.dueAt });
    }
    this.log.push({ view, changes: follow });
    return follow;
  }

  of(personId: string): HeldEvent[] {
    return [...this.held.values()].filter((h) => h.personId === personId);
  }
}

describe('calendars through a whole lifecycle', () => {
  const { state, changes } = rules.startInitiative(initiativeInput(T0), T0);
  const cal = new Calendars();
  cal.record(state, changes);

  it('the lead state’s official and representatives hold the draft’s deadline once assigned', () => {
    cal.record(state, assignKyrgyzstan(state, T0));
    expect(cal.of('official-kg').map((h) => h.step)).toEqual(['draft']);
    expect(cal.of('rep-kg').map((h) => h.step)).toEqual(['draft']);
  });

  it('a moved draft deadline reaches the representative too, whom the extension itself does not address', () => {
    const follow = cal.record(
      state,
      rules.applyExtendDeadline(state, { actor: secretariat, step: 'draft', dueAt: later(12), reason: 'holidays' }, T0),
    );
    expect(follow).toEqual(
      expect.arrayContaining([
        { kind: 'move', held: expect.objectContaining({ personId: 'rep-kg', dueAt: later(10) }), dueAt: later(12) },
      ]),
    );
    expect(follow.some((c) => c.held.personId === 'official-kg')).toBe(false); // the extension's own email moves it
    expect(cal.of('rep-kg')).toEqual([expect.objectContaining({ step: 'draft', dueAt: later(12) })]);
  });

  it('a submitted draft closes the draft step for everyone and opens sign-off for every member', () => {
    const follow = cal.record(state, submitDraft(state));
    expect(follow.filter((c) => c.kind === 'cancel').map((c) => [c.held.personId, c.held.step])).toEqual(
      expect.arrayContaining([
        ['official-kg', 'draft'],
        ['rep-kg', 'draft'],
      ]),
    );
    expect(cal.of('rep-kz').map((h) => h.step)).toEqual(['signoff']);
  });

  it('a state that decided loses the sign-off deadline; the others keep it', () => {
    const follow = cal.record(
      state,
      rules.applyDecide(state, { actor: rep('KZ'), state: 'KZ', decision: 'approve', revision: 1 }, T0 + 2 * DAY_MS),
    );
    expect(follow).toEqual(
      expect.arrayContaining([
        { kind: 'cancel', held: expect.objectContaining({ personId: 'rep-kz' }), cause: 'released' },
        { kind: 'cancel', held: expect.objectContaining({ personId: 'deputy-kz' }), cause: 'released' },
      ]),
    );
    expect(follow).toHaveLength(2);
    expect(cal.of('rep-uz').map((h) => h.step)).toEqual(['signoff']);
  });

  it('adoption closes the round; a completed milestone leaves its owner’s calendar; completion leaves nothing', () => {
    for (const m of MEMBERS_2026.filter((x) => x.code !== 'KZ'))
      cal.record(
        state,
        rules.applyDecide(
          state,
          { actor: rep(m.code), state: m.code, decision: 'approve', revision: 1 },
          T0 + 3 * DAY_MS,
        ),
      );
    expect(state.stage).toBe('adopted');
    expect([...cal.held.values()]).toEqual([]);
    cal.record(
      state,
      rules.applyAddMilestone(
        state,
        {
          actor: secretariat,
          id: 'pilot',
          title: 'Pilot',
          ownerId: 'official-uz',
          ownerName: 'Focal point UZ',
          ownerState: 'UZ',
          ownerTimeZone: 'Asia/Tashkent',
          dueAt: later(40),
        },
        T0 + 4 * DAY_MS,
      ),
    );
    expect(cal.of('official-uz').map((h) => h.step)).toEqual(['milestone:pilot']);
    const done = cal.record(
      state,
      rules.applyCompleteMilestone(state, { actor: official('UZ'), milestoneId: 'pilot' }, T0 + 5 * DAY_MS),
    );
    expect(done).toEqual([
      { kind: 'cancel', held: expect.objectContaining({ personId: 'official-uz' }), cause: 'closed' },
    ]);
    cal.record(state, rules.applyComplete(state, { actor: secretariat }, T0 + 6 * DAY_MS));
    expect([...cal.held.values()]).toEqual([]);
  });
});

describe('calendars when a state requests changes', () => {
  it('closes the round for every member; the official and the Secretariat hold the new draft deadline', () => {
    const { state, changes } = rules.startInitiative(initiativeInput(T0), T0);
    const cal = new Calendars();
    cal.record(state, changes);
    cal.record(state, assignKyrgyzstan(state, T0));
    cal.record(state, submitDraft(state));
    const follow = cal.record(
      state,
      rules.applyDecide(
        state,
        { actor: rep('TJ'), state: 'TJ', decision: 'request_changes', revision: 1, reason: 'add cargo data' },
        T0 + 2 * DAY_MS,
      ),
    );
    expect(state.stage).toBe('drafting');
    const cancelled = follow.filter((c) => c.kind === 'cancel');
    expect(cancelled).toHaveLength(MEMBERS_2026.length * 2); // each state's representative and deputy
    expect(cancelled.every((c) => c.held.step === 'signoff' && c.cause === 'closed')).toBe(true);
    // The official and the Secretariat get the change request with the new draft deadline; the representative's
    // draft event ended with the submission, so there is nothing of theirs to move.
    const redraftDue = state.deadlines.draft.dueAt;
    expect(follow.filter((c) => c.kind === 'move')).toEqual([]);
    expect(cal.of('rep-kg')).toEqual([]);
    expect(cal.of('official-kg')).toEqual([expect.objectContaining({ step: 'draft', dueAt: redraftDue })]);
    expect(cal.of('secretariat')).toEqual([expect.objectContaining({ step: 'draft', dueAt: redraftDue })]);
  });
});

describe('who may keep an event', () => {
  it('nobody, once the initiative is withdrawn', () => {
    const { state } = rules.startInitiative(initiativeInput(T0), T0);
    rules.applyWithdraw(state, { actor: secretariat, reason: 'superseded' }, T0);
    const held: HeldEvent = { personId: 'secretariat', step: 'assignment', dueAt: later(14), sequence: 0 };
    expect(calendarChanges(viewOf(state), [held], BY_ID, new Set())).toEqual([
      { kind: 'cancel', held, cause: 'closed' },
    ]);
  });

  it('not the official or lead state replaced by a reassignment; the Secretariat keeps the draft', () => {
    const { state } = rules.startInitiative(initiativeInput(T0), T0);
    const assign = (leadState: string, officialId: string) =>
      rules.applyAssign(
        state,
        {
          actor: secretariat,
          leadState,
          leadTimeZone: 'Asia/Almaty',
          officialId,
          officialName: 'x',
          draftDueAt: later(10),
        },
        T0,
      );
    assign('KG', 'official-kg');
    assign('KZ', 'official-kz');
    const view = viewOf(state);
    expect(mayKeepEvent(view, 'draft', BY_ID.get('official-kg')!)).toBe(false);
    expect(mayKeepEvent(view, 'draft', BY_ID.get('rep-kg')!)).toBe(false);
    expect(mayKeepEvent(view, 'draft', BY_ID.get('official-kz')!)).toBe(true);
    expect(mayKeepEvent(view, 'draft', BY_ID.get('deputy-kz')!)).toBe(true);
    expect(mayKeepEvent(view, 'draft', BY_ID.get('secretariat')!)).toBe(true);
  });

  it('is asked only after events that can change a calendar', () => {
    const at = { seq: 1, at: later(0), revision: 0 };
    expect(
      mayChangeCalendars([
        { ...at, type: 'reminder_due', data: { step: 'draft', to: 'x', dueAt: later(1), offsetMs: 0 } },
      ]),
    ).toBe(false);
    expect(mayChangeCalendars([{ ...at, type: 'milestone_completed', data: { id: 'pilot' } }])).toBe(true);
  });
});

describe('the calendar files, read by ical.js', () => {
  const base = {
    initiativeId: 'digital-transit-corridor',
    step: 'signoff',
    dueAt: '2026-12-22T05:00:00.000Z',
    summary: 'Deadline: national sign-off — Corridor',
    description: 'Decide, please.',
    stamp: new Date('2026-12-01T05:00:00Z'),
    domain: 'summit.example.org',
  };
  const parse = (ics: string) => {
    const cal = new ICAL.Component(ICAL.parse(ics));
    return { cal, event: new ICAL.Event(cal.getFirstSubcomponent('vevent')!) };
  };

  it('a cancellation withdraws the event a deadline email published: same UID, higher SEQUENCE', () => {
    const published = parse(deadlineIcs({ ...base, sequence: 3, url: 'https://summit.example.org/i/x' }));
    const ics = cancelledIcs({
      ...base,
      sequence: 4,
      organizer: 'no-reply@summit.example.org',
      attendee: 'rep-kz@example.org',
    });
    const cancelled = parse(ics);
    expect(cancelled.cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(icsMethod(ics)).toBe('CANCEL');
    expect(cancelled.event.uid).toBe(published.event.uid);
    expect(cancelled.event.uid).toBe(deadlineUid(base.initiativeId, base.step, base.domain));
    expect(cancelled.event.sequence).toBeGreaterThan(published.event.sequence);
    expect(cancelled.event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.event.organizer).toBe('mailto:no-reply@summit.example.org');
    expect(cancelled.event.attendees.map((a) => a.getFirstValue())).toEqual(['mailto:rep-kz@example.org']);
    expect(cancelled.event.endDate.toJSDate().toISOString()).toBe(base.dueAt);
    expect(icsMethod(deadlineIcs({ ...base, sequence: 0, url: '' }))).toBe('PUBLISH');
  });

  it('an address cannot break out of its line', () => {
    const ics = cancelledIcs({
      ...base,
      sequence: 1,
      organizer: 'a@b.org',
      attendee: 'x@y.org\r\nATTENDEE:evil@z.org',
    });
    const { event } = parse(ics);
    expect(event.attendees).toHaveLength(1);
  });
});
