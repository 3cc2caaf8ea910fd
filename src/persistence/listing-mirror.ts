/**
 * The whole listing in this process's memory, in list order, kept up to date from the listing's change log
 * (src/persistence/listing-changes.ts). A list page is then filtered, counted and cut in memory: its time does
 * not grow with the store's size on a backend that scans for every filter but `_id` (FerretDB), and no list
 * query reaches the store at all. Each page first reads the changes written since the last one, so a list
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

export function createListingMirror(listing: ListingModel, changes: ListingChanges) {
  /** In list order (listingOrder); `byId` holds the same entries. */
  let sorted: ListingDoc[] = [];
  let byId = new Map<string, ListingDoc>();
  /** The first change not applied yet; 0 until the listing is loaded. */
  let next = 0;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  /** Where `entry` belongs in `sorted` (the first position not before it). */
  function positionOf(entry: ListingDoc): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (listingOrder(sorted[mid], entry) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  function put(id: string, entry: ListingDoc | null): void {
    const old = byId.get(id);
    if (old) {
      sorted.splice(positionOf(old), 1);
      byId.delete(id);
    }
    if (entry) {
      sorted.splice(positionOf(entry), 0, entry);
      byId.set(id, entry);
    }
  }

  async function load(): Promise<void> {
    // The log's end first: a change written while the entries are read is then applied again, never missed.
    const last = await changes.last();
    const docs = await listing.find({}).lean();
    sorted = docs.sort(listingOrder);
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
      const items: ListingEntry[] = [];
      let total = 0;
      for (const entry of sorted) {
        if (!listingMatches(entry, q, nowIso)) continue;
        if (total >= page.offset && items.length < page.limit) {
          const { _id, listOrder, ...rest } = entry;
          void listOrder;
          items.push({ id: _id, ...rest });
        }
        total++;
      }
      return { items, total };
    },
  };
}
export type ListingMirror = ReturnType<typeof createListingMirror>;
