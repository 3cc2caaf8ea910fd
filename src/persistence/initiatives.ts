/**
 * The read model of initiatives: the newest view each workflow recorded, and beside it a slim listing
 * entry per initiative holding only what GET /api/initiatives returns and filters on.
 */
import { Connection, Schema } from 'mongoose';
import type { RecordedTexts } from '../domain/draft-text';
import { Stage, TERMINAL_STAGES, type AuditEvent } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import { logger } from '../logger';
import { listingModel, listingOf, listOrderOf, type ListingEntry, type ListingFilter } from './listing';
import { listingChangesOn, RELOAD } from './listing-changes';
import { createListingMirror, type ListingMirror } from './listing-mirror';
import { claimStartRun } from './start-runs';
import { existsById, isDuplicateKey, upsertRacing } from './connection';
import {
  appendEvents,
  checkpointModel,
  eventIdOf,
  latestCheckpoint,
  recordCheckpoint,
  type EventModel,
} from './events';
import type { Checkpoint } from '../evidence/signing';

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
 * Stores the view and its listing entry unless newer ones are already there; safe to repeat.
 *
 * Every step filters on `_id` alone: FerretDB on SQLite pushes down only such filters and otherwise
 * scans (and decodes) every stored initiative. Each check and its write are two steps, which is safe
 * because one initiative's views are written by its own recording activity, one call at a time. The
 * view and its entry are checked separately, so an attempt that stored one of them and failed before
 * the other completes both when it is retried.
 */
export async function saveView(model: InitiativeModel, view: InitiativeView): Promise<void> {
  // Two writers upserting the same new _id at once (an activity attempt overlapping its retry): one insert loses
  // with a duplicate key. The document exists then, so the version check decides on the second pass.
  await upsertRacing(() => saveViewOnce(model, view));
}

async function saveViewOnce(model: InitiativeModel, view: InitiativeView): Promise<void> {
  const listing = listingModel(model.db);
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
  // After the entry, so a reader that sees the change reads the entry it names. Again when a retry finds the
  // entry already at this version: the attempt that wrote it may have failed before its change.
  if (!(listed && listed.version > view.version)) await listingChangesOn(model.db).append(view.id);
}

/**
 * Adds the listing entries of views stored before the listing existed (read models written by earlier
 * versions). Inserts only missing entries, so it may race with saveView: an entry saveView wrote first
 * is kept (duplicate key), and one inserted here is replaced by saveView's next, newer version.
 */
export async function backfillListing(model: InitiativeModel): Promise<number> {
  const listing = listingModel(model.db);
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
  // Entries stored before the list had its order: each gets it from its own fields, once.
  let ordered = 0;
  for (const entry of await listing
    .find({ listOrder: { $exists: false } })
    .select({ stage: 1, nextDueAt: 1 })
    .lean()) {
    await listing.updateOne({ _id: entry._id }, { $set: { listOrder: listOrderOf(entry) } });
    ordered++;
  }
  if (ordered) logger.info({ ordered }, 'read model: listing entries given their place in the list');
  if (added || ordered) await listingChangesOn(model.db).append(RELOAD);
  return added;
}

/** The order of whole views of one stage: soonest due first. */
const VIEW_SORT = { nextDueAt: 1, _id: 1 } as const;

/**
 * How many reads of many initiatives (the views of a stage, an inbox, a report) this
 * process runs at once; the others wait their turn here. On FerretDB 1.24 each such read decodes and sorts
 * every stored entry in memory, and many at once take longer in total than the same reads a few at a time:
 * on this project's 2-core machine 32 list pages over 5,000 initiatives took 39.5 s all at once (each answer
 * after about 38 s) and 20.4 s four at a time (half of them answered within 10 s). On MongoDB, where the
 * indexes answer these reads in milliseconds, four at a time is not a limit a person would notice.
 */
export const SCANS_AT_ONCE = 4;

/** Runs at most `limit` tasks at once, the others in the order they came. */
export function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Whose inbox: the person, the state they decide for (representatives, deputies in delegation), and whether they are the Secretariat. */
export interface InboxOwner {
  personId: string;
  decidesFor?: string;
  secretariat: boolean;
  /** Also every open initiative with a step overdue at this instant (the Secretariat's and the Chair's escalations). */
  overdueAt?: string;
}

const viewOf = ({ _id, ...rest }: InitiativeDoc): InitiativeView => ({ ...rest, id: _id }) as InitiativeView;

/**
 * The read model of initiatives and their audit trail: what the recording activity writes and what the API
 * and the pages read. Reads of many initiatives share one limiter per repository (SCANS_AT_ONCE).
 */
export function createInitiativeRepository(models: { initiatives: InitiativeModel; events: EventModel }) {
  const { initiatives, events } = models;
  const checkpoints = checkpointModel(events);
  const scan = limiter(SCANS_AT_ONCE);
  let mirror: ListingMirror | undefined;
  return {
    /** Appends audit events; one already stored (a retried activity) is left as it was. */
    appendEvents: (initiativeId: string, list: AuditEvent[]) => appendEvents(events, initiativeId, list),
    /** Stores a signed checkpoint of the trail; the same one again changes nothing. */
    recordCheckpoint: (checkpoint: Checkpoint) => recordCheckpoint(checkpoints, checkpoint),
    /** The checkpoint that vouches for the most of the trail, or null before the trail was chained. */
    latestCheckpoint: (initiativeId: string) => latestCheckpoint(checkpoints, initiativeId),
    /** Stores a view and its listing entry unless newer ones are there (saveView). */
    saveView: (view: InitiativeView) => saveView(initiatives, view),
    /** The start of the initiative on record (null when none is). */
    async recordedStart(id: string): Promise<{ startedAt?: string } | null> {
      const doc = await initiatives.findById(id).select({ startedAt: 1 }).lean();
      return doc && { startedAt: doc.startedAt };
    },
    /** Claims the initiative's start for a run (claimStartRun): the run that holds it. */
    claimStartRun: (id: string, runId: string) => claimStartRun(initiatives.db, id, runId),
    /** The newest stored view of an initiative. */
    async view(id: string): Promise<InitiativeView | null> {
      const doc = await initiatives.findById(id).lean();
      return doc && viewOf(doc);
    },
    async exists(id: string): Promise<boolean> {
      return existsById(initiatives, id);
    },
    /** A page of the listing in list order, and how many entries match: from this process's mirror. */
    listPage(
      q: ListingFilter,
      page: { offset: number; limit: number },
    ): Promise<{ items: ListingEntry[]; total: number }> {
      mirror ??= createListingMirror(listingModel(initiatives.db), listingChangesOn(initiatives.db));
      return mirror.page(q, page, new Date().toISOString());
    },
    /** Whole views of the initiatives in one stage, soonest due first (at most `limit`). */
    async viewsInStage(stage: Stage, limit: number): Promise<InitiativeView[]> {
      const docs = await scan(() => initiatives.find({ stage }).sort(VIEW_SORT).limit(limit).lean());
      return docs.map(viewOf);
    },
    /** Whole views of a summit's initiatives (at most `limit`), or of every open one when `summit` is undefined: for the reports. */
    async viewsForReport(summit: string | undefined, limit: number): Promise<InitiativeView[]> {
      const filter = summit === undefined ? { stage: { $nin: TERMINAL_STAGES } } : { summit };
      const docs = await scan(() => initiatives.find(filter).sort({ _id: 1 }).limit(limit).lean());
      return docs.map(viewOf);
    },
    /**
     * Views that may hold something awaiting the owner (each once): drafts they lead, milestones they own,
     * rounds pending for their state, and for the Secretariat unassigned initiatives and blocked rounds. One
     * query per kind (at most 1,000 each), run together.
     */
    async viewsAwaiting(owner: InboxOwner): Promise<InitiativeView[]> {
      const or: Record<string, unknown>[] = [
        { 'lead.officialId': owner.personId, stage: { $in: [Stage.Assigned, Stage.Drafting] } },
        { 'milestones.ownerId': owner.personId, stage: Stage.Implementing },
      ];
      if (owner.decidesFor) or.push({ pendingStates: owner.decidesFor, stage: Stage.Signoff });
      if (owner.secretariat)
        or.push({ stage: Stage.Proposed }, { stage: Stage.Signoff, 'round.blockedBy': { $exists: true } });
      // The earliest deadline is the next one: an open initiative is late when it has passed.
      if (owner.overdueAt) or.push({ nextDueAt: { $lt: owner.overdueAt }, stage: { $nin: TERMINAL_STAGES } });
      const seen = new Map<string, InitiativeDoc>();
      for (const docs of await scan(() => Promise.all(or.map((filter) => initiatives.find(filter).limit(1000).lean()))))
        for (const doc of docs) seen.set(doc._id, doc);
      return [...seen.values()].map(viewOf);
    },
    /** An initiative's audit trail, in order. */
    async eventsOf(initiativeId: string): Promise<AuditEvent[]> {
      const docs = await events.find({ initiativeId }).sort({ seq: 1 }).lean();
      // Events stored before the trail kept empty objects lost an empty `data`: every event has one.
      return docs.map(
        ({ _id, initiativeId: _i, ...rest }) => (void _id, void _i, { ...rest, data: rest.data ?? {} }) as AuditEvent,
      );
    },
    /** The texts a revision's event (its seq in the trail) recorded: read by _id, the one filter every backend indexes. */
    async revisionTexts(initiativeId: string, seq: number): Promise<RecordedTexts | undefined> {
      const doc = await events.findById(eventIdOf(initiativeId, seq)).lean();
      return (doc?.data as { texts?: RecordedTexts } | undefined)?.texts;
    },
    /** Adds the listing entries of views stored before the listing existed (backfillListing). */
    backfillListing: () => backfillListing(initiatives),
  };
}
export type InitiativeRepository = ReturnType<typeof createInitiativeRepository>;
