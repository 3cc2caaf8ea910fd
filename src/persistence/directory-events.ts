/**
 * The directory's append-only trail: who changed which state, person or chairmanship period, or revoked
 * whose credentials, when, and the entry before and after. Documents are inserted, never updated or
 * deleted (nothing in the code base writes this collection any other way).
 */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';

export const DirectoryEventType = {
  StateSaved: 'state.saved',
  PersonSaved: 'person.saved',
  RotationSaved: 'rotation.saved',
  CredentialsRevoked: 'credentials.revoked',
} as const;
export type DirectoryEventType = (typeof DirectoryEventType)[keyof typeof DirectoryEventType];

/** Where a change came from: an edit by the Secretariat (API or web form), a summit file import, or the person themself. */
export type DirectoryEventSource = 'edit' | 'import' | 'self';

export interface DirectoryEventDoc {
  /** Sortable and unique: the time in ISO 8601, then hex (newDirectoryEventId). */
  _id: string;
  at: Date;
  type: DirectoryEventType;
  /** The state code, person id or chairmanship year the event is about. */
  subject: string;
  actor: { personId: string; name: string };
  source: DirectoryEventSource;
  /** Top-level fields that differ between before and after. */
  changed: string[];
  /** The entry before (null when it was created) and after the change. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason?: string;
}

const schema = new Schema<DirectoryEventDoc>(
  {
    _id: String,
    at: { type: Date, required: true },
    type: { type: String, required: true },
    subject: { type: String, required: true },
    actor: { personId: String, name: String },
    source: String,
    changed: [String],
    before: Schema.Types.Mixed,
    after: Schema.Types.Mixed,
    reason: String,
  },
  { versionKey: false, minimize: false },
);
// GET /api/directory/events: newest first.
schema.index({ at: -1 });

export function directoryEventModel(conn: Connection) {
  return conn.model<DirectoryEventDoc>('DirectoryEvent', schema, 'directory_events');
}
export type DirectoryEventModel = ReturnType<typeof directoryEventModel>;

let sequence = 0;
/**
 * The time, then a per-process sequence (so events written by one process in the same millisecond, such as
 * an edit and the revocation it causes, list in the order they were written), then random hex (so two
 * processes never collide).
 */
export function newDirectoryEventId(at: Date): string {
  sequence = (sequence + 1) % 0x10000;
  return `${at.toISOString()}-${sequence.toString(16).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
}

/** Appends one event; its id comes from its time, so listing by _id lists by time. */
export async function appendDirectoryEvent(
  model: DirectoryEventModel,
  event: Omit<DirectoryEventDoc, '_id'>,
): Promise<DirectoryEventDoc> {
  const doc: DirectoryEventDoc = { _id: newDirectoryEventId(event.at), ...event };
  await model.create(doc);
  return doc;
}

/** Events newest first, `before` an event id (the previous page's last), optionally about one subject. */
export async function listDirectoryEvents(
  model: DirectoryEventModel,
  opts: { limit: number; before?: string; subject?: string },
): Promise<DirectoryEventDoc[]> {
  const filter: Record<string, unknown> = {};
  if (opts.before) filter._id = { $lt: opts.before };
  if (opts.subject) filter.subject = opts.subject;
  return model.find(filter).sort({ _id: -1 }).limit(opts.limit).lean<DirectoryEventDoc[]>();
}
