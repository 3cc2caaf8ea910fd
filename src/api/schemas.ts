/** Request schemas: every body and query the API accepts, validated before anything reaches MongoDB or Temporal. */
import { z } from 'zod';
import { DecisionKind, Stage } from '../domain/types';

const text = (max: number) => z.string().trim().min(1).max(max);
const stateCode = z.string().regex(/^[A-Z]{2}$/, 'a two-letter state code such as KZ');
const instant = z.iso.datetime({ offset: true });
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$/, 'lowercase letters, digits and dashes, 3 to 80 characters');
const personId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'a person id');

export const startInitiativeBody = z.strictObject({
  id: slug.optional(),
  title: text(300),
  summary: text(5000).optional(),
  proposingState: stateCode,
  summit: text(100),
  category: text(100),
  source: z.strictObject({ document: text(300), quote: text(5000) }).optional(),
  policy: z
    .discriminatedUnion('rule', [z.strictObject({ rule: z.literal('consensus') }), z.strictObject({ rule: z.literal('quorum'), quorum: z.number().int().min(1).max(50) })])
    .optional(),
  silenceProcedure: z.boolean().optional(),
  assignmentDueAt: instant.optional(),
  reminders: z
    .strictObject({
      offsetsMs: z.array(z.number().int().min(0).max(365 * 86_400_000)).max(10).optional(),
      alignLocalTime: z.boolean().optional(),
    })
    .optional(),
});
export type StartInitiativeBody = z.infer<typeof startInitiativeBody>;

export const assignBody = z.strictObject({ leadState: stateCode, officialId: personId, draftDueAt: instant });
export const draftBody = z
  .strictObject({ title: text(300), link: z.url().max(2000).optional(), text: text(100_000).optional() })
  .refine((d) => d.link || d.text, { message: 'a draft needs a link or a text', path: ['link'] });
export const decisionBody = z
  .strictObject({
    state: stateCode,
    decision: z.enum([DecisionKind.Approve, DecisionKind.RequestChanges, DecisionKind.Object]),
    revision: z.number().int().min(1),
    reason: text(5000).optional(),
  })
  .refine((d) => d.decision === DecisionKind.Approve || d.reason, { message: 'a reason is required to request changes or object', path: ['reason'] });
export const deadlineBody = z.strictObject({ step: z.string().regex(/^(assignment|draft|signoff|milestone:[a-z0-9-]+)$/, 'assignment, draft, signoff or milestone:<id>'), dueAt: instant, reason: text(2000) });
export const reasonBody = z.strictObject({ reason: text(2000) });
export const milestoneBody = z.strictObject({ id: slug.optional(), title: text(300), ownerId: personId, dueAt: instant });
export const noteBody = z.strictObject({ note: text(2000).optional() });

export const listQuery = z.strictObject({
  stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]]).optional(),
  lead: stateCode.optional(),
  pending: stateCode.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListQuery = z.infer<typeof listQuery>;

export const initiativeId = slug;
