/** The initiative workflow on the real stack: search attributes, reminders and escalations by email, the rotating Chair, summit import. */
import { Client, Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { localSecret } from '../support/api-client';
import { createRecordActivities } from '../../activities/record';
import { createDirectory, directoryModels } from '../../src/persistence/directory';
import { eventModel } from '../../src/persistence/events';
import { createInitiativeRepository, initiativeModel } from '../../src/persistence/initiatives';
import { commitmentModels, createCommitmentRepository } from '../../src/persistence/commitments';
import { createOutboxRepository, outboxModel } from '../../src/persistence/outbox';
import { createMailer } from '../../src/email/mailer';
import { loadConfig } from '../../src/config';
import { apiAs, eventually, testStack, uniqueId } from '../support/stack';
import { waitForEmails } from '../support/mail';
import { inActivityContext } from '../support/activity-context';

const secretariat = apiAs('secretariat');
const ROOT = path.resolve(__dirname, '..', '..');

/** The recording activity's dependencies on the test stack, on a fixed day (the Chair and delegations depend on it). */
function recordingDeps(mongo: mongoose.Connection, config: ReturnType<typeof loadConfig>, today: string) {
  return {
    config,
    repositories: {
      initiatives: createInitiativeRepository({ initiatives: initiativeModel(mongo), events: eventModel(mongo) }),
      outbox: createOutboxRepository(outboxModel(mongo)),
      commitments: createCommitmentRepository(commitmentModels(mongo)),
    },
    directory: createDirectory(directoryModels(mongo)),
    mailer: createMailer(config),
    secret: localSecret(),
    today: () => today,
  };
}

async function started(id: string, extra: Record<string, unknown> = {}) {
  const res = await secretariat.post('/api/initiatives', {
    id,
    title: `Single window pilot ${id}`,
    proposingState: 'KG',
    summit: 'tashkent-2025',
    category: 'digital',
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('the initiative workflow on the real stack', () => {
  let temporal: Client;
  let mongo: mongoose.Connection;
  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: testStack().temporalAddress }) });
    mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
  });
  afterAll(async () => {
    await temporal.connection.close();
    await mongo.close();
  });

  async function workflowIds(query: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const wf of temporal.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  }

  it('keeps stage, lead state, pending states and next deadline current as search attributes', async () => {
    const id = uniqueId('sa');
    await started(id);
    const due = new Date(Date.now() + 10 * 86_400_000).toISOString();
    expect(
      (
        await secretariat.post(`/api/initiatives/${id}/assignment`, {
          leadState: 'KG',
          officialId: 'official-kg',
          draftDueAt: due,
        })
      ).status,
    ).toBe(200);
    const inSignoff = await apiAs('official-kg').post(`/api/initiatives/${id}/drafts`, {
      title: 'Single window concept',
      link: 'https://example.org/sw-r1',
    });
    expect(inSignoff.body).toMatchObject({ stage: 'signoff', revision: 1 });

    // The read model keeps the open round's empty decisions, as the live state shows them.
    const stored = await eventually('the round in the read model', () =>
      mongo.collection('initiatives').findOne({ _id: id as never, stage: 'signoff' }),
    );
    expect(stored!.round).toMatchObject({ revision: 1, decisions: {} });

    const wid = `initiative-${id}`;
    const query = `WorkflowId = '${wid}' AND InitiativeStage = 'signoff' AND LeadState = 'KG' AND PendingStates = 'KZ'`;
    await eventually(
      'the sign-off to be found by its search attributes',
      async () => (await workflowIds(query)).length === 1,
    );
    const approved = await apiAs('rep-kz').post(`/api/initiatives/${id}/decisions`, {
      state: 'KZ',
      decision: 'approve',
      revision: 1,
    });
    expect(approved.status).toBe(200);
    expect(approved.body.pendingStates).not.toContain('KZ');
    await eventually('KZ to leave the pending states', async () => (await workflowIds(query)).length === 0);
    expect(await workflowIds(`WorkflowId = '${wid}' AND NextDeadline > '${new Date().toISOString()}'`)).toEqual([wid]);
  });

  it('reminds the responsible official before a deadline seconds away, then escalates to the Secretariat and the current Chair', async () => {
    const id = uniqueId('soon');
    await started(id, { reminders: { alignLocalTime: false, offsetsMs: [3000] } });
    const due = new Date(Date.now() + 6000).toISOString();
    await secretariat.post(`/api/initiatives/${id}/assignment`, {
      leadState: 'KG',
      officialId: 'official-kg',
      draftDueAt: due,
    });

    const kind = (k: string) => (m: { subject: string; headers: Record<string, string> }) =>
      m.headers['x-summit-notification'] === k && m.subject.includes(id);
    const [reminder] = await waitForEmails('the reminder', kind('reminder'));
    expect(reminder.to).toMatchObject({ value: [{ address: 'official-kg@example.org' }] });
    expect(reminder.text).toContain('(Asia/Bishkek, UTC+06:00)');

    // Turkmenistan chairs in 2026 (the rotation calendar of the Tashkent data set). Other tests add people
    // to the shared directory, so wait for the seeded Chair and Secretariat, then check every recipient's role.
    for (const address of ['rep-tm@example.org', 'secretariat@example.org']) {
      await waitForEmails(
        `the escalation to ${address}`,
        (m) => kind('escalation')(m) && m.to.some((t) => t.address === address),
      );
    }
    const escalations = await waitForEmails('the escalations', kind('escalation'), 2);
    const people = mongo.collection('people');
    for (const mail of escalations) {
      const address = (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.value[0].address;
      const person = await people.findOne({ email: address });
      expect(
        person?.roles.includes('secretariat') || (person?.roles.includes('representative') && person.state === 'TM'),
      ).toBe(true);
    }
    const events = await secretariat.get(`/api/initiatives/${id}/events`);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['started', 'assigned', 'reminder_due', 'escalated']),
    );
  });

  it('looks the Chair up when an escalation is sent, so escalations follow the rotation across the year-end', async () => {
    const config = loadConfig({ ...process.env, MONGODB_URL: testStack().mongoUrl });
    const recording = (today: string) => inActivityContext(createRecordActivities(recordingDeps(mongo, config, today)));
    const id = uniqueId('chair');
    const view = (await started(id)) as never;
    const escalation = (sequence: number) => ({
      kind: 'escalation' as const,
      to: { role: 'chair' as const },
      step: 'assignment',
      revision: 0,
      dueAt: '2025-12-30T04:00:00.000Z',
      sequence,
    });
    const before = await recording('2025-12-31').recordChanges({
      initiativeId: id,
      events: [],
      notifications: [escalation(1)],
      view,
    });
    const after = await recording('2026-01-01').recordChanges({
      initiativeId: id,
      events: [],
      notifications: [escalation(2)],
      view,
    });
    const outbox = outboxModel(mongo);
    const to = async (ids: string[]) => (await outbox.find({ _id: { $in: ids } }).lean()).map((d) => d.to);
    // Uzbekistan chaired 2025, Turkmenistan chairs 2026 (other tests may add representatives to either).
    expect(await to(before)).toContain('rep-uz@example.org');
    expect(await to(before)).not.toContain('rep-tm@example.org');
    expect(await to(after)).toContain('rep-tm@example.org');
    expect(await to(after)).not.toContain('rep-uz@example.org');
  });

  it('asks a deputy for a decision only within the delegation dates', async () => {
    const config = loadConfig({ ...process.env, MONGODB_URL: testStack().mongoUrl });
    const outbox = outboxModel(mongo);
    const recipientsOn = async (today: string) => {
      const activities = inActivityContext(createRecordActivities(recordingDeps(mongo, config, today)));
      const id = uniqueId('deputy');
      const view = (await started(id)) as never;
      const ids = await activities.recordChanges({
        initiativeId: id,
        events: [],
        notifications: [
          { kind: 'signoff_requested', to: { role: 'representative', state: 'UZ' }, step: 'signoff', revision: 1 },
        ],
        view,
      });
      return (await outbox.find({ _id: { $in: ids } }).lean()).map((d) => d.to);
    };
    // deputy-uz stands in from 2025-11-16 to 2026-12-31 (the Tashkent data set).
    expect(await recipientsOn('2026-06-01')).toEqual(
      expect.arrayContaining(['rep-uz@example.org', 'deputy-uz@example.org']),
    );
    const after = await recipientsOn('2027-01-15');
    expect(after).toContain('rep-uz@example.org');
    expect(after).not.toContain('deputy-uz@example.org');
  });

  describe('npm run import', () => {
    const run = promisify(execFile);
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: testStack().temporalAddress,
      MONGODB_URL: testStack().mongoUrl,
      APP_SECRET_FILE: path.join(testStack().dataDir, 'secret'),
      LOG_LEVEL: 'warn',
    };
    const importFile = (file: string) =>
      run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'src', 'cli', 'import.ts'), file], {
        env,
        cwd: ROOT,
      }).catch((err: { code: number; stdout: string; stderr: string }) => err);

    it('starts each initiative of a summit file once, however often it is imported', async () => {
      const tashkent = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'tashkent-2025.json'), 'utf8'));
      const suffix = uniqueId('imp');
      const file = path.join(testStack().dataDir, `${suffix}.json`);
      // The real states and summit; our own initiatives, and no people, so other tests' directory is untouched.
      const ids = tashkent.initiatives.slice(0, 3).map((i: { id: string }) => `${i.id}-${suffix}`.slice(0, 80));
      fs.writeFileSync(
        file,
        JSON.stringify({
          ...tashkent,
          people: [],
          initiatives: tashkent.initiatives.slice(0, 3).map((i: object, n: number) => ({ ...i, id: ids[n] })),
        }),
      );
      const first = (await importFile(file)) as { stdout: string };
      expect(first.stdout).toContain('3 initiatives started, 0 already running');
      const second = (await importFile(file)) as { stdout: string };
      expect(second.stdout).toContain('0 initiatives started, 3 already running');
      const one = await secretariat.get(`/api/initiatives/${ids[0]}`);
      expect(one.body.source.quote).toContain('Regional Research Center for Rare Earth Elements in Astana');
    });

    it("keeps a person's own email choices when the file is imported again", async () => {
      const tashkent = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'tashkent-2025.json'), 'utf8'));
      const id = uniqueId('imported-person');
      const person = {
        id,
        name: `Focal point ${id}`,
        email: `${id}@example.org`,
        roles: ['official'],
        state: 'TJ',
        locale: 'ru',
      };
      const file = path.join(testStack().dataDir, `${id}.json`);
      fs.writeFileSync(file, JSON.stringify({ ...tashkent, people: [person], initiatives: [] }));
      expect(((await importFile(file)) as { stdout: string }).stdout).toContain('1 people');
      // The person chooses the daily digest and opts out of reminders (what PUT /api/me/notifications and an unsubscribe link store).
      await mongo
        .collection('people')
        .updateOne({ _id: id as never }, { $set: { notifications: { digest: true, optOut: ['reminder'] } } });
      expect(((await importFile(file)) as { stdout: string }).stdout).toContain('1 people');
      const after = await mongo.collection('people').findOne({ _id: id as never });
      expect(after).toMatchObject({
        name: person.name,
        email: person.email,
        notifications: { digest: true, optOut: ['reminder'] },
      });
    });

    it('names what is wrong with a bad file and changes nothing', async () => {
      const missing = (await importFile('/nonexistent/summit.json')) as { code: number; stderr: string };
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('/nonexistent/summit.json: no such file');
      const bad = path.join(testStack().dataDir, 'bad-summit.json');
      fs.writeFileSync(
        bad,
        JSON.stringify({
          summit: { id: 'x', date: '2025-13-40', city: 'X', title: 'X', source: '' },
          states: [{ code: 'KZ', name: { en: 'K', ru: 'К' }, timeZone: 'Mars/Olympus', admittedOn: '2018-03-15' }],
        }),
      );
      const invalid = (await importFile(bad)) as { code: number; stderr: string };
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('summit.date');
      expect(invalid.stderr).toContain('states.0.timeZone: not an IANA time zone');
    });
  });
});
