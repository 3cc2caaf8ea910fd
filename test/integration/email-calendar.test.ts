/**
 * Honest calendars on the real stack: a whole lifecycle through the API, and what a representative and the lead
 * official hold in their calendars from the .ics files they received (parsed with ical.js and applied as a
 * calendar applies them: by UID, the highest SEQUENCE winning, a CANCEL removing) and from their calendar feed.
 * Then, with the activities on a sink of the test's own: a digest person's reminder whose deadline is seconds away
 * arrives on its own, before it; and one step's event through its versions (published, cancelled, reopened).
 */
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { asPerson, client, settled, startedInitiative } from '../support/api-client';
import { addPerson, ownSinkAndHarness, record, uniqueInitiative } from '../support/email-harness';
import { emailsTo, listEmails, rawEmail } from '../support/mail';
import { eventually } from '../support/stack';
import { sampleView, SAMPLE_NOTIFICATIONS } from '../../src/email/samples';

jest.setTimeout(600_000);

interface Held {
  sequence: number;
  cancelled: boolean;
  dueAt: string;
}

/** A calendar that applies iTIP messages as clients do: per UID, a message with a lower SEQUENCE than the held one is ignored. */
function apply(calendar: Map<string, Held>, ics: string): void {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const method = cal.getFirstPropertyValue('method');
  for (const vevent of cal.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    const held = calendar.get(event.uid);
    if (held && event.sequence < held.sequence) continue;
    calendar.set(event.uid, {
      sequence: event.sequence,
      cancelled: method === 'CANCEL' || vevent.getFirstPropertyValue('status') === 'CANCELLED',
      dueAt: event.endDate.toJSDate().toISOString(),
    });
  }
}

function icsOf(mail: ParsedMail): string | undefined {
  return mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content.toString('utf8');
}

/** The events of one initiative a person's calendar holds from the emails they received about it: UID → held. */
async function calendarFromMail(address: string, id: string): Promise<Map<string, Held>> {
  const mine = emailsTo(await listEmails(), address).filter((m) => m.subject.includes(id));
  const calendar = new Map<string, Held>();
  for (const m of mine) {
    const ics = icsOf(await rawEmail(m.id));
    if (ics) apply(calendar, ics);
  }
  return new Map([...calendar].filter(([, h]) => !h.cancelled));
}

/** The events of one initiative in a calendar feed: UID → DTEND. */
async function feedEvents(feedPath: string, id: string): Promise<Map<string, string>> {
  const res = await client('feed').get(feedPath);
  expect(res.status).toBe(200);
  const cal = new ICAL.Component(ICAL.parse(res.text));
  const events = new Map<string, string>();
  for (const vevent of cal.getAllSubcomponents('vevent')) {
    const e = new ICAL.Event(vevent);
    // A feed drops what is over rather than marking it: a subscription is replaced whole on each refresh.
    expect(vevent.getFirstPropertyValue('status')).not.toBe('CANCELLED');
    if (e.uid.startsWith(`${id}.`)) events.set(e.uid, e.endDate.toJSDate().toISOString());
  }
  return events;
}

const uid = (id: string, step: string) => `${id}.${step.replace(/[^A-Za-z0-9._-]/g, '-')}@summit-followup.example.org`;
/** A due date in whole minutes: an .ics carries no milliseconds. */
const inDays = (d: number) => new Date(Math.ceil((Date.now() + d * 86_400_000) / 60_000) * 60_000).toISOString();

describe('a representative’s calendar through a whole lifecycle', () => {
  const secretariat = asPerson('secretariat');
  const repKz = asPerson('rep-kz');
  const officialKz = asPerson('official-kz');
  const REP = 'rep-kz@example.org';
  const OFFICIAL = 'official-kz@example.org';

  it('holds each step while it waits on them, moves with its deadline, and nothing that is over', async () => {
    // Two approvals adopt it: after Kazakhstan's, the round goes on without it.
    const id = await startedInitiative('calendar', { to: 'assigned', policy: { rule: 'quorum', quorum: 2 } });
    const feed = await repKz.post('/api/calendar-feed');
    const feedPath = new URL(feed.body.url as string).pathname;

    // The lead state's representative holds the draft's deadline, and gets its move though the extension is
    // addressed to the official alone.
    const moved = inDays(12);
    expect(
      (await secretariat.post(`/api/initiatives/${id}/deadlines`, { step: 'draft', dueAt: moved, reason: 'holidays' }))
        .status,
    ).toBe(200);
    await settled('the moved draft deadline in the representative’s calendar', async () => {
      const cal = await calendarFromMail(REP, id);
      return cal.get(uid(id, 'draft'))?.dueAt === moved && cal;
    });

    // The draft submitted: its event leaves both calendars; sign-off arrives, and is in the feed too.
    expect(
      (await officialKz.post(`/api/initiatives/${id}/drafts`, { title: 'Draft one', link: 'https://example.org/d1' }))
        .status,
    ).toBe(200);
    const inSignoff = await settled('sign-off, and no draft, in the representative’s calendar', async () => {
      const cal = await calendarFromMail(REP, id);
      return cal.has(uid(id, 'signoff')) && !cal.has(uid(id, 'draft')) && cal;
    });
    expect([...inSignoff.keys()]).toEqual([uid(id, 'signoff')]);
    await settled('no draft in the official’s calendar', async () => (await calendarFromMail(OFFICIAL, id)).size === 0);
    expect([...(await feedEvents(feedPath, id)).keys()]).toEqual([uid(id, 'signoff')]);

    // Kazakhstan decides: the round goes on without it, so its deadline leaves the representative's calendar.
    expect(
      (await repKz.post(`/api/initiatives/${id}/decisions`, { state: 'KZ', decision: 'approve', revision: 1 })).status,
    ).toBe(200);
    // It held the sign-off a moment ago, so an empty calendar now is the cancellation's doing.
    await settled(
      'the sign-off cancelled for the representative',
      async () => (await calendarFromMail(REP, id)).size === 0,
    );
    expect((await feedEvents(feedPath, id)).size).toBe(0);

    // Adoption, a milestone of the official's, its completion and the initiative's.
    expect(
      (
        await asPerson('rep-uz').post(`/api/initiatives/${id}/decisions`, {
          state: 'UZ',
          decision: 'approve',
          revision: 1,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await secretariat.post(`/api/initiatives/${id}/milestones`, {
          id: 'pilot',
          title: 'Pilot',
          ownerId: 'official-kz',
          dueAt: inDays(40),
        })
      ).status,
    ).toBe(200);
    await settled('the milestone in the official’s calendar', async () =>
      (await calendarFromMail(OFFICIAL, id)).has(uid(id, 'milestone:pilot')),
    );
    expect((await officialKz.post(`/api/initiatives/${id}/milestones/pilot/completion`, {})).status).toBe(200);
    expect((await secretariat.post(`/api/initiatives/${id}/completion`, {})).status).toBe(200);

    // The completion email is queued after the cancellations of the same change: once it is in, they are.
    await settled('the completion email to the representative', async () =>
      emailsTo(await listEmails(), REP).some(
        (m) => m.subject.startsWith('Инициатива выполнена') && m.subject.includes(id),
      ),
    );
    await settled(
      'the milestone cancelled for the official',
      async () => (await calendarFromMail(OFFICIAL, id)).size === 0,
    );
    expect((await calendarFromMail(REP, id)).size).toBe(0);
    expect((await feedEvents(feedPath, id)).size).toBe(0);
  });
});

describe('the email activities on a sink of the test’s own', () => {
  const env = ownSinkAndHarness();

  it('a digest person’s reminder due in seconds arrives on its own, before the deadline, with its .ics', async () => {
    const person = await addPerson(env.h, {
      roles: ['official'],
      state: 'KG',
      locale: 'ru',
      timeZone: 'Asia/Bishkek',
      notifications: { digest: true, optOut: [] },
    });
    const dueAt = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000).toISOString();
    const view = sampleView({ id: uniqueInitiative() });
    const ids = await record(
      env.h,
      [{ ...SAMPLE_NOTIFICATIONS.reminder, to: { person: person._id }, dueAt, sequence: 0 }],
      view,
    );
    expect(ids).toHaveLength(1); // sent now: nothing deferred, no digest woken
    expect(env.h.digestWakeups.filter((w) => w.personId === person._id)).toEqual([]);
    await env.h.direct.deliverNotifications(ids);
    const [listed] = await eventually('the reminder in the sink', async () => {
      const mine = (await env.sink.list()).filter((m) => m.to.some((t) => t.address === person.email));
      return mine.length ? mine : undefined;
    });
    const mail = await env.sink.raw(listed.id);
    expect(Date.now()).toBeLessThan(Date.parse(dueAt));
    expect(mail.subject).toMatch(/^Напоминание: .* срок сегодня/);
    const ics = icsOf(mail)!;
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
    expect(event.endDate.toJSDate().toISOString()).toBe(dueAt);
  });

  it('a cancellation outranks what it cancels, a reopened step outranks the cancellation, and a retry adds nothing', async () => {
    const rep = await addPerson(env.h, { roles: ['representative'], state: 'KZ', locale: 'en' });
    const id = uniqueInitiative();
    const to = { person: rep._id };
    const due1 = '2027-01-20T05:00:00.000Z';
    const due2 = '2027-02-20T05:00:00.000Z';
    const at = { seq: 1, at: new Date().toISOString(), revision: 2 };
    const open = (version: number, dueAt: string) =>
      sampleView({ id, version, deadlines: [{ step: 'signoff', dueAt, waitingOn: ['state:KZ', 'state:UZ'] }] });
    const send = async (input: Parameters<typeof env.h.direct.recordChanges>[0]) =>
      env.h.direct.deliverNotifications(await env.h.direct.recordChanges(input));

    await send({
      initiativeId: id,
      events: [{ ...at, type: 'signoff_opened', data: { members: ['KZ', 'UZ'], dueAt: due1, policy: 'consensus' } }],
      notifications: [{ kind: 'signoff_requested', to, step: 'signoff', revision: 2, dueAt: due1 }],
      view: open(1, due1),
    });
    // Kazakhstan decided: the round goes on for Uzbekistan alone.
    const decided = {
      initiativeId: id,
      events: [{ ...at, seq: 2, type: 'decided' as const, data: { state: 'KZ', decision: 'approve' as const } }],
      notifications: [],
      view: sampleView({
        id,
        version: 2,
        deadlines: [{ step: 'signoff', dueAt: due1, waitingOn: ['state:UZ'] }],
      }),
    };
    const first = await env.h.direct.recordChanges(decided);
    // A retry of the same recording (its first attempt may have died after queueing) queues the same emails.
    expect(await env.h.direct.recordChanges(decided)).toEqual(first);
    await env.h.direct.deliverNotifications(first);
    // A new round (after a return to drafting) asks Kazakhstan again, with a new due date.
    await send({
      initiativeId: id,
      events: [
        { ...at, seq: 3, type: 'signoff_opened', data: { members: ['KZ', 'UZ'], dueAt: due2, policy: 'consensus' } },
      ],
      notifications: [{ kind: 'signoff_requested', to, step: 'signoff', revision: 3, dueAt: due2 }],
      view: open(3, due2),
    });

    const docs = await env.h.outbox.find({ initiativeId: id, personId: rep._id }).sort({ icsSequence: 1 }).lean();
    expect(docs.map((d) => [d.kind, d.icsSequence, d.status])).toEqual([
      ['signoff_requested', 0, 'sent'],
      ['calendar_cancelled', 1, 'sent'],
      ['signoff_requested', 2, 'sent'],
    ]);
    const mails = await eventually('three emails to the representative', async () => {
      const mine = (await env.sink.list()).filter((m) => m.to.some((t) => t.address === rep.email));
      return mine.length >= 3 ? mine : undefined;
    });
    const calendar = new Map<string, Held>();
    for (const m of mails) apply(calendar, icsOf(await env.sink.raw(m.id))!);
    expect([...calendar.values()]).toEqual([{ sequence: 2, cancelled: false, dueAt: due2 }]);
    const cancel = await env.sink.raw(mails.find((m) => m.subject.startsWith('Removed from your calendar'))!.id);
    expect(cancel.text).toContain('no longer needs anything from you');
    const type = cancel.attachments[0].headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(type).toMatchObject({ value: 'text/calendar', params: { method: 'CANCEL' } });
  });
});
