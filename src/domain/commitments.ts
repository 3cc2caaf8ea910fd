/**
 * The commitment register: what an adopted initiative asks of whom. A commitment is addressed to one member
 * state, to every member state, or to the Secretariat; each party it is addressed to delivers its own part
 * (its status, progress, evidence), updated by its national focal points. Pure rules, shared by the service
 * that stores the register, the pages that show it and the reports that count it.
 */
import { Role, Stage, type Actor } from './types';

export const CommitmentStatus = {
  NotStarted: 'not_started',
  InProgress: 'in_progress',
  Delivered: 'delivered',
  /** The party cannot go on without something outside its hands; its note says what. */
  Blocked: 'blocked',
} as const;
export type CommitmentStatus = (typeof CommitmentStatus)[keyof typeof CommitmentStatus];
export const COMMITMENT_STATUSES = Object.values(CommitmentStatus) as [CommitmentStatus, ...CommitmentStatus[]];

/** Who a commitment is addressed to: a member state's code, every member state, or the Secretariat. */
export const ALL_STATES = 'all';
export const SECRETARIAT = 'secretariat';

/** The stages at which the summit's decision stands and its commitments can be registered. */
export const REGISTER_STAGES: readonly Stage[] = [Stage.Adopted, Stage.Implementing, Stage.Completed];

export interface Evidence {
  url: string;
  title?: string;
  addedAt: string;
  addedBy: string;
}

/** One party's part of a commitment. */
export interface Delivery {
  status: CommitmentStatus;
  /** Per cent, 0 to 100; 100 when delivered. */
  progress: number;
  evidence: Evidence[];
  note?: string;
  deliveredAt?: string;
  updatedAt?: string;
  updatedBy?: string;
  updatedByName?: string;
}

export interface CommitmentMilestone {
  title: string;
  dueAt: string;
}

export interface Commitment {
  id: string;
  initiativeId: string;
  title: string;
  /** ALL_STATES, SECRETARIAT or a member state's code. */
  to: string;
  dueAt?: string;
  milestones: CommitmentMilestone[];
  /** Each party's part, by state code or SECRETARIAT. */
  parties: Record<string, Delivery>;
  createdAt: string;
  createdBy: string;
}

/** A focal point's change to its party's part: only what it names changes. */
export interface DeliveryUpdate {
  status?: CommitmentStatus;
  progress?: number;
  note?: string;
  /** Added to the evidence already there. */
  evidence?: { url: string; title?: string }[];
}

/** The parties a new commitment addressed to `to` has, given the member states on the day. */
export function partiesFor(to: string, memberStates: readonly string[]): string[] {
  if (to === ALL_STATES) return [...memberStates].sort();
  return [to];
}

export function newDelivery(): Delivery {
  return { status: CommitmentStatus.NotStarted, progress: 0, evidence: [] };
}

/**
 * Who may update a party's part: the Secretariat any; a member state's representative, deputy or officials (its
 * national focal points) their own state's part only.
 */
export function mayUpdate(actor: Pick<Actor, 'roles' | 'state'>, party: string): boolean {
  if (actor.roles.includes(Role.Secretariat)) return true;
  if (party === SECRETARIAT || !actor.state || actor.state !== party) return false;
  return actor.roles.some((r) => r === Role.Representative || r === Role.Deputy || r === Role.Official);
}

/** Why an update of a part is refused: the words the API answers with, and the keys the pages translate them by. */
export const UpdateRefusal = {
  progressRange: 'must be a whole number from 0 to 100',
  deliveredFull: 'a delivered commitment is at 100 %',
  startedHasProgress: 'work that has progress has started: choose in progress',
  blockedNeedsNote: 'say what blocks the commitment',
  nothingToChange: 'nothing to change: give a status, progress, a note or evidence',
} as const;

/** What is wrong with an update of a part as it stands, field by field; empty when it may be applied. */
export function updateErrors(current: Delivery, u: DeliveryUpdate): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const status = u.status ?? current.status;
  if (u.progress !== undefined && (!Number.isInteger(u.progress) || u.progress < 0 || u.progress > 100))
    errors.push({ field: 'progress', message: UpdateRefusal.progressRange });
  if (status === CommitmentStatus.Delivered && u.progress !== undefined && u.progress !== 100)
    errors.push({ field: 'progress', message: UpdateRefusal.deliveredFull });
  if (status === CommitmentStatus.NotStarted && (u.progress ?? current.progress) > 0 && u.status !== undefined)
    errors.push({ field: 'status', message: UpdateRefusal.startedHasProgress });
  if (status === CommitmentStatus.Blocked && !(u.note ?? current.note))
    errors.push({ field: 'note', message: UpdateRefusal.blockedNeedsNote });
  if (
    u.status === undefined &&
    u.progress === undefined &&
    u.note === undefined &&
    (u.evidence === undefined || u.evidence.length === 0)
  )
    errors.push({ field: 'status', message: UpdateRefusal.nothingToChange });
  return errors;
}

/** The update reduced to what it would change in the part; undefined when it changes nothing (a re-uploaded row). */
export function effectiveUpdate(current: Delivery, u: DeliveryUpdate): DeliveryUpdate | undefined {
  const next: DeliveryUpdate = {
    ...(u.status !== undefined && u.status !== current.status ? { status: u.status } : {}),
    ...(u.progress !== undefined && u.progress !== current.progress ? { progress: u.progress } : {}),
    ...(u.note !== undefined && u.note !== (current.note ?? '') ? { note: u.note } : {}),
    ...(u.evidence?.length ? { evidence: u.evidence } : {}),
  };
  return Object.keys(next).length > 0 ? next : undefined;
}

/** The part after the update (checked by updateErrors first). Delivery sets progress to 100 and records when. */
export function applyUpdate(current: Delivery, u: DeliveryUpdate, by: Pick<Actor, 'personId' | 'name'>, at: string) {
  const status = u.status ?? current.status;
  const delivered = status === CommitmentStatus.Delivered;
  const next: Delivery = {
    status,
    progress: delivered ? 100 : (u.progress ?? current.progress),
    evidence: [
      ...current.evidence,
      ...(u.evidence ?? []).map((e) => ({
        url: e.url,
        ...(e.title ? { title: e.title } : {}),
        addedAt: at,
        addedBy: by.personId,
      })),
    ],
    ...((u.note ?? current.note) ? { note: u.note ?? current.note } : {}),
    ...(delivered ? { deliveredAt: current.status === CommitmentStatus.Delivered ? current.deliveredAt : at } : {}),
    updatedAt: at,
    updatedBy: by.personId,
    updatedByName: by.name,
  };
  return next;
}

/** A part as a reader sees it at `asOf`: late when its due date has passed and it is not delivered. */
export interface Cell {
  status: CommitmentStatus;
  progress: number;
  late: boolean;
}

export function cellOf(c: Pick<Commitment, 'dueAt' | 'parties'>, party: string, asOf: string): Cell | undefined {
  const d = c.parties[party];
  if (!d) return undefined;
  const late = d.status !== CommitmentStatus.Delivered && !!c.dueAt && Date.parse(c.dueAt) < Date.parse(asOf);
  return { status: d.status, progress: d.progress, late };
}

/** The state × commitment matrix: a row per commitment, a column per member state and one for the Secretariat. */
export function commitmentMatrix(commitments: readonly Commitment[], states: readonly string[], asOf: string) {
  const columns = [...states, SECRETARIAT].filter((p) => commitments.some((c) => p in c.parties));
  const rows = commitments.map((c) => ({
    commitment: c,
    cells: Object.fromEntries(columns.map((p) => [p, cellOf(c, p, asOf)])) as Record<string, Cell | undefined>,
  }));
  const totals = Object.fromEntries(
    columns.map((p) => {
      const cells = rows.map((r) => r.cells[p]).filter((x): x is Cell => !!x);
      return [
        p,
        {
          addressed: cells.length,
          delivered: cells.filter((x) => x.status === CommitmentStatus.Delivered).length,
          late: cells.filter((x) => x.late).length,
        },
      ];
    }),
  ) as Record<string, { addressed: number; delivered: number; late: number }>;
  return { columns, rows, totals };
}
export type CommitmentMatrix = ReturnType<typeof commitmentMatrix>;

/** The columns a focal point's CSV file updates by (the template adds the commitment's and initiative's titles). */
export const CSV_UPDATE_COLUMNS = ['commitment', 'party', 'status', 'progress', 'note', 'evidence'] as const;
