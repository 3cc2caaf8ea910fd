/**
 * Every event of the audit trail has `data`, as the OpenAPI document says, even an empty one (the completion of
 * an initiative without a note): MongoDB drivers drop empty objects unless told not to. Found by the contract
 * checks of test/integration/openapi-responses.test.ts.
 */
import mongoose from 'mongoose';
import { appendEvents, eventModel } from '../../src/persistence/events';
import { asPerson } from '../support/api-client';
import { testStack, uniqueId } from '../support/stack';

let mongo: mongoose.Connection;
beforeAll(async () => {
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await mongo?.close();
});

it('answers an event whose data is empty with data {}', async () => {
  // The trail of an initiative no workflow runs: only these events, written as the worker writes them.
  const id = uniqueId('event-data');
  const at = new Date().toISOString();
  await appendEvents(eventModel(mongo), id, [
    { seq: 1, type: 'withdrawn', at, revision: 0, data: { reason: 'merged' } },
    { seq: 2, type: 'completed', at, revision: 0, data: {} },
  ]);
  const events = await asPerson('secretariat').get(`/api/initiatives/${id}/events`);
  expect(events.status).toBe(200);
  expect(events.body.map((e: { seq: number; data: unknown }) => [e.seq, e.data])).toEqual([
    [1, { reason: 'merged' }],
    [2, {}],
  ]);
});
