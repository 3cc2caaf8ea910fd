/** The sign-off rules, refusals and timed duties of an initiative, without any server. */
import * as rules from '../../src/domain/initiative';
import { validateAct } from '../../src/domain/acts';
import { DAY_MS } from '../../src/domain/reminders';
import { viewOf } from '../../src/domain/view';
import {
  deputy,
  initiativeInput,
  MEMBERS_2026,
  MEMBERS_BEFORE_AZ,
  official,
  rep,
  secretariat,
  assignKyrgyzstan,
} from '../support/initiative-fixtures';

const T0 = Date.parse('2026-03-02T06:00:00Z');
const at = (days: number) => T0 + days * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

function inSignoff(overrides: Parameters<typeof initiativeInput>[1] = {}, members = MEMBERS_2026) {
  const { state } = rules.startInitiative(initiativeInput(T0, overrides), T0);
  assignKyrgyzstan(state, T0);
  rules.applySubmitDraft(
    state,
    { actor: official('KG'), title: 'Concept note', link: 'https://example.org/dtc', members },
    at(1),
  );
  return state;
}

function decide(
  state: rules.InitiativeState,
  code: string,
  decision: 'approve' | 'request_changes' | 'object',
  revision = state.revision,
  reason?: string,
  now = at(2),
) {
  const input = { actor: rep(code), state: code, decision, revision, reason };
  validateAct('decide', state, input, now);
  return rules.applyDecide(state, input, now);
}

function refusal(fn: () => void): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof rules.Refusal) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('national sign-off', () => {
  it('adopts by consensus only when every member state has approved', () => {
    const state = inSignoff();
    for (const m of MEMBERS_2026.slice(0, 5)) decide(state, m.code, 'approve');
    expect(state.stage).toBe('signoff');
    expect(viewOf(state).pendingStates).toEqual(['UZ']);
    const last = decide(state, 'UZ', 'approve');
    expect(state.stage).toBe('adopted');
    expect(last.events.map((e) => e.type)).toEqual(['decided', 'adopted']);
    expect(last.events[1]).toMatchObject({ type: 'adopted', data: { policy: 'consensus of all members' } });
  });

  it('adopts with a quorum of four of six member states', () => {
    const state = inSignoff({ policy: { rule: { rule: 'quorum', quorum: 4 }, silenceProcedure: false } });
    for (const code of ['KZ', 'KG', 'TJ']) decide(state, code, 'approve');
    expect(state.stage).toBe('signoff');
    decide(state, 'UZ', 'approve');
    expect(state.stage).toBe('adopted');
  });

  it('a change request sends the draft back for revision n+1 and the approvals of the old revision lapse', () => {
    const state = inSignoff();
    decide(state, 'KZ', 'approve');
    decide(state, 'TJ', 'approve');
    const changes = decide(state, 'UZ', 'request_changes', 1, 'name the customs data fields');
    expect(state.stage).toBe('drafting');
    const back = changes.events.find((e) => e.type === 'returned_to_drafting')!;
    expect(back.data).toMatchObject({
      requestedBy: 'UZ',
      reason: 'name the customs data fields',
      lapsedApprovals: ['KZ', 'TJ'],
      nextRevision: 2,
    });
    expect(changes.notifications.find((n) => n.kind === 'changes_requested')).toMatchObject({
      to: { person: 'official-kg' },
      revision: 2,
    });

    rules.applySubmitDraft(
      state,
      { actor: official('KG'), title: 'Concept note r2', text: 'fields listed', members: MEMBERS_2026 },
      at(3),
    );
    expect(state.revision).toBe(2);
    expect(viewOf(state).pendingStates).toEqual(MEMBERS_2026.map((m) => m.code));
    expect(
      refusal(() =>
        validateAct('decide', state, { actor: rep('KZ'), state: 'KZ', decision: 'approve', revision: 1 }, at(3)),
      ),
    ).toMatchObject({ code: 'stale_revision' });
  });

  it('an objection blocks the round until the Secretariat returns it to drafting', () => {
    const state = inSignoff();
    const changes = decide(state, 'TM', 'object', 1, 'conflicts with the 2026 roadmap');
    expect(state.stage).toBe('signoff');
    expect(changes.notifications.filter((n) => n.kind === 'objected').map((n) => n.to)).toEqual([
      { role: 'secretariat' },
      { role: 'chair' },
    ]);
    expect(
      refusal(() =>
        validateAct('decide', state, { actor: rep('KZ'), state: 'KZ', decision: 'approve', revision: 1 }, at(2)),
      ),
    ).toMatchObject({ code: 'round_blocked' });
    expect(
      refusal(() => validateAct('returnToDrafting', state, { actor: rep('KZ'), reason: 'x' }, at(2))),
    ).toMatchObject({ code: 'not_entitled' });
    rules.applyReturnToDrafting(state, { actor: secretariat, reason: 'align with the roadmap' }, at(3));
    expect(state.stage).toBe('drafting');
  });

  it('refuses a second decision, a state that was not a member when the round opened, and a person deciding for another state', () => {
    const state = inSignoff({}, MEMBERS_BEFORE_AZ);
    decide(state, 'KZ', 'approve');
    expect(refusal(() => decide(state, 'KZ', 'object', 1, 'changed my mind'))).toMatchObject({
      code: 'already_decided',
    });
    expect(refusal(() => decide(state, 'AZ', 'approve'))).toMatchObject({
      code: 'not_a_member',
      message: expect.stringContaining('AZ was not a member state when this sign-off round opened on 2026-03-03'),
    });
    expect(
      refusal(() =>
        validateAct('decide', state, { actor: rep('KZ'), state: 'UZ', decision: 'approve', revision: 1 }, at(2)),
      ),
    ).toMatchObject({ code: 'not_entitled' });
    expect(
      refusal(() =>
        validateAct('decide', state, { actor: official('UZ'), state: 'UZ', decision: 'approve', revision: 1 }, at(2)),
      ),
    ).toMatchObject({ code: 'not_entitled' });
    expect(refusal(() => decide(state, 'UZ', 'object'))).toMatchObject({
      code: 'invalid',
      message: 'reason is required',
    });
  });

  it('records a deputy and the representative they act for', () => {
    const state = inSignoff();
    const input = { actor: deputy('TJ'), state: 'TJ', decision: 'approve' as const, revision: 1 };
    validateAct('decide', state, input, at(2));
    const { events } = rules.applyDecide(state, input, at(2));
    expect(events[0].actor).toMatchObject({ personId: 'deputy-tj', onBehalfOf: 'rep-tj', state: 'TJ' });
    expect(state.round!.decisions.TJ).toMatchObject({ by: 'deputy-tj', onBehalfOf: 'rep-tj' });
  });

  it('tells the representative when their deputy decided in their name (runs with the deputy-notice patch)', () => {
    const input = { actor: deputy('TJ'), state: 'TJ', decision: 'approve' as const, revision: 1 };
    const before = inSignoff();
    const toPrincipal = (n: { to: unknown }) => JSON.stringify(n.to) === JSON.stringify({ person: 'rep-tj' });
    expect(rules.applyDecide(before, input, at(2)).notifications.filter(toPrincipal)).toEqual([]);
    const patched = inSignoff();
    patched.features = { deputyNotice: true };
    const { notifications } = rules.applyDecide(patched, input, at(2));
    expect(notifications.filter(toPrincipal)).toEqual([
      expect.objectContaining({
        kind: 'decision_recorded',
        details: { state: 'TJ', decision: 'approve', by: deputy('TJ').name },
      }),
    ]);
    // A representative deciding themself is not told of it.
    const own = inSignoff();
    own.features = { deputyNotice: true };
    const rep = rules.applyDecide(
      own,
      { ...input, actor: { ...input.actor, personId: 'rep-tj', onBehalfOf: undefined } },
      at(2),
    );
    expect(rep.notifications.filter(toPrincipal)).toEqual([]);
  });

  it('under the silence procedure, states that have not objected by the deadline are deemed to approve', () => {
    const state = inSignoff({ policy: { rule: { rule: 'consensus' }, silenceProcedure: true } });
    decide(state, 'KZ', 'approve');
    const silence = rules.openDuties(state).find((d) => d.kind === 'silence')!;
    expect(silence.at).toBe(state.round!.dueAt);
    const changes = rules.performDuty(state, silence, Date.parse(silence.at));
    expect(state.stage).toBe('adopted');
    expect(changes.events[0]).toMatchObject({
      type: 'silence_procedure',
      data: { deemedApproved: ['AZ', 'KG', 'TJ', 'TM', 'UZ'] },
    });
    expect(state.round!.decisions.UZ).toMatchObject({ decision: 'approve', deemed: true });
  });
});

describe('deadlines, reminders and escalation', () => {
  it('reminds each pending state at 09:00 in its own zone, 7 days, 2 days and on the day', () => {
    const state = inSignoff();
    const dueAt = state.round!.dueAt; // 2026-03-24T06:00Z
    const kg = rules
      .openDuties(state)
      .filter((d) => d.kind === 'reminder' && d.party.key === 'state:KG')
      .map((d) => d.at);
    expect(dueAt).toBe('2026-03-24T06:00:00.000Z');
    // Bishkek is UTC+6: 09:00 local is 03:00 UTC.
    expect(kg).toEqual(['2026-03-17T03:00:00.000Z', '2026-03-22T03:00:00.000Z', '2026-03-24T03:00:00.000Z']);
    const baku = rules
      .openDuties(state)
      .filter((d) => d.kind === 'reminder' && d.party.key === 'state:AZ')
      .map((d) => d.at);
    expect(baku[0]).toBe('2026-03-17T05:00:00.000Z');
  });

  it('stops reminding a state once it has decided, and never repeats a reminder', () => {
    const state = inSignoff();
    const first = rules.openDuties(state).find((d) => d.kind === 'reminder' && d.party.key === 'state:KZ')!;
    rules.performDuty(state, first, Date.parse(first.at));
    expect(rules.openDuties(state).some((d) => d.key === first.key && d.step === first.step)).toBe(false);
    decide(state, 'KZ', 'approve');
    expect(rules.openDuties(state).some((d) => d.kind === 'reminder' && d.party.key === 'state:KZ')).toBe(false);
  });

  it('an extension recalculates the reminders and plans none in the past', () => {
    const state = inSignoff();
    const now = at(19); // two days before the old deadline
    const newDue = iso(at(30));
    validateAct(
      'extendDeadline',
      state,
      { actor: secretariat, step: 'signoff', dueAt: newDue, reason: 'Navruz holidays' },
      now,
    );
    rules.applyExtendDeadline(
      state,
      { actor: secretariat, step: 'signoff', dueAt: newDue, reason: 'Navruz holidays' },
      now,
    );
    const reminders = rules.openDuties(state).filter((d) => d.kind === 'reminder');
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((d) => Date.parse(d.at) >= now)).toBe(true);
    expect(state.round!.dueAt).toBe(newDue);
    expect(
      refusal(() =>
        validateAct(
          'extendDeadline',
          state,
          { actor: secretariat, step: 'signoff', dueAt: iso(at(10)), reason: 'x' },
          now,
        ),
      ),
    ).toMatchObject({ code: 'due_in_past' });
    expect(
      refusal(() =>
        validateAct('extendDeadline', state, { actor: secretariat, step: 'draft', dueAt: newDue, reason: 'x' }, now),
      ),
    ).toMatchObject({ code: 'invalid', message: 'no open step "draft"; open steps: signoff' });
  });

  it('escalates an overdue step to the Secretariat and the Chair, then again at each interval', () => {
    const { state } = rules.startInitiative(initiativeInput(T0), T0);
    const first = rules.openDuties(state).find((d) => d.kind === 'escalation')!;
    expect(first.at).toBe(state.deadlines.assignment.dueAt);
    const changes = rules.performDuty(state, first, Date.parse(first.at));
    expect(changes.notifications.map((n) => n.to)).toEqual([{ role: 'secretariat' }, { role: 'chair' }]);
    const second = rules.openDuties(state).find((d) => d.kind === 'escalation')!;
    expect(Date.parse(second.at) - Date.parse(first.at)).toBe(3 * DAY_MS);
    expect(second.key).toBe('escalation:2');
  });

  it('refuses a draft due date in the past and an assignment by anyone but the Secretariat', () => {
    const { state } = rules.startInitiative(initiativeInput(T0), T0);
    const assign = {
      actor: secretariat,
      leadState: 'KG',
      leadTimeZone: 'Asia/Bishkek',
      officialId: 'official-kg',
      officialName: 'x',
      draftDueAt: iso(at(-1)),
    };
    expect(refusal(() => validateAct('assign', state, assign, T0))).toMatchObject({ code: 'due_in_past' });
    expect(
      refusal(() => validateAct('assign', state, { ...assign, actor: rep('KG'), draftDueAt: iso(at(5)) }, T0)),
    ).toMatchObject({ code: 'not_entitled' });
  });

  it('lets only the lead state submit a draft', () => {
    const { state } = rules.startInitiative(initiativeInput(T0), T0);
    rules.applyAssign(
      state,
      {
        actor: secretariat,
        leadState: 'KG',
        leadTimeZone: 'Asia/Bishkek',
        officialId: 'official-kg',
        officialName: 'x',
        draftDueAt: iso(at(5)),
      },
      T0,
    );
    const draft = { title: 'x', link: 'https://example.org', members: MEMBERS_2026 };
    expect(refusal(() => validateAct('submitDraft', state, { ...draft, actor: official('KZ') }, T0))).toMatchObject({
      code: 'not_entitled',
    });
    expect(() => validateAct('submitDraft', state, { ...draft, actor: rep('KG') }, T0)).not.toThrow();
    expect(
      refusal(() => validateAct('submitDraft', state, { ...draft, link: undefined, actor: official('KG') }, T0)),
    ).toMatchObject({ code: 'invalid' });
  });
});

describe('an objection under the objection-deadline rule', () => {
  it('gives the Secretariat a due date to resolve it, cleared when the draft returns to drafting', () => {
    const state = inSignoff();
    state.features = { objectionDeadline: true };
    decide(state, 'TM', 'object', 1, 'overlaps the roadmap');
    expect(state.deadlines.objection).toMatchObject({
      dueAt: iso(at(2) + 14 * DAY_MS),
      parties: [{ to: { role: 'secretariat' } }],
    });
    expect(rules.openDuties(state).find((d) => d.kind === 'escalation')!.step).toBe('objection');
    rules.applyReturnToDrafting(state, { actor: secretariat, reason: 'rework' }, at(3));
    expect(state.deadlines.objection).toBeUndefined();
    expect(Object.keys(state.deadlines)).toEqual(['draft']);
  });

  it('leaves runs without the rule as they were: no due date on a blocked round', () => {
    const state = inSignoff();
    decide(state, 'TM', 'object', 1, 'overlaps the roadmap');
    expect(state.deadlines).toEqual({});
  });
});

describe('due dates the workflow itself refuses', () => {
  it('refuses a due date from the year 2200 on, whoever sends it', () => {
    const { state } = rules.startInitiative(initiativeInput(T0), T0);
    const assign = {
      actor: secretariat,
      leadState: 'KG',
      leadTimeZone: 'Asia/Bishkek',
      officialId: 'official-kg',
      officialName: 'x',
      draftDueAt: '9999-12-31T23:59:59.000Z',
    };
    expect(refusal(() => validateAct('assign', state, assign, T0))).toMatchObject({
      code: 'invalid',
      message: 'draftDueAt 9999-12-31T23:59:59.000Z is not before 2200-01-01',
    });
    expect(() => validateAct('assign', state, { ...assign, draftDueAt: '2199-12-31T00:00:00.000Z' }, T0)).not.toThrow();
  });
});
