/**
 * The .ics SEQUENCE of each step's calendar event: one document per (initiative, step), read and written
 * by `_id` alone (FerretDB on SQLite scans the whole collection for any other filter).
 *
 * Each version of a step's event gets its own SEQUENCE, above every earlier one: a new due date, and the
 * cancellation of the event for some of its holders. A calendar applies an update only with a higher
 * SEQUENCE than the one it holds, so an event published after a cancellation (a step reopened, a reminder
 * to someone who still holds it) takes a new one too.
 */
import { Connection, Model, Schema } from 'mongoose';

interface Version {
  dueAt: string;
  sequence: number;
  /** The event withdrawn (METHOD:CANCEL) rather than published. */
  cancelled?: boolean;
  /** The recording (the initiative's view version) that made this version: a retry of it finds it again. */
  change?: number;
}

interface CalendarSequenceDoc {
  /** initiative|step */
  _id: string;
  dues: Version[];
}

const schema = new Schema<CalendarSequenceDoc>(
  {
    _id: String,
    dues: [{ _id: false, dueAt: String, sequence: Number, cancelled: Boolean, change: Number }],
  },
  { versionKey: false },
);

function calendarSequenceModel(conn: Connection): Model<CalendarSequenceDoc> {
  return (
    (conn.models.CalendarSequence as Model<CalendarSequenceDoc> | undefined) ??
    conn.model<CalendarSequenceDoc>('CalendarSequence', schema, 'calendar_sequences')
  );
}

/** One version of a step's event, as a recording asks for it. */
export interface EventVersion {
  dueAt: string;
  cancelled: boolean;
  /** The view version of the recording that asks. */
  change: number;
}

/**
 * The SEQUENCE of a version of a step's event. A published due date keeps the sequence it has while it is the
 * newest version (every recipient and every reminder of it share one); any other version gets one more than the
 * newest. Calls for one initiative come from its recording activity one at a time, so the read and the write need
 * no atomicity. Steps recorded before this collection existed are counted once from the outbox, where their
 * emails carry their sequence.
 */
export async function calendarSequence(
  conn: Connection,
  initiativeId: string,
  step: string,
  version: EventVersion,
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
  const same = (d: Version) => d.dueAt === version.dueAt && Boolean(d.cancelled) === version.cancelled;
  const mine = dues.find((d) => d.change === version.change && same(d));
  if (mine) return mine.sequence;
  const newest = dues.reduce<Version | undefined>((a, d) => (a && a.sequence >= d.sequence ? a : d), undefined);
  if (newest && !version.cancelled && same(newest)) return newest.sequence;
  const sequence = newest ? newest.sequence + 1 : 0;
  await model.replaceOne(
    { _id },
    { _id, dues: [...dues, { dueAt: version.dueAt, sequence, cancelled: version.cancelled, change: version.change }] },
    { upsert: true },
  );
  return sequence;
}
