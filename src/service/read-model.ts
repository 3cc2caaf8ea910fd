/** Reads of the read model and the audit trail: lists with filters and paging, an initiative's events, and each person's inbox. */
import { speaksForState } from '../domain/roles';
import type { ListQuery } from '../app/schemas';
import { Actor, isTerminal, Role, Stage } from '../domain/types';
import { partyOf, type InitiativeView, type Party } from '../domain/view';
import type { InitiativeRepository } from '../persistence/initiatives';
import type { ListingEntry } from '../persistence/listing';

/**
 * An initiative's view for a use case that must see it even before the worker recorded it: the recorded view
 * when `current` accepts it (or no `current` is given), else the workflow's own; null when neither knows it.
 */
export type InitiativeLookup = (
  id: string,
  current?: (recorded: InitiativeView) => boolean,
) => Promise<InitiativeView | null>;

/** One thing that awaits a person, with its due date. */
export interface InboxItem {
  /** escalation: someone else's step is overdue (for the Secretariat, and the Chair's representatives). */
  kind: 'decision' | 'draft' | 'milestone' | 'assignment' | 'objection' | 'escalation';
  /** The workflow step the item belongs to (what a deadline extension names). */
  step: string;
  initiativeId: string;
  title: string;
  titleRu?: string;
  stage: string;
  revision: number;
  dueAt?: string;
  overdue: boolean;
  /** decision: the state to decide for; objection: the state that objected. */
  state?: string;
  milestoneId?: string;
  milestoneTitle?: string;
  /** escalation: who the step waits on. */
  waitingOn?: Party[];
  what: string;
}

const dueOf = (v: InitiativeView, step: string) => v.deadlines.find((d) => d.step === step)?.dueAt;

/**
 * What awaits the actor in one initiative (pure: the read model document and the actor's roles in force).
 * `chairs`: the actor represents the state chairing today, which hears of every overdue step as the
 * Secretariat does: the escalations the workflow mails them wait in their inbox too.
 */
export function inboxItemsOf(v: InitiativeView, actor: Actor, nowIso: string, chairs = false): InboxItem[] {
  const items: Omit<InboxItem, 'overdue' | 'initiativeId' | 'title' | 'stage' | 'revision'>[] = [];
  if (speaksForState(actor) && v.stage === Stage.Signoff && v.pendingStates.includes(actor.state!)) {
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
        milestoneTitle: m.title,
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
        state: v.round.blockedBy,
        dueAt: dueOf(v, 'objection'),
        what: `${v.round.blockedBy} objected: return the draft to drafting or withdraw the initiative`,
      });
    }
  }
  if ((chairs || actor.roles.includes(Role.Secretariat)) && !isTerminal(v.stage)) {
    for (const d of v.deadlines) {
      // The Secretariat's own late steps are already its items above.
      const others = d.waitingOn.filter((party) => party !== Role.Secretariat);
      if (d.dueAt >= nowIso || others.length === 0) continue;
      items.push({
        kind: 'escalation',
        step: d.step,
        dueAt: d.dueAt,
        waitingOn: others.map((key) => partyOf(v, key)),
        what: `${d.step} is overdue, waiting on ${others.join(', ')}`,
      });
    }
  }
  return items.map((i) => ({
    ...i,
    initiativeId: v.id,
    title: v.title,
    ...(v.titleRu ? { titleRu: v.titleRu } : {}),
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

/** The state chairing today, from the rotation (undefined when the rotation names none). */
export type ChairToday = () => Promise<string | undefined>;

export function createReadModel(initiatives: InitiativeRepository, chairToday: ChairToday) {
  return {
    /** A page of the listing (the fields GET /api/initiatives returns; the whole view is GET /api/initiatives/{id}) and how many match. */
    async list(q: ListQuery): Promise<{ items: ListingEntry[]; total: number; limit: number; offset: number }> {
      const { items, total } = await initiatives.listPage(q, q);
      return { items, total, limit: q.limit, offset: q.offset };
    },
    /** Whole views of the initiatives in one stage, soonest due first (at most `limit`): for pages that show rounds and decisions. */
    views: (stage: Stage, limit: number): Promise<InitiativeView[]> => initiatives.viewsInStage(stage, limit),
    /** Whole views of a summit's initiatives, or of every open one (`summit` undefined): what the reports are made of. */
    reportViews: (summit: string | undefined, limit: number): Promise<InitiativeView[]> =>
      initiatives.viewsForReport(summit, limit),
    exists: (id: string): Promise<boolean> => initiatives.exists(id),
    /** One initiative as last recorded (null when none is). */
    view: (id: string): Promise<InitiativeView | null> => initiatives.view(id),
    events: (initiativeId: string) => initiatives.eventsOf(initiativeId),
    /** The signed checkpoint that vouches for the most of an initiative's trail. */
    checkpoint: (initiativeId: string) => initiatives.latestCheckpoint(initiativeId),
    /**
     * What awaits a person, soonest due first: decisions pending for their state (representatives and
     * deputies in delegation), drafts they lead, milestones they own, and for the Secretariat unassigned
     * initiatives and blocked rounds.
     */
    async inbox(actor: Actor): Promise<InboxItem[]> {
      const decides = actor.roles.includes(Role.Representative) || actor.roles.includes(Role.Deputy);
      const secretariat = actor.roles.includes(Role.Secretariat);
      const chairs =
        actor.roles.includes(Role.Representative) && Boolean(actor.state) && actor.state === (await chairToday());
      const now = new Date().toISOString();
      const views = await initiatives.viewsAwaiting({
        personId: actor.personId,
        decidesFor: decides ? actor.state : undefined,
        secretariat,
        overdueAt: secretariat || chairs ? now : undefined,
      });
      return views.flatMap((v) => inboxItemsOf(v, actor, now, chairs)).sort(byDueDate);
    },
  };
}
export type ReadModel = ReturnType<typeof createReadModel>;
