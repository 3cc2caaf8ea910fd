/** The initiative workflow's messages: the client passes these same definitions, never strings. Acts come sealed by the API. */
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
import type { Sealed } from '../src/domain/act-seal';
import type { InitiativeView } from '../src/domain/view';

export const assignUpdate = defineUpdate<InitiativeView, [Sealed<AssignInput>]>('assign');
export const submitDraftUpdate = defineUpdate<InitiativeView, [Sealed<SubmitDraftInput>]>('submitDraft');
export const decideUpdate = defineUpdate<InitiativeView, [Sealed<DecideInput>]>('decide');
export const returnToDraftingUpdate = defineUpdate<InitiativeView, [Sealed<ReasonInput>]>('returnToDrafting');
export const extendDeadlineUpdate = defineUpdate<InitiativeView, [Sealed<ExtendDeadlineInput>]>('extendDeadline');
export const withdrawUpdate = defineUpdate<InitiativeView, [Sealed<ReasonInput>]>('withdraw');
export const addMilestoneUpdate = defineUpdate<InitiativeView, [Sealed<AddMilestoneInput>]>('addMilestone');
export const completeMilestoneUpdate = defineUpdate<InitiativeView, [Sealed<CompleteMilestoneInput>]>(
  'completeMilestone',
);
export const completeUpdate = defineUpdate<InitiativeView, [Sealed<CompleteInput>]>('complete');

export const stateQuery = defineQuery<InitiativeView>('state');

/** The ApplicationFailure type of a refused act; its first detail is the RefusalCode. */
export const REFUSAL_FAILURE_TYPE = 'Refusal';

/**
 * The ApplicationFailure type of a start the API did not seal, or a sealed start replayed under its
 * workflow id: the recording activity refuses it, the run fails, and its state query answers with it.
 */
export const FORGED_START_FAILURE_TYPE = 'ForgedStart';
