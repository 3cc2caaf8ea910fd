/**
 * The reports the Secretariat takes to the next summit (src/report/): gathered from the read model and the
 * directory as they stand now, and given as JSON, PDF or DOCX in English or Russian.
 */
import { appErrors } from '../app/errors';
import { dayOf } from '../domain/delegation';
import { Role, type Actor } from '../domain/types';
import type { Lang } from '../email/templates';
import { commitmentOf, type CommitmentRepository } from '../persistence/commitments';
import type { Directory, RotationDoc, StateDoc } from '../persistence/directory';
import type { ReportSnapshotDoc, ReportSnapshots } from '../persistence/report-snapshots';
import { compareReports } from '../report/compare';
import { handoverDocument, progressDocument, type ReportDocument, type StateNames } from '../report/document';
import { renderDocx } from '../report/docx';
import { renderPdf } from '../report/pdf';
import {
  handoverPack,
  progressReport,
  type HandoverPack,
  type ProgressReport,
  type SummitFacts,
} from '../report/progress';
import type { ReadModel } from './read-model';

export type ReportFormat = 'json' | 'pdf' | 'docx';

export interface ReportDeps {
  readModel: Pick<ReadModel, 'reportViews'>;
  directory: Pick<Directory, 'states' | 'membersOn' | 'rotation'>;
  snapshots: ReportSnapshots;
  /** The commitment register: each adopted initiative's commitments are in the progress report. */
  commitments?: Pick<CommitmentRepository, 'ofInitiatives'>;
  /** The Secretariat's zone: every time in the documents is shown in it. */
  timeZone: string;
}

/** More initiatives than a summit decides in a decade: the report reads them all at once. */
const MAX_INITIATIVES = 5000;

const namesOf = (states: StateDoc[]): StateNames => Object.fromEntries(states.map((s) => [s._id, s.name]));

/** The summits the rotation calendar records, with their ids as the summit files name them ("<city>-<year>"). */
export function summitsOnRecord(
  rotation: RotationDoc[],
): (SummitFacts & Required<Pick<SummitFacts, 'title' | 'date' | 'city'>>)[] {
  return rotation.flatMap((r) =>
    r.summit ? [{ id: `${r.summit.city.toLowerCase()}-${r.summit.date.slice(0, 4)}`, ...r.summit }] : [],
  );
}

/** A summit's date, city and title, from the rotation year that held it. */
function summitFacts(id: string, rotation: RotationDoc[]): SummitFacts {
  return summitsOnRecord(rotation).find((s) => s.id === id) ?? { id };
}

const summaryOf = (d: Omit<ReportSnapshotDoc, 'report'>): SnapshotSummary => ({
  id: d._id,
  summit: d.summit,
  takenAt: d.takenAt,
  takenBy: d.takenBy,
  ...(d.note ? { note: d.note } : {}),
});

export interface Rendered {
  body: Buffer;
  contentType: string;
  extension: string;
}

/** A document in a file format. */
export async function renderReport(
  doc: ReportDocument,
  format: Exclude<ReportFormat, 'json'>,
  at: Date,
): Promise<Rendered> {
  return format === 'pdf'
    ? { body: await renderPdf(doc, at), contentType: 'application/pdf', extension: 'pdf' }
    : {
        body: await renderDocx(doc),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
      };
}

/** A kept report as the list shows it: who kept it, when and why. */
export type SnapshotSummary = Omit<ReportSnapshotDoc, '_id' | 'report'> & { id: string };

export function createReports(deps: ReportDeps) {
  /** The member states on `day` (the directory's rule), in the order of their English names. */
  const memberCodes = async (day: string): Promise<string[]> =>
    (await deps.directory.membersOn(day)).sort((a, b) => a.name.en.localeCompare(b.name.en)).map((m) => m._id);

  async function current(summit: string, now: Date): Promise<{ report: ProgressReport; states: StateDoc[] } | null> {
    const views = await deps.readModel.reportViews(summit, MAX_INITIATIVES);
    if (views.length === 0) return null;
    const [states, rotation, members, commitments] = await Promise.all([
      deps.directory.states(),
      deps.directory.rotation(),
      memberCodes(dayOf(now, deps.timeZone)),
      deps.commitments?.ofInitiatives(views.map((v) => v.id)) ?? [],
    ]);
    const report = progressReport({
      summit: summitFacts(summit, rotation),
      views,
      states: members,
      asOf: now,
      commitments: commitments.map(commitmentOf),
    });
    return { report, states };
  }

  async function snapshotOf(id: string, summit?: string): Promise<ReportSnapshotDoc> {
    const kept = await deps.snapshots.get(id);
    if (!kept || (summit !== undefined && kept.summit !== summit))
      throw appErrors.notFound(`kept report ${id}${summit ? ` of ${summit}` : ''}`);
    return kept;
  }

  return {
    /**
     * The progress report of a summit's initiatives now, or null when the summit has none on record. With
     * `since` (the id of a kept report of the same summit), the document opens with what changed after it.
     */
    async progress(
      summit: string,
      lang: Lang,
      opts: { since?: string; now?: Date } = {},
    ): Promise<{ report: ProgressReport; doc: ReportDocument } | null> {
      const made = await current(summit, opts.now ?? new Date());
      if (!made) return null;
      const before = opts.since ? await snapshotOf(opts.since, summit) : undefined;
      const since = before && {
        at: new Date(before.takenAt).toISOString(),
        changes: compareReports(before.report, made.report),
      };
      return {
        report: made.report,
        doc: progressDocument(made.report, lang, namesOf(made.states), deps.timeZone, since),
      };
    },

    /** The Secretariat keeps the summit's report as it stands now; null when the summit has no initiative on record. */
    async keep(actor: Actor, summit: string, note?: string, now = new Date()): Promise<SnapshotSummary | null> {
      if (!actor.roles.includes(Role.Secretariat)) throw appErrors.forbidden('only the Secretariat keeps reports');
      const made = await current(summit, now);
      if (!made) return null;
      const kept = await deps.snapshots.keep({
        summit,
        takenAt: now,
        takenBy: actor.personId,
        ...(note ? { note } : {}),
        report: made.report,
      });
      return summaryOf(kept);
    },

    /** A summit's kept reports, newest first. */
    async kept(summit: string): Promise<SnapshotSummary[]> {
      return (await deps.snapshots.list(summit)).map(summaryOf);
    },

    /** A kept report, rendered as it stood (not found: an AppError). */
    async snapshot(id: string, lang: Lang): Promise<{ report: ProgressReport; doc: ReportDocument; summit: string }> {
      const kept = await snapshotOf(id);
      const states = await deps.directory.states();
      return {
        report: kept.report,
        summit: kept.summit,
        doc: progressDocument(kept.report, lang, namesOf(states), deps.timeZone),
      };
    },

    /** What the Chair of `year` inherits: every open initiative as it stands now, against that year's rotation. */
    async handover(year: number, lang: Lang, now = new Date()): Promise<{ pack: HandoverPack; doc: ReportDocument }> {
      const [views, states, rotation] = await Promise.all([
        deps.readModel.reportViews(undefined, MAX_INITIATIVES),
        deps.directory.states(),
        deps.directory.rotation(),
      ]);
      const incoming = rotation.find((r) => r._id === year);
      const outgoing = rotation.find((r) => r._id === year - 1);
      const from = incoming?.from ?? `${year}-01-01`;
      const pack = handoverPack({
        year,
        chairState: incoming?.chairState,
        outgoingChair: outgoing?.chairState,
        from,
        views,
        states: await memberCodes(from),
        asOf: now,
      });
      return { pack, doc: handoverDocument(pack, lang, namesOf(states), deps.timeZone) };
    },
  };
}
export type Reports = ReturnType<typeof createReports>;
