/** The read model of initiatives: the newest view each workflow recorded, for lists and filters. */
import { Connection, Schema } from 'mongoose';
import type { InitiativeView } from '../domain/view';
import { isDuplicateKey } from './connection';

export type InitiativeDoc = InitiativeView & { _id: string };

const schema = new Schema<InitiativeDoc>(
  {
    _id: String,
    version: { type: Number, required: true },
    stage: { type: String, required: true },
    title: String,
    proposingState: String,
    pendingStates: [String],
    nextDueAt: String,
    updatedAt: String,
  },
  // minimize: false keeps empty objects, such as an open round's decisions before the first one.
  { strict: false, versionKey: false, minimize: false },
);
// The list (GET /api/initiatives, src/service/read-model.ts) sorts by { nextDueAt: 1, _id: 1 }: each index
// below ends in that order, so MongoDB reads the page in order from the index (no in-memory sort of every
// match) and counts from its prefix. ?q= (a case-insensitive substring of the title) can use no index.
// GET /api/initiatives?stage=signoff (and with &lead=KZ: the lead is then checked on the stage's entries).
schema.index({ stage: 1, nextDueAt: 1, _id: 1 });
// GET /api/initiatives?pending=KZ: what awaits a state's decision.
schema.index({ pendingStates: 1, nextDueAt: 1, _id: 1 });
// GET /api/initiatives?lead=KZ.
schema.index({ 'lead.state': 1, nextDueAt: 1, _id: 1 });
// GET /api/initiatives with no filter, and ?overdue=true (nextDueAt < now, open stages).
schema.index({ nextDueAt: 1, _id: 1 });
// GET /api/inbox: drafts awaiting the lead official, and milestones a person owns.
schema.index({ 'lead.officialId': 1 });
schema.index({ 'milestones.ownerId': 1 });

export function initiativeModel(conn: Connection) {
  return conn.model<InitiativeDoc>('Initiative', schema, 'initiatives');
}
export type InitiativeModel = ReturnType<typeof initiativeModel>;

/** Stores the view unless a newer one is already there; safe to repeat and to race. */
export async function saveView(model: InitiativeModel, view: InitiativeView): Promise<void> {
  const doc = { ...view, _id: view.id };
  try {
    await model.replaceOne({ _id: view.id, version: { $lt: view.version } }, doc, { upsert: true });
  } catch (err) {
    // The filter missed because a newer (or the same) version is stored, and the upsert hit its _id.
    if (!isDuplicateKey(err)) throw err;
  }
}
