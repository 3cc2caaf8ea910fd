/** GET /api/initiatives lists summaries from the listing; initiatives recorded before the listing existed are listed once the worker backfills it. */
import mongoose from 'mongoose';
import { backfillListing, initiativeModel } from '../../src/persistence/initiatives';
import { LISTING_COLLECTION } from '../../src/persistence/listing';
import { listingChangesOn, RELOAD } from '../../src/persistence/listing-changes';
import { asPerson, settled, startedInitiative } from '../support/api-client';
import { testStack } from '../support/stack';

let mongo: mongoose.Connection;
beforeAll(async () => {
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await mongo.close();
});

const listed = (query: string, id: string) =>
  settled(`${id} listed for ${query}`, async () => {
    const res = await asPerson('rep-kg').get(`/api/initiatives?${query}`);
    return res.body.items?.find((i: { id: string }) => i.id === id);
  });

describe('the list of initiatives', () => {
  it('follows an initiative into sign-off: its stage, lead and the states yet to decide', async () => {
    const id = await startedInitiative('listed', { to: 'signoff', lead: 'KZ' });
    const live = (await asPerson('secretariat').get(`/api/initiatives/${id}`)).body;
    const item = await settled('the sign-off in the list', async () => {
      const res = await asPerson('rep-kg').get(`/api/initiatives?pending=KG&q=${id}`);
      const i = res.body.items?.find((e: { id: string }) => e.id === id);
      return i?.stage === 'signoff' ? i : undefined;
    });
    expect(item).toEqual({
      id,
      title: live.title,
      proposingState: 'KZ',
      stage: 'signoff',
      revision: 1,
      lead: { state: 'KZ', officialId: 'official-kz', officialName: live.lead.officialName },
      pendingStates: live.pendingStates,
      nextDueAt: live.nextDueAt,
      updatedAt: expect.any(String),
      version: expect.any(Number),
    });
    expect(item.pendingStates).toContain('KG');

    await asPerson('rep-kg').post(`/api/initiatives/${id}/decisions`, {
      state: 'KG',
      decision: 'approve',
      revision: 1,
    });
    await settled('KG gone from the pending list', async () => {
      const res = await asPerson('rep-kg').get(`/api/initiatives?pending=KG&q=${id}`);
      return res.body.total === 0;
    });
    expect((await listed(`stage=signoff&lead=KZ&q=${id}`, id)).pendingStates).not.toContain('KG');
  });

  it('shows initiatives recorded before the listing existed once the worker has added their entries', async () => {
    // A read model written by an earlier version: the view alone, no listing entry.
    const id = await startedInitiative('before-listing');
    await listed(`q=${id}`, id);
    await mongo.collection(LISTING_COLLECTION).deleteOne({ _id: id as never });
    // As an API process starting on that read model would load it.
    await listingChangesOn(mongo).append(RELOAD);
    expect((await asPerson('rep-kg').get(`/api/initiatives?q=${id}`)).body.total).toBe(0);

    // What the worker runs when it starts. Another test's worker may start and backfill the entry first, so the
    // count added here may be 0; what matters is that the entry is back.
    await backfillListing(initiativeModel(mongo));
    expect(await listed(`q=${id}`, id)).toMatchObject({ id, stage: 'proposed', proposingState: 'KZ' });
  });

  it('lists the open and late first, the soonest due next, and the closed last; an older entry gets its place once', async () => {
    const prefix = `order-${Date.now().toString(36)}`;
    const closed = await startedInitiative(`${prefix}-closed`);
    const withdrawn = await asPerson('secretariat').post(`/api/initiatives/${closed}/withdrawal`, {
      reason: 'Merged.',
    });
    expect(withdrawn.status).toBe(200);
    const later = await startedInitiative(`${prefix}-later`, { to: 'assigned', draftDueDays: 30 });
    const sooner = await startedInitiative(`${prefix}-sooner`, { to: 'assigned', draftDueDays: 3 });
    const listing = async () =>
      (await asPerson('rep-kg').get(`/api/initiatives?q=${prefix}`)).body.items as { id: string; stage: string }[];
    const order = async () => (await listing()).map((i) => i.id);
    // Each as its last act left it (the worker records them in the background): one withdrawn, two assigned.
    await settled('the three listed as they stand', async () => {
      const stages = Object.fromEntries((await listing()).map((i) => [i.id, i.stage]));
      return stages[closed] === 'withdrawn' && stages[later] === 'assigned' && stages[sooner] === 'assigned';
    });
    expect(await order()).toEqual([sooner, later, closed]);

    // An entry written before the list had an order (no listOrder) sorts first until the worker gives it its place.
    await mongo.collection(LISTING_COLLECTION).updateOne({ _id: closed as never }, { $unset: { listOrder: 1 } });
    await listingChangesOn(mongo).append(RELOAD);
    expect((await order())[0]).toBe(closed);
    await backfillListing(initiativeModel(mongo));
    expect(await order()).toEqual([sooner, later, closed]);
  });
});
