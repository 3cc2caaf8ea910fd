/**
 * The digest workflow's messages, apart from the workflow so that the mailer's delivery activity can
 * signal it without importing the workflow (and, through its activity types, itself).
 */
import { defineSignal } from '@temporalio/workflow';

export interface DigestWorkflowArgs {
  personId: string;
  timeZone: string;
}

/** Sent with each deferred item: the person's current time zone. */
export interface DigestItemSignal {
  timeZone: string;
}

export const digestItemSignal = defineSignal<[DigestItemSignal]>('digestItem');

/** One digest workflow per person. */
export function digestWorkflowId(personId: string): string {
  return `digest-${personId}`;
}
