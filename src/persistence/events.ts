/** The append-only audit trail: one document per workflow event, keyed by initiative and sequence number. */
import { Connection, Schema } from 'mongoose';
import type { AuditEvent } from '../domain/types';
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

/** Appends events; an event already stored (a retried activity) is left as it was. */
export async function appendEvents(model: EventModel, initiativeId: string, events: AuditEvent[]): Promise<void> {
  for (const e of events) {
    try {
      await model.create({ ...e, _id: `${initiativeId}:${String(e.seq).padStart(8, '0')}`, initiativeId });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
