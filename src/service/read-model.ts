/** Reads of the read model and the audit trail: lists with filters and paging, and an initiative's events. */
import type { ListQuery } from '../api/schemas';
import type { EventModel } from '../persistence/events';
import type { InitiativeModel } from '../persistence/initiatives';

const OPEN_STAGES = ['proposed', 'assigned', 'drafting', 'signoff', 'adopted', 'implementing'];

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds the filter from validated values only: strings are compared as strings, never as operators. */
export function listFilter(q: ListQuery, nowIso: string): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (q.stage) f.stage = q.stage;
  if (q.lead) f['lead.state'] = q.lead;
  if (q.pending) f.pendingStates = q.pending;
  if (q.overdue === 'true') {
    f.nextDueAt = { $lt: nowIso };
    if (!q.stage) f.stage = { $in: OPEN_STAGES };
  }
  if (q.q) f.title = { $regex: escapeRegex(q.q), $options: 'i' };
  return f;
}

export function createReadModel(initiatives: InitiativeModel, events: EventModel) {
  return {
    async list(q: ListQuery) {
      const filter = listFilter(q, new Date().toISOString());
      const [items, total] = await Promise.all([
        initiatives.find(filter).sort({ nextDueAt: 1, _id: 1 }).skip(q.offset).limit(q.limit).lean(),
        initiatives.countDocuments(filter),
      ]);
      return { items: items.map(({ _id, ...rest }) => ({ ...rest, id: _id })), total, limit: q.limit, offset: q.offset };
    },
    async events(initiativeId: string) {
      const docs = await events.find({ initiativeId }).sort({ seq: 1 }).lean();
      return docs.map(({ _id, initiativeId: _i, ...rest }) => (void _id, void _i, rest));
    },
  };
}
export type ReadModel = ReturnType<typeof createReadModel>;
