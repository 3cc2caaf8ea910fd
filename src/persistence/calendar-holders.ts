/**
 * Who holds which calendar event of an initiative: per (step, person), the newest .ics queued for them (a
 * cancellation included). One document per initiative, read and written by `_id` alone: FerretDB on SQLite
 * answers any other filter by decoding the whole outbox, which the recording of every decision would do.
 *
 * The recording activity notes each .ics it queues for sending (not one deferred to a digest or suppressed);
 * calls for one initiative come from its workflow one at a time, so read-merge-write needs no atomicity. An
 * initiative recorded before this collection existed is read once from the outbox and then kept here.
 */
import { Connection, Model, Schema } from 'mongoose';
import { isDuplicateKey } from './connection';

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
}

const schema = new Schema<CalendarHoldersDoc>(
  {
    _id: String,
    held: [{ _id: false, step: String, personId: String, dueAt: String, sequence: Number, cancelled: Boolean }],
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

/** The newest entry per (step, person); `fromOutbox` rebuilds them for an initiative recorded before this record. */
export async function heldEntries(
  conn: Connection,
  initiativeId: string,
  fromOutbox: () => Promise<HeldEntry[]>,
): Promise<HeldEntry[]> {
  const doc = await holdersModel(conn).findById(initiativeId).lean();
  if (doc) return doc.held;
  const held = await fromOutbox();
  await holdersModel(conn).replaceOne({ _id: initiativeId }, { _id: initiativeId, held }, { upsert: true });
  return held;
}

/** Notes .ics files queued for sending: each replaces what its person held of its step unless that is newer. */
export async function noteHeld(
  conn: Connection,
  initiativeId: string,
  entries: HeldEntry[],
  fromOutbox: () => Promise<HeldEntry[]>,
): Promise<void> {
  if (entries.length === 0) return;
  const newest = new Map((await heldEntries(conn, initiativeId, fromOutbox)).map((e) => [keyOf(e), e]));
  for (const e of entries) {
    const held = newest.get(keyOf(e));
    if (!held || held.sequence <= e.sequence) newest.set(keyOf(e), e);
  }
  await holdersModel(conn).replaceOne(
    { _id: initiativeId },
    { _id: initiativeId, held: [...newest.values()] },
    { upsert: true },
  );
}
