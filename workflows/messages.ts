/**
 * The initiative workflow's messages: the client passes these same definitions, never strings. Each act of
 * the catalogue (src/domain/acts.ts) is an update of its own name; acts come sealed by the API.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { ACT_NAMES, type ActInput, type ActName } from '../src/domain/acts';
import type { Sealed } from '../src/domain/act-seal';
import type { InitiativeView } from '../src/domain/view';

export type ActUpdate<N extends ActName> = UpdateDefinition<InitiativeView, [Sealed<ActInput<N>>], N>;

export const actUpdates = Object.fromEntries(ACT_NAMES.map((name) => [name, defineUpdate(name)])) as {
  [N in ActName]: ActUpdate<N>;
};

export const stateQuery = defineQuery<InitiativeView>('state');

/** The ApplicationFailure type of a refused act; its first detail is the RefusalCode. */
export const REFUSAL_FAILURE_TYPE = 'Refusal';

/**
 * The ApplicationFailure type of a start the API did not seal, or a sealed start replayed under its
 * workflow id: the recording activity refuses it, the run fails, and its state query answers with it.
 */
export const FORGED_START_FAILURE_TYPE = 'ForgedStart';
