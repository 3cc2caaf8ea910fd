/**
 * The .ics SEQUENCE of each step's due dates: one document per (initiative, step), read and written
 * by `_id` alone (FerretDB on SQLite scans the whole collection for any other filter).
 */
import { Connection, Model, Schema } from 'mongoose';

interface CalendarSequenceDoc {
  /** initiative|step */
  _id: string;
  dues: { dueAt: string; sequence: number }[];
}

const schema = new Schema<CalendarSequenceDoc>(
  { _id: String, dues: [{ _id: false, dueAt: String, sequence: Number }] },
  { versionKey: false },
);

function calendarSequenceModel(conn: Connection): Model<CalendarSequenceDoc> {
  return (
    (conn.models.CalendarSequence as Model<CalendarSequenceDoc> | undefined) ??
    conn.model<CalendarSequenceDoc>('CalendarSequence', schema, 'calendar_sequences')
  );
}

/**
 * The SEQUENCE of a step's due date: the same for the same due date, one more than any earlier one
 * for a new one. Calls for one initiative come from its recording activity one at a time, so the
 * read and the write need no atomicity. Steps recorded before this collection existed are counted
 * once from the outbox, where their emails carry their sequence.
 */
export async function calendarSequence(
  conn: Connection,
  initiativeId: string,
  step: string,
  dueAt: string,
  /** The emails of the step that carry a sequence, read from the outbox. */
  earlierEmails: () => Promise<{ dueAt?: string; icsSequence?: number }[]>,
): Promise<number> {
  const model = calendarSequenceModel(conn);
  const _id = `${initiativeId}|${step}`;
  let dues = (await model.findById(_id).lean())?.dues;
  if (!dues) {
    const earlier = await earlierEmails();
    // One email per recipient carries each due date: keep one entry per due date.
    const byDue = new Map(earlier.filter((d) => d.dueAt !== undefined).map((d) => [d.dueAt!, d.icsSequence!]));
    dues = [...byDue].map(([due, sequence]) => ({ dueAt: due, sequence }));
  }
  const same = dues.find((d) => d.dueAt === dueAt);
  if (same) return same.sequence;
  const sequence = dues.reduce((max, d) => Math.max(max, d.sequence + 1), 0);
  await model.replaceOne({ _id }, { _id, dues: [...dues, { dueAt, sequence }] }, { upsert: true });
  return sequence;
}
