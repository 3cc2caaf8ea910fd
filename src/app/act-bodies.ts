/** The body each kind of act takes (src/domain/acts.ts ActBody), as the API, the web forms and the service read it. */
import type { z } from 'zod';
import { ACTS, type ActBody, type ActName } from '../domain/acts';
import * as s from './schemas';

export const ACT_BODIES = {
  assignment: s.assignBody,
  draft: s.draftBody,
  decision: s.decisionBody,
  deadline: s.deadlineBody,
  reason: s.reasonBody,
  milestone: s.milestoneBody,
  note: s.noteBody,
  editorial: s.editorialBody,
  acknowledgement: s.acknowledgementBody,
  procedure: s.procedureBody,
} satisfies Record<ActBody, z.ZodType>;

export type ActBodies = { [B in ActBody]: z.infer<(typeof ACT_BODIES)[B]> };

/** What a caller asks of an act: its body, and the target its path names (a milestone), if any. */
export type ActRequest<N extends ActName> = ActBodies[(typeof ACTS)[N]['body']] & { milestoneId?: string };

/** The path parameters of an act's operation: the initiative, and the milestone when its path names one. */
export const actParamsOf = (name: ActName) =>
  ACTS[name].path.includes(':milestoneId') ? s.milestoneParams : s.idParams;

/** An act's request from its parsed body and path parameters: the body, with the target its path names. */
export function actRequestOf<N extends ActName>(
  _name: N,
  body: object,
  params: { milestoneId?: string },
): ActRequest<N> {
  return { ...body, ...(params.milestoneId === undefined ? {} : { milestoneId: params.milestoneId }) } as ActRequest<N>;
}
