/**
 * What became of a summit's decisions, as the Secretariat reports it to the next summit, and what an incoming
 * Chair inherits on the rotation date. Pure: built from the stored views of the initiatives (src/domain/view.ts)
 * and the directory's states and rotation, as they stand at `asOf`; the same inputs give the same report, so a
 * kept snapshot can be rendered again and compared with a later one.
 */
import { DecisionKind, isTerminal, Stage } from '../domain/types';
import { cellOf, type Commitment, type CommitmentStatus } from '../domain/commitments';
import { partyOf, type InitiativeView } from '../domain/view';

/** Where a member state stands on one initiative. */
export type StatePosition = 'approved' | 'deemed' | 'abstained' | 'changes' | 'objected' | 'pending' | 'not_asked';

export interface LateItem {
  step: string;
  dueAt: string;
  /** Whole days past the due date at `asOf`. */
  daysLate: number;
  /** Member states (codes) the step waits on; empty when it waits on a person or the Secretariat. */
  states: string[];
  /** Who else it waits on: 'secretariat', or a person's name. */
  others: string[];
  /** Why, as recorded: an objection's or a change request's reason. */
  why?: string;
}

export interface ReportedInitiative {
  id: string;
  title: string;
  /** The title in Russian, where the Secretariat gave one (the Russian report shows it). */
  titleRu?: string;
  category: string;
  proposingState: string;
  leadState?: string;
  stage: Stage;
  revision: number;
  /** The summit sentence the initiative came from. */
  source?: { document: string; quote: string };
  startedAt: string;
  /** When the member states' sign-off was complete (the last decision that adopted it). */
  adoptedAt?: string;
  closed?: { at: string; reason: string };
  positions: Record<string, StatePosition>;
  late: LateItem[];
  /** The earliest open deadline, late or not. */
  next?: { step: string; dueAt: string } & Pick<LateItem, 'states' | 'others'>;
  milestones: { title: string; ownerState: string; dueAt: string; completedAt?: string }[];
  /** The open objection that blocks the round, with its reason. */
  objection?: { state: string; reason?: string; at: string };
  /** What the adopted initiative asks of whom (src/domain/commitments.ts), and how far each party is. */
  commitments?: ReportedCommitment[];
}

export interface ReportedCommitment {
  title: string;
  to: string;
  dueAt?: string;
  parties: Record<string, { status: CommitmentStatus; progress: number }>;
  /** Parties past the due date and not delivered. */
  late: string[];
}

export interface StateSummary {
  code: string;
  approved: number;
  pending: number;
  objected: number;
  changes: number;
  /** Steps past due that wait on this state. */
  late: number;
  leads: string[];
}

export interface ProgressReport {
  summit: SummitFacts;
  asOf: string;
  states: string[];
  totals: Record<'initiatives' | 'adopted' | 'inSignoff' | 'preparing' | 'completed' | 'withdrawn' | 'late', number>;
  initiatives: ReportedInitiative[];
  byState: StateSummary[];
}

export interface HandoverPack {
  year: number;
  /** The incoming Chair, or undefined when the rotation calendar has none for the year: the pack says so. */
  chairState?: string;
  from: string;
  outgoingChair?: string;
  asOf: string;
  open: ReportedInitiative[];
  /** Deadlines until 90 days into the chairmanship (the late ones too), soonest first. */
  deadlines: ({ initiativeId: string; title: string; titleRu?: string; step: string; dueAt: string } & Pick<
    LateItem,
    'states' | 'others'
  >)[];
  /** The last day those deadlines run to. */
  until: string;
  objections: {
    initiativeId: string;
    title: string;
    titleRu?: string;
    state: string;
    reason?: string;
    at: string;
  }[];
}

export interface SummitFacts {
  id: string;
  title?: string;
  date?: string;
  city?: string;
  /** The title and city in Russian, where the Secretariat gave them (the Russian report shows them). */
  titleRu?: string;
  cityRu?: string;
}

const DAY_MS = 86_400_000;
const ADOPTED: readonly Stage[] = [Stage.Adopted, Stage.Implementing, Stage.Completed];

function positionOf(view: InitiativeView, state: string): StatePosition {
  const round = view.round;
  if (!round || !round.members.includes(state)) return 'not_asked';
  const d = round.decisions[state];
  if (!d) return 'pending';
  if (d.decision === DecisionKind.Approve) return d.deemed ? 'deemed' : 'approved';
  if (d.decision === DecisionKind.Abstain) return 'abstained';
  return d.decision === DecisionKind.Object ? 'objected' : 'changes';
}

/** The reason a step is late, where the trail gave one: the objection that blocks the round, or the change request. */
function whyLate(view: InitiativeView, step: string): string | undefined {
  const decisions = Object.values(view.round?.decisions ?? {});
  // The Secretariat's step on a blocked round ('objection'), or the round itself: the objection's reason.
  if ((step === 'objection' || step === 'signoff') && view.round?.blockedBy)
    return view.round.decisions[view.round.blockedBy]?.reason;
  if (step === 'draft') return decisions.find((d) => d.decision === DecisionKind.RequestChanges)?.reason;
  return undefined;
}

/** Whom a deadline waits on: member states (codes, sorted), and others ('secretariat', or a person's name). */
function waitingOf(view: InitiativeView, waitingOn: readonly string[]): Pick<LateItem, 'states' | 'others'> {
  const states = waitingOn
    .filter((k) => k.startsWith('state:'))
    .map((k) => k.slice('state:'.length))
    .sort();
  const others = waitingOn
    .filter((k) => !k.startsWith('state:'))
    .map((k) => {
      if (!k.startsWith('person:')) return k;
      const party = partyOf(view, k);
      return 'name' in party ? party.name : k;
    });
  return { states, others };
}

function lateItems(view: InitiativeView, asOf: number): LateItem[] {
  if (isTerminal(view.stage)) return [];
  return view.deadlines
    .filter((d) => Date.parse(d.dueAt) < asOf)
    .map((d) => {
      const why = whyLate(view, d.step);
      return {
        step: d.step,
        dueAt: d.dueAt,
        daysLate: Math.floor((asOf - Date.parse(d.dueAt)) / DAY_MS),
        ...waitingOf(view, d.waitingOn),
        ...(why ? { why } : {}),
      };
    });
}

function reportedCommitment(c: Commitment, asOf: number): ReportedCommitment {
  const at = new Date(asOf).toISOString();
  return {
    title: c.title,
    to: c.to,
    ...(c.dueAt ? { dueAt: c.dueAt } : {}),
    parties: Object.fromEntries(
      Object.entries(c.parties).map(([p, d]) => [p, { status: d.status, progress: d.progress }]),
    ),
    late: Object.keys(c.parties)
      .filter((p) => cellOf(c, p, at)?.late)
      .sort(),
  };
}

export function reportedInitiative(
  view: InitiativeView,
  states: readonly string[],
  asOf: number,
  commitments: readonly Commitment[] = [],
): ReportedInitiative {
  const decisions = Object.values(view.round?.decisions ?? {});
  const adoptedAt = ADOPTED.includes(view.stage)
    ? decisions
        .map((d) => d.at)
        .sort()
        .at(-1)
    : undefined;
  const blocker = view.round?.blockedBy;
  const objection = blocker ? view.round?.decisions[blocker] : undefined;
  const first = view.deadlines[0];
  return {
    id: view.id,
    title: view.title,
    ...(view.titleRu ? { titleRu: view.titleRu } : {}),
    category: view.category,
    proposingState: view.proposingState,
    ...(view.lead?.state ? { leadState: view.lead.state } : {}),
    stage: view.stage,
    revision: view.revision,
    ...(view.source ? { source: view.source } : {}),
    startedAt: view.startedAt,
    ...(adoptedAt ? { adoptedAt } : {}),
    ...(view.closed ? { closed: { at: view.closed.at, reason: view.closed.reason } } : {}),
    positions: Object.fromEntries(states.map((s) => [s, positionOf(view, s)])),
    late: lateItems(view, asOf),
    ...(first && !isTerminal(view.stage)
      ? { next: { step: first.step, dueAt: first.dueAt, ...waitingOf(view, first.waitingOn) } }
      : {}),
    milestones: view.milestones.map((m) => ({
      title: m.title,
      ownerState: m.ownerState,
      dueAt: m.dueAt,
      ...(m.completedAt ? { completedAt: m.completedAt } : {}),
    })),
    ...(blocker && objection
      ? { objection: { state: blocker, at: objection.at, ...(objection.reason ? { reason: objection.reason } : {}) } }
      : {}),
    ...(commitments.length ? { commitments: commitments.map((c) => reportedCommitment(c, asOf)) } : {}),
  };
}

/** The progress report of one summit's initiatives at `asOf`, for the given member states (in their order). */
export function progressReport(args: {
  summit: SummitFacts;
  views: readonly InitiativeView[];
  states: readonly string[];
  asOf: Date;
  /** The commitment register of the summit's initiatives; none when left out. */
  commitments?: readonly Commitment[];
}): ProgressReport {
  const asOf = args.asOf.getTime();
  const initiatives = args.views
    .filter((v) => v.summit === args.summit.id)
    .map((v) =>
      reportedInitiative(
        v,
        args.states,
        asOf,
        (args.commitments ?? []).filter((c) => c.initiativeId === v.id),
      ),
    )
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  const count = (p: (i: ReportedInitiative) => boolean) => initiatives.filter(p).length;
  const byState = args.states.map((code) => ({
    code,
    approved: count((i) => i.positions[code] === 'approved' || i.positions[code] === 'deemed'),
    pending: count((i) => i.positions[code] === 'pending'),
    objected: count((i) => i.positions[code] === 'objected'),
    changes: count((i) => i.positions[code] === 'changes'),
    late: initiatives.reduce((n, i) => n + i.late.filter((l) => l.states.includes(code)).length, 0),
    leads: initiatives.filter((i) => i.leadState === code).map((i) => i.id),
  }));
  return {
    summit: args.summit,
    asOf: args.asOf.toISOString(),
    states: [...args.states],
    totals: {
      initiatives: initiatives.length,
      adopted: count((i) => ADOPTED.includes(i.stage)),
      inSignoff: count((i) => i.stage === Stage.Signoff),
      preparing: count((i) => ([Stage.Proposed, Stage.Assigned, Stage.Drafting] as Stage[]).includes(i.stage)),
      completed: count((i) => i.stage === Stage.Completed),
      withdrawn: count((i) => i.stage === Stage.Withdrawn),
      late: count((i) => i.late.length > 0),
    },
    initiatives,
    byState,
  };
}

/**
 * What the Chair of `year` inherits on its first day: every open initiative, the deadlines of the first 90 days,
 * and the objections that block a round. `chairState` undefined: no Chair is entered for the year.
 */
export function handoverPack(args: {
  year: number;
  chairState?: string;
  outgoingChair?: string;
  from: string;
  views: readonly InitiativeView[];
  states: readonly string[];
  asOf: Date;
}): HandoverPack {
  const asOf = args.asOf.getTime();
  const openViews = args.views.filter((v) => !isTerminal(v.stage));
  // Soonest due first (the late ones lead), then those without a deadline.
  const dueOf = (i: ReportedInitiative) => i.next?.dueAt ?? '\uffff';
  const open = openViews
    .map((v) => reportedInitiative(v, args.states, asOf))
    .sort((a, b) => dueOf(a).localeCompare(dueOf(b)) || a.title.localeCompare(b.title));
  const until = new Date(Date.parse(`${args.from}T00:00:00Z`) + 90 * DAY_MS).toISOString();
  const deadlines = openViews
    .flatMap((v) =>
      v.deadlines
        .filter((d) => d.dueAt < until)
        .map((d) => ({
          initiativeId: v.id,
          title: v.title,
          ...(v.titleRu ? { titleRu: v.titleRu } : {}),
          step: d.step,
          dueAt: d.dueAt,
          ...waitingOf(v, d.waitingOn),
        })),
    )
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const objections = open.flatMap((i) =>
    i.objection
      ? [{ initiativeId: i.id, title: i.title, ...(i.titleRu ? { titleRu: i.titleRu } : {}), ...i.objection }]
      : [],
  );
  return {
    year: args.year,
    ...(args.chairState ? { chairState: args.chairState } : {}),
    ...(args.outgoingChair ? { outgoingChair: args.outgoingChair } : {}),
    from: args.from,
    asOf: args.asOf.toISOString(),
    open,
    until: until.slice(0, 10),
    deadlines,
    objections,
  };
}
