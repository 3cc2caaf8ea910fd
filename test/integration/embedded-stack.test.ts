// The embedded stack against real clients: Temporal, MongoDB protocol (FerretDB), SMTP + MailDev.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import nodemailer from 'nodemailer';
import { SEARCH_ATTRIBUTES, startEmbeddedStack, type EmbeddedStack, type StackPorts } from '../../src/stack/embedded';
import { assertPortFree, freePort } from '../../src/stack/ports';
import { eventually } from '../support/poll';

// temporal.api.enums.v1.IndexedValueType
const INDEXED_VALUE_TYPE = { Text: 1, Keyword: 2, Int: 3, Datetime: 6, KeywordList: 7 } as const;

let dataDir: string;
let ports: StackPorts;
let stack: EmbeddedStack | undefined;

async function allPortsFree(): Promise<void> {
  for (const [name, port] of Object.entries(ports)) await assertPortFree(port, name);
}

async function withTemporal<T>(fn: (client: Client, connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: stack!.temporalAddress });
  try {
    return await fn(new Client({ connection }), connection);
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-stack-test-'));
  ports = {
    temporal: await freePort(),
    temporalUi: await freePort(),
    mongo: await freePort(),
    smtp: await freePort(),
    mailWeb: await freePort(),
  };
  stack = await startEmbeddedStack({ dataDir, ports, quiet: true });
});

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('Temporal answers and has the search attributes registered', async () => {
  await withTemporal(async (_client, connection) => {
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      expect([name, customAttributes?.[name]]).toEqual([name, INDEXED_VALUE_TYPE[type]]);
    }
  });
  const ui = await fetch(stack!.temporalUiUrl);
  expect(ui.status).toBe(200);
});

test('FerretDB answers a MongoDB ping and stores a document', async () => {
  const conn = await mongoose.createConnection(stack!.mongoUrl).asPromise();
  try {
    expect(await conn.db!.admin().ping()).toMatchObject({ ok: 1 });
    const things = conn.db!.collection('stack_test');
    await things.insertOne({ hello: 'world' });
    expect(await things.findOne({ hello: 'world' })).toMatchObject({ hello: 'world' });
  } finally {
    await conn.close();
  }
});

// Our FerretDB build (scripts/provision-tools.sh, fix_ferretdb_sqlite_id) writes the `_id` path as its unique
// index does; without it SQLite scans the whole table for every find, update and delete by `_id`.
test('FerretDB on SQLite finds a document by _id through the _id index, not by reading the whole collection', async () => {
  const conn = await mongoose.createConnection(stack!.mongoUrl).asPromise();
  try {
    await conn.db!.collection('stack_index_test').insertOne({ _id: 'rail-corridor' as never });
    const explained = await conn.db!.command({
      explain: { find: 'stack_index_test', filter: { _id: 'rail-corridor' } },
    });
    expect(explained.queryPlanner.Plan).toEqual([expect.stringMatching(/SEARCH \S+ USING INDEX \S+__id_ /)]);
  } finally {
    await conn.close();
  }
});

test('mail sent over SMTP shows up in the MailDev REST API', async () => {
  const subject = `stack test ${Date.now()}`;
  const transport = nodemailer.createTransport({
    host: stack!.smtp.host,
    port: stack!.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  await transport.sendMail({ from: 'secretariat@example.org', to: 'lead@example.org', subject, text: 'hello' });
  transport.close();

  await eventually('the email in the inbox', async () => {
    const res = await fetch(`${stack!.mailWebUrl}/api/email`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { subject: string }[]).some((m) => m.subject === subject);
  });
  expect((await fetch(`${stack!.mailWebUrl}/index.html`)).status).toBe(200);
});

test('stop() frees every port, and Temporal state survives a restart on the same data dir', async () => {
  const workflowId = `stack-test-${Date.now()}`;
  await withTemporal((client) => client.workflow.start('notRegistered', { taskQueue: 'stack-test', workflowId }));

  await stack!.stop();
  stack = undefined;
  await allPortsFree();

  stack = await startEmbeddedStack({ dataDir, ports, quiet: true });
  await withTemporal(async (client, connection) => {
    const described = await client.workflow.getHandle(workflowId).describe();
    expect(described.status.name).toBe('RUNNING');
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTES)));
    await client.workflow.getHandle(workflowId).terminate('test done');
  });

  await stack.stop();
  stack = undefined;
  await allPortsFree();
});

test('a port in use is refused with a message naming it and its variable', async () => {
  const busy = await freePort();
  const net = await import('net');
  const blocker = net.createServer().listen(busy, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  try {
    await expect(startEmbeddedStack({ dataDir, ports: { ...ports, temporal: busy }, quiet: true })).rejects.toThrow(
      `port ${busy} (TEMPORAL_PORT, Temporal dev server) is already in use; set TEMPORAL_PORT to another port`,
    );
  } finally {
    blocker.close();
  }
});
