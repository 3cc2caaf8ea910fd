/**
 * The production-like cluster (src/stack/cluster.ts) under faults: while sign-off rounds run through the
 * round-robin API address, one worker, one API, one mailer and each Temporal service (history, matching,
 * frontend) are SIGKILLed in turn and started again. The other processes carry on; afterwards every act
 * the API accepted is in the audit trail once, every workflow completed, the read model matches, and every
 * queued email reached the sink once, as many as a fault-free run of the same script queues.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { eventModel } from '../../src/persistence/events';
import { initiativeModel } from '../../src/persistence/initiatives';
import { outboxModel } from '../../src/persistence/outbox';
import { ensureLocalSecret } from '../../src/seed/accounts';
import { freeClusterPorts, startCluster, type Cluster } from '../../src/stack/cluster';
import { seedDirectory } from '../../src/stack/seeded';
import type { Service } from '../../src/stack/service';
import {
  auditActs,
  auditEmails,
  type CheckedStack,
  emailFailures,
  outboxOpen,
  queuedDiffers,
  readModelBehind,
  untilCompleted,
  untilDone,
  workflowsNotIn,
} from '../faults/support/checks';
import { type ActRecord, type FaultStack, sleep } from '../faults/support/fault-stack';
import { runPrefix, signoffRound, type Variant } from '../faults/support/rounds';

const ROUNDS = 12;
const LOGS_DIR = path.resolve(__dirname, '..', '..', '.test-results', 'cluster-logs');

let dataDir: string;
let cluster: Cluster;
let connection: Connection;
let mongo: mongoose.Connection;
let stack: CheckedStack & Pick<FaultStack, 'apiUrl' | 'tokens'>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-cluster-'));
  cluster = await startCluster({
    dataDir,
    ports: await freeClusterPorts(),
    persistMail: true,
    env: {
      LOG_LEVEL: 'warn',
      // The suite acts as the same seeded people many times a minute.
      RATE_LIMIT_ACTS_PER_MINUTE: '100000',
      RATE_LIMIT_SIGNIN_PER_IP: '100000',
    },
  });
  const tokens = await seedDirectory(cluster.env, ensureLocalSecret(dataDir));
  connection = await Connection.connect({ address: cluster.temporalAddress });
  mongo = await mongoose.createConnection(cluster.mongoUrl, { serverSelectionTimeoutMS: 5000 }).asPromise();
  stack = {
    apiUrl: cluster.apiUrl,
    tokens,
    mailUrl: cluster.mailWebUrl,
    temporal: new Client({ connection, namespace: 'default' }),
    initiatives: initiativeModel(mongo),
    events: eventModel(mongo),
    outbox: outboxModel(mongo),
  };
}, 10 * 60_000);

afterAll(async () => {
  await connection?.close().catch(() => undefined);
  await mongo?.close().catch(() => undefined);
  await cluster?.stop();
  if (dataDir) {
    // The processes' logs outlive the cluster, for the diagnosis of a failed run.
    for (const logs of [path.join(dataDir, 'logs'), ...[1, 2].map((i) => path.join(dataDir, `app-${i}`, 'logs'))])
      if (fs.existsSync(logs)) fs.cpSync(logs, path.join(LOGS_DIR, path.relative(dataDir, logs)), { recursive: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

const variantOf = (i: number): Variant => (i % 4 === 0 ? 'changes' : 'consensus');

/** Runs the round script once per variant without faults: how many emails each variant queues. */
async function faultFreeEmailCounts(prefix: string): Promise<Record<Variant, number>> {
  const ids: Record<Variant, string> = { consensus: `${prefix}-control-c`, changes: `${prefix}-control-x` };
  await Promise.all([
    signoffRound(stack, ids.consensus, 0, 'consensus', []),
    signoffRound(stack, ids.changes, 0, 'changes', []),
  ]);
  expect(await untilCompleted(stack, Object.values(ids))).toEqual([]);
  await untilDone(() => outboxOpen(stack, Object.values(ids)));
  const audit = await auditEmails(stack, Object.values(ids));
  return { consensus: audit.perInitiative.get(ids.consensus) ?? 0, changes: audit.perInitiative.get(ids.changes) ?? 0 };
}

test('each Temporal service, each worker, mailer and API is a process of its own', () => {
  const temporal = Object.values(cluster.services.temporal);
  const apps = cluster.apps.flatMap((a) => Object.values(a.services));
  const pids = [...temporal, ...apps, cluster.services.postgres, cluster.services.ferretdb].map((s) => s.child.pid);
  expect(temporal).toHaveLength(4);
  expect(apps).toHaveLength(6);
  expect(new Set(pids).size).toBe(pids.length);
  expect([...temporal, ...apps].every((s) => s.running)).toBe(true);
});

test('SIGKILL of a worker, an API, a mailer, and the history, matching and frontend services in turn during sign-off rounds loses and repeats nothing', async () => {
  const prefix = runPrefix('cluster');
  const expectedEmails = await faultFreeEmailCounts(prefix);

  const ids = Array.from({ length: ROUNDS }, (_, i) => `${prefix}-${i}`);
  const acts: ActRecord[] = [];
  const roundErrors: string[] = [];
  const rounds = Promise.all(
    ids.map((id, i) =>
      signoffRound(stack, id, i, variantOf(i), acts).catch((err: Error) => {
        roundErrors.push(err.message);
      }),
    ),
  );

  const [first, second] = cluster.apps;
  const { history, matching, frontend } = cluster.services.temporal;
  // Temporal's services first and between the others, so that each falls while acts still arrive.
  const victims: [string, Service][] = [
    ['temporal history', history],
    ['worker 1', first.services.worker],
    ['temporal matching', matching],
    ['api 1', first.services.api],
    ['temporal frontend', frontend],
    ['mailer 2', second.services.mailer],
  ];
  const injected: string[] = [];
  for (const [name, service] of victims) {
    await sleep(2000);
    const accepted = acts.length;
    await service.kill('SIGKILL');
    await sleep(1500);
    const restart = Date.now();
    await service.start();
    injected.push(
      `${name}: killed with ${accepted} acts accepted, ready again ${Date.now() - restart} ms after its start`,
    );
  }
  await rounds;

  const stuck = await untilCompleted(stack, ids);
  await untilDone(() => outboxOpen(stack, ids));
  const actAudit = await auditActs(stack, acts);
  const behind = await readModelBehind(stack, ids);
  const emails = await auditEmails(stack, ids);
  const wrongCount = queuedDiffers(emails.perInitiative, (id) => expectedEmails[variantOf(ids.indexOf(id))], ids);
  console.log(
    [
      ...injected,
      `${acts.length} acts accepted (${actAudit.retried} after retries), ${emails.queued} emails queued, ` +
        `${emails.deliveredOnce} delivered once, ${emails.unconfirmed} unconfirmed (a send cut short: flagged, never repeated), ` +
        `${emails.unconfirmedArrived} of those arrived`,
    ].join('\n'),
  );

  expect({
    roundErrors,
    stuck,
    lost: actAudit.lost,
    duplicated: actAudit.duplicated,
    behind,
    wrongCount,
    emails: emailFailures(emails),
    notCompleted: await workflowsNotIn(stack, ids),
  }).toEqual({
    roundErrors: [],
    stuck: [],
    lost: [],
    duplicated: [],
    behind: [],
    wrongCount: [],
    emails: [],
    notCompleted: [],
  });
  expect(acts.length).toBeGreaterThan(0);
});
