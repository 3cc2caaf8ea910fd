/**
 * The read model of initiatives: the newest view each workflow recorded, and beside it a slim listing
 * entry per initiative holding only what GET /api/initiatives returns and filters on.
 */
import { Connection, Schema } from 'mongoose';
import type { InitiativeView } from '../domain/view';
import { logger } from '../logger';
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
// GET /api/inbox (src/service/read-model.ts) and the web interface's matrix: initiatives in a stage, soonest due first.
schema.index({ stage: 1, nextDueAt: 1, _id: 1 });
// GET /api/inbox: what awaits a state's decision.
schema.index({ pendingStates: 1, nextDueAt: 1, _id: 1 });
// GET /api/inbox: drafts awaiting the lead official, and milestones a person owns.
schema.index({ 'lead.officialId': 1 });
schema.index({ 'milestones.ownerId': 1 });

export function initiativeModel(conn: Connection) {
  return conn.model<InitiativeDoc>('Initiative', schema, 'initiatives');
}
export type InitiativeModel = ReturnType<typeof initiativeModel>;

/**
 * One initiative as GET /api/initiatives lists it: the fields it returns and filters on, and the view's
 * version. A list reads and sorts every entry that matches its filter (on FerretDB every entry: it pushes
 * down only `{_id}` filters), so the entry is kept to about a quarter of a view's size.
 */
export interface ListingEntry {
  id: string;
  title: string;
  proposingState: string;
  stage: InitiativeView['stage'];
  revision: number;
  lead?: { state: string; officialId: string; officialName: string };
  pendingStates: string[];
  nextDueAt?: string;
  updatedAt: string;
  version: number;
}
type ListingDoc = Omit<ListingEntry, 'id'> & { _id: string };

const listingSchema = new Schema<ListingDoc>(
  {
    _id: String,
    title: String,
    proposingState: String,
    stage: { type: String, required: true },
    revision: Number,
    lead: { type: { state: String, officialId: String, officialName: String, _id: false }, default: undefined },
    pendingStates: [String],
    nextDueAt: String,
    updatedAt: String,
    version: { type: Number, required: true },
  },
  { versionKey: false },
);
// For MongoDB 7 (docker-compose.yml): the list sorts by { nextDueAt: 1, _id: 1 }, and each index below ends in
// that order, so MongoDB reads the page in order from the index (no in-memory sort of every match) and counts
// from its prefix. ?q= (a case-insensitive substring of the title) can use no index.
// GET /api/initiatives?stage=signoff (and with &lead=KZ: the lead is then checked on the stage's entries).
listingSchema.index({ stage: 1, nextDueAt: 1, _id: 1 });
// GET /api/initiatives?pending=KZ: what awaits a state's decision.
listingSchema.index({ pendingStates: 1, nextDueAt: 1, _id: 1 });
// GET /api/initiatives?lead=KZ.
listingSchema.index({ 'lead.state': 1, nextDueAt: 1, _id: 1 });
// GET /api/initiatives with no filter, and ?overdue=true (nextDueAt < now, open stages).
listingSchema.index({ nextDueAt: 1, _id: 1 });

export const LISTING_COLLECTION = 'initiative_listing';

/** The listing beside a read model's views (on the same connection). */
export function listingModelOf(model: InitiativeModel) {
  const conn = model.db;
  return (conn.models.InitiativeListing as ReturnType<typeof compileListing> | undefined) ?? compileListing(conn);
}
function compileListing(conn: Connection) {
  return conn.model<ListingDoc>('InitiativeListing', listingSchema, LISTING_COLLECTION);
}
export type ListingModel = ReturnType<typeof listingModelOf>;

/** The listing entry of a view. */
export function listingOf(view: InitiativeView): ListingDoc {
  const doc: ListingDoc = {
    _id: view.id,
    title: view.title,
    proposingState: view.proposingState,
    stage: view.stage,
    revision: view.revision,
    pendingStates: view.pendingStates,
    updatedAt: view.updatedAt,
    version: view.version,
  };
  if (view.lead)
    doc.lead = { state: view.lead.state, officialId: view.lead.officialId, officialName: view.lead.officialName };
  if (view.nextDueAt !== undefined) doc.nextDueAt = view.nextDueAt;
  return doc;
}

/**
 * Stores the view and its listing entry unless newer ones are already there; safe to repeat.
 *
 * Every step filters on `_id` alone: FerretDB on SQLite pushes down only such filters and otherwise
 * scans (and decodes) every stored initiative. Each check and its write are two steps, which is safe
 * because one initiative's views are written by its own recording activity, one call at a time. The
 * view and its entry are checked separately, so an attempt that stored one of them and failed before
 * the other completes both when it is retried.
 */
export async function saveView(model: InitiativeModel, view: InitiativeView): Promise<void> {
  try {
    await saveViewOnce(model, view);
  } catch (err) {
    // Two writers upserting the same new _id at once (an activity attempt overlapping its retry): one insert
    // loses with a duplicate key. The document exists now, so the version check decides on the second pass.
    if (!isDuplicateKey(err)) throw err;
    await saveViewOnce(model, view);
  }
}

async function saveViewOnce(model: InitiativeModel, view: InitiativeView): Promise<void> {
  const listing = listingModelOf(model);
  const [stored, listed] = await Promise.all([
    model.findById(view.id).select({ version: 1 }).lean(),
    listing.findById(view.id).select({ version: 1 }).lean(),
  ]);
  await Promise.all([
    stored && stored.version >= view.version
      ? undefined
      : model.replaceOne({ _id: view.id }, { ...view, _id: view.id }, { upsert: true }),
    listed && listed.version >= view.version
      ? undefined
      : listing.replaceOne({ _id: view.id }, listingOf(view), { upsert: true }),
  ]);
}

/**
 * Adds the listing entries of views stored before the listing existed (read models written by earlier
 * versions). Inserts only missing entries, so it may race with saveView: an entry saveView wrote first
 * is kept (duplicate key), and one inserted here is replaced by saveView's next, newer version.
 */
export async function backfillListing(model: InitiativeModel): Promise<number> {
  const listing = listingModelOf(model);
  const listed = new Set((await listing.find({}).select({ _id: 1 }).lean()).map((d) => d._id));
  const ids = (await model.find({}).select({ _id: 1 }).lean()).map((d) => d._id).filter((id) => !listed.has(id));
  let added = 0;
  for (const id of ids) {
    const view = await model.findById(id).lean();
    if (!view) continue;
    try {
      await listing.create(listingOf({ ...view, id }));
      added++;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  if (added) logger.info({ added }, 'read model: listing entries added for views stored before the listing');
  return added;
}
