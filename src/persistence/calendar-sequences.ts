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
import { rewrite } from './connection';

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
  /** Grows with every write (src/persistence/connection.ts rewrite). */
  rev?: number;
}

const schema = new Schema<CalendarSequenceDoc>(
  {
    _id: String,
    dues: [{ _id: false, dueAt: String, sequence: Number, cancelled: Boolean, change: Number }],
    rev: Number,
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
 * newest. A recording retried while its timed-out attempt still runs may ask at the same time: `rewrite` makes the
 * second one read the first one's version. Steps recorded before this collection existed are counted once from the outbox, where their
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
  const same = (d: Version) => d.dueAt === version.dueAt && Boolean(d.cancelled) === version.cancelled;
  return rewrite(calendarSequenceModel(conn), `${initiativeId}|${step}`, async (doc) => {
    let dues = doc?.dues;
    if (!dues) {
      const earlier = await earlierEmails();
      // One email per recipient carries each due date: keep one entry per due date.
      const byDue = new Map(earlier.filter((d) => d.dueAt !== undefined).map((d) => [d.dueAt!, d.icsSequence!]));
      dues = [...byDue].map(([due, sequence]) => ({ dueAt: due, sequence }));
    }
    const mine = dues.find((d) => d.change === version.change && same(d));
    if (mine) return { result: mine.sequence };
    const newest = dues.reduce<Version | undefined>((a, d) => (a && a.sequence >= d.sequence ? a : d), undefined);
    if (newest && !version.cancelled && same(newest)) return { result: newest.sequence };
    const sequence = newest ? newest.sequence + 1 : 0;
    const entry = { dueAt: version.dueAt, sequence, cancelled: version.cancelled, change: version.change };
    return { next: { dues: [...dues, entry] }, result: sequence };
  });
}
