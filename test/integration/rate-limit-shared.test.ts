/**
 * One limit for every API process: two stores, as two API processes hold them, count against the same slots in
 * the real FerretDB, so the limit holds exactly whichever process each hit reaches, one after the other or at once.
 * These stores wait for the shared count as long as the database takes under the whole suite's load (the API's
 * one second would hand the decision to each process's own count, which is the outage case tested last).
 */
import { randomUUID } from 'node:crypto';
import type { Options } from 'express-rate-limit';
import mongoose from 'mongoose';
import { SharedRateLimitStore } from '../../src/api/rate-limits';
import { createRateLimitCounters, rateLimitModel } from '../../src/persistence/rate-limits';
import { WORKER_WAIT_MS } from '../support/poll';
import { testStack } from '../support/stack';

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
    const store = new SharedRateLimitStore(createRateLimitCounters(rateLimitModel(mongo)), prefix, WORKER_WAIT_MS);
    store.init({ windowMs: 10 * 60_000, limit: LIMIT } as Options);
    return store;
  });
  return { stores, prefix };
}

const admitted = (hits: { totalHits: number }[]) => hits.filter((h) => h.totalHits <= LIMIT).length;

it('keeps the limit exactly in one process, even when the hits come at once', async () => {
  const [a] = twoProcesses().stores;
  const hits = await Promise.all(Array.from({ length: 30 }, () => a.increment('rep-tm')));
  expect(admitted(hits)).toBe(LIMIT);
  // Another person's count is their own.
  expect((await a.increment('rep-uz')).totalHits).toBe(1);
});

for (const how of ['one after the other', 'all at once'] as const)
  it(`holds the limit exactly between two processes when their hits alternate ${how}`, async () => {
    const {
      stores: [a, b],
      prefix,
    } = twoProcesses();
    const hit = (i: number) => (i % 2 ? b : a).increment('rep-kg');
    const hits: { totalHits: number }[] = [];
    if (how === 'all at once') hits.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => hit(i)))));
    else for (let i = 0; i < 30; i++) hits.push(await hit(i));
    expect(admitted(hits)).toBe(LIMIT);
    // A slot for each admitted hit, where both processes see it; none for the refused ones.
    expect(await mongo.collection('rate_limit_slots').countDocuments({ _id: { $regex: `^${prefix}:` } } as never)).toBe(
      LIMIT,
    );
    // Once the count is known, each process refuses alone.
    expect((await a.increment('rep-kg')).totalHits).toBeGreaterThan(LIMIT);
    expect((await b.increment('rep-kg')).totalHits).toBeGreaterThan(LIMIT);
  });

it("falls back to each process's own count when the shared count does not answer in time", async () => {
  const counters = createRateLimitCounters(rateLimitModel(mongo));
  // A database that never answers, as during an outage: the hit is decided by this process's memory after 50 ms.
  const silent = { ...counters, count: () => new Promise<never>(() => undefined) };
  const store = new SharedRateLimitStore(silent, `test-${randomUUID()}`, 50);
  store.init({ windowMs: 10 * 60_000, limit: LIMIT } as Options);
  const hits: { totalHits: number }[] = [];
  for (let i = 0; i < 12; i++) hits.push(await store.increment('rep-kz'));
  expect(hits.map((h) => h.totalHits)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  expect(admitted(hits)).toBe(LIMIT);
});
