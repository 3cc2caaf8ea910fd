/**
 * Dependencies between initiatives: an initiative, or one of its milestones, that cannot move before another
 * initiative is adopted or completed (the Secretariat's establishment waits for the Charter's adoption). Pure:
 * built from the stored views (src/domain/view.ts) as they stand at `asOf`, so the same inputs give the same
 * answer in the API, the report and a test. It says how each initiative fares once what it waits for is taken
 * into account ("at risk" travels down the chain to everything that waits), refuses a dependency that would make
 * an initiative wait for itself, and lays out the path to the next summit: blockers first, each with the earliest
 * date it can be met.
 */
import { Refusal, RefusalCode } from './initiative';
import { Stage } from './types';
import type { InitiativeView } from './view';

/** What a dependency waits for: the blocker's adoption (the states signed it off) or its completion. */
export const Until = {
  Adopted: 'adopted',
  Completed: 'completed',
} as const;
export type Until = (typeof Until)[keyof typeof Until];

export interface Dependency {
  id: string;
  /** The dependent: the initiative that waits... */
  initiativeId: string;
  /** ...or only this milestone of it (the initiative still carries the risk: its completion needs the milestone). */
  milestoneId?: string;
  /** The initiative it waits for. */
  blockedBy: string;
  until: Until;
  reason?: string;
  /** Who recorded the dependency (person id), and when. */
  by: string;
  at: string;
}

/** How an initiative fares, best to worst (see SEVERITY): the order in which a worse health wins. */
export const Health = {
  OnTrack: 'on_track',
  AtRisk: 'at_risk',
  Late: 'late',
  /** Waits for something that can never happen (a withdrawn initiative): someone must drop or replace the dependency. */
  Blocked: 'blocked',
  /** Completed or withdrawn: nothing is left to chase. */
  Done: 'done',
} as const;
export type Health = (typeof Health)[keyof typeof Health];

/** Why a cause at the end of a chain is one: its own deadline is past or close, or it is withdrawn or unknown. */
export const Why = {
  Late: 'late',
  AtRisk: 'at_risk',
  /** The blocker was withdrawn: the dependency can never be met. */
  Withdrawn: 'withdrawn',
  /** The blocker is not among the views given: it cannot be assessed (a deleted or mistyped id). */
  Unknown: 'unknown',
} as const;
export type Why = (typeof Why)[keyof typeof Why];

/** The root cause of a worse health: the initiative at the far end of a chain, and how the chain reaches it. */
export interface Cause {
  initiativeId: string;
  title: string;
  titleRu?: string;
  /** The root's health as it bears on the chain: late, at risk, or blocked (withdrawn or unknown). */
  health: Health;
  why: Why;
  /** Initiative ids from the dependent to the root, both included. */
  path: string[];
  /** The dependent's own dependency the chain starts with. */
  dependencyId: string;
  until: Until;
  /** The dependent's milestone that waits, when that dependency is on a milestone ("milestone X"). */
  milestone?: { id: string; title: string };
}

export interface ChainHealth {
  /** The worse of `own` and what the chain brings. */
  health: Health;
  /** The initiative's health alone (healthOf). */
  own: Health;
  because: Cause[];
}

/** Within this many days of an open deadline, work not yet in sign-off is at risk: a draft is not written in a week. */
export const AT_RISK_DAYS = 7;
const DAY_MS = 86_400_000;
const ADOPTED: readonly Stage[] = [Stage.Adopted, Stage.Implementing, Stage.Completed];
const BEFORE_SIGNOFF: readonly Stage[] = [Stage.Proposed, Stage.Assigned, Stage.Drafting];
/** Done ranks lowest: a finished initiative never makes another's health worse. */
const SEVERITY: Record<Health, number> = { done: 0, on_track: 1, at_risk: 2, late: 3, blocked: 4 };

export const worse = (a: Health, b: Health): Health => (SEVERITY[b] > SEVERITY[a] ? b : a);

/**
 * One initiative alone at `asOf`: done when completed or withdrawn; late when an open deadline is past due; at
 * risk when a deadline before sign-off (assignment, draft) is due within AT_RISK_DAYS, or the sign-off round is
 * stopped by an objection (adoption waits on the Secretariat); on track otherwise. A sign-off or milestone
 * deadline that is merely close is not a risk: the states decide, or the owner delivers, on the day.
 */
export function healthOf(view: InitiativeView, asOf: string): Health {
  if (view.stage === Stage.Completed || view.stage === Stage.Withdrawn) return Health.Done;
  const now = Date.parse(asOf);
  const due = view.deadlines.map((d) => Date.parse(d.dueAt));
  if (due.some((t) => t < now)) return Health.Late;
  if (BEFORE_SIGNOFF.includes(view.stage) && due.some((t) => t - now <= AT_RISK_DAYS * DAY_MS)) return Health.AtRisk;
  if (view.stage === Stage.Signoff && view.round?.blockedBy) return Health.AtRisk;
  return Health.OnTrack;
}

/** Whether the blocker has got where the dependency waits for it to be (a withdrawn blocker never has). */
export function satisfied(dep: Pick<Dependency, 'until'>, blocker: Pick<InitiativeView, 'stage'>): boolean {
  return dep.until === Until.Completed ? blocker.stage === Stage.Completed : ADOPTED.includes(blocker.stage);
}

/** Whether the dependency can no longer be met: the blocker was withdrawn before getting there. */
export function neverMet(dep: Pick<Dependency, 'until'>, blocker: Pick<InitiativeView, 'stage'>): boolean {
  return blocker.stage === Stage.Withdrawn && !satisfied(dep, blocker);
}

/**
 * Whether the dependency still holds anything back: not when the dependent is finished (completed or withdrawn),
 * nor when the milestone that waited was completed anyway. Whether the blocker has met it is a separate question.
 */
function holds(dep: Dependency, dependent: InitiativeView): boolean {
  if (dependent.stage === Stage.Completed || dependent.stage === Stage.Withdrawn) return false;
  const m = dep.milestoneId ? dependent.milestones.find((x) => x.id === dep.milestoneId) : undefined;
  return !m?.completedAt;
}

/** A dependency that holds and is not met yet: what the chain and the path follow. */
function open(dep: Dependency, dependent: InitiativeView, blocker: InitiativeView | undefined): boolean {
  return holds(dep, dependent) && !(blocker && satisfied(dep, blocker));
}

function byDependent(deps: readonly Dependency[]): Map<string, Dependency[]> {
  const out = new Map<string, Dependency[]>();
  for (const d of deps) out.set(d.initiativeId, [...(out.get(d.initiativeId) ?? []), d]);
  return out;
}

/**
 * Each initiative's health with its chain at `asOf`. A dependency not yet met whose blocker is, itself or further
 * down its own chain, late, at risk or blocked makes the dependent at least at risk, and `because` names each root
 * cause with the path of ids to it (the shortest, once per root); a withdrawn blocker makes the dependent blocked,
 * since waiting will not help. A dependent whose own health is worse keeps it; a finished one is done whatever it
 * waited for. A blocker that is merely on track leaves the dependent as it is: waiting is not a risk. Cycles are
 * refused when recorded (refuseCycle); should one slip in, the edge that closes it is ignored.
 */
export function dependencyHealth(
  views: readonly InitiativeView[],
  deps: readonly Dependency[],
  asOf: string,
): Map<string, ChainHealth> {
  const viewById = new Map(views.map((v) => [v.id, v]));
  const waits = byDependent(deps);
  const done = new Map<string, ChainHealth>();
  const visiting = new Set<string>();

  const evaluate = (view: InitiativeView): ChainHealth => {
    const known = done.get(view.id);
    if (known) return known;
    visiting.add(view.id);
    const own = healthOf(view, asOf);
    let health = own;
    const causes: Cause[] = [];
    for (const dep of waits.get(view.id) ?? []) {
      const blocker = viewById.get(dep.blockedBy);
      if (!open(dep, view, blocker)) continue;
      const milestone = view.milestones.find((m) => m.id === dep.milestoneId);
      const hop = {
        dependencyId: dep.id,
        until: dep.until,
        ...(milestone ? { milestone: { id: milestone.id, title: milestone.title } } : {}),
      };
      if (!blocker || blocker.stage === Stage.Withdrawn) {
        causes.push({
          initiativeId: dep.blockedBy,
          title: blocker?.title ?? dep.blockedBy,
          ...(blocker?.titleRu ? { titleRu: blocker.titleRu } : {}),
          health: Health.Blocked,
          why: blocker ? Why.Withdrawn : Why.Unknown,
          path: [view.id, dep.blockedBy],
          ...hop,
        });
        // Waiting on an unknown id may still resolve (a view not loaded): at risk, not blocked.
        health = worse(health, blocker ? Health.Blocked : Health.AtRisk);
        continue;
      }
      if (visiting.has(blocker.id)) continue;
      const b = evaluate(blocker);
      const found: Cause[] = [];
      if (b.own === Health.Late || b.own === Health.AtRisk)
        found.push({
          initiativeId: blocker.id,
          title: blocker.title,
          ...(blocker.titleRu ? { titleRu: blocker.titleRu } : {}),
          health: b.own,
          why: b.own === Health.Late ? Why.Late : Why.AtRisk,
          path: [view.id, blocker.id],
          ...hop,
        });
      for (const c of b.because) found.push({ ...c, path: [view.id, ...c.path], ...hop });
      if (!found.length) continue;
      causes.push(...found);
      health = worse(health, Health.AtRisk);
    }
    visiting.delete(view.id);
    const result: ChainHealth =
      own === Health.Done ? { health: own, own, because: [] } : { health, own, because: shortestPerRoot(causes) };
    done.set(view.id, result);
    return result;
  };

  return new Map(views.map((v) => [v.id, evaluate(v)]));
}

/** One cause per root (and reason), by its shortest path: a diamond of dependencies names its root once. */
function shortestPerRoot(causes: readonly Cause[]): Cause[] {
  const best = new Map<string, Cause>();
  for (const c of causes) {
    const key = `${c.initiativeId}\u0000${c.why}`;
    const seen = best.get(key);
    if (!seen || c.path.length < seen.path.length) best.set(key, c);
  }
  return [...best.values()];
}

/**
 * The cycle that recording `initiativeId` waits for `blockedBy` would close, as ids from the dependent back to it
 * ([a, a] for a self-dependency, [a, b, a] for a→b over b→a), or undefined when there is none. Milestone
 * dependencies count as their initiative's: its completion needs the milestone, so a loop through one still deadlocks.
 */
export function cycleOf(
  deps: readonly Pick<Dependency, 'initiativeId' | 'blockedBy'>[],
  edge: { initiativeId: string; blockedBy: string },
): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const d of deps) next.set(d.initiativeId, [...(next.get(d.initiativeId) ?? []), d.blockedBy]);
  // A path from the blocker back to the dependent, breadth first so the message names the shortest loop.
  const cameFrom = new Map<string, string>([[edge.blockedBy, '']]);
  const queue = [edge.blockedBy];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i];
    if (at === edge.initiativeId) {
      const back: string[] = [];
      for (let n = at; n !== ''; n = cameFrom.get(n)!) back.push(n);
      return [edge.initiativeId, ...back.reverse()];
    }
    for (const n of next.get(at) ?? [])
      if (!cameFrom.has(n)) {
        cameFrom.set(n, at);
        queue.push(n);
      }
  }
  return undefined;
}

/** True when adding the dependency would make an initiative wait, directly or down a chain, for itself. */
export function wouldCycle(
  deps: readonly Pick<Dependency, 'initiativeId' | 'blockedBy'>[],
  edge: { initiativeId: string; blockedBy: string },
): boolean {
  return cycleOf(deps, edge) !== undefined;
}

/** Refuses (Refusal 'invalid', the API's 409) a dependency that would close a cycle, naming the loop. */
export function refuseCycle(
  deps: readonly Pick<Dependency, 'initiativeId' | 'blockedBy'>[],
  edge: { initiativeId: string; blockedBy: string },
): void {
  const cycle = cycleOf(deps, edge);
  if (!cycle) return;
  throw new Refusal(
    RefusalCode.Invalid,
    cycle.length === 2
      ? `${edge.initiativeId} cannot wait for itself`
      : `${edge.initiativeId} cannot wait for ${edge.blockedBy}: it would wait for itself (${cycle.join(' → ')})`,
  );
}

/** One initiative on the path to the summit. */
export interface PathStep {
  initiativeId: string;
  title: string;
  titleRu?: string;
  stage: Stage;
  /** With its chain (dependencyHealth). */
  health: Health;
  /** Its dependencies not yet met: the blockers appear earlier on the path. */
  waitsFor: { dependencyId: string; blockedBy: string; until: Until; milestoneId?: string }[];
  nextDueAt?: string;
  /**
   * The earliest date it can be met: the later of its own next due date and its blockers' earliest dates, and not
   * before `asOf` (a past due date is not met yet). Undefined when nothing gives a date, or when it never can be.
   */
  earliest?: string;
  /** Waits, itself or down its chain, for a withdrawn initiative. */
  never: boolean;
  /** Its earliest date is not before the summit opens (too late to report as done), or it can never be met. */
  afterSummit: boolean;
}

/**
 * The path to the next summit: every initiative in a chain of dependencies not yet met (the dependents and what
 * they wait for, transitively), in topological order so that blockers come before their dependents; among those
 * ready at the same point, the earliest date first, then the id. A date-only `summitDate` (YYYY-MM-DD) means the
 * summit opens at 00:00 UTC that day: what is due on the day itself lands after it. A blocker missing from the views
 * gives no date (dependencyHealth marks its dependents at risk).
 */
export function pathToSummit(
  views: readonly InitiativeView[],
  deps: readonly Dependency[],
  opts: { summitDate: string; asOf: string },
): PathStep[] {
  const viewById = new Map(views.map((v) => [v.id, v]));
  const health = dependencyHealth(views, deps, opts.asOf);
  const openDeps = deps.filter((d) => {
    const dependent = viewById.get(d.initiativeId);
    return dependent !== undefined && viewById.has(d.blockedBy) && open(d, dependent, viewById.get(d.blockedBy));
  });
  const waits = byDependent(openDeps);
  const ids = new Set(openDeps.flatMap((d) => [d.initiativeId, d.blockedBy]));

  // Earliest dates, memoised; a cycle (refused when recorded) is cut where it closes.
  const dates = new Map<string, { earliest?: string; never: boolean }>();
  const visiting = new Set<string>();
  const dateOf = (id: string): { earliest?: string; never: boolean } => {
    const known = dates.get(id);
    if (known) return known;
    visiting.add(id);
    const view = viewById.get(id)!;
    let never = view.stage === Stage.Withdrawn;
    const candidates = view.nextDueAt ? [Date.parse(view.nextDueAt)] : [];
    for (const d of waits.get(id) ?? []) {
      if (visiting.has(d.blockedBy)) continue;
      const b = dateOf(d.blockedBy);
      never ||= b.never;
      if (b.earliest) candidates.push(Date.parse(b.earliest));
    }
    visiting.delete(id);
    const result =
      never || !candidates.length
        ? { never }
        : { earliest: new Date(Math.max(Date.parse(opts.asOf), ...candidates)).toISOString(), never };
    dates.set(id, result);
    return result;
  };

  const summit = Date.parse(opts.summitDate);
  const steps = new Map<string, PathStep>();
  for (const id of ids) {
    const view = viewById.get(id)!;
    const { earliest, never } = dateOf(id);
    steps.set(id, {
      initiativeId: id,
      title: view.title,
      ...(view.titleRu ? { titleRu: view.titleRu } : {}),
      stage: view.stage,
      health: health.get(id)!.health,
      waitsFor: (waits.get(id) ?? []).map((d) => ({
        dependencyId: d.id,
        blockedBy: d.blockedBy,
        until: d.until,
        ...(d.milestoneId ? { milestoneId: d.milestoneId } : {}),
      })),
      ...(view.nextDueAt ? { nextDueAt: view.nextDueAt } : {}),
      ...(earliest ? { earliest } : {}),
      never,
      afterSummit: never || (earliest !== undefined && Date.parse(earliest) >= summit),
    });
  }
  return topological(steps);
}

/** Kahn's order over the steps, blockers first; what a cycle leaves over goes last, by id. */
function topological(steps: Map<string, PathStep>): PathStep[] {
  const remaining = new Map(
    [...steps.values()].map((s) => [s.initiativeId, new Set(s.waitsFor.map((w) => w.blockedBy))]),
  );
  const order = (a: PathStep, b: PathStep) =>
    (a.earliest ?? '\uffff').localeCompare(b.earliest ?? '\uffff') || a.initiativeId.localeCompare(b.initiativeId);
  const out: PathStep[] = [];
  for (;;) {
    const ready = [...remaining]
      .filter(([, blockers]) => blockers.size === 0)
      .map(([id]) => steps.get(id)!)
      .sort(order);
    if (!ready.length) break;
    const next = ready[0];
    out.push(next);
    remaining.delete(next.initiativeId);
    for (const blockers of remaining.values()) blockers.delete(next.initiativeId);
  }
  const left = [...remaining.keys()].sort().map((id) => steps.get(id)!);
  return [...out, ...left];
}
