/**
 * The silence procedure as written: broken only by an objection or an amendment (each with its reason); a state
 * may abstain or attach a statement without breaking it; at expiry a written notice of adoption goes to every
 * member state with the statements, and a broken silence is a notice of non-adoption to every member state.
 */
import * as rules from '../../src/domain/initiative';
import { evaluateRound } from '../../src/domain/signoff';
import type { Notification } from '../../src/domain/types';
import {
  assignKyrgyzstan,
  initiativeInput,
  MEMBERS_2026,
  official,
  rep,
  secretariat,
} from '../support/initiative-fixtures';

const T0 = Date.parse('2026-01-10T06:00:00Z');
const SILENCE = { rule: { rule: 'consensus' as const }, silenceProcedure: true };

function underSilence(policy = SILENCE) {
  const { state } = rules.startInitiative(initiativeInput(T0, { policy }), T0);
  assignKyrgyzstan(state, T0);
  rules.applySubmitDraft(
    state,
    { actor: official('KG'), title: 'Charter', text: 'Article 1.', members: MEMBERS_2026 },
    T0,
  );
  return state;
}

function decide(state: rules.InitiativeState, code: string, d: Partial<rules.DecideInput>) {
  const input = { actor: rep(code), state: code, decision: 'approve' as const, revision: state.revision, ...d };
  rules.validateDecide(state, input as rules.DecideInput, T0 + 1000);
  return rules.applyDecide(state, input as rules.DecideInput, T0 + 1000);
}

const toStates = (ns: Notification[], kind: string) =>
  ns
    .filter((n) => n.kind === kind)
    .map((n) => ('state' in n.to ? n.to.state : 'role' in n.to ? n.to.role : n.to.person));

describe('abstentions and statements', () => {
  it('adopts by consensus when every member approves or abstains, at least one approving', () => {
    const members = ['KZ', 'UZ', 'TJ'];
    expect(
      evaluateRound(SILENCE, members, {
        KZ: { decision: 'approve' },
        UZ: { decision: 'abstain' },
        TJ: { decision: 'abstain' },
      }),
    ).toBe('adopted');
    expect(
      evaluateRound(SILENCE, members, {
        KZ: { decision: 'abstain' },
        UZ: { decision: 'abstain' },
        TJ: { decision: 'abstain' },
      }),
    ).toBe('pending');
    expect(evaluateRound(SILENCE, members, { KZ: { decision: 'approve' }, UZ: { decision: 'abstain' } })).toBe(
      'pending',
    );
    const quorum = { rule: { rule: 'quorum' as const, quorum: 2 }, silenceProcedure: false };
    expect(evaluateRound(quorum, members, { KZ: { decision: 'approve' }, UZ: { decision: 'abstain' } })).toBe(
      'pending',
    );
  });

  it('records a statement with an approval or an abstention, and refuses one with an objection', () => {
    const state = underSilence();
    decide(state, 'UZ', { statement: 'Uzbekistan reads Article 1 as covering transit cargo only.' });
    decide(state, 'AZ', { decision: 'abstain', statement: 'Pending ratification.' });
    expect(state.round!.decisions.UZ.statement).toBe('Uzbekistan reads Article 1 as covering transit cargo only.');
    expect(state.round!.decisions.AZ.decision).toBe('abstain');
    expect(() =>
      rules.validateDecide(
        state,
        { actor: rep('TJ'), state: 'TJ', decision: 'object', revision: 1, reason: 'no', statement: 'x' },
        T0,
      ),
    ).toThrow('a statement goes with an approval or an abstention; give your reason instead');
  });
});

describe('the silence procedure', () => {
  it('at expiry deems the silent to approve and sends every member state the notice of adoption with the statements', () => {
    const state = underSilence();
    decide(state, 'UZ', { statement: 'Transit cargo only.' });
    decide(state, 'AZ', { decision: 'abstain' });
    const expiry = rules.openDuties(state).find((d) => d.kind === 'silence')!;
    const changes = rules.performDuty(state, expiry, Date.parse(expiry.at));
    expect(state.stage).toBe('adopted');
    const notices = changes.notifications.filter((n) => n.kind === 'adopted');
    expect(toStates(notices, 'adopted').sort()).toEqual(['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ', 'secretariat'].sort());
    expect(notices[0].details).toEqual({ bySilence: true, statements: 'UZ: Transit cargo only.' });
    expect(changes.events.map((e) => e.type)).toEqual(['silence_procedure', 'adopted']);
  });

  it('is broken by an amendment: back to drafting with the proposed text, and every member state told it is not adopted', () => {
    const state = underSilence();
    decide(state, 'UZ', {});
    expect(() =>
      rules.validateDecide(
        state,
        { actor: rep('TJ'), state: 'TJ', decision: 'amend', revision: 1, reason: 'clearer' },
        T0,
      ),
    ).toThrow('amendment is required');
    const changes = decide(state, 'TJ', {
      decision: 'amend',
      reason: 'name the fields',
      amendment: 'Article 1. The fields of Annex 1.',
    });
    expect(state.stage).toBe('drafting');
    expect(changes.events.find((e) => e.type === 'returned_to_drafting')!.data).toMatchObject({
      requestedBy: 'TJ',
      amendment: 'Article 1. The fields of Annex 1.',
    });
    expect(toStates(changes.notifications, 'silence_broken').sort()).toEqual(['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ']);
    expect(changes.notifications.find((n) => n.kind === 'changes_requested')!.details).toMatchObject({
      amendment: 'Article 1. The fields of Annex 1.',
    });
  });

  it('is broken by an objection, and without the silence procedure nobody but the Secretariat and the Chair hears of it', () => {
    const silent = underSilence();
    const broken = decide(silent, 'TM', { decision: 'object', reason: 'not acceptable' });
    expect(toStates(broken.notifications, 'silence_broken')).toHaveLength(6);
    expect(broken.notifications.find((n) => n.kind === 'silence_broken')!.details).toEqual({
      state: 'TM',
      reason: 'not acceptable',
      decision: 'object',
    });
    const plain = underSilence({ rule: { rule: 'consensus' }, silenceProcedure: false });
    const objected = decide(plain, 'TM', { decision: 'object', reason: 'not acceptable' });
    expect(toStates(objected.notifications, 'silence_broken')).toEqual([]);
  });
});

describe('proof that every state could object', () => {
  function chased() {
    const state = underSilence();
    state.features = { ...state.features, acknowledgement: true };
    return state;
  }

  it('records each explicit acknowledgement once, and none after a decision', () => {
    const state = chased();
    rules.validateAcknowledge(state, { actor: rep('UZ'), state: 'UZ' }, T0);
    const changes = rules.applyAcknowledge(state, { actor: rep('UZ'), state: 'UZ' }, T0 + 5);
    expect(changes.events[0]).toMatchObject({ type: 'acknowledged', data: { state: 'UZ' } });
    expect(state.round!.acknowledged!.UZ).toMatchObject({ by: 'rep-uz' });
    expect(() => rules.validateAcknowledge(state, { actor: rep('UZ'), state: 'UZ' }, T0)).toThrow(
      /UZ acknowledged revision 1 on/,
    );
    expect(() => rules.validateAcknowledge(state, { actor: rep('KZ'), state: 'UZ' }, T0)).toThrow(
      'may not acknowledge for UZ',
    );
    decide(state, 'KZ', {});
    expect(() => rules.validateAcknowledge(state, { actor: rep('KZ'), state: 'KZ' }, T0)).toThrow(
      'KZ already decided on revision 1',
    );
  });

  it('48 hours before expiry chases the states that neither acknowledged nor decided, and tells the Secretariat and the Chair', () => {
    const state = chased();
    rules.applyAcknowledge(state, { actor: rep('UZ'), state: 'UZ' }, T0 + 5);
    decide(state, 'KZ', {});
    const duty = rules.openDuties(state).find((d) => d.kind === 'acknowledgement')!;
    expect(Date.parse(state.round!.dueAt) - Date.parse(duty.at)).toBe(48 * 3_600_000);
    const changes = rules.performDuty(state, duty, Date.parse(duty.at));
    expect(changes.events[0]).toMatchObject({
      type: 'acknowledgement_missing',
      data: { states: ['AZ', 'KG', 'TJ', 'TM'], expiresAt: state.round!.dueAt },
    });
    expect(toStates(changes.notifications, 'acknowledgement_missing').sort()).toEqual(
      ['AZ', 'KG', 'TJ', 'TM', 'chair', 'secretariat'].sort(),
    );
    expect(rules.openDuties(state).some((d) => d.kind === 'acknowledgement')).toBe(false);
    // An extension re-arms it for the new expiry.
    rules.applyExtendDeadline(
      state,
      {
        actor: secretariat,
        step: 'signoff',
        dueAt: new Date(Date.parse(state.round!.dueAt) + 7 * 86_400_000).toISOString(),
        reason: 'holidays',
      },
      Date.parse(duty.at) + 1000,
    );
    expect(rules.openDuties(state).some((d) => d.kind === 'acknowledgement')).toBe(true);
  });

  it('is not chased in workflows that started before it existed', () => {
    const state = underSilence();
    expect(rules.openDuties(state).some((d) => d.kind === 'acknowledgement')).toBe(false);
  });
});
