/**
 * The audit trail's events as data crossing a boundary (the API's answers, a check of what the rules write):
 * one schema per event type, checked against the domain's AuditEventData so the two cannot drift apart.
 */
import { z } from 'zod';
import { DecisionKind, Role, type AuditEvent, type AuditEventData, type AuditEventType } from '../domain/types';

const text = z.string();
const instant = z.string().describe('an ISO 8601 instant');
const states = z.array(text);
const languageText = z.object({ text, authentic: z.boolean() });
const daysOff = z.array(z.object({ state: text, date: text, name: text, kind: z.enum(['holiday', 'weekend']) }));
const recordedTexts = z.object({ en: languageText.optional(), ru: languageText.optional() });

const DATA = {
  started: z.object({
    title: text,
    proposingState: text,
    summit: text,
    category: text,
    policy: text,
    assignmentDueAt: instant,
    source: z.object({ document: text, quote: text }).optional(),
  }),
  assigned: z.object({ leadState: text, officialId: text, officialName: text, draftDueAt: instant }),
  reassigned: z.object({ leadState: text, officialId: text, officialName: text, draftDueAt: instant }),
  draft_submitted: z.object({
    title: text,
    link: text.optional(),
    hasText: z.boolean(),
    textHash: text.optional(),
    languages: text.optional(),
    texts: recordedTexts.optional(),
  }),
  signoff_opened: z.object({ members: states, dueAt: instant, policy: text, daysOff: daysOff.optional() }),
  decided: z.object({
    state: text,
    decision: z.enum(Object.values(DecisionKind) as [DecisionKind, ...DecisionKind[]]),
    reason: text.optional(),
    textHash: text.optional(),
    language: text.optional(),
    statement: text.optional(),
    amendment: text.optional(),
  }),
  adopted: z.object({ revision: z.number().int(), policy: text }),
  returned_to_drafting: z.object({
    reason: text.optional(),
    nextRevision: z.number().int(),
    requestedBy: text.optional(),
    lapsedApprovals: states.optional(),
    amendment: text.optional(),
  }),
  round_blocked: z.object({ objectedBy: text, reason: text.optional() }),
  deadline_extended: z.object({ step: text, from: instant, to: instant, reason: text, daysOff: daysOff.optional() }),
  withdrawn: z.object({ reason: text }),
  milestone_added: z.object({ id: text, title: text, ownerId: text, dueAt: instant }),
  milestone_completed: z.object({ id: text, note: text.optional() }),
  completed: z.object({ note: text.optional() }),
  reminder_due: z.object({ step: text, to: text, dueAt: instant, offsetMs: z.number() }),
  escalated: z.object({ step: text, dueAt: instant, round: z.number().int(), overdueMs: z.number() }),
  silence_procedure: z.object({ deemedApproved: states, note: text }),
  acknowledged: z.object({ state: text }),
  acknowledgement_missing: z.object({ states, expiresAt: instant }),
  procedure_chosen: z.object({ silenceProcedure: z.boolean(), reason: text, revision: z.number().int() }),
  editorial_revision: z.object({
    from: z.number().int(),
    revision: z.number().int(),
    reason: text,
    textHash: text,
    languages: text,
    texts: recordedTexts,
    carriedApprovals: states,
  }),
} satisfies { [T in AuditEventType]: z.ZodType<AuditEventData[T]> };

const actor = z.object({
  personId: text,
  name: text,
  roles: z.array(z.enum(Object.values(Role) as [Role, ...Role[]])),
  state: text.optional(),
  onBehalfOf: text.optional().describe('for a deputy: the representative on whose behalf they acted'),
  via: z
    .enum(['api-token', 'web-session', 'email-link'])
    .optional()
    .describe('how the person proved who they were for this act (recorded since the evidence pack names it)'),
});

/** One event of the audit trail: its `type` says what its `data` holds. */
export const auditEvent = z.discriminatedUnion(
  'type',
  (Object.keys(DATA) as AuditEventType[]).map((type) =>
    z.object({
      seq: z.number().int(),
      type: z.literal(type),
      at: instant,
      actor: actor.optional(),
      revision: z.number().int(),
      data: DATA[type],
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<AuditEvent>;
