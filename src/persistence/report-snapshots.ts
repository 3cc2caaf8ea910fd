/**
 * Progress reports the Secretariat kept, as they stood when kept: the report's data (src/report/progress.ts),
 * rendered again on demand in either language and format, and compared with a later one. Kept whole, never
 * edited: a snapshot is what the member states were shown on that day.
 */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';
import type { ProgressReport } from '../report/progress';

export interface ReportSnapshotDoc {
  /** Random: the id is not guessable from the summit or the time. */
  _id: string;
  summit: string;
  takenAt: Date;
  takenBy: string;
  note?: string;
  report: ProgressReport;
}

const schema = new Schema<ReportSnapshotDoc>(
  { _id: String, summit: String, takenAt: Date, takenBy: String, note: String, report: Schema.Types.Mixed },
  { versionKey: false, minimize: false },
);
// A summit's snapshots, newest first.
schema.index({ summit: 1, takenAt: -1 });

export function reportSnapshotModel(conn: Connection) {
  return conn.model<ReportSnapshotDoc>('ReportSnapshot', schema, 'report_snapshots');
}
export type ReportSnapshotModel = ReturnType<typeof reportSnapshotModel>;

/** More than a summit's year can need: the list answers with the newest. */
const LIST_LIMIT = 200;

export function createReportSnapshots(model: ReportSnapshotModel) {
  return {
    async keep(s: Omit<ReportSnapshotDoc, '_id'>): Promise<ReportSnapshotDoc> {
      const doc = { _id: randomBytes(8).toString('hex'), ...s };
      await model.create(doc);
      return doc;
    },
    async get(id: string): Promise<ReportSnapshotDoc | null> {
      return model.findById(id).lean();
    },
    /** A summit's snapshots, newest first, without their reports. */
    async list(summit: string): Promise<Omit<ReportSnapshotDoc, 'report'>[]> {
      return model.find({ summit }).select({ report: 0 }).sort({ takenAt: -1 }).limit(LIST_LIMIT).lean();
    },
  };
}
export type ReportSnapshots = ReturnType<typeof createReportSnapshots>;
