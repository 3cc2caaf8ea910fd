/** Reads of the read model and the audit trail: lists with filters and paging, an initiative's events, and each person's inbox. */
import type { ListQuery } from '../app/schemas';
import { Actor, Role, Stage } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import type { EventModel } from '../persistence/events';
import { listingModelOf, type InitiativeModel, type ListingEntry } from '../persistence/initiatives';

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

/** One thing that awaits a person, with its due date. */
export interface InboxItem {
  kind: 'decision' | 'draft' | 'milestone' | 'assignment' | 'objection';
  /** The workflow step the item belongs to (what a deadline extension names). */
  step: string;
  initiativeId: string;
  title: string;
  stage: string;
  revision: number;
  dueAt?: string;
  overdue: boolean;
  /** decision: the state to decide for. */
  state?: string;
  milestoneId?: string;
  what: string;
}

type StoredView = InitiativeView & { _id: string };

const dueOf = (v: InitiativeView, step: string) => v.deadlines.find((d) => d.step === step)?.dueAt;

/** What awaits the actor in one initiative (pure: the read model document and the actor's roles in force). */
export function inboxItemsOf(v: InitiativeView, actor: Actor, nowIso: string): InboxItem[] {
  const items: Omit<InboxItem, 'overdue' | 'initiativeId' | 'title' | 'stage' | 'revision'>[] = [];
  const decides = actor.state && (actor.roles.includes(Role.Representative) || actor.roles.includes(Role.Deputy));
  if (decides && v.stage === Stage.Signoff && v.pendingStates.includes(actor.state!)) {
    items.push({
      kind: 'decision',
      step: 'signoff',
      state: actor.state,
      dueAt: v.round?.dueAt ?? dueOf(v, 'signoff'),
      what: `decide for ${actor.state} on revision ${v.revision}`,
    });
  }
  if (v.lead?.officialId === actor.personId && (v.stage === Stage.Assigned || v.stage === Stage.Drafting)) {
    items.push({
      kind: 'draft',
      step: 'draft',
      dueAt: dueOf(v, 'draft'),
      what: `submit the draft (revision ${v.revision + 1})`,
    });
  }
  for (const m of v.milestones ?? []) {
    if (m.ownerId === actor.personId && !m.completedAt && v.stage === Stage.Implementing) {
      items.push({
        kind: 'milestone',
        step: `milestone:${m.id}`,
        milestoneId: m.id,
        dueAt: m.dueAt,
        what: `complete the milestone "${m.title}"`,
      });
    }
  }
  if (actor.roles.includes(Role.Secretariat)) {
    if (v.stage === Stage.Proposed)
      items.push({
        kind: 'assignment',
        step: 'assignment',
        dueAt: dueOf(v, 'assignment'),
        what: 'name the lead state and the responsible official',
      });
    if (v.stage === Stage.Signoff && v.round?.blockedBy) {
      // Runs started since the objection deadline exist carry an "objection" step with a due date.
      items.push({
        kind: 'objection',
        step: 'objection',
        dueAt: dueOf(v, 'objection'),
        what: `${v.round.blockedBy} objected: return the draft to drafting or withdraw the initiative`,
      });
    }
  }
  return items.map((i) => ({
    ...i,
    initiativeId: v.id,
    title: v.title,
    stage: v.stage,
    revision: v.revision,
    overdue: Boolean(i.dueAt && i.dueAt < nowIso),
  }));
}

/** Soonest due first; items without a due date (objections) last, then by initiative. */
export function byDueDate(a: InboxItem, b: InboxItem): number {
  if (a.dueAt !== b.dueAt) {
    if (!a.dueAt) return 1;
    if (!b.dueAt) return -1;
    return a.dueAt.localeCompare(b.dueAt);
  }
  return a.initiativeId.localeCompare(b.initiativeId);
}

/** The order of every list: soonest due first, then by id (the indexes of the listing end in it). */
export const LIST_SORT = { nextDueAt: 1, _id: 1 } as const;

/**
 * How many reads of many initiatives (a list page with its count, the views of a stage, an inbox) this
 * process runs at once; the others wait their turn here. On FerretDB 1.24 each such read decodes and sorts
 * every stored entry in memory, and many at once take longer in total than the same reads a few at a time:
 * on this project's 2-core machine 32 list pages over 5,000 initiatives took 39.5 s all at once (each answer
 * after about 38 s) and 20.4 s four at a time (half of them answered within 10 s). On MongoDB, where the
 * indexes answer these reads in milliseconds, four at a time is not a limit a person would notice.
 */
export const SCANS_AT_ONCE = 4;

/** Runs at most `limit` tasks at once, the others in the order they came. */
export function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

export function createReadModel(initiatives: InitiativeModel, events: EventModel) {
  const listing = listingModelOf(initiatives);
  const scan = limiter(SCANS_AT_ONCE);
  return {
    /** A page of the listing (the fields GET /api/initiatives returns; the whole view is GET /api/initiatives/{id}) and how many match. */
    async list(q: ListQuery): Promise<{ items: ListingEntry[]; total: number; limit: number; offset: number }> {
      const filter = listFilter(q, new Date().toISOString());
      const [items, total] = await scan(() =>
        Promise.all([
          listing.find(filter).sort(LIST_SORT).skip(q.offset).limit(q.limit).lean(),
          listing.countDocuments(filter),
        ]),
      );
      return {
        items: items.map(({ _id, ...rest }) => ({ id: _id, ...rest })),
        total,
        limit: q.limit,
        offset: q.offset,
      };
    },
    /** Whole views of the initiatives in one stage, soonest due first (at most `limit`): for pages that show rounds and decisions. */
    async views(stage: Stage, limit: number): Promise<InitiativeView[]> {
      const docs = await scan(() => initiatives.find({ stage }).sort(LIST_SORT).limit(limit).lean());
      return docs.map(({ _id, ...rest }) => ({ ...rest, id: _id }) as InitiativeView);
    },
    async exists(id: string): Promise<boolean> {
      return (await initiatives.countDocuments({ _id: id })) > 0;
    },
    async events(initiativeId: string) {
      const docs = await events.find({ initiativeId }).sort({ seq: 1 }).lean();
      // Events stored before the trail kept empty objects lost an empty `data`: every event has one.
      return docs.map(({ _id, initiativeId: _i, ...rest }) => (void _id, void _i, { ...rest, data: rest.data ?? {} }));
    },
    /**
     * What awaits a person, soonest due first: decisions pending for their state (representatives and
     * deputies in delegation), drafts they lead, milestones they own, and for the Secretariat unassigned
     * initiatives and blocked rounds. One query per kind, run together.
     */
    async inbox(actor: Actor): Promise<InboxItem[]> {
      const or: Record<string, unknown>[] = [
        { 'lead.officialId': actor.personId, stage: { $in: [Stage.Assigned, Stage.Drafting] } },
        { 'milestones.ownerId': actor.personId, stage: Stage.Implementing },
      ];
      if (actor.state && (actor.roles.includes(Role.Representative) || actor.roles.includes(Role.Deputy))) {
        or.push({ pendingStates: actor.state, stage: Stage.Signoff });
      }
      if (actor.roles.includes(Role.Secretariat)) {
        or.push({ stage: Stage.Proposed }, { stage: Stage.Signoff, 'round.blockedBy': { $exists: true } });
      }
      const seen = new Map<string, StoredView>();
      for (const docs of await scan(() =>
        Promise.all(or.map((filter) => initiatives.find(filter).limit(1000).lean())),
      )) {
        for (const doc of docs as StoredView[]) seen.set(doc._id, doc);
      }
      const now = new Date().toISOString();
      return [...seen.values()].flatMap((doc) => inboxItemsOf({ ...doc, id: doc._id }, actor, now)).sort(byDueDate);
    },
  };
}
export type ReadModel = ReturnType<typeof createReadModel>;
