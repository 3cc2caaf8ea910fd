/**
 * The silence procedure end to end in time-skipping time, as README "The silence procedure as written" tells
 * the Secretariat: adopted at expiry with the statements, broken by an objection, broken by an amendment that
 * leads to a new revision and a new period, an unacknowledged state chased 48 hours before expiry and the
 * period extended, and a holiday of one state on the expiry date.
 */
import { calendarOf } from '../../src/calendar/holidays';
import { DAY_MS } from '../../src/domain/reminders';
import { localDateOf, zonedWallTimeToUtc } from '../../src/domain/time';
import type { MemberState } from '../../src/domain/types';
import { isWorkingDay } from '../../src/domain/working-calendar';
import * as msg from '../../workflows/messages';
import { MEMBERS_2026, official, rep, secretariat } from '../support/initiative-fixtures';
import { approve, assignKG, draft, refusalOf, settled, workflowSuite, type Handle } from './scenario';

const suite = workflowSuite();
const { run } = suite;

const SILENCE = { policy: { rule: { rule: 'consensus' as const }, silenceProcedure: true } };
const HOUR_MS = 3_600_000;
const ALL = MEMBERS_2026.map((m) => m.code);

type Rec = Parameters<Parameters<typeof run>[1]>[0]['rec'];
/** The states whose representatives an email of `kind` went to (sorted), and whether the office roles got it. */
function recipientsOf(rec: Rec, kind: string) {
  const sent = rec.notifications().filter((n) => n.kind === kind);
  const states = sent
    .map((n) => n.to)
    .filter((to): to is { role: 'representative'; state: string } => 'role' in to && to.role === 'representative')
    .map((to) => to.state)
    .sort();
  const roles = sent.map((n) => n.to).flatMap((to) => ('role' in to && to.role !== 'representative' ? [to.role] : []));
  return { states, roles, details: sent[0]?.details };
}

/** Kyrgyzstan leads and submits the Charter: the silence period opens on revision 1 for `members`. */
async function openSilence(handle: Handle, start: number, members: MemberState[] = MEMBERS_2026) {
  await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
  await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Charter', members)] });
}

describe('the silence procedure', () => {
  it('adopts at expiry, statements and an abstention not breaking it, with a written notice to every member state', async () => {
    await run(
      () => SILENCE,
      async ({ handle, rec, start }) => {
        await openSilence(handle, start);
        await handle.executeUpdate(msg.actUpdates.decide, {
          args: [{ ...approve('UZ'), statement: 'Transit cargo only.' }],
        });
        await handle.executeUpdate(msg.actUpdates.decide, {
          args: [
            { actor: rep('AZ'), state: 'AZ', decision: 'abstain', revision: 1, statement: 'Pending ratification.' },
          ],
        });
        expect((await handle.query(msg.stateQuery)).stage).toBe('signoff');

        await suite.env.sleep(22 * DAY_MS);
        await settled(() => rec.events().some((e) => e.type === 'adopted'), 'adoption at expiry');
        const view = await handle.query(msg.stateQuery);
        expect(view.round!.decisions.AZ.decision).toBe('abstain');
        expect(view.round!.decisions.KZ).toMatchObject({ decision: 'approve', deemed: true });
        const silence = rec.events().find((e) => e.type === 'silence_procedure')!;
        expect(silence.data).toMatchObject({ deemedApproved: ['KG', 'KZ', 'TJ', 'TM'] });
        // No notice of non-adoption was ever sent; the notice of adoption went to all six and the Secretariat.
        expect(recipientsOf(rec, 'silence_broken').states).toEqual([]);
        const adopted = recipientsOf(rec, 'adopted');
        expect(adopted.states).toEqual(ALL);
        expect(adopted.roles).toEqual(['secretariat']);
        expect(adopted.details).toEqual({
          bySilence: true,
          statements: 'UZ: Transit cargo only.\nAZ: Pending ratification.',
        });
      },
    );
  });

  it('is broken by an objection: every member state is told at once, and the expiry adopts nothing', async () => {
    await run(
      () => SILENCE,
      async ({ handle, rec, start }) => {
        await openSilence(handle, start);
        await handle.executeUpdate(msg.actUpdates.decide, {
          args: [{ actor: rep('TM'), state: 'TM', decision: 'object', revision: 1, reason: 'neutrality' }],
        });
        await settled(() => recipientsOf(rec, 'silence_broken').states.length, 'the notice of non-adoption');
        const broken = recipientsOf(rec, 'silence_broken');
        expect(broken.states).toEqual(ALL);
        expect(broken.details).toMatchObject({ state: 'TM', reason: 'neutrality', decision: 'object' });

        await suite.env.sleep(22 * DAY_MS);
        const view = await handle.query(msg.stateQuery);
        expect(view.stage).toBe('signoff');
        expect(view.round!.blockedBy).toBe('TM');
        expect(rec.events().map((e) => e.type)).not.toContain('silence_procedure');
        expect(rec.events().map((e) => e.type)).not.toContain('adopted');
      },
    );
  });

  it('is broken by an amendment: the lead redrafts, and the new revision runs a silence period of its own', async () => {
    await run(
      () => SILENCE,
      async ({ handle, rec, start }) => {
        await openSilence(handle, start);
        const amendment = 'Article 1. The Secretariat rotates every two years.';
        await handle.executeUpdate(msg.actUpdates.decide, {
          args: [{ actor: rep('TJ'), state: 'TJ', decision: 'amend', revision: 1, reason: 'a term', amendment }],
        });
        expect((await handle.query(msg.stateQuery)).stage).toBe('drafting');
        await settled(() => recipientsOf(rec, 'silence_broken').states.length, 'the notice of non-adoption');
        expect(recipientsOf(rec, 'silence_broken').details).toMatchObject({ state: 'TJ', amendment });
        expect(rec.events().find((e) => e.type === 'returned_to_drafting')!.data).toMatchObject({
          requestedBy: 'TJ',
          amendment,
          nextRevision: 2,
        });

        await suite.env.sleep(3 * DAY_MS);
        await handle.executeUpdate(msg.actUpdates.submitDraft, {
          args: [{ ...draft('Charter, as amended'), actor: official('KG') }],
        });
        await settled(() => rec.events().filter((e) => e.type === 'signoff_opened').length === 2, 'the second period');
        const opened = rec.events().filter((e) => e.type === 'signoff_opened');
        expect(opened.map((e) => e.revision)).toEqual([1, 2]);
        // The new period runs from the new revision: 21 days from its submission, not from the first.
        const second = Date.parse((opened[1].data as { dueAt: string }).dueAt);
        expect(second - Date.parse(opened[1].at)).toBe(21 * DAY_MS);

        await suite.env.sleep(22 * DAY_MS);
        await settled(() => rec.events().some((e) => e.type === 'adopted'), 'adoption of revision 2');
        expect(rec.events().find((e) => e.type === 'adopted')!.data).toMatchObject({ revision: 2 });
      },
    );
  });

  it("puts the amended revision to each state's decision when the Chair chooses: its due date adopts nothing, the approvals do", async () => {
    await run(
      () => SILENCE,
      async ({ handle, rec, start }) => {
        await openSilence(handle, start);
        await handle.executeUpdate(msg.actUpdates.decide, {
          args: [{ ...approve('TJ'), decision: 'amend', reason: 'a term', amendment: 'Every two years.' }],
        });
        const choose = (silenceProcedure: boolean) =>
          handle.executeUpdate(msg.actUpdates.chooseProcedure, {
            args: [{ actor: secretariat, silenceProcedure, reason: 'the amendment rewrote Article 1' }],
          });
        // Choosing what the next revision would run anyway is refused, saying so.
        expect(await refusalOf(choose(true))).toMatchObject({
          code: 'invalid',
          message: 'revision 2 is already to be put to a silence period',
        });
        await choose(false);
        const chosen = await settled(() => rec.events().find((e) => e.type === 'procedure_chosen'), 'the choice');
        expect(chosen.data).toEqual({
          silenceProcedure: false,
          reason: 'the amendment rewrote Article 1',
          revision: 2,
        });
        expect(chosen.actor).toMatchObject({ personId: secretariat.personId });

        await handle.executeUpdate(msg.actUpdates.submitDraft, {
          args: [{ ...draft('Charter, as amended'), actor: official('KG') }],
        });
        const view = await handle.query(msg.stateQuery);
        expect([view.stage, view.revision, view.policy.silenceProcedure]).toEqual(['signoff', 2, false]);
        // The open round keeps its procedure: the choice is for a revision not yet put to the states.
        expect(await refusalOf(choose(true))).toMatchObject({ code: 'wrong_stage' });

        // Its due date passes: the Secretariat and the Chair are told it is late; nothing is deemed approved.
        await suite.env.sleep(22 * DAY_MS);
        await settled(() => rec.events().some((e) => e.type === 'escalated'), 'the escalation at the due date');
        expect((await handle.query(msg.stateQuery)).stage).toBe('signoff');
        expect(rec.events().map((e) => e.type)).not.toContain('silence_procedure');

        for (const state of ALL) await handle.executeUpdate(msg.actUpdates.decide, { args: [approve(state, 2)] });
        await settled(() => rec.events().some((e) => e.type === 'adopted'), 'adoption by every approval');
        expect(rec.events().find((e) => e.type === 'adopted')!.data).toEqual({
          revision: 2,
          policy: 'consensus of all members',
        });
      },
    );
  });

  it('chases the states that have not acknowledged 48 hours before expiry, and the extended period adopts at its new end', async () => {
    await run(
      () => SILENCE,
      async ({ handle, rec, start }) => {
        await openSilence(handle, start);
        const dueAt = (await handle.query(msg.stateQuery)).round!.dueAt;
        for (const state of ['KG', 'UZ'])
          await handle.executeUpdate(msg.actUpdates.acknowledge, { args: [{ actor: rep(state), state }] });
        await handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KZ')] });

        // 48 hours before expiry: the three silent states, the Secretariat and the Chair are told.
        await suite.env.sleep(Date.parse(dueAt) - 47 * HOUR_MS - (await suite.env.currentTimeMs()));
        await settled(() => rec.events().some((e) => e.type === 'acknowledgement_missing'), 'the chase');
        const chase = rec.events().find((e) => e.type === 'acknowledgement_missing')!;
        expect(chase.data).toEqual({ states: ['AZ', 'TJ', 'TM'], expiresAt: dueAt });
        expect(Date.parse(chase.at) - (Date.parse(dueAt) - 48 * HOUR_MS)).toBeGreaterThanOrEqual(0);
        expect(Date.parse(chase.at) - (Date.parse(dueAt) - 48 * HOUR_MS)).toBeLessThan(60_000);
        const told = recipientsOf(rec, 'acknowledgement_missing');
        expect(told.states).toEqual(['AZ', 'TJ', 'TM']);
        expect(told.roles.sort()).toEqual(['chair', 'secretariat']);

        // The Chair (here the Secretariat) gives them three more days: nothing is adopted at the old expiry.
        const newDue = new Date(Date.parse(dueAt) + 3 * DAY_MS).toISOString();
        await handle.executeUpdate(msg.actUpdates.extendDeadline, {
          args: [{ actor: secretariat, step: 'signoff', dueAt: newDue, reason: 'Turkmenistan asked for time' }],
        });
        await handle.executeUpdate(msg.actUpdates.acknowledge, { args: [{ actor: rep('TM'), state: 'TM' }] });
        // Past the old expiry, into the last 48 hours of the new period.
        await suite.env.sleep(3 * DAY_MS);
        expect((await handle.query(msg.stateQuery)).stage).toBe('signoff');
        // Chased again before the new expiry: only the two still silent.
        await settled(
          () => rec.events().filter((e) => e.type === 'acknowledgement_missing').length === 2,
          'the second chase',
        );
        expect(rec.events().filter((e) => e.type === 'acknowledgement_missing')[1].data).toEqual({
          states: ['AZ', 'TJ'],
          expiresAt: newDue,
        });
        await suite.env.sleep(2 * DAY_MS);
        await settled(() => rec.events().some((e) => e.type === 'adopted'), 'adoption at the new expiry');
        const adoptedAt = Date.parse(rec.events().find((e) => e.type === 'adopted')!.at);
        expect(adoptedAt - Date.parse(newDue)).toBeGreaterThanOrEqual(0);
        expect(adoptedAt - Date.parse(newDue)).toBeLessThan(60_000);
      },
    );
  });

  it('flags the expiry on a state’s holiday and reminds that state on its working day before', async () => {
    const submittedAround = await suite.env.currentTimeMs();
    // Tajikistan's holiday on the local date the period would end (either side of the hour the draft goes in).
    const tz = 'Asia/Dushanbe';
    const dates = [
      ...new Set([-HOUR_MS, HOUR_MS].map((d) => localDateOf(new Date(submittedAround + 21 * DAY_MS + d), tz))),
    ];
    const years = [...new Set(dates.map((d) => Number(d.slice(0, 4))))];
    const members: MemberState[] = MEMBERS_2026.map((m) =>
      m.code === 'TJ'
        ? {
            ...m,
            calendar: calendarOf('TJ', tz, years, {
              added: dates.map((date) => ({ date, name: 'Day of the test', source: 'test' })),
            }),
          }
        : { ...m, calendar: calendarOf(m.code, m.timeZone, years) },
    );
    await run(
      () => SILENCE,
      async ({ handle, rec, start }) => {
        await openSilence(handle, start, members);
        const opening = (await handle.query(msg.stateQuery)).round!;
        const holiday = localDateOf(new Date(opening.dueAt), tz);
        expect(opening.daysOff).toContainEqual({
          state: 'TJ',
          date: holiday,
          name: 'Day of the test',
          kind: 'holiday',
        });
        const opened = await settled(() => rec.events().find((e) => e.type === 'signoff_opened'), 'the opening');
        expect(opened.data).toMatchObject({
          daysOff: expect.arrayContaining([expect.objectContaining({ state: 'TJ' })]),
        });
        // The expiry at 17:00 on the holiday there, whatever the hour the draft went in: the day's 09:00 reminder
        // would come before it, were the day not a holiday.
        const dueAt = zonedWallTimeToUtc(holiday, '17:00', tz).toISOString();
        await handle.executeUpdate(msg.actUpdates.extendDeadline, {
          args: [{ actor: secretariat, step: 'signoff', dueAt, reason: 'the close of the day' }],
        });
        const round = (await handle.query(msg.stateQuery)).round!;
        expect(round.daysOff).toContainEqual({ state: 'TJ', date: holiday, name: 'Day of the test', kind: 'holiday' });

        await suite.env.sleep(Date.parse(round.dueAt) - (await suite.env.currentTimeMs()) - HOUR_MS);
        // The "due today" reminder reached Tajikistan at 09:00 on its last working day before the holiday,
        // telling how far off the expiry then was (the email says "in N days", not "today").
        const tjCalendar = members.find((m) => m.code === 'TJ')!.calendar!;
        const dueToday = await settled(
          () =>
            rec
              .events()
              .find(
                (e) =>
                  e.type === 'reminder_due' &&
                  (e.data as { offsetMs: number; to: string }).offsetMs === 0 &&
                  (e.data as { to: string }).to === 'state:TJ',
              ),
          'Tajikistan’s reminder on the last day',
        );
        const sentOn = localDateOf(new Date(dueToday.at), tz);
        expect(sentOn < holiday).toBe(true);
        expect(isWorkingDay(tjCalendar, sentOn)).toBe(true);
        expect(new Date(dueToday.at).toLocaleTimeString('en-GB', { timeZone: tz, hour12: false })).toBe('09:00:00');
        const told = rec
          .notifications()
          .filter(
            (n) => n.kind === 'reminder' && 'role' in n.to && n.to.role === 'representative' && n.to.state === 'TJ',
          )
          .map((n) => n.sequence);
        const lead = Date.parse(round.dueAt) - Date.parse(dueToday.at);
        expect(told.filter((ms) => Math.abs(ms! - lead) < 60_000)).toHaveLength(1);

        // The Chair moves the expiry past the holiday: the extension no longer flags Tajikistan.
        const after = new Date(Date.parse(round.dueAt) + 2 * DAY_MS).toISOString();
        await handle.executeUpdate(msg.actUpdates.extendDeadline, {
          args: [{ actor: secretariat, step: 'signoff', dueAt: after, reason: 'a holiday in Tajikistan' }],
        });
        const extended = await settled(
          () => rec.events().filter((e) => e.type === 'deadline_extended')[1],
          'the extension past the holiday',
        );
        const flagged = ((extended.data as { daysOff?: { state: string; name: string }[] }).daysOff ?? []).filter(
          (o) => o.name === 'Day of the test',
        );
        expect(flagged).toEqual([]);
      },
    );
  });
});
