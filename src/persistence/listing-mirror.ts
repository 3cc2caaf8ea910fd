/**
 * The whole listing in this process's memory, in list order, kept up to date from the listing's change log
 * (src/persistence/listing-changes.ts). A list page is then filtered, counted and cut in memory, and no list
 * query reaches the store at all (FerretDB reads and decodes every entry for any filter but `_id`). A page of
 * every entry or of one stage, lead state or pending state is a slice of a list kept in order, whatever the
 * number of initiatives; other filters walk the shortest list they name (`overdue` only its late part), and a
 * search in the titles (`q`) every entry, as it would on any store. Each page first reads the changes written since the last one, so a list
 * shows every change recorded before it was asked for (the actor's own act included, once recorded).
 */
import type { ListingChanges } from './listing-changes';
import { RELOAD } from './listing-changes';
import {
  listingMatches,
  listingOrder,
  type ListingDoc,
  type ListingEntry,
  type ListingFilter,
  type ListingModel,
} from './listing';

/** How many listing entries a catch-up reads at once. */
const ENTRIES_AT_ONCE = 16;

/** The lists an entry is in: all, its stage, its lead state, each state yet to decide. */
function listsOf(entry: ListingDoc): string[] {
  const keys = ['all', `stage:${entry.stage}`];
  if (entry.lead) keys.push(`lead:${entry.lead.state}`);
  for (const state of new Set(entry.pendingStates ?? [])) keys.push(`pending:${state}`);
  return keys;
}

/** How many entries lead `list` (which is in list order) while `before` holds for them. */
function countWhile(list: ListingDoc[], before: (entry: ListingDoc) => boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(list[mid])) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Where `entry` belongs in `list` (the first position not before it in list order). */
const positionIn = (list: ListingDoc[], entry: ListingDoc) => countWhile(list, (e) => listingOrder(e, entry) < 0);

export function createListingMirror(listing: ListingModel, changes: ListingChanges) {
  /**
   * Every entry in list order under `all`, and the entries of each stage, lead state and pending state under
   * `stage:…`, `lead:…` and `pending:…`, each in list order too: a page filtered on one of them is a slice.
   */
  let lists = new Map<string, ListingDoc[]>();
  let byId = new Map<string, ListingDoc>();
  /** The first change not applied yet; 0 until the listing is loaded. */
  let next = 0;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  function put(id: string, entry: ListingDoc | null): void {
    const old = byId.get(id);
    if (old) {
      for (const key of listsOf(old)) {
        const list = lists.get(key)!;
        list.splice(positionIn(list, old), 1);
      }
      byId.delete(id);
    }
    if (entry) {
      for (const key of listsOf(entry)) {
        let list = lists.get(key);
        if (!list) lists.set(key, (list = []));
        list.splice(positionIn(list, entry), 0, entry);
      }
      byId.set(id, entry);
    }
  }

  async function load(): Promise<void> {
    // The log's end first: a change written while the entries are read is then applied again, never missed.
    const last = await changes.last();
    const docs = await listing.find({}).lean();
    lists = new Map();
    for (const entry of docs.sort(listingOrder))
      for (const key of listsOf(entry)) {
        const list = lists.get(key);
        if (list) list.push(entry);
        else lists.set(key, [entry]);
      }
    byId = new Map(docs.map((d) => [d._id, d]));
    next = last + 1;
  }

  async function catchUp(): Promise<void> {
    if (next === 0) return load();
    const read = await changes.readFrom(next);
    if (read.length === 0) return;
    if (read.some((c) => c.initiativeId === RELOAD)) return load();
    const ids = [...new Set(read.map((c) => c.initiativeId))];
    for (let i = 0; i < ids.length; i += ENTRIES_AT_ONCE) {
      const batch = ids.slice(i, i + ENTRIES_AT_ONCE);
      const entries = await Promise.all(batch.map((id) => listing.findById(id).lean()));
      batch.forEach((id, k) => put(id, entries[k]));
    }
    next = read[read.length - 1].n + 1;
  }

  /**
   * Brings the mirror up to date with every change written before this call. A call that comes while a
   * catch-up runs waits for the next one (which starts after it came), shared by every call that came meanwhile.
   */
  function sync(): Promise<void> {
    if (!running) {
      running = catchUp().finally(() => (running = undefined));
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return sync();
      });
    return queued;
  }

  return {
    sync,
    /** A page of the list `q` asks for at `nowIso`, in list order, and how many entries it has in all. */
    async page(
      q: ListingFilter,
      page: { offset: number; limit: number },
      nowIso: string,
    ): Promise<{ items: ListingEntry[]; total: number }> {
      await sync();
      // The shortest of the lists the filter names (every entry when it names none).
      const named = [q.stage && `stage:${q.stage}`, q.lead && `lead:${q.lead}`, q.pending && `pending:${q.pending}`]
        .filter((key): key is string => Boolean(key))
        .map((key) => lists.get(key) ?? []);
      const list = named.length ? named.reduce((a, b) => (b.length < a.length ? b : a)) : (lists.get('all') ?? []);
      const overdue = q.overdue === 'true';
      if (named.length <= 1 && !overdue && !q.q) {
        const items = list.slice(page.offset, page.offset + page.limit).map(entryOf);
        return { items, total: list.length };
      }
      // The late come first in list order (their order is their due date): only those before now can be overdue.
      const end = overdue ? countWhile(list, (e) => (e.listOrder ?? '') < nowIso) : list.length;
      const items: ListingEntry[] = [];
      let total = 0;
      for (let i = 0; i < end; i++) {
        const entry = list[i];
        if (!listingMatches(entry, q, nowIso)) continue;
        if (total >= page.offset && items.length < page.limit) items.push(entryOf(entry));
        total++;
      }
      return { items, total };
    },
  };
}
export type ListingMirror = ReturnType<typeof createListingMirror>;

function entryOf({ _id, listOrder, ...rest }: ListingDoc): ListingEntry {
  void listOrder;
  return { id: _id, ...rest };
}
