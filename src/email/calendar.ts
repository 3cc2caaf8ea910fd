/**
 * Honest calendars: which calendar events the people of an initiative hold that no longer match it. The
 * recording activity asks after every change that can end a step, move its deadline or change whom it waits on,
 * and sends a CANCEL (calendar_cancelled) or the moved event (deadline_extended) for each answer. State, not
 * events, decides: the initiative as it stands after the change against what each person last received, so a
 * retry or a later change finds the same answer, and a miss is caught up by the next change.
 */
import { isTerminal, Role, type AuditEvent } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import type { HeldEvent } from '../persistence/outbox';
import type { Recipient } from './policy';

/** Events that never end a step, move a deadline or change whom a step waits on: no calendar to check. */
const CALENDAR_NEUTRAL: ReadonlySet<AuditEvent['type']> = new Set(['started', 'reminder_due', 'escalated']);

/** Whether a change, by its audit events, may leave someone's calendar out of step. */
export function mayChangeCalendars(events: readonly AuditEvent[]): boolean {
  return events.some((e) => !CALENDAR_NEUTRAL.has(e.type));
}

function decidesFor(person: Recipient, state: string | undefined): boolean {
  return (
    state !== undefined &&
    person.state === state &&
    (person.roles.includes(Role.Representative) || person.roles.includes(Role.Deputy))
  );
}

/** A party key of InitiativeView.deadlines[].waitingOn ('secretariat', 'person:<id>', 'state:<code>'). */
function isParty(key: string, person: Recipient): boolean {
  if (key === 'secretariat') return person.roles.includes(Role.Secretariat);
  if (key.startsWith('person:')) return person._id === key.slice('person:'.length);
  if (key.startsWith('state:')) return decidesFor(person, key.slice('state:'.length));
  return false;
}

/**
 * Whether `person` may keep the event of `step`: the step is open and waits on them, or (the draft) they are told
 * of its deadline as the lead state's representative or as the Secretariat (the domain sends them `assigned` and
 * `changes_requested`). A representative whose state has decided, an official or lead state replaced, the owner of
 * a completed milestone: all lose it.
 */
export function mayKeepEvent(view: InitiativeView, step: string, person: Recipient): boolean {
  if (isTerminal(view.stage)) return false;
  const deadline = view.deadlines.find((d) => d.step === step);
  if (!deadline) return false;
  if (deadline.waitingOn.some((key) => isParty(key, person))) return true;
  return step === 'draft' && (person.roles.includes(Role.Secretariat) || decidesFor(person, view.lead?.state));
}

export type CalendarChange =
  { kind: 'cancel'; held: HeldEvent; cause: 'closed' | 'released' } | { kind: 'move'; held: HeldEvent; dueAt: string };

/**
 * What each held event needs now: a cancellation when the person may no longer keep it ('closed' when the step is
 * over, 'released' when it goes on without them), the new due date when it moved and this change does not already
 * send it to them (`receiving`: "step|personId" of this change's deadline emails). People no longer in the
 * directory lose their events.
 */
export function calendarChanges(
  view: InitiativeView,
  held: readonly HeldEvent[],
  people: ReadonlyMap<string, Recipient>,
  receiving: ReadonlySet<string>,
): CalendarChange[] {
  const changes: CalendarChange[] = [];
  for (const h of held) {
    const person = people.get(h.personId);
    const deadline = isTerminal(view.stage) ? undefined : view.deadlines.find((d) => d.step === h.step);
    if (!deadline) changes.push({ kind: 'cancel', held: h, cause: 'closed' });
    else if (!person || !mayKeepEvent(view, h.step, person))
      changes.push({ kind: 'cancel', held: h, cause: 'released' });
    else if (deadline.dueAt !== h.dueAt && !receiving.has(`${h.step}|${h.personId}`))
      changes.push({ kind: 'move', held: h, dueAt: deadline.dueAt });
  }
  return changes;
}
