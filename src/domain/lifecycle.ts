/** Which act is allowed in which stage: the one table of the lifecycle (DESIGN section 2). */
import { Stage, TERMINAL_STAGES } from './types';

export const Act = {
  Assign: 'assign',
  SubmitDraft: 'submitDraft',
  Decide: 'decide',
  ReturnToDrafting: 'returnToDrafting',
  ExtendDeadline: 'extendDeadline',
  Withdraw: 'withdraw',
  AddMilestone: 'addMilestone',
  CompleteMilestone: 'completeMilestone',
  Complete: 'complete',
} as const;
export type Act = (typeof Act)[keyof typeof Act];

const OPEN: Stage[] = [
  Stage.Proposed,
  Stage.Assigned,
  Stage.Drafting,
  Stage.Signoff,
  Stage.Adopted,
  Stage.Implementing,
];

export const ALLOWED_STAGES: Record<Act, readonly Stage[]> = {
  [Act.Assign]: [Stage.Proposed, Stage.Assigned, Stage.Drafting],
  [Act.SubmitDraft]: [Stage.Assigned, Stage.Drafting],
  [Act.Decide]: [Stage.Signoff],
  [Act.ReturnToDrafting]: [Stage.Signoff],
  // Adopted has nothing waiting on a person until its first milestone.
  [Act.ExtendDeadline]: [Stage.Proposed, Stage.Assigned, Stage.Drafting, Stage.Signoff, Stage.Implementing],
  [Act.Withdraw]: OPEN,
  [Act.AddMilestone]: [Stage.Adopted, Stage.Implementing],
  [Act.CompleteMilestone]: [Stage.Implementing],
  [Act.Complete]: [Stage.Adopted, Stage.Implementing],
};

export function isAllowedIn(act: Act, stage: Stage): boolean {
  return ALLOWED_STAGES[act].includes(stage);
}

export function isTerminal(stage: Stage): boolean {
  return TERMINAL_STAGES.includes(stage);
}
