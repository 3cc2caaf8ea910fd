/**
 * The daily digest end to end, in Temporal's time-skipping test server: an initiative workflow emits
 * notifications, the recording activity defers them for a digest person and wakes their digest
 * workflow (signal-with-start), which sleeps until 09:00 in the person's zone and sends one email.
 * Real workflow bundle and activities; FerretDB from the test stack; a MailDev of the test's own.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { InitiativeInput } from '../../src/domain/initiative';
import { DEFAULT_SIGNOFF_POLICY } from '../../src/domain/types';
import { loadToolPaths } from '../../src/stack/tools';
import { sealedStart } from '../../src/service/initiatives';
import { bundleWorkflows, installRuntime } from '../../src/worker';
import { workerWithMailer } from '../support/workers';
import { nextDigestAt } from '../../src/domain/digest-time';
import { digestWorkflow } from '../../workflows/digest';
import { digestWorkflowId } from '../../workflows/digest-messages';
import { initiativeWorkflow } from '../../workflows/initiative';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { addPerson, emailHarness, Harness, OwnMailDev, uniqueInitiative, LINK_SECRET } from '../support/email-harness';
import { eventually } from '../support/stack';

let env: TestWorkflowEnvironment;
let sink: OwnMailDev;
let h: Harness;

beforeAll(async () => {
  installRuntime();
  [env, sink] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: loadToolPaths().testServer } },
    }),
    OwnMailDev.create(),
  ]);
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
    ),
  });
  await sink.start();
  h = await emailHarness(sink.smtp, { realDigestScheduling: true });
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
  await sink?.stop();
});

it('defers a digest person’s emails and sends them as one email at 09:00 in their zone, once', async () => {
  // The representative of a state of this test's own, so no other suite's initiative reaches this digest.
  const state = `X${uniqueInitiative().slice(-6)}`;
  const person = await addPerson(h, {
    roles: ['representative'],
    state,
    locale: 'ru',
    timeZone: 'Asia/Baku',
    notifications: { digest: true, optOut: [] },
  });
  const taskQueue = `email-digest-${uniqueInitiative()}`;
  const worker = await workerWithMailer(
    env.nativeConnection,
    taskQueue,
    await bundleWorkflows(LINK_SECRET),
    h.activities,
  );
  const id = uniqueInitiative();
  const startedAt = Date.now();
  const input: InitiativeInput = {
    id,
    title: `Цифровой транзитный коридор ${id}`,
    proposingState: state,
    summit: 'tashkent-2025',
    category: 'transport',
    policy: DEFAULT_SIGNOFF_POLICY,
    reminders: { offsetsMs: [], alignLocalTime: true, localTime: '09:00' },
    timing: {
      assignmentDueAt: new Date(startedAt + 30 * 86_400_000).toISOString(),
      signoffPeriodMs: 86_400_000,
      redraftPeriodMs: 86_400_000,
      escalationIntervalMs: 86_400_000,
    },
    secretariatTimeZone: 'Asia/Tashkent',
    startedBy: { personId: 'secretariat', name: 'Secretariat duty desk', roles: ['secretariat'] },
  };

  await worker.runUntil(async () => {
    const initiative = await env.client.workflow.start(initiativeWorkflow, {
      workflowId: `initiative-${id}`,
      taskQueue,
      args: [sealedStart(LINK_SECRET, input, input)],
    });
    try {
      const started = await eventually(
        'the deferred start notification',
        () => h.outbox.findOne({ initiativeId: id, personId: person._id }).lean(),
        30_000,
      );
      expect(started).toMatchObject({
        kind: 'started',
        status: 'deferred',
        summary: expect.stringContaining('Новая инициатива'),
      });
      expect((await sink.list()).filter((m) => m.to.some((t) => t.address === person.email))).toHaveLength(0);

      const digest = env.client.workflow.getHandle<typeof digestWorkflow>(digestWorkflowId(person._id));
      expect(await digest.result()).toBe(1); // time skips to 09:00 in Baku; nothing else arrived, so it ends

      const expected = nextDigestAt(startedAt, 'Asia/Baku');
      const doc = await h.outbox.findById(`digest|${person._id}|${expected.date}`).lean();
      expect(doc).toMatchObject({ status: 'sent', kind: 'digest', includes: [started!._id] });
      expect(await h.outbox.findById(started!._id).lean()).toMatchObject({ status: 'digested', digestId: doc!._id });
      const mails = await eventually('the digest email', async () => {
        const mine = (await sink.list()).filter((m) => m.to.some((t) => t.address === person.email));
        return mine.length ? mine : undefined;
      });
      expect(mails).toHaveLength(1);
      const mail = await sink.raw(mails[0].id);
      expect(mail.subject).toMatch(/^Ежедневная сводка на .+: 1 событие$/);
      expect(mail.text).toContain(`Новая инициатива: Цифровой транзитный коридор ${id}`);
    } finally {
      await initiative.terminate('test over');
    }
  });
});
