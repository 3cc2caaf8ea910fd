/**
 * Who holds which calendar event of an initiative: per (step, person), the newest .ics queued for them (a
 * cancellation included). One document per initiative, read and written by `_id` alone: FerretDB on SQLite
 * answers any other filter by decoding the whole outbox, which the recording of every decision would do.
 *
 * The recording activity notes each .ics it queues for sending (not one deferred to a digest or suppressed).
 * Calls for one initiative come from its workflow one at a time, except an attempt that timed out on a slow
 * database and still runs beside its retry: notes are merged with `rewrite`, so neither undoes the other's. An
 * initiative recorded before this collection existed is read once from the outbox and then kept here.
 */
import { Connection, Model, Schema } from 'mongoose';
import { isDuplicateKey, rewrite } from './connection';

export interface HeldEntry {
  step: string;
  personId: string;
  dueAt: string;
  sequence: number;
  /** The newest .ics for this person withdrew the event (METHOD:CANCEL). */
  cancelled: boolean;
}

interface CalendarHoldersDoc {
  /** The initiative's id. */
  _id: string;
  held: HeldEntry[];
  /** What was held before the last change that noted anything: a retry of that change reads it again. */
  prior?: { change: number; held: HeldEntry[] };
  /** Grows with every write (src/persistence/connection.ts rewrite). */
  rev?: number;
}

const entrySchema = { _id: false, step: String, personId: String, dueAt: String, sequence: Number, cancelled: Boolean };
const schema = new Schema<CalendarHoldersDoc>(
  {
    _id: String,
    held: [entrySchema],
    prior: { type: new Schema({ change: Number, held: [entrySchema] }, { _id: false }), default: undefined },
    rev: Number,
  },
  { versionKey: false },
);

function holdersModel(conn: Connection): Model<CalendarHoldersDoc> {
  return (
    (conn.models.CalendarHolders as Model<CalendarHoldersDoc> | undefined) ??
    conn.model<CalendarHoldersDoc>('CalendarHolders', schema, 'calendar_holders')
  );
}

const keyOf = (e: Pick<HeldEntry, 'step' | 'personId'>) => `${e.step}|${e.personId}`;

/** What was held when change `change` began: before it, if it noted anything already (a retry), else now. */
const heldAt = (doc: CalendarHoldersDoc, change: number | undefined): HeldEntry[] =>
  change !== undefined && doc.prior?.change === change ? doc.prior.held : doc.held;

/** Starts the record of a new initiative: nobody holds anything, and the outbox need never be read for it. */
export async function openHolders(conn: Connection, initiativeId: string): Promise<void> {
  try {
    await holdersModel(conn).create({ _id: initiativeId, held: [] });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Whether the initiative's holders are kept here (else they are read from the outbox, once). */
export async function holdersKept(conn: Connection, initiativeId: string): Promise<boolean> {
  return (await holdersModel(conn).findById(initiativeId).select({ _id: 1 }).lean()) !== null;
}

/**
 * What was held when change `change` (the seq of its first event; undefined for a change without events) began: a retried recording of it reads what its first
 * attempt read, so it queues the same follow-ups (their outbox ids make them once) and no others.
 * `fromOutbox` rebuilds the entries of an initiative recorded before this record.
 */
export async function heldEntries(
  conn: Connection,
  initiativeId: string,
  change: number | undefined,
  fromOutbox: () => Promise<HeldEntry[]>,
): Promise<HeldEntry[]> {
  const doc = await holdersModel(conn).findById(initiativeId).lean();
  if (doc) return heldAt(doc, change);
  const held = await fromOutbox();
  await holdersModel(conn).replaceOne({ _id: initiativeId }, { _id: initiativeId, held }, { upsert: true });
  return held;
}

/** Notes the .ics files change `change` queued for sending: each replaces what its person held of its step unless newer. */
export async function noteHeld(
  conn: Connection,
  initiativeId: string,
  change: number | undefined,
  entries: HeldEntry[],
  fromOutbox: () => Promise<HeldEntry[]>,
): Promise<void> {
  if (entries.length === 0) return;
  await rewrite(holdersModel(conn), initiativeId, async (doc) => {
    const before = doc ? heldAt(doc, change) : await fromOutbox();
    const newest = new Map(before.map((e) => [keyOf(e), e]));
    for (const e of entries) {
      const held = newest.get(keyOf(e));
      if (!held || held.sequence <= e.sequence) newest.set(keyOf(e), e);
    }
    const next = { held: [...newest.values()], ...(change !== undefined ? { prior: { change, held: before } } : {}) };
    return { next, result: undefined };
  });
}
