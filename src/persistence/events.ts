/**
 * The append-only audit trail: one document per workflow event, keyed by initiative and sequence number, and
 * the signed checkpoints of its hash chain (src/domain/audit-chain.ts).
 */
import { Connection, Schema } from 'mongoose';
import type { AuditEvent } from '../domain/types';
import type { Checkpoint } from '../evidence/signing';
import { isDuplicateKey } from './connection';

export type EventDoc = AuditEvent & { _id: string; initiativeId: string };

const schema = new Schema<EventDoc>(
  { _id: String, initiativeId: { type: String, required: true }, seq: Number, type: String, at: String },
  // minimize: false keeps an empty `data` (a completion without a note), which every event has.
  { strict: false, versionKey: false, minimize: false },
);
// GET /api/initiatives/:id/events, in order.
schema.index({ initiativeId: 1, seq: 1 });

export function eventModel(conn: Connection) {
  return conn.model<EventDoc>('Event', schema, 'events');
}
export type EventModel = ReturnType<typeof eventModel>;

/** An event's document id: the initiative and its sequence number, in order. */
export const eventIdOf = (initiativeId: string, seq: number): string =>
  `${initiativeId}:${String(seq).padStart(8, '0')}`;

/** Appends events; an event already stored (a retried activity) is left as it was. */
export async function appendEvents(model: EventModel, initiativeId: string, events: AuditEvent[]): Promise<void> {
  for (const e of events) {
    try {
      await model.create({ ...e, _id: eventIdOf(initiativeId, e.seq), initiativeId });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}

/** A signed checkpoint of an initiative's trail (src/evidence/signing.ts), one per recorded batch. */
export type CheckpointDoc = Checkpoint & { _id: string };

const checkpointSchema = new Schema<CheckpointDoc>(
  { _id: String, initiativeId: { type: String, required: true }, seq: Number },
  { strict: false, versionKey: false },
);
// The latest checkpoint of an initiative (latestCheckpoint).
checkpointSchema.index({ initiativeId: 1, seq: -1 });

/** The checkpoints beside the events, on the events' connection: they are one trail. */
export function checkpointModel(events: EventModel) {
  return events.db.model<CheckpointDoc>('Checkpoint', checkpointSchema, 'checkpoints');
}
export type CheckpointModel = ReturnType<typeof checkpointModel>;

/** Stores a checkpoint; one for the same head (a retried activity) is left as it was. */
export async function recordCheckpoint(model: CheckpointModel, checkpoint: Checkpoint): Promise<void> {
  try {
    await model.create({ ...checkpoint, _id: `${checkpoint.initiativeId}:${String(checkpoint.seq).padStart(8, '0')}` });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The checkpoint that vouches for the most of an initiative's trail. */
export async function latestCheckpoint(model: CheckpointModel, initiativeId: string): Promise<Checkpoint | null> {
  const doc = await model.findOne({ initiativeId }).sort({ seq: -1 }).lean();
  if (!doc) return null;
  const { _id, ...checkpoint } = doc;
  void _id;
  return checkpoint;
}
