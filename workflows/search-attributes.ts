/** Search attributes the initiative workflow keeps current; the embedded stack registers the same names. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const InitiativeStage = defineSearchAttributeKey('InitiativeStage', SearchAttributeType.KEYWORD);
export const LeadState = defineSearchAttributeKey('LeadState', SearchAttributeType.KEYWORD);
export const PendingStates = defineSearchAttributeKey('PendingStates', SearchAttributeType.KEYWORD_LIST);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [InitiativeStage, LeadState, PendingStates, NextDeadline];
