/**
 * The listing: one slim entry per initiative beside its view, holding only what GET /api/initiatives returns,
 * filters and sorts on; written by saveView (src/persistence/initiatives.ts) and read into each process's mirror.
 */
import { Connection, Schema } from 'mongoose';
import type { InitiativeView } from '../domain/view';

const OPEN_STAGES = ['proposed', 'assigned', 'drafting', 'signoff', 'adopted', 'implementing'];

/**
 * One initiative as GET /api/initiatives lists it: the fields it returns and filters on, and the view's
 * version. Every process that lists holds them all in memory (src/persistence/listing-mirror.ts), so the entry
 * is kept to about a quarter of a view's size.
 */
export interface ListingEntry {
  id: string;
  title: string;
  titleRu?: string;
  proposingState: string;
  stage: InitiativeView['stage'];
  revision: number;
  lead?: { state: string; officialId: string; officialName: string };
  pendingStates: string[];
  nextDueAt?: string;
  updatedAt: string;
  version: number;
}
/** `listOrder`: what the list sorts on (see listOrderOf); not part of the answer. */
export type ListingDoc = Omit<ListingEntry, 'id'> & { _id: string; listOrder?: string };

/**
 * Where an initiative stands in every list: open ones by their next due date (the late first, as theirs has
 * passed), then open ones with nothing due, then the closed ones. A due date is an ISO instant, so it begins
 * with a digit and sorts before '~'.
 */
export function listOrderOf(entry: Pick<ListingEntry, 'stage' | 'nextDueAt'>): string {
  if (entry.nextDueAt !== undefined) return entry.nextDueAt;
  return OPEN_STAGES.includes(entry.stage) ? '~1 open, nothing due' : '~2 closed';
}

const listingSchema = new Schema<ListingDoc>(
  {
    _id: String,
    title: String,
    titleRu: String,
    proposingState: String,
    stage: { type: String, required: true },
    revision: Number,
    lead: { type: { state: String, officialId: String, officialName: String, _id: false }, default: undefined },
    pendingStates: [String],
    nextDueAt: String,
    listOrder: String,
    updatedAt: String,
    version: { type: Number, required: true },
  },
  { versionKey: false },
);
export const LISTING_COLLECTION = 'initiative_listing';

/** The listing on a connection (the read model's). */
export function listingModel(conn: Connection) {
  return (conn.models.InitiativeListing as ReturnType<typeof compileListing> | undefined) ?? compileListing(conn);
}
function compileListing(conn: Connection) {
  return conn.model<ListingDoc>('InitiativeListing', listingSchema, LISTING_COLLECTION);
}
export type ListingModel = ReturnType<typeof listingModel>;

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
  if (view.titleRu) doc.titleRu = view.titleRu;
  if (view.lead)
    doc.lead = { state: view.lead.state, officialId: view.lead.officialId, officialName: view.lead.officialName };
  if (view.nextDueAt !== undefined) doc.nextDueAt = view.nextDueAt;
  doc.listOrder = listOrderOf(view);
  return doc;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What GET /api/initiatives filters on (src/app/schemas.ts listQuery, validated). */
export interface ListingFilter {
  stage?: string;
  lead?: string;
  pending?: string;
  overdue?: 'true' | 'false';
  q?: string;
}

/**
 * The filter as a MongoDB query, built from validated values only (strings are compared as strings, never as
 * operators): what a list would ask the store. The lists are answered from memory by `listingMatches`, which
 * must select the same entries (test/integration/listing-mirror.test.ts compares them on the real store); the
 * benchmark runs this query as the store's own cost.
 */
export function listFilter(q: ListingFilter, nowIso: string): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (q.stage) f.stage = q.stage;
  if (q.lead) f['lead.state'] = q.lead;
  if (q.pending) f.pendingStates = q.pending;
  if (q.overdue === 'true') {
    f.nextDueAt = { $lt: nowIso };
    if (!q.stage) f.stage = { $in: OPEN_STAGES };
  }
  if (q.q) {
    // In either language of the title.
    const match = { $regex: escapeRegex(q.q), $options: 'i' };
    f.$or = [{ title: match }, { titleRu: match }];
  }
  return f;
}

/** Whether an entry is in the list `q` asks for at `nowIso`: `listFilter`, in memory. */
export function listingMatches(entry: ListingDoc, q: ListingFilter, nowIso: string): boolean {
  if (q.stage && entry.stage !== q.stage) return false;
  if (q.lead && entry.lead?.state !== q.lead) return false;
  if (q.pending && !entry.pendingStates?.includes(q.pending)) return false;
  if (q.overdue === 'true') {
    if (!(entry.nextDueAt !== undefined && entry.nextDueAt < nowIso)) return false;
    if (!q.stage && !OPEN_STAGES.includes(entry.stage)) return false;
  }
  if (q.q) {
    const needle = q.q.toLowerCase();
    if (![entry.title, entry.titleRu].some((t) => t?.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** The order of every list: open and late first, soonest due next, closed last, then by id. */
export const LIST_SORT = { listOrder: 1, _id: 1 } as const;

/** LIST_SORT in memory: an entry stored before the list had its order sorts first, as a missing field does in MongoDB. */
export function listingOrder(a: ListingDoc, b: ListingDoc): number {
  const x = a.listOrder ?? '';
  const y = b.listOrder ?? '';
  if (x !== y) return x < y ? -1 : 1;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}
