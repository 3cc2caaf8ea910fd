/**
 * No act lost, forged or suppressed (issue 12, items 1 to 3): each attack of the report is replayed against
 * the real API, Temporal dev server, worker, FerretDB and mail sink, and seen to fail.
 */
import { createHash } from 'node:crypto';
import { Client, Connection, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import mongoose from 'mongoose';
import { loadConfig } from '../../src/config';
import { DEFAULT_REMINDER_POLICY } from '../../src/domain/reminders';
import { sealedStart } from '../../src/service/initiatives';
import { workflowIdOf } from '../../src/temporal/client';
import { initiativeWorkflow } from '../../workflows';
import * as msg from '../../workflows/messages';
import { FORGED_START_FAILURE_TYPE, outboxKey } from '../../activities/record';
import { anonymous, asPerson, localSecret, settled, startedInitiative } from '../support/api-client';
import { waitForEmails } from '../support/mail';
import { eventually, testStack, uniqueId } from '../support/stack';

const TASK_QUEUE = loadConfig({}).TEMPORAL_TASK_QUEUE;
const secretariat = asPerson('secretariat');
const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

let connection: Connection;
let temporal: Client;
let mongo: mongoose.Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: testStack().temporalAddress });
  temporal = new Client({ connection });
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await connection?.close();
  await mongo?.close();
});

const decided = async (id: string) =>
  (
    (await secretariat.get(`/api/initiatives/${id}/events`)).body as { type: string; data: { state?: string } }[]
  ).filter((e) => e.type === 'decided');

async function refusalOf(p: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return { code: err.cause.details?.[0], message: err.cause.message };
    throw err;
  }
  throw new Error('expected the update to be refused');
}

describe('an Idempotency-Key belongs to its author', () => {
  it('refuses a key another representative used, and a key reused for another body; a true retry returns the first result', async () => {
    const id = await startedInitiative('key-shared', { to: 'signoff' });
    const K = `shared-${uniqueId('k')}`;
    const uz = await asPerson('rep-uz').post(
      `/api/initiatives/${id}/decisions`,
      { state: 'UZ', decision: 'approve', revision: 1 },
      { 'idempotency-key': K },
    );
    expect(uz.status).toBe(200);

    // Tajikistan objects with the same key: before, 200 and nothing recorded; now a clear refusal.
    const objection = { state: 'TJ', decision: 'object', revision: 1, reason: 'customs data sovereignty' };
    const tj = await asPerson('rep-tj').post(`/api/initiatives/${id}/decisions`, objection, { 'idempotency-key': K });
    expect(tj.status).toBe(422);
    expect(tj.contentType).toContain('application/problem+json');
    expect(tj.body.type).toMatch(/idempotency-key-reused$/);
    expect(tj.body.detail).toContain('someone else');
    expect((await secretariat.get(`/api/initiatives/${id}`)).body.round.blockedBy).toBeUndefined();

    // Uzbekistan reuses its key for another decision: refused, not answered with the approval.
    const other = await asPerson('rep-uz').post(
      `/api/initiatives/${id}/decisions`,
      { state: 'UZ', decision: 'request_changes', revision: 1, reason: 'typo' },
      { 'idempotency-key': K },
    );
    expect(other.status).toBe(422);
    expect(other.body.detail).toContain('another request');

    // The same request again: the first result, nothing new.
    const retry = await asPerson('rep-uz').post(
      `/api/initiatives/${id}/decisions`,
      { state: 'UZ', decision: 'approve', revision: 1 },
      { 'idempotency-key': K },
    );
    expect(retry.status).toBe(200);
    expect(retry.body.round.decisions.UZ).toEqual(uz.body.round.decisions.UZ);

    // With a key of its own, the objection is recorded and blocks the round.
    const own = await asPerson('rep-tj').post(`/api/initiatives/${id}/decisions`, objection, {
      'idempotency-key': `own-${uniqueId('k')}`,
    });
    expect(own.status).toBe(200);
    expect(own.body.round.blockedBy).toBe('TJ');
    const states = await settled('both decisions in the audit trail', async () => {
      const d = (await decided(id)).map((e) => e.data.state);
      return d.length >= 2 ? d : undefined;
    });
    expect(states).toEqual(['UZ', 'TJ']);
  });

  it('keeps a retry harmless after continue-as-new, when Temporal no longer knows the update id', async () => {
    // A workflow that continues as new early, started as the API starts one (sealed), then acted on through the API.
    const id = uniqueId('key-can');
    const now = Date.now();
    const input = {
      id,
      title: `Continue-as-new drill ${id}`,
      proposingState: 'KZ',
      summit: 'tashkent-2025',
      category: 'transport',
      policy: { rule: { rule: 'consensus' as const }, silenceProcedure: false },
      reminders: { ...DEFAULT_REMINDER_POLICY, offsetsMs: [...DEFAULT_REMINDER_POLICY.offsetsMs] },
      timing: {
        assignmentDueAt: new Date(now + 14 * 86_400_000).toISOString(),
        signoffPeriodMs: 21 * 86_400_000,
        redraftPeriodMs: 14 * 86_400_000,
        escalationIntervalMs: 3 * 86_400_000,
      },
      secretariatTimeZone: 'Asia/Tashkent',
      startedBy: { personId: 'secretariat', name: 'Secretariat duty desk', roles: ['secretariat' as const] },
      continueAsNewAfterEvents: 40,
    };
    const handle = await temporal.workflow.start(initiativeWorkflow, {
      workflowId: workflowIdOf(id),
      taskQueue: TASK_QUEUE,
      args: [sealedStart(localSecret(), input, input)],
    });
    const due = new Date(now + 10 * 86_400_000).toISOString();
    expect(
      (
        await secretariat.post(`/api/initiatives/${id}/assignment`, {
          leadState: 'KZ',
          officialId: 'official-kz',
          draftDueAt: due,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await asPerson('official-kz').post(`/api/initiatives/${id}/drafts`, {
          title: 'Draft one',
          link: 'https://example.org/d1',
        })
      ).status,
    ).toBe(200);
    const K = `can-${uniqueId('k')}`;
    const body = { state: 'KZ', decision: 'approve', revision: 1 };
    expect(
      (await asPerson('rep-kz').post(`/api/initiatives/${id}/decisions`, body, { 'idempotency-key': K })).status,
    ).toBe(200);

    // Acts without keys until the run continues as new.
    for (const state of ['AZ', 'KG', 'TJ']) {
      if ((await handle.describe()).runId !== handle.firstExecutionRunId) break;
      expect(
        (
          await asPerson(`rep-${state.toLowerCase()}`).post(`/api/initiatives/${id}/decisions`, {
            state,
            decision: 'approve',
            revision: 1,
          })
        ).status,
      ).toBe(200);
    }
    // The run continues as new once its recordings are done: the worker's pace under the whole suite's load.
    await settled(
      'the run to continue as new',
      async () => (await temporal.workflow.getHandle(workflowIdOf(id)).describe()).runId !== handle.firstExecutionRunId,
    );

    const retry = await asPerson('rep-kz').post(`/api/initiatives/${id}/decisions`, body, { 'idempotency-key': K });
    expect(retry.status).toBe(200);
    expect(retry.body.round.decisions.KZ).toMatchObject({ decision: 'approve', by: 'rep-kz' });
    const reused = await asPerson('rep-uz').post(
      `/api/initiatives/${id}/decisions`,
      { state: 'UZ', decision: 'object', revision: 1, reason: 'x' },
      { 'idempotency-key': K },
    );
    expect(reused.status).toBe(422);
    const kz = await settled('the decisions in the audit trail', async () => {
      const d = await decided(id);
      return d.length >= 2 ? d : undefined;
    });
    expect(kz.filter((e) => e.data.state === 'KZ')).toHaveLength(1);
  });
});

describe('a decision link cannot be spent by anyone else', () => {
  it('keys the nonce by the secret: the id computed from readable fields spends nothing, and the emailed link still records the objection', async () => {
    const id = await startedInitiative('link-prespent', { to: 'signoff' });
    const [mail] = await waitForEmails(
      'the decision request to the Tajik representative',
      (m) => m.to.some((t) => t.address === 'rep-tj@example.org') && m.subject.includes(id),
    );
    const token = /https?:\/\/[^\s"<>]+\/act\/([A-Za-z0-9_.-]+)/.exec(mail.text ?? '')![1];
    const claims = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as unknown[];

    // The attacker computes the nonce as it used to be: a hash of what the API shows about the request.
    const request = await mongo
      .collection('outbox')
      .findOne({ initiativeId: id, personId: 'rep-tj', kind: 'signoff_requested' });
    expect(request).not.toBeNull();
    const key = outboxKey(
      id,
      {
        kind: 'signoff_requested',
        to: { person: 'rep-tj' },
        step: request!.step,
        revision: request!.revision,
        dueAt: request!.dueAt,
      },
      'rep-tj',
    );
    expect(key).toBe(request!._id);
    const computed = createHash('sha256').update(`nonce:${key}`).digest('base64url').slice(0, 22);
    expect(claims[5]).not.toBe(computed);

    // ...and spends the update id the link used to act with, straight on Temporal, as another representative.
    const attempt = await refusalOf(
      temporal.workflow.getHandle(workflowIdOf(id)).executeUpdate(msg.actUpdates.decide, {
        args: [
          {
            actor: { personId: 'rep-kz', name: 'Special Representative KZ', roles: ['representative'], state: 'KZ' },
            state: 'KZ',
            decision: 'approve',
            revision: 1,
          },
        ],
        updateId: `action-${computed}`,
      }),
    );
    expect(attempt.code).toBe('unsealed');

    // The victim's objection from the email goes through.
    const confirmed = await anonymous().post(
      `/act/${token}`,
      new URLSearchParams({
        initiative: id,
        revision: '1',
        decision: 'object',
        reason: 'heritage sites not listed',
      }).toString(),
      form,
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Решение записано'); // the holder's language
    const view = (await secretariat.get(`/api/initiatives/${id}`)).body;
    expect(view.round.blockedBy).toBe('TJ');
    expect(view.round.decisions.KZ).toBeUndefined();
  });
});

describe('Temporal access alone acts for nobody', () => {
  it('refuses a withdrawal sent straight to Temporal with a Secretariat actor claim, and one whose seal was tampered with', async () => {
    const id = await startedInitiative('forged-actor', { to: 'assigned' });
    const handle = temporal.workflow.getHandle(workflowIdOf(id));
    const forged = await refusalOf(
      handle.executeUpdate(msg.actUpdates.withdraw, {
        args: [{ actor: { personId: 'intruder', name: 'Intruder', roles: ['secretariat'] }, reason: 'forged' }],
      }),
    );
    expect(forged.code).toBe('unsealed');
    expect(forged.message).toContain('no seal of the API');

    // A genuine sealed act, read back from the workflow's history and altered before it is sent again.
    const extended = await secretariat.post(`/api/initiatives/${id}/deadlines`, {
      step: 'draft',
      dueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      reason: 'holidays',
    });
    expect(extended.status).toBe(200);
    const history = await handle.fetchHistory();
    const accepted = history.events!.find(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'extendDeadline',
    )!;
    const request = accepted.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!;
    const payload = JSON.parse(Buffer.from(request.input!.args!.payloads![0].data!).toString('utf8'));
    expect(payload.auth.seal).toMatch(/^[0-9a-f]{64}$/);
    const tampered = {
      ...payload,
      reason: 'withdrawn by the intruder',
      actor: { ...payload.actor, personId: 'intruder' },
    };
    expect(
      (
        await refusalOf(
          handle.executeUpdate(msg.actUpdates.extendDeadline, {
            args: [tampered],
            updateId: `${request.meta!.updateId!}-x`,
          }),
        )
      ).code,
    ).toBe('unsealed');
    // Under its own update id, Temporal answers with the first result and the workflow never sees it.
    const deduped = await handle.executeUpdate(msg.actUpdates.extendDeadline, {
      args: [tampered],
      updateId: request.meta!.updateId!,
    });
    expect(deduped.deadlines).toEqual(extended.body.deadlines);
    expect(
      (
        await refusalOf(
          handle.executeUpdate(msg.actUpdates.extendDeadline, { args: [payload], updateId: 'replayed-elsewhere' }),
        )
      ).code,
    ).toBe('unsealed');

    const view = (await secretariat.get(`/api/initiatives/${id}`)).body;
    expect(view.stage).toBe('assigned');
    const events = (await secretariat.get(`/api/initiatives/${id}/events`)).body as {
      type: string;
      actor?: { personId: string };
    }[];
    expect(events.map((e) => e.actor?.personId)).not.toContain('intruder');
  });

  it('records nothing of a sealed start read from history and started again after the initiative closed', async () => {
    const id = await startedInitiative('replayed-start');
    expect((await secretariat.post(`/api/initiatives/${id}/withdrawal`, { reason: 'merged' })).status).toBe(200);
    const first = temporal.workflow.getHandle(workflowIdOf(id));
    await first.result();
    const eventsBefore = (await secretariat.get(`/api/initiatives/${id}/events`)).body.length;
    // The attacker reads the genuine sealed start from the closed run's history and starts the same id again.
    const history = await first.fetchHistory();
    const started = history.events![0].workflowExecutionStartedEventAttributes!;
    const args = JSON.parse(Buffer.from(started.input!.payloads![0].data!).toString('utf8'));
    const again = await temporal.workflow.start(initiativeWorkflow, {
      workflowId: workflowIdOf(id),
      taskQueue: TASK_QUEUE,
      args: [args],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const failure = await again.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(((failure as WorkflowFailedError).cause?.cause as ApplicationFailure).type).toBe(FORGED_START_FAILURE_TYPE);
    const view = (await secretariat.get(`/api/initiatives/${id}`)).body;
    expect(view.stage).toBe('withdrawn');
    expect((await secretariat.get(`/api/initiatives/${id}/events`)).body).toHaveLength(eventsBefore);
  });

  it('records nothing of a workflow started straight on Temporal without the API: it fails on its first recording', async () => {
    const id = uniqueId('forged-start');
    const input = {
      id,
      title: `Forged ${id}`,
      proposingState: 'KZ',
      summit: 'tashkent-2025',
      category: 'transport',
      policy: { rule: { rule: 'consensus' as const }, silenceProcedure: false },
      reminders: { ...DEFAULT_REMINDER_POLICY, offsetsMs: [...DEFAULT_REMINDER_POLICY.offsetsMs] },
      timing: {
        assignmentDueAt: new Date(Date.now() + 86_400_000).toISOString(),
        signoffPeriodMs: 86_400_000,
        redraftPeriodMs: 86_400_000,
        escalationIntervalMs: 86_400_000,
      },
      secretariatTimeZone: 'Asia/Tashkent',
      startedBy: { personId: 'intruder', name: 'Intruder', roles: ['secretariat' as const] },
    };
    const handle = await temporal.workflow.start(initiativeWorkflow, {
      workflowId: workflowIdOf(id),
      taskQueue: TASK_QUEUE,
      args: [{ start: input }],
    });
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(FORGED_START_FAILURE_TYPE);
    expect(await mongo.collection('initiatives').countDocuments({ _id: id as never })).toBe(0);
    expect(await mongo.collection('events').countDocuments({ initiativeId: id })).toBe(0);
    expect((await secretariat.get(`/api/initiatives/${id}`)).status).toBe(404);
    expect((await secretariat.get(`/api/initiatives?q=${encodeURIComponent(id)}`)).body.items ?? []).toEqual([]);
  });
});
