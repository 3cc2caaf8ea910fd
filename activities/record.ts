/** The recording activity: audit trail, read model and outbox, written idempotently. */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sealKeyOf, sealProblem, type Sealed } from '../src/domain/act-seal';
import type { ChainedEvent } from '../src/domain/audit-chain';
import { dayOf, delegationCovers } from '../src/domain/delegation';
import { nextDigestAt } from '../src/domain/digest-time';
import type { InitiativeInput } from '../src/domain/initiative';
import { NotificationKind, type AuditEvent, type Notification, type Recipient } from '../src/domain/types';
import type { InitiativeView } from '../src/domain/view';
import { calendarChanges, mayChangeCalendars } from '../src/email/calendar';
import { cancelledIcs, deadlineIcs } from '../src/email/ics';
import { basisRevision, redlinesSince, type LanguageRedline } from '../src/email/redline';
import { auditSignerOf } from '../src/evidence/signing';
import { decisionActionUrl, nonceFor, unsubscribeUrl } from '../src/email/links';
import {
  carriesCalendar,
  DEADLINE_KINDS,
  Delivery,
  deliveryFor,
  isDecisionRequest,
  unsubscribeTopicFor,
} from '../src/email/policy';
import { calendarEventText, emailFields, initiativeUrl, renderNotification } from '../src/email/render';
import { titleIn } from '../src/i18n/titles';
import { mailAddress, mailDomain, timeZoneOf } from '../src/email/recipient';
import type { StateNames } from '../src/email/templates';
import type { PersonDoc } from '../src/persistence/directory';
import type { HeldEntry } from '../src/persistence/calendar-holders';
import { DELIVERED, OutboxStatus } from '../src/persistence/outbox';
import type { ActivityDeps } from './deps';
import { scheduleDigestFromActivity } from './deliver';

export interface RecordChangesInput {
  initiativeId: string;
  events: AuditEvent[];
  notifications: Notification[];
  view: InitiativeView;
  /** With the first changes of a workflow: its start as the API sealed it, verified before anything is recorded. */
  start?: Sealed<InitiativeInput>;
}

export { FORGED_START_FAILURE_TYPE } from '../workflows/messages';
import { FORGED_START_FAILURE_TYPE } from '../workflows/messages';

/** Decision requests that show what changed since the revision the reader last saw. */
const REDLINED_KINDS: ReadonlySet<string> = new Set([
  NotificationKind.SignoffRequested,
  NotificationKind.EditorialRevision,
]);

/** One document per (initiative, step, recipient, kind, due date, revision, sequence). */
export function outboxKey(initiativeId: string, n: Notification, personId: string): string {
  return [initiativeId, n.step, personId, n.kind, n.dueAt ?? '-', `r${n.revision}`, n.sequence ?? '-'].join('|');
}

/** The state codes an initiative's emails may name. */
function stateCodes(view: InitiativeView, notifications: Notification[], people: PersonDoc[]): Set<string> {
  const codes = new Set<string>([view.proposingState, ...(view.round?.members ?? []), ...view.pendingStates]);
  if (view.lead?.state) codes.add(view.lead.state);
  for (const n of notifications) {
    if (typeof n.details?.state === 'string' && n.details.state) codes.add(n.details.state);
    if (typeof n.details?.pending === 'string') for (const c of n.details.pending.split(/,\s*/)) if (c) codes.add(c);
  }
  for (const p of people) if (p.state) codes.add(p.state);
  return codes;
}

/** The calendar emails a change adds to its own, each for one person. */
type FollowUps = Record<'cancel' | 'move', { n: Notification; person: PersonDoc }[]>;

/**
 * A message for the Chair that found nobody (the rotation calendar has no chairing state for the year) is not
 * dropped in silence: the Secretariat's copy of it says so (details.noChairFor), so someone enters the Chair.
 */
function withNoChairNotice(notifications: Notification[], recipients: PersonDoc[][], year: string): Notification[] {
  const unheard = notifications.filter((n, i) => 'role' in n.to && n.to.role === 'chair' && recipients[i].length === 0);
  if (unheard.length === 0) return notifications;
  const sameMessage = (a: Notification, b: Notification) =>
    a.kind === b.kind && a.step === b.step && a.revision === b.revision && a.sequence === b.sequence;
  return notifications.map((n) =>
    'role' in n.to && n.to.role === 'secretariat' && unheard.some((c) => sameMessage(c, n))
      ? { ...n, details: { ...n.details, noChairFor: year } }
      : n,
  );
}

/**
 * Which change a recording is, for the calendar record (src/persistence/calendar-holders.ts): the seq of its first
 * event, the same on every attempt. Not the view's version: changes recorded in one pass share the latest view.
 */
const changeOf = (input: { events: AuditEvent[] }): number | undefined => input.events[0]?.seq;

export function createRecordActivities(deps: ActivityDeps) {
  const fallbackZone = deps.config.SECRETARIAT_TIME_ZONE;
  /** Today where `zone` is; tests may fix the day. The chairmanship changes at midnight at the Secretariat's seat. */
  const today = (zone = fallbackZone) => (deps.today ? deps.today() : dayOf(new Date(), zone));
  const scheduleDigest = deps.email?.scheduleDigest ?? scheduleDigestFromActivity;
  const domain = mailDomain(deps.config.MAIL_FROM);
  const sealKey = sealKeyOf(deps.secret);
  const signer = auditSignerOf(deps.secret);
  const { initiatives, outbox } = deps.repositories;

  async function resolve(to: Recipient): Promise<PersonDoc[]> {
    if ('person' in to) {
      const p = await deps.directory.person(to.person);
      return p ? [p] : [];
    }
    switch (to.role) {
      case 'secretariat':
        return deps.directory.withRole('secretariat');
      case 'chair': {
        const chair = await deps.directory.chairOn(today());
        return chair ? deps.directory.withRole('representative', chair.chairState) : [];
      }
      case 'representative': {
        const reps = await deps.directory.withRole('representative', to.state);
        // A deputy is asked only within the delegation's dates: outside them the API refuses their decision.
        const deputies: PersonDoc[] = [];
        for (const d of await deps.directory.withRole('deputy', to.state)) {
          if (delegationCovers(d, today(await timeZoneOf(deps.directory, d, fallbackZone)))) deputies.push(d);
        }
        return [...reps, ...deputies];
      }
      case 'official':
        return deps.directory.withRole('official', to.state);
    }
  }

  async function stateNames(codes: Iterable<string>): Promise<StateNames> {
    const names: StateNames = {};
    for (const code of codes) {
      const s = await deps.directory.state(code);
      if (s) names[code] = s.name;
    }
    return names;
  }

  /**
   * The emails that keep calendars honest after this change (src/email/calendar.ts): a CANCEL of each held event
   * that no longer concerns its holder, and the moved event to each holder this change's own emails miss. Only
   * after events that can change a calendar: reminders and escalations do not read the outbox.
   */
  async function calendarFollowUps(input: RecordChangesInput, domainRecipients: PersonDoc[][]): Promise<FollowUps> {
    const out: FollowUps = { cancel: [], move: [] };
    if (!mayChangeCalendars(input.events)) return out;
    const held = await outbox.heldCalendarEvents(input.initiativeId, changeOf(input));
    if (held.length === 0) return out;
    const people = new Map<string, PersonDoc>();
    for (const id of new Set(held.map((h) => h.personId))) {
      const p = await deps.directory.person(id);
      if (p) people.set(id, p);
    }
    const receiving = new Set<string>();
    for (const [index, n] of input.notifications.entries())
      if (n.dueAt && DEADLINE_KINDS.has(n.kind))
        for (const p of domainRecipients[index]) receiving.add(`${n.step}|${p._id}`);
    const { view } = input;
    for (const change of calendarChanges(view, held, people, receiving)) {
      const person = people.get(change.held.personId);
      if (!person) continue; // gone from the directory: no address to write to
      const base = { to: { person: person._id }, step: change.held.step, revision: view.revision };
      if (change.kind === 'cancel') {
        out.cancel.push({
          person,
          n: {
            ...base,
            kind: NotificationKind.CalendarCancelled,
            dueAt: change.held.dueAt,
            // One cancellation per change: the view's version tells this change's from a later one's.
            sequence: view.version,
            details: { cause: change.cause },
          },
        });
      } else {
        const why = input.notifications.find((n) => n.step === change.held.step && n.details?.reason)?.details?.reason;
        out.move.push({
          person,
          n: {
            ...base,
            kind: NotificationKind.DeadlineExtended,
            dueAt: change.dueAt,
            details: { from: change.held.dueAt, ...(why !== undefined ? { reason: why } : {}) },
          },
        });
      }
    }
    return out;
  }

  return {
    /**
     * Appends the audit events, stores the view, and queues each notification once per recipient:
     * rendered in the recipient's language and zone, deferred to the daily digest or suppressed by
     * their preferences. Returns the outbox ids to send now.
     */
    async recordChanges(input: RecordChangesInput): Promise<string[]> {
      if (input.start) {
        // Anyone who reaches Temporal can start a workflow; only a start the API sealed is recorded.
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        const problem = sealProblem(sealKey, { workflowId }, input.start);
        if (problem)
          throw ApplicationFailure.nonRetryable(
            `the start of ${workflowId} was not sealed by this deployment's API (${problem}): nothing recorded`,
            FORGED_START_FAILURE_TYPE,
          );
        // A sealed start read from an earlier run's history and started again (a workflow id the API never
        // reuses): another run holds the initiative's start, or (an initiative recorded before runs were kept)
        // the initiative on record began at another instant than this run.
        const runId = Context.current().info.workflowExecution?.runId ?? '';
        const [recorded, claim] = await Promise.all([
          initiatives.recordedStart(input.initiativeId),
          initiatives.claimStartRun(input.initiativeId, runId),
        ]);
        const beforeRunsKept = recorded && claim.claimedNow && recorded.startedAt !== input.view.startedAt;
        if (claim.runId !== runId || beforeRunsKept)
          throw ApplicationFailure.nonRetryable(
            `${workflowId} was started again with the start of its run of ${recorded?.startedAt}: nothing recorded`,
            FORGED_START_FAILURE_TYPE,
          );
      }
      // A new initiative's calendar events are recorded from its first email on: its outbox is never scanned.
      if (input.events.some((e) => e.seq === 1)) await outbox.openCalendars(input.initiativeId);
      await initiatives.appendEvents(input.initiativeId, input.events);
      const head = input.events.at(-1) as Partial<ChainedEvent> | undefined;
      if (head?.hash)
        await initiatives.recordCheckpoint(
          signer.sign({
            initiativeId: input.initiativeId,
            seq: head.seq!,
            hash: head.hash,
            signedAt: new Date().toISOString(),
          }),
        );
      await initiatives.saveView(input.view);
      Context.current().heartbeat();
      const ids: string[] = [];
      // One SEQUENCE per version of a step's event in a call: every recipient of it shares it.
      const sequences = new Map<string, Promise<number>>();
      const domainRecipients = await Promise.all(input.notifications.map((n) => resolve(n.to)));
      const calendars = await calendarFollowUps(input, domainRecipients);
      Context.current().heartbeat();
      // Cancellations first: an event published in the same change then takes a SEQUENCE above theirs.
      const notifications = [
        ...calendars.cancel.map((c) => c.n),
        ...withNoChairNotice(input.notifications, domainRecipients, today().slice(0, 4)),
        ...calendars.move.map((c) => c.n),
      ];
      const recipients = [
        ...calendars.cancel.map((c) => [c.person]),
        ...domainRecipients,
        ...calendars.move.map((c) => [c.person]),
      ];
      const names = await stateNames(stateCodes(input.view, notifications, recipients.flat()));
      const queuedEvents: HeldEntry[] = [];
      const link = initiativeUrl(deps.config.PUBLIC_URL, input.initiativeId);
      /** What changed since the revision a state last saw, for the decision requests of a revision after the first. */
      // One read and one diff per basis revision, however many recipients share it.
      const redlines = new Map<number, Promise<LanguageRedline[]>>();
      const redlinesFor = async (n: Notification, state: string) => {
        const texts = input.view.draft?.texts;
        if (!REDLINED_KINDS.has(n.kind) || !texts || n.revision !== input.view.revision) return undefined;
        const from = basisRevision(input.view, state);
        const seq = input.view.revisions?.find((r) => r.revision === from)?.seq;
        if (from === undefined || seq === undefined) return undefined;
        if (!redlines.has(from))
          redlines.set(
            from,
            initiatives.revisionTexts(input.initiativeId, seq).then((before) => redlinesSince(before, texts, from)),
          );
        return redlines.get(from);
      };
      for (const [index, n] of notifications.entries()) {
        const seen = new Set<string>();
        for (const person of recipients[index]) {
          if (seen.has(person._id)) continue;
          seen.add(person._id);
          // Each email is a beat: a dead worker is noticed within the heartbeat timeout, a slow database is waited for.
          Context.current().heartbeat();
          const _id = outboxKey(input.initiativeId, n, person._id);
          const timeZone = await timeZoneOf(deps.directory, person, deps.config.SECRETARIAT_TIME_ZONE);
          const now = new Date();
          const delivery = deliveryFor(n, person, {
            now: now.getTime(),
            nextDigestAt: nextDigestAt(now.getTime(), timeZone).at,
          });
          const actionUrl =
            person.state && isDecisionRequest(n, person)
              ? decisionActionUrl({
                  publicUrl: deps.config.PUBLIC_URL,
                  secret: deps.secret,
                  personId: person._id,
                  state: person.state,
                  initiativeId: input.initiativeId,
                  revision: n.revision,
                  nonce: nonceFor(deps.secret, _id),
                  dueAt: n.dueAt,
                  now,
                })
              : undefined;
          const topic = unsubscribeTopicFor(n, person);
          const unsubscribe = topic
            ? unsubscribeUrl(deps.config.PUBLIC_URL, deps.secret, { personId: person._id, topic })
            : undefined;
          const ctx = {
            initiative: input.view,
            recipient: { name: person.name, locale: person.locale, timeZone, state: person.state },
            stateNames: names,
            publicUrl: deps.config.PUBLIC_URL,
            actionUrl,
            unsubscribeUrl: unsubscribe,
            redlines: actionUrl && person.state ? await redlinesFor(n, person.state) : undefined,
          };
          const rendered = renderNotification(n, ctx);
          let calendar: { ics: string; icsSequence: number } | undefined;
          if (n.dueAt && carriesCalendar(n)) {
            const cancelled = n.kind === NotificationKind.CalendarCancelled;
            const seqKey = `${n.step}|${n.dueAt}|${cancelled}`;
            if (!sequences.has(seqKey))
              sequences.set(
                seqKey,
                outbox.calendarSequence(input.initiativeId, n.step, {
                  dueAt: n.dueAt,
                  cancelled,
                  change: input.view.version,
                }),
              );
            const sequence = await sequences.get(seqKey)!;
            const event = {
              initiativeId: input.initiativeId,
              step: n.step,
              dueAt: n.dueAt,
              sequence,
              ...calendarEventText(n, ctx),
              stamp: now,
              domain,
            };
            calendar = {
              icsSequence: sequence,
              ics: cancelled
                ? cancelledIcs({ ...event, organizer: mailAddress(deps.config.MAIL_FROM), attendee: person.email })
                : deadlineIcs({ ...event, url: link }),
            };
          }
          const status =
            delivery === Delivery.Defer
              ? OutboxStatus.Deferred
              : delivery === Delivery.Suppress
                ? OutboxStatus.Suppressed
                : OutboxStatus.Pending;
          // An earlier attempt of this activity may have queued it: its rendering and status stand.
          const stored = await outbox.queue({
            _id,
            initiativeId: input.initiativeId,
            kind: n.kind,
            personId: person._id,
            to: person.email,
            ...emailFields(rendered),
            link,
            // The digest shows it in the reader's language (English for a bilingual reader).
            initiativeTitle: titleIn(input.view, person.locale === 'ru' ? 'ru' : 'en'),
            step: n.step,
            revision: n.revision,
            ...(n.dueAt ? { dueAt: n.dueAt } : {}),
            ...(calendar ?? {}),
            ...(unsubscribe ? { listUnsubscribe: unsubscribe } : {}),
            messageId: `<${createHash('sha256').update(_id).digest('hex').slice(0, 32)}@${domain}>`,
            status,
            createdAt: now,
          });
          if (stored === OutboxStatus.Pending || stored === OutboxStatus.Sending) ids.push(_id);
          if (calendar && n.dueAt && DELIVERED.includes(stored))
            queuedEvents.push({
              step: n.step,
              personId: person._id,
              dueAt: n.dueAt,
              sequence: calendar.icsSequence,
              cancelled: n.kind === NotificationKind.CalendarCancelled,
            });
          // Again on a retry: the attempt that queued it may have died before the digest knew.
          if (stored === OutboxStatus.Deferred) await scheduleDigest(person._id, timeZone);
        }
      }
      await outbox.noteCalendarEvents(input.initiativeId, changeOf(input), queuedEvents);
      return ids;
    },
  };
}
