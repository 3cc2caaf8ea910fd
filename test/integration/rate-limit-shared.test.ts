/**
 * One limit for every API process: two stores, as two API processes hold them, count against the same slots in
 * the real FerretDB. Hits below a quarter of the limit are not waited for (their count is claimed behind them);
 * past it each hit waits for its shared count, so the limit holds across processes.
 */
import { randomUUID } from 'node:crypto';
import type { Options } from 'express-rate-limit';
import mongoose from 'mongoose';
import { SharedRateLimitStore } from '../../src/api/rate-limits';
import { createRateLimitCounters, rateLimitModel } from '../../src/persistence/rate-limits';
import { eventually, testStack } from '../support/stack';

const LIMIT = 8;
let mongo: mongoose.Connection;

beforeAll(async () => {
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await mongo.close();
});

/** Two API processes' stores for one limiter, and the prefix of its slots' ids. */
function twoProcesses(): { stores: SharedRateLimitStore[]; prefix: string } {
  const prefix = `test-${randomUUID()}`;
  const stores = [0, 1].map(() => {
    const store = new SharedRateLimitStore(createRateLimitCounters(rateLimitModel(mongo)), prefix);
    store.init({ windowMs: 10 * 60_000, limit: LIMIT } as Options);
    return store;
  });
  return { stores, prefix };
}

const admitted = (hits: { totalHits: number }[]) => hits.filter((h) => h.totalHits <= LIMIT).length;

it('admits the limit, and no more, of hits that alternate between two processes', async () => {
  const [a, b] = twoProcesses().stores;
  const hits = [];
  for (let i = 0; i < 30; i++) hits.push(await (i % 2 ? b : a).increment('rep-kz'));
  expect(admitted(hits)).toBe(LIMIT);
  // The refused hits are numbered past the limit, as the Retry-After and RateLimit headers report them.
  expect(hits.slice(-5).every((h) => h.totalHits > LIMIT)).toBe(true);
  // Another person's count is their own.
  expect((await b.increment('rep-uz')).totalHits).toBe(1);
});

it('holds the limit, within a quarter of it per other process, when both are hit at once', async () => {
  const {
    stores: [a, b],
    prefix,
  } = twoProcesses();
  const hits = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? b : a).increment('rep-kg')));
  expect(admitted(hits)).toBeGreaterThanOrEqual(LIMIT);
  expect(admitted(hits)).toBeLessThanOrEqual(LIMIT + LIMIT / 4);
  // Every hit was counted where both processes see it, the unwaited ones too: a slot each up to the limit.
  const slots = () => mongo.collection('rate_limit_slots').countDocuments({ _id: { $regex: `^${prefix}:` } } as never);
  await eventually('a slot claimed for each admitted hit', async () => (await slots()) === LIMIT);
  // Once the count is known, a process alone refuses: the next hit on either side waits and is refused.
  expect((await a.increment('rep-kg')).totalHits).toBeGreaterThan(LIMIT);
  expect((await b.increment('rep-kg')).totalHits).toBeGreaterThan(LIMIT);
});
