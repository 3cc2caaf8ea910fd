/** The initiative workflow in time-skipping time: a whole chairmanship year runs in seconds. */
import { verifyChain } from '../../src/domain/audit-chain';
import { DAY_MS } from '../../src/domain/reminders';
import * as msg from '../../workflows/messages';
import { initiativeInput, MEMBERS_2026, official, rep, secretariat } from '../support/initiative-fixtures';
import { initiativeWorkflow } from '../../workflows';
import { actingAsApi, maybeRecordHistory, TEST_SECRET } from './harness';
import { approve, assignKG, draft, refusalOf, settled, settledAsync, workflowSuite } from './scenario';
import { sealedAct, sealedStart } from '../../src/service/initiatives';
import { SEAL_LIFETIME_MS } from '../../src/domain/act-seal';

const suite = workflowSuite();
const { run, closedView } = suite;

describe('the initiative workflow', () => {
  it('walks an initiative from proposal through sign-off by all six states to completion', async () => {
    await run(
      () => ({}),
      async ({ handle, rec, start, workflowId, id }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        const inSignoff = await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Concept note')] });
        expect(inSignoff).toMatchObject({
          stage: 'signoff',
          revision: 1,
          pendingStates: ['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ'],
        });
        for (const m of MEMBERS_2026) await handle.executeUpdate(msg.actUpdates.decide, { args: [approve(m.code)] });
        const adopted = await handle.query(msg.stateQuery);
        expect(adopted.stage).toBe('adopted');
        await handle.executeUpdate(msg.actUpdates.addMilestone, {
          args: [
            {
              actor: secretariat,
              id: 'pilot',
              title: 'Pilot at Torugart',
              ownerId: 'official-kg',
              ownerName: 'Focal point KG',
              ownerState: 'KG',
              ownerTimeZone: 'Asia/Bishkek',
              dueAt: new Date(start + 300 * DAY_MS).toISOString(),
            },
          ],
        });
        await suite.env.sleep(200 * DAY_MS);
        await handle.executeUpdate(msg.actUpdates.completeMilestone, {
          args: [{ actor: official('KG'), milestoneId: 'pilot' }],
        });
        await handle.executeUpdate(msg.actUpdates.complete, { args: [{ actor: secretariat, note: 'pilot running' }] });
        expect((await closedView(handle)).stage).toBe('completed');
        const types = rec.events().map((e) => e.type);
        expect(types.slice(0, 4)).toEqual(['started', 'assigned', 'draft_submitted', 'signoff_opened']);
        expect(types.filter((t) => t === 'decided')).toHaveLength(6);
        expect(types).toEqual(
          expect.arrayContaining(['adopted', 'milestone_added', 'milestone_completed', 'completed']),
        );
        const milestoneReminders = rec
          .notifications()
          .filter((n) => n.kind === 'reminder' && n.step === 'milestone:pilot');
        expect(milestoneReminders).toHaveLength(0); // completed 100 days before its first reminder
        expect(rec.events().map((e) => e.seq)).toEqual(rec.events().map((_, i) => i + 1));
        // The trail the workflow wrote is one hash chain, from the first event to the last.
        expect(verifyChain(id, rec.events())).toMatchObject({
          ok: true,
          head: { seq: types.length },
          unchained: 0,
        });
        await maybeRecordHistory(suite.env, workflowId, 'full-lifecycle');
      },
    );
  });

  it('sends reminders at 09:00 local time and escalates an overdue assignment across the year-end to the Secretariat and the Chair', async () => {
    // Due on 28 December of the clock's year (or the next, when too close): escalations fall on both sides of the year-end.
    const dueAt = (start: number) => {
      const year = new Date(start).getUTCFullYear();
      const candidate = Date.UTC(year, 11, 28, 6);
      return candidate - start > 30 * DAY_MS ? candidate : Date.UTC(year + 1, 11, 28, 6);
    };
    const overrides = (start: number) => ({
      timing: {
        ...initiativeInput(start).timing,
        assignmentDueAt: new Date(dueAt(start)).toISOString(),
        escalationIntervalMs: 7 * DAY_MS,
      },
    });
    await run(overrides, async ({ handle, rec, start, workflowId }) => {
      await suite.env.sleep(dueAt(start) + 15 * DAY_MS - start);
      await settled(
        () => rec.notifications().filter((n) => n.kind === 'escalation').length >= 6,
        'three rounds of escalation',
      );
      const reminders = rec.notifications().filter((n) => n.kind === 'reminder' && n.step === 'assignment');
      expect(reminders).toHaveLength(3);
      for (const r of reminders) {
        // The Secretariat sits in Tashkent (UTC+5): 09:00 local is 04:00 UTC.
        expect(r.sentAt.slice(11, 16)).toBe('04:00');
      }
      const escalations = rec.notifications().filter((n) => n.kind === 'escalation');
      expect(escalations.map((e) => e.to)).toEqual([
        { role: 'secretariat' },
        { role: 'chair' },
        { role: 'secretariat' },
        { role: 'chair' },
        { role: 'secretariat' },
        { role: 'chair' },
      ]);
      const due = Date.parse(reminders[0].dueAt!);
      const minutesAfterDue = escalations.map((e) => Math.round((Date.parse(e.sentAt) - due) / 60_000));
      expect(minutesAfterDue).toEqual([0, 0, 7 * 1440, 7 * 1440, 14 * 1440, 14 * 1440]);
      // The escalation rounds straddle 31 December: the Chair is resolved when each is sent (activities), never fixed in the workflow.
      expect(new Date(escalations[0].sentAt).getUTCFullYear() + 1).toBe(
        new Date(escalations[escalations.length - 1].sentAt).getUTCFullYear(),
      );
      const view = await handle.query(msg.stateQuery);
      expect(view.stage).toBe('proposed');
      expect(view.nextReminder).toBeUndefined();
      await handle.executeUpdate(msg.actUpdates.withdraw, {
        args: [{ actor: secretariat, reason: 'merged into the transport strategy' }],
      });
      expect((await closedView(handle)).stage).toBe('withdrawn');
      await maybeRecordHistory(suite.env, workflowId, 'reminders-escalation-withdrawal');
    });
  });

  it('sends a changed draft back for revision 2, refuses stale and repeated decisions, and is blocked by an objection', async () => {
    await run(
      () => ({}),
      async ({ handle, rec, start, workflowId }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Concept note')] });
        await handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KZ')] });
        expect(await refusalOf(handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KZ')] }))).toMatchObject({
          code: 'already_decided',
        });
        expect(
          await refusalOf(
            handle.executeUpdate(msg.actUpdates.decide, { args: [{ ...approve('UZ'), actor: rep('TJ') }] }),
          ),
        ).toMatchObject({ code: 'not_entitled' });
        const back = await handle.executeUpdate(msg.actUpdates.decide, {
          args: [
            {
              actor: rep('UZ'),
              state: 'UZ',
              decision: 'request_changes',
              revision: 1,
              reason: 'list the customs data fields',
            },
          ],
        });
        expect(back).toMatchObject({ stage: 'drafting', revision: 1 });
        const r2 = await handle.executeUpdate(msg.actUpdates.submitDraft, {
          args: [draft('Concept note, revision 2')],
        });
        expect(r2).toMatchObject({
          stage: 'signoff',
          revision: 2,
          pendingStates: ['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ'],
        });
        expect(
          await refusalOf(handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KZ', 1)] })),
        ).toMatchObject({
          code: 'stale_revision',
        });
        const blocked = await handle.executeUpdate(msg.actUpdates.decide, {
          args: [
            { actor: rep('TM'), state: 'TM', decision: 'object', revision: 2, reason: 'overlaps the 2026 roadmap' },
          ],
        });
        // The round now waits on the Secretariat, with a due date of its own.
        expect(blocked.deadlines.map((d) => [d.step, d.waitingOn])).toEqual([['objection', ['secretariat']]]);
        expect(
          await refusalOf(handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KZ', 2)] })),
        ).toMatchObject({
          code: 'round_blocked',
        });
        await handle.executeUpdate(msg.actUpdates.withdraw, {
          args: [{ actor: secretariat, reason: 'objection upheld' }],
        });
        expect((await closedView(handle)).stage).toBe('withdrawn');
        // Refusals never enter the audit trail: only what happened does.
        expect(rec.events().filter((e) => e.type === 'decided')).toHaveLength(3);
        expect(
          rec
            .notifications()
            .filter((n) => n.kind === 'objected')
            .map((n) => n.to),
        ).toEqual([{ role: 'secretariat' }, { role: 'chair' }]);
        await maybeRecordHistory(suite.env, workflowId, 'changes-objection');
      },
    );
  });

  it('applies the silence procedure at the sign-off deadline', async () => {
    await run(
      () => ({ policy: { rule: { rule: 'consensus' }, silenceProcedure: true } }),
      async ({ handle, rec, start }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Concept note')] });
        await handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KG')] });
        await suite.env.sleep(22 * DAY_MS);
        await settled(() => rec.events().some((e) => e.type === 'adopted'), 'adoption by silence');
        const view = await handle.query(msg.stateQuery);
        expect(view.stage).toBe('adopted');
        expect(view.round!.decisions.UZ).toMatchObject({ decision: 'approve', deemed: true });
        expect(rec.events().find((e) => e.type === 'silence_procedure')!.data.deemedApproved).toEqual([
          'AZ',
          'KZ',
          'TJ',
          'TM',
          'UZ',
        ]);
      },
    );
  });

  it('keeps every decision across continue-as-new', async () => {
    await run(
      () => ({ continueAsNewAfterEvents: 40 }),
      async ({ handle, start, workflowId }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Concept note')] });
        for (const m of MEMBERS_2026.slice(0, 5)) {
          await handle.executeUpdate(msg.actUpdates.decide, { args: [approve(m.code)] });
          await suite.env.sleep(2 * DAY_MS);
        }
        const latest = actingAsApi(
          suite.env,
          suite.env.client.workflow.getHandle<typeof initiativeWorkflow>(workflowId),
          workflowId.replace(/^initiative-/, ''),
        );
        const before = await latest.query(msg.stateQuery);
        expect(Object.keys(before.round!.decisions).sort()).toEqual(['AZ', 'KG', 'KZ', 'TJ', 'TM']);
        await latest.executeUpdate(msg.actUpdates.decide, { args: [approve('UZ')] });
        expect((await latest.query(msg.stateQuery)).stage).toBe('adopted');
        const firstRun = await suite.env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
        expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
        expect(firstRun.runId).not.toBe((await latest.describe()).runId);
      },
    );
  });

  it('refuses every act that did not come sealed by the API: unsealed, tampered, re-addressed, under another secret, or stale', async () => {
    await run(
      () => ({}),
      async ({ handle, raw, rec, start, id }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Concept note')] });
        const now = await suite.env.currentTimeMs();
        const key = (value: string) => ({ from: 'client' as const, value });
        const objectKZ = {
          actor: rep('KZ'),
          state: 'KZ',
          decision: 'object' as const,
          revision: 1,
          reason: 'not ours to decide',
        };

        // Whoever reaches Temporal's frontend with a plain actor claim: the withdrawal of the report.
        const forged = await refusalOf(
          raw.executeUpdate(msg.actUpdates.withdraw, { args: [{ actor: secretariat, reason: 'forged' }] }),
        );
        expect(forged).toMatchObject({ code: 'unsealed' });
        expect(forged.message).toContain('no seal of the API');

        // A sealed act whose actor, state or decision is changed afterwards.
        const sealed = sealedAct(TEST_SECRET, id, 'decide', approve('UZ'), approve('UZ'), key('k-uz'), now);
        const tampered = {
          ...sealed,
          args: [
            { ...sealed.args[0], actor: rep('KZ'), state: 'KZ', decision: 'object' as const, reason: 'x' },
          ] as unknown as typeof sealed.args,
        };
        expect(await refusalOf(raw.executeUpdate(msg.actUpdates.decide, tampered))).toMatchObject({ code: 'unsealed' });
        // The same sealed input under another update id (a replay of what history shows), or sent as another act.
        expect(
          await refusalOf(raw.executeUpdate(msg.actUpdates.decide, { ...sealed, updateId: 'attacker-chosen' })),
        ).toMatchObject({ code: 'unsealed' });
        // Sealed by a deployment with another secret, or sealed long ago.
        expect(
          await refusalOf(
            raw.executeUpdate(
              msg.actUpdates.decide,
              sealedAct('another-secret-of-at-least-32-characters', id, 'decide', objectKZ, objectKZ, key('k1'), now),
            ),
          ),
        ).toMatchObject({ code: 'unsealed' });
        expect(
          await refusalOf(
            raw.executeUpdate(
              msg.actUpdates.decide,
              sealedAct(TEST_SECRET, id, 'decide', objectKZ, objectKZ, key('k2'), now - SEAL_LIFETIME_MS - 60_000),
            ),
          ),
        ).toMatchObject({
          code: 'unsealed',
        });

        // None of it happened; an act sealed by the API goes through. (A fresh one: the time-skipping test server
        // stops skipping time once an update id it rejected is accepted later.)
        const view = await raw.executeUpdate(
          msg.actUpdates.decide,
          sealedAct(
            TEST_SECRET,
            id,
            'decide',
            approve('UZ'),
            approve('UZ'),
            key('k-uz-2'),
            await suite.env.currentTimeMs(),
          ),
        );
        expect(view.stage).toBe('signoff');
        expect(view.round!.decisions).toEqual({ UZ: expect.objectContaining({ decision: 'approve', by: 'rep-uz' }) });
        expect(rec.events().map((e) => e.type)).not.toContain('withdrawn');
      },
    );
  });

  it('gives an Idempotency-Key to its author alone: reused by someone else or for another request it is refused, a retry changes nothing', async () => {
    await run(
      () => ({}),
      async ({ handle, rec, start }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Concept note')] });
        const first = await handle.executeUpdate(msg.actUpdates.decide, {
          args: [approve('UZ')],
          updateId: 'shared-key-1',
        });
        expect(first.round!.decisions.UZ).toMatchObject({ decision: 'approve' });

        // Tajikistan objects with the same key: refused, not swallowed; the round is not blocked by anyone's mistake.
        const objectTJ = {
          actor: rep('TJ'),
          state: 'TJ',
          decision: 'object' as const,
          revision: 1,
          reason: 'customs data sovereignty',
        };
        const reused = await refusalOf(
          handle.executeUpdate(msg.actUpdates.decide, { args: [objectTJ], updateId: 'shared-key-1' }),
        );
        expect(reused).toMatchObject({ code: 'idempotency_key_reused' });
        expect(reused.message).toContain('someone else');
        // Uzbekistan with its own key for another request.
        const changes = {
          actor: rep('UZ'),
          state: 'UZ',
          decision: 'request_changes' as const,
          revision: 1,
          reason: 'typo',
        };
        expect(
          await refusalOf(handle.executeUpdate(msg.actUpdates.decide, { args: [changes], updateId: 'shared-key-1' })),
        ).toMatchObject({ code: 'idempotency_key_reused' });
        // The same request again: the first result, nothing new.
        const again = await handle.executeUpdate(msg.actUpdates.decide, {
          args: [approve('UZ')],
          updateId: 'shared-key-1',
        });
        expect(again.round!.decisions.UZ).toEqual(first.round!.decisions.UZ);
        // With a key of its own, Tajikistan's objection is recorded.
        const blocked = await handle.executeUpdate(msg.actUpdates.decide, { args: [objectTJ], updateId: 'tj-own-key' });
        expect(blocked.round!.blockedBy).toBe('TJ');
        await settled(
          () => rec.events().some((e) => e.type === 'decided' && e.data.state === 'TJ'),
          "Tajikistan's objection recorded",
        );
        expect(
          rec
            .events()
            .filter((e) => e.type === 'decided')
            .map((e) => e.data.state),
        ).toEqual(['UZ', 'TJ']);
      },
    );
  });

  it('remembers keys across continue-as-new: in the next run a reused key is still refused', async () => {
    await run(
      () => ({ continueAsNewAfterEvents: 30 }),
      async ({ handle, rec, start, workflowId, id }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Concept note')] });
        await handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KZ')], updateId: 'kz-before-can' });
        const firstRunId = handle.firstExecutionRunId;
        const latest = actingAsApi(
          suite.env,
          suite.env.client.workflow.getHandle<typeof initiativeWorkflow>(workflowId),
          id,
        );
        // History is past the limit: the next act wakes the run, which continues as new.
        await handle.executeUpdate(msg.actUpdates.decide, { args: [approve('TJ')] });
        await settledAsync(async () => (await latest.describe()).runId !== firstRunId, 'continue-as-new');

        // (A retry with the very same update id in the new run is tested on the dev server, test/integration/security-acts:
        // the time-skipping test server never answers an update id that an earlier run of the chain used.)
        const objectAZ = { actor: rep('AZ'), state: 'AZ', decision: 'object' as const, revision: 1, reason: 'late' };
        expect(
          await refusalOf(latest.executeUpdate(msg.actUpdates.decide, { args: [objectAZ], updateId: 'kz-before-can' })),
        ).toMatchObject({ code: 'idempotency_key_reused' });
        const changesKZ = {
          actor: rep('KZ'),
          state: 'KZ',
          decision: 'request_changes' as const,
          revision: 1,
          reason: 'second thoughts',
        };
        expect(
          await refusalOf(
            latest.executeUpdate(msg.actUpdates.decide, { args: [changesKZ], updateId: 'kz-before-can' }),
          ),
        ).toMatchObject({ code: 'idempotency_key_reused' });
        expect(
          rec
            .events()
            .filter((e) => e.type === 'decided')
            .map((e) => e.data.state),
        ).toEqual(['KZ', 'TJ']);
      },
    );
  });
});
