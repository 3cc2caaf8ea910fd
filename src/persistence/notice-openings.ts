/**
 * When each state first opened a revision put to it (src/domain/notice-reach.ts): one document per initiative,
 * revision and state, written once. Opening changes nothing in the procedure, so it is kept here and not in the
 * workflow; the evidence pack's seal covers it from the moment a pack is issued.
 */
import { Connection, Schema } from 'mongoose';
import type { NoticeOpening, OpenedVia } from '../domain/notice-reach';
import { upsertRacing } from './connection';

interface OpeningDoc {
  /** initiative|revision|state: the first opening is the one kept. */
  _id: string;
  initiativeId: string;
  revision: number;
  state: string;
  at: Date;
  /** The person who opened it. */
  by: string;
  via: OpenedVia;
}

const schema = new Schema<OpeningDoc>(
  { _id: String, initiativeId: String, revision: Number, state: String, at: Date, by: String, via: String },
  { versionKey: false },
);
schema.index({ initiativeId: 1 });

export function noticeOpeningModel(conn: Connection) {
  return conn.model<OpeningDoc>('NoticeOpening', schema, 'notice_openings');
}
export type NoticeOpeningModel = ReturnType<typeof noticeOpeningModel>;

/** A state's first openings of the revisions put to it: noted once, read per initiative. */
export function createNoticeOpenings(model: NoticeOpeningModel) {
  return {
    /** Keeps a state's first opening of a revision; later ones (and a concurrent second first one) change nothing. */
    async note(initiativeId: string, o: Omit<NoticeOpening, 'at'>, at = new Date()): Promise<void> {
      const _id = `${initiativeId}|${o.revision}|${o.state}`;
      // Two first openings at once: one insert wins, and the other's second try finds it and changes nothing.
      await upsertRacing(() =>
        model.updateOne(
          { _id },
          { $setOnInsert: { initiativeId, revision: o.revision, state: o.state, at, by: o.by, via: o.via } },
          { upsert: true },
        ),
      );
    },

    async of(initiativeId: string): Promise<NoticeOpening[]> {
      const docs = await model.find({ initiativeId }).lean();
      return docs.map((d) => ({ revision: d.revision, state: d.state, at: d.at.toISOString(), by: d.by, via: d.via }));
    },
  };
}
export type NoticeOpenings = ReturnType<typeof createNoticeOpenings>;
