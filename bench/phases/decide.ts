/**
 * Decision latency: POST /api/initiatives/:id/decisions (authentication, validation, the workflow
 * update) and then the read model showing the decision, against a raw executeUpdate of the same update
 * with the same input. One decision at a time; API and raw alternate over initiatives and states, so
 * both meet the same workflows in the same condition.
 */
import { workflowIdOf } from '../../src/temporal/client';
import type { InitiativeView } from '../../src/domain/view';
import { initiativeWorkflow } from '../../workflows';
import * as msg from '../../workflows/messages';
import type { BenchContext } from '../lib/context';
import { inParallel, now, sleep } from '../lib/pool';
import { ratio, summarize, type Summary } from '../lib/stats';
import { startBody } from './start';

export interface DecideResult {
  initiatives: number;
  /** The update alone: raw executeUpdate, and the API's answer. */
  raw: Summary;
  apiResponse: Summary;
  /** Until the read model shows the decision (polled by _id every few milliseconds). */
  apiVisible: Summary;
  rawVisible: Summary;
  /** The API's answer and then the acting person's own GET /api/initiatives/:id showing the decision (the live state). */
  actorSees?: Summary;
  /** The measure: API through the read model showing it, over raw executeUpdate. */
  ratioP50: number;
  ratioP95: number;
  /** The API's answer alone over raw executeUpdate. */
  responseRatioP50: number;
  responseRatioP95: number;
  goal: { ratioAtMost: number };
  met: boolean;
  ids: string[];
}

export const DECIDE_GOAL = 1.5;
/** Decided in turn; the sixth member (AZ) stays pending, so no round completes and every decision does the same work. */
const STATES = ['KZ', 'KG', 'TJ', 'TM', 'UZ'] as const;

type StoredView = InitiativeView & { _id: string };

/** budgetMs bounds the decisions; bringing the initiatives to sign-off first takes what the worker needs (up to 3 minutes). */
export async function benchDecide(
  ctx: BenchContext,
  opts: { initiatives: number; budgetMs: number },
): Promise<DecideResult> {
  const secretariat = await ctx.actor('secretariat');
  const official = await ctx.actor('official-kz');
  const kz = await ctx.db.collection<{ _id: string; timeZone: string }>('states').findOne({ _id: 'KZ' });
  const today = new Date().toISOString().slice(0, 10);
  const members = (
    await ctx.db
      .collection<{ _id: string; timeZone: string; admittedOn: string; leftOn?: string }>('states')
      .find({})
      .toArray()
  )
    .filter((s) => s.admittedOn <= today && (!s.leftOn || s.leftOn > today))
    .map((s) => ({ code: s._id, timeZone: s.timeZone }));
  const ids = Array.from({ length: opts.initiatives }, (_, i) => `decide-${i}`);

  // Each initiative brought to national sign-off of revision 1 with raw calls: start, assign, submit a draft.
  await inParallel(ids.length, 4, async (i) => {
    const id = ids[i];
    const handle = await ctx.client.workflow.start(initiativeWorkflow, {
      workflowId: workflowIdOf(id),
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      args: [ctx.startArgs(startBody(id, 'benchmark-decide'), secretariat)],
    });
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const assign = {
      actor: secretariat,
      leadState: 'KZ',
      leadTimeZone: kz?.timeZone ?? 'Asia/Almaty',
      officialId: official.personId,
      officialName: official.name,
      draftDueAt: due,
    };
    await handle.executeUpdate(msg.actUpdates.assign, ctx.sealedAct(id, 'assign', assign, `bench-assign-${id}`));
    const draft = { actor: official, title: `Draft of ${id}`, link: 'https://example.org/draft', members };
    await handle.executeUpdate(
      msg.actUpdates.submitDraft,
      ctx.sealedAct(id, 'submitDraft', draft, `bench-draft-${id}`),
    );
  });
  const prepared = await ctx.settle(ids, 180_000);
  ctx.log(
    `  decide: ${ids.length} initiatives in sign-off; the worker caught up after ${(prepared.ms / 1000).toFixed(1)} s`,
  );

  const reps = new Map(
    await Promise.all(STATES.map(async (s) => [s, await ctx.actor(`rep-${s.toLowerCase()}`)] as const)),
  );
  const views = ctx.db.collection<StoredView>('initiatives');
  const phaseEnd = Date.now() + opts.budgetMs;
  const samples = {
    raw: [] as number[],
    apiResponse: [] as number[],
    apiVisible: [] as number[],
    rawVisible: [] as number[],
    actorSees: [] as number[],
  };

  /** Polls the read model by _id (the one filter FerretDB answers from its index) until the state's decision is there. */
  const visible = async (id: string, state: string, t0: number) => {
    for (;;) {
      const doc = await views.findOne({ _id: id }, { projection: { 'round.decisions': 1 } });
      if (doc?.round?.decisions?.[state]) return now() - t0;
      if (now() - t0 > 120_000) throw new Error(`the read model never showed ${state}'s decision on ${id}`);
      await sleep(2);
    }
  };

  /** The acting representative's GET of the initiative, once: it must already show their decision. */
  const actorSees = async (id: string, state: string, t0: number) => {
    const res = await ctx.api<StoredView>('GET', `/api/initiatives/${id}`, `rep-${state.toLowerCase()}`);
    if (res.status !== 200 || !res.body.round?.decisions?.[state])
      throw new Error(`GET /api/initiatives/${id} did not show ${state}'s decision to its representative`);
    return now() - t0;
  };

  outer: for (const [j, state] of STATES.entries()) {
    for (const [i, id] of ids.entries()) {
      if (Date.now() > phaseEnd && samples.raw.length >= 10 && samples.apiResponse.length >= 10) break outer;
      const input = { actor: reps.get(state)!, state, decision: 'approve' as const, revision: 1 };
      const t0 = now();
      if ((i + j) % 2 === 0) {
        const res = await ctx.api(
          'POST',
          `/api/initiatives/${id}/decisions`,
          `rep-${state.toLowerCase()}`,
          { state, decision: 'approve', revision: 1 },
          { 'idempotency-key': `bench-api-${id}-${state}` },
        );
        if (res.status !== 200)
          throw new Error(`POST /api/initiatives/${id}/decisions answered ${res.status}: ${JSON.stringify(res.body)}`);
        samples.apiResponse.push(now() - t0);
        // The actor reads the initiative again while the read model is polled: both from the same instant.
        const [seen, stored] = await Promise.all([actorSees(id, state, t0), visible(id, state, t0)]);
        samples.actorSees.push(seen);
        samples.apiVisible.push(stored);
      } else {
        await ctx.client.workflow
          .getHandle(workflowIdOf(id))
          .executeUpdate(msg.actUpdates.decide, ctx.sealedAct(id, 'decide', input, `bench-raw-${id}-${state}`));
        samples.raw.push(now() - t0);
        samples.rawVisible.push(await visible(id, state, t0));
      }
    }
  }

  const raw = summarize(samples.raw);
  const apiResponse = summarize(samples.apiResponse);
  const apiVisible = summarize(samples.apiVisible);
  const ratioP50 = ratio(apiVisible.p50, raw.p50);
  const ratioP95 = ratio(apiVisible.p95, raw.p95);
  return {
    initiatives: ids.length,
    raw,
    apiResponse,
    apiVisible,
    rawVisible: summarize(samples.rawVisible),
    actorSees: summarize(samples.actorSees),
    ratioP50,
    ratioP95,
    responseRatioP50: ratio(apiResponse.p50, raw.p50),
    responseRatioP95: ratio(apiResponse.p95, raw.p95),
    goal: { ratioAtMost: DECIDE_GOAL },
    met: ratioP50 <= DECIDE_GOAL && ratioP95 <= DECIDE_GOAL,
    ids,
  };
}
