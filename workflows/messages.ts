/** The initiative workflow's messages: the client passes these same definitions, never strings. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AddMilestoneInput,
  AssignInput,
  CompleteInput,
  CompleteMilestoneInput,
  DecideInput,
  ExtendDeadlineInput,
  ReasonInput,
  SubmitDraftInput,
} from '../src/domain/initiative';
import type { InitiativeView } from '../src/domain/view';

export const assignUpdate = defineUpdate<InitiativeView, [AssignInput]>('assign');
export const submitDraftUpdate = defineUpdate<InitiativeView, [SubmitDraftInput]>('submitDraft');
export const decideUpdate = defineUpdate<InitiativeView, [DecideInput]>('decide');
export const returnToDraftingUpdate = defineUpdate<InitiativeView, [ReasonInput]>('returnToDrafting');
export const extendDeadlineUpdate = defineUpdate<InitiativeView, [ExtendDeadlineInput]>('extendDeadline');
export const withdrawUpdate = defineUpdate<InitiativeView, [ReasonInput]>('withdraw');
export const addMilestoneUpdate = defineUpdate<InitiativeView, [AddMilestoneInput]>('addMilestone');
export const completeMilestoneUpdate = defineUpdate<InitiativeView, [CompleteMilestoneInput]>('completeMilestone');
export const completeUpdate = defineUpdate<InitiativeView, [CompleteInput]>('complete');

export const stateQuery = defineQuery<InitiativeView>('state');

/** The ApplicationFailure type of a refused act; its first detail is the RefusalCode. */
export const REFUSAL_FAILURE_TYPE = 'Refusal';
