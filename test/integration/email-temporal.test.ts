/**
 * End to end through Temporal: an initiative workflow whose reminders fall due while the SMTP server
 * is down, and whose worker crashes once right after the server accepted a reminder. Temporal's own
 * retries deliver every pending email once the server is back, and none twice. The worker here is
 * the test's own (its own task queue), with the real workflow bundle and the real activities, sending
 * to a MailDev the test can stop; Temporal and FerretDB are the test stack's.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { InitiativeInput } from '../../src/domain/initiative';
import { DEFAULT_SIGNOFF_POLICY } from '../../src/domain/types';
import { sealedStart } from '../../src/service/initiatives';
import { bundleWorkflows, installRuntime } from '../../src/worker';
import { workerWithMailer } from '../support/workers';
import { initiativeWorkflow } from '../../workflows/initiative';
import { emailHarness, Harness, OwnMailDev, uniqueInitiative, LINK_SECRET } from '../support/email-harness';
import { eventually, testStack } from '../support/stack';

const SECRETARIAT = 'secretariat@example.org';

let sink: OwnMailDev;
let h: Harness;
let client: Client;

beforeAll(async () => {
  installRuntime();
  sink = await OwnMailDev.create();
  await sink.start();
  client = new Client({ connection: await Connection.connect({ address: testStack().temporalAddress }) });
});
afterAll(async () => {
  await h?.close();
  await client?.connection.close();
  await sink?.stop();
});

async function remindersTo(address: string, title: string): Promise<number> {
  return (await sink.list()).filter(
    (m) => m.to.some((t) => t.address === address) && m.subject.startsWith('Reminder') && m.subject.includes(title),
  ).length;
}

it('reminders due during an SMTP outage arrive exactly once after it, even across a crash after SMTP acceptance', async () => {
  let crashed = false;
  h = await emailHarness(sink.smtp, {
    afterAccepted: (doc) => {
      if (crashed || doc.kind !== 'reminder' || doc.to !== SECRETARIAT) return;
      crashed = true;
      throw new Error('worker crashed after the SMTP server accepted the message');
    },
  });
  const taskQueue = `email-e2e-${uniqueInitiative()}`;
  const connection = await NativeConnection.connect({ address: testStack().temporalAddress });
  const worker = await workerWithMailer(connection, taskQueue, await bundleWorkflows(LINK_SECRET), h.activities);
  const id = uniqueInitiative();
  const title = `Outage drill ${id}`;
  const now = Date.now();
  const input: InitiativeInput = {
    id,
    title,
    proposingState: 'UZ',
    summit: 'tashkent-2025',
    category: 'institutions',
    policy: DEFAULT_SIGNOFF_POLICY,
    reminders: { offsetsMs: [9000, 6000], alignLocalTime: false, localTime: '09:00' },
    timing: {
      assignmentDueAt: new Date(now + 15_000).toISOString(),
      signoffPeriodMs: 86_400_000,
      redraftPeriodMs: 86_400_000,
      escalationIntervalMs: 86_400_000,
    },
    secretariatTimeZone: 'Asia/Tashkent',
    startedBy: { personId: 'secretariat', name: 'Secretariat duty desk', roles: ['secretariat'] },
  };
  try {
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(initiativeWorkflow, {
        workflowId: `initiative-${id}`,
        taskQueue,
        args: [sealedStart(LINK_SECRET, input, input)],
      });
      try {
        await eventually(
          'the start notification',
          async () => (await sink.list()).some((m) => m.subject.includes(title)),
          20_000,
        );
        await sink.stop();

        // Both reminders fall due while the server is down: queued, tried, pending.
        const pending = await eventually(
          'both reminders pending after a failed attempt',
          async () => {
            const docs = await h.outbox.find({ initiativeId: id, kind: 'reminder', to: SECRETARIAT }).lean();
            return docs.length === 2 && docs.every((d) => d.status === 'pending' && d.attempts >= 1) ? docs : undefined;
          },
          90_000, // a loaded 2-core machine delays the recording activity by tens of seconds
        );
        expect(pending.every((d) => /ECONNREFUSED|connect/i.test(d.lastError ?? ''))).toBe(true);

        await sink.start();
        await eventually(
          'two reminders after the outage',
          async () => (await remindersTo(SECRETARIAT, title)) >= 2,
          90_000,
        );
        // The escalation at the due date goes out too, and nothing arrives twice.
        await eventually(
          'the escalation',
          async () =>
            (await sink.list()).some(
              (m) =>
                m.to.some((t) => t.address === SECRETARIAT) &&
                m.subject.startsWith('Overdue') &&
                m.subject.includes(title),
            ),
          60_000,
        );
        // Temporal retries the crashed attempt: it finds the email claimed and not recorded, and does not send it again.
        await eventually(
          'the crashed reminder marked unconfirmed by the retry',
          async () => {
            const docs = await h.outbox.find({ initiativeId: id, kind: 'reminder', to: SECRETARIAT }).lean();
            return (
              docs
                .map((d) => d.status)
                .sort()
                .join() === 'sent,unconfirmed'
            );
          },
          90_000,
        );
        await sink.drained();
        expect(await remindersTo(SECRETARIAT, title)).toBe(2);
        expect(crashed).toBe(true);
      } finally {
        await handle.terminate('test over');
      }
    });
  } finally {
    await connection.close();
  }
});
