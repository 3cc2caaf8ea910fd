/** Every act in every stage: allowed where the lifecycle table says so, refused with wrong_stage everywhere else. */
import * as rules from '../../src/domain/initiative';
import { ACT_NAMES, ACTS, validateAct, type ActName } from '../../src/domain/acts';
import { DAY_MS } from '../../src/domain/reminders';
import { Stage, STAGES } from '../../src/domain/types';
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

function inStage(stage: Stage): rules.InitiativeState {
  const { state } = rules.startInitiative(initiativeInput(T0), T0);
  if (stage === Stage.Proposed) return state;
  if (stage === Stage.Withdrawn) {
    rules.applyWithdraw(state, { actor: secretariat, reason: 'superseded' }, T0);
    return state;
  }
  assignKyrgyzstan(state, T0);
  if (stage === Stage.Assigned) return state;
  rules.applySubmitDraft(
    state,
    { actor: official('KG'), title: 'Concept note', link: 'https://example.org/dtc', members: MEMBERS_2026 },
    T0,
  );
  if (stage === Stage.Signoff) return state;
  if (stage === Stage.Drafting) {
    rules.applyDecide(
      state,
      { actor: rep('KZ'), state: 'KZ', decision: 'request_changes', revision: 1, reason: 'add cargo data' },
      T0,
    );
    return state;
  }
  for (const m of MEMBERS_2026)
    rules.applyDecide(state, { actor: rep(m.code), state: m.code, decision: 'approve', revision: 1 }, T0);
  if (stage === Stage.Adopted) return state;
  if (stage === Stage.Completed) {
    rules.applyComplete(state, { actor: secretariat }, T0);
    return state;
  }
  rules.applyAddMilestone(
    state,
    {
      actor: secretariat,
      id: 'pilot',
      title: 'Pilot at the border',
      ownerId: 'official-kg',
      ownerName: 'Focal point KG',
      ownerState: 'KG',
      ownerTimeZone: 'Asia/Bishkek',
      dueAt: later(60),
    },
    T0,
  );
  return state;
}

const validInput: Record<ActName, () => unknown> = {
  assign: () => ({
    actor: secretariat,
    leadState: 'KZ',
    leadTimeZone: 'Asia/Almaty',
    officialId: 'official-kz',
    officialName: 'Focal point KZ',
    draftDueAt: later(20),
  }),
  submitDraft: () => ({ actor: official('KG'), title: 'Revision', text: 'The text', members: MEMBERS_2026 }),
  decide: () => ({ actor: rep('UZ'), state: 'UZ', decision: 'approve', revision: 1 }),
  acknowledge: () => ({ actor: rep('UZ'), state: 'UZ' }),
  reviseEditorially: () => ({ actor: secretariat, text: 'The text, corrected', reason: 'a typo' }),
  returnToDrafting: () => ({ actor: secretariat, reason: 'rework the annex' }),
  chooseProcedure: () => ({ actor: secretariat, silenceProcedure: true, reason: 'a text every state has seen' }),
  extendDeadline: () => ({ actor: secretariat, step: 'any', dueAt: later(40), reason: 'holidays' }),
  withdraw: () => ({ actor: secretariat, reason: 'superseded' }),
  addMilestone: () => ({
    actor: secretariat,
    id: 'second',
    title: 'Second step',
    ownerId: 'official-kg',
    ownerName: 'x',
    ownerState: 'KG',
    ownerTimeZone: 'Asia/Bishkek',
    dueAt: later(90),
  }),
  completeMilestone: () => ({ actor: secretariat, milestoneId: 'pilot' }),
  complete: () => ({ actor: secretariat }),
};

function refusalOf(fn: () => void): rules.Refusal | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof rules.Refusal) return err;
    throw err;
  }
}

describe('the lifecycle table', () => {
  const cases = ACT_NAMES.flatMap((act) =>
    STAGES.map((stage) => [act, stage, ACTS[act].stages.includes(stage)] as const),
  );

  it.each(cases)('%s in %s: allowed=%s', (act, stage, allowed) => {
    const state = inStage(stage);
    const input = validInput[act]() as { step?: string };
    if (act === 'extendDeadline') input.step = Object.keys(state.deadlines)[0] ?? 'draft';
    const refusal = refusalOf(() => validateAct(act, state, input as never, T0 + 1000));
    if (allowed) {
      if (act === 'complete' && stage === Stage.Implementing) {
        expect(refusal?.message).toBe('milestones still open: pilot');
      } else {
        expect(refusal).toBeUndefined();
      }
    } else {
      expect(refusal?.code).toBe('wrong_stage');
      expect(refusal?.message).toContain(`while the initiative is ${stage}`);
    }
  });

  it('closes nothing twice: completed and withdrawn initiatives accept no act at all', () => {
    for (const stage of [Stage.Completed, Stage.Withdrawn]) {
      const allowed = ACT_NAMES.filter((act) => ACTS[act].stages.includes(stage));
      expect(allowed).toEqual([]);
    }
  });
});
