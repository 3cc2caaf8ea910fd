/**
 * The figures behind the Secretariat's dashboards: per member state and per chairmanship year, how promptly states
 * decide, what is overdue, what the silence procedure settled, and which commitments were delivered. Pure: built
 * from the stored views of the initiatives (src/domain/view.ts), the rotation calendar and the commitment cells as
 * they stand at `asOf`; the same inputs give the same figures, so a dashboard kept today can be drawn again later.
 *
 * A view holds only the current sign-off round of its initiative: the decisions of earlier rounds (before a
 * change request sent the draft back) are in the audit trail alone and are not counted here. A round's `dueAt` is
 * the due date as it stands, after any extension, so a decision made within an extended deadline is on time.
 */
import type { ChairPeriod } from '../domain/rotation';
import { localDateOf } from '../domain/time';
import { isTerminal, Stage } from '../domain/types';
import type { InitiativeView } from '../domain/view';

/** One commitment of an implementation plan, as the plan's table holds it. */
export interface CommitmentCell {
  /** A member state's code, or 'secretariat'. */
  party: string;
  status: 'not_started' | 'in_progress' | 'delivered' | 'blocked';
  /** An instant (ISO 8601) or a day (YYYY-MM-DD, due by the end of that day). */
  dueAt?: string;
  deliveredAt?: string;
}

export interface CommitmentFigures {
  total: number;
  delivered: number;
  inProgress: number;
  notStarted: number;
  blocked: number;
  /** Past due at `asOf` and not delivered. */
  late: number;
  /** delivered / total; undefined when nothing is addressed. */
  deliveredRate?: number;
}

export interface Figures {
  /** Decisions the state made itself (approve, request changes, object); deemed approvals are not among them. */
  decided: number;
  /** Of those, made by the round's due date. */
  onTime: number;
  /**
   * The decisions the on-time rate is taken over: every decision the state made itself, every deemed approval, and
   * every round whose due date has passed at `asOf` while it still waits on the state. A round not yet due, one that
   * reached its outcome without the state (a quorum, a withdrawal) or one stopped by another state's objection is
   * not held against the state.
   */
  counted: number;
  /** onTime / counted; undefined when nothing counts (a rate of 0 would read as "always late"). */
  onTimeRate?: number;
  /** Median of the hours from the round's opening to the state's own decision; deemed approvals are left out. */
  medianHoursToDecide?: number;
  /** Approvals the silence procedure deemed given. */
  deemed: number;
  /** Open deadlines past due at `asOf` that wait on the state ('state:XX'); withdrawn and completed ones left out. */
  overdue: number;
  commitments: CommitmentFigures;
}

export interface StateFigures extends Figures {
  state: string;
}

/**
 * One chairmanship year. Rounds (their decisions and silence outcomes) belong to the year their round opened in;
 * an adoption to the year of the decision that completed it; an overdue deadline and a commitment to the year of
 * their due date. Figures are summed over the listed states; the median is taken over their decisions pooled.
 */
export interface YearFigures extends Figures {
  year: number;
  chairState: string;
  from: string;
  to: string;
  /** Sign-off rounds opened in the year. */
  rounds: number;
  /** Initiatives whose sign-off was completed in the year (their last decision), now adopted or further on. */
  adopted: number;
  /** Rounds opened in the year in which the silence procedure deemed at least one approval. */
  endedBySilence: number;
}

export interface Dashboard {
  asOf: string;
  byState: StateFigures[];
  byYear: YearFigures[];
  /** Commitments addressed to the Secretariat, which no state figure holds. */
  secretariat: CommitmentFigures;
}

const HOUR_MS = 3_600_000;
const ADOPTED: readonly Stage[] = [Stage.Adopted, Stage.Implementing, Stage.Completed];
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** One state's part in one current round: the facts every figure is counted from. */
interface Ask {
  view: InitiativeView;
  state: string;
  /** Hours from the round's opening to the state's own decision; undefined when it made none. */
  hours?: number;
  onTime: boolean;
  counted: boolean;
  deemed: boolean;
}

function asksOf(view: InitiativeView, states: readonly string[], asOf: number): Ask[] {
  const round = view.round;
  if (!round) return [];
  const due = Date.parse(round.dueAt);
  return states
    .filter((s) => round.members.includes(s) || round.decisions[s])
    .map((state) => {
      const d = round.decisions[state];
      const own = d && !d.deemed ? d : undefined;
      const waited = !d && due <= asOf && view.pendingStates.includes(state);
      return {
        view,
        state,
        hours: own ? (Date.parse(own.at) - Date.parse(round.openedAt)) / HOUR_MS : undefined,
        onTime: !!own && Date.parse(own.at) <= due,
        counted: !!d || waited,
        deemed: !!d?.deemed,
      };
    });
}

function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return Math.round(m * 10) / 10;
}

function isLate(c: CommitmentCell, asOf: number, asOfDay: string): boolean {
  if (c.status === 'delivered' || !c.dueAt) return false;
  return DAY_ONLY.test(c.dueAt) ? c.dueAt < asOfDay : Date.parse(c.dueAt) < asOf;
}

function commitmentFigures(cells: readonly CommitmentCell[], asOf: number, asOfDay: string): CommitmentFigures {
  const count = (status: CommitmentCell['status']) => cells.filter((c) => c.status === status).length;
  const delivered = count('delivered');
  return {
    total: cells.length,
    delivered,
    inProgress: count('in_progress'),
    notStarted: count('not_started'),
    blocked: count('blocked'),
    late: cells.filter((c) => isLate(c, asOf, asOfDay)).length,
    ...(cells.length ? { deliveredRate: delivered / cells.length } : {}),
  };
}

function figures(
  asks: readonly Ask[],
  overdue: number,
  cells: readonly CommitmentCell[],
  asOf: number,
  asOfDay: string,
): Figures {
  const hours = asks.flatMap((a) => (a.hours === undefined ? [] : [a.hours]));
  const onTime = asks.filter((a) => a.onTime).length;
  const counted = asks.filter((a) => a.counted).length;
  const med = median(hours);
  return {
    decided: hours.length,
    onTime,
    counted,
    ...(counted ? { onTimeRate: onTime / counted } : {}),
    ...(med === undefined ? {} : { medianHoursToDecide: med }),
    deemed: asks.filter((a) => a.deemed).length,
    overdue,
    commitments: commitmentFigures(cells, asOf, asOfDay),
  };
}

/** The dashboard figures at `asOf`, for the given member states (in their order) and chairmanship periods. */
export function dashboard(input: {
  views: readonly InitiativeView[];
  states: readonly string[];
  periods: readonly ChairPeriod[];
  commitments: readonly CommitmentCell[];
  asOf: string;
  /** The zone whose calendar days place an instant in a chairmanship year; UTC when left out. */
  timeZone?: string;
}): Dashboard {
  const { views, states, periods, commitments } = input;
  const asOf = Date.parse(input.asOf);
  const dayOf = (iso: string): string =>
    DAY_ONLY.test(iso) ? iso : input.timeZone ? localDateOf(new Date(iso), input.timeZone) : iso.slice(0, 10);
  const asOfDay = dayOf(input.asOf);
  const periodOf = (iso: string | undefined) => {
    const day = iso && dayOf(iso);
    return day ? periods.find((p) => p.from <= day && day <= p.to) : undefined;
  };

  const asks = views.flatMap((v) => asksOf(v, states, asOf));
  const overdue = views
    .filter((v) => !isTerminal(v.stage))
    .flatMap((v) => v.deadlines.filter((d) => Date.parse(d.dueAt) < asOf))
    .flatMap((d) =>
      d.waitingOn.filter((k) => k.startsWith('state:')).map((k) => ({ state: k.slice(6), dueAt: d.dueAt })),
    )
    .filter((o) => states.includes(o.state));
  const stateCells = commitments.filter((c) => states.includes(c.party));

  const byState = states.map((state) => ({
    state,
    ...figures(
      asks.filter((a) => a.state === state),
      overdue.filter((o) => o.state === state).length,
      stateCells.filter((c) => c.party === state),
      asOf,
      asOfDay,
    ),
  }));

  const byYear = periods.map((p) => {
    const inYear = (iso: string | undefined) => periodOf(iso) === p;
    const rounds = views.filter((v) => v.round && inYear(v.round.openedAt));
    const adopted = views.filter((v) => {
      if (!ADOPTED.includes(v.stage) || !v.round) return false;
      const last = Object.values(v.round.decisions)
        .map((d) => d.at)
        .sort()
        .at(-1);
      return inYear(last);
    });
    return {
      year: p.year,
      chairState: p.chairState,
      from: p.from,
      to: p.to,
      rounds: rounds.length,
      adopted: adopted.length,
      endedBySilence: rounds.filter((v) => Object.values(v.round?.decisions ?? {}).some((d) => d.deemed)).length,
      ...figures(
        asks.filter((a) => a.view.round && inYear(a.view.round.openedAt)),
        overdue.filter((o) => inYear(o.dueAt)).length,
        stateCells.filter((c) => inYear(c.dueAt)),
        asOf,
        asOfDay,
      ),
    };
  });

  return {
    asOf: new Date(asOf).toISOString(),
    byState,
    byYear,
    secretariat: commitmentFigures(
      commitments.filter((c) => c.party === 'secretariat'),
      asOf,
      asOfDay,
    ),
  };
}
