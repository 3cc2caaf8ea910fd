/**
 * The real email activities wired to the test stack's FerretDB and an SMTP server of the test's
 * choosing (the shared MailDev, or one the test starts and stops), plus a MailDev the test owns.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mongoose from 'mongoose';
import nodemailer from 'nodemailer';
import type { ParsedMail } from 'mailparser';
import { rawEmailAt } from './mail';
import { createActivities } from '../../activities';
import type { EmailDeliveryOptions } from '../../activities/deps';
import type { Notification } from '../../src/domain/types';
import type { InitiativeView } from '../../src/domain/view';
import { createDirectory, directoryModels, type Directory, type PersonDoc } from '../../src/persistence/directory';
import { eventModel } from '../../src/persistence/events';
import { createInitiativeRepository, initiativeModel } from '../../src/persistence/initiatives';
import { commitmentModels, createCommitmentRepository } from '../../src/persistence/commitments';
import { createOutboxRepository, outboxModel } from '../../src/persistence/outbox';
import { cleanEnv, spawnChild, type Child } from '../../src/stack/child';
import { freePort } from '../../src/stack/ports';
import { httpStatus, tcpOpen, waitUntilReady } from '../../src/stack/probes';
import { sampleView } from '../../src/email/samples';
import { inActivityContext } from './activity-context';
import { eventually, testStack } from './stack';

export const LINK_SECRET = 'test-link-secret-of-at-least-32-characters';
export const MAIL_FROM = 'Summit Follow-up <no-reply@summit-followup.example.org>';
export const MAIL_REPLY_TO = 'secretariat@summit-followup.example.org';
export const PUBLIC_URL = 'https://summit.example.org';

export interface Harness {
  mongo: mongoose.Connection;
  models: ReturnType<typeof directoryModels>;
  /** The directory's repository on the same connection. */
  directory: Directory;
  outbox: ReturnType<typeof outboxModel>;
  /** The activities, to register in a worker of the test's own. */
  activities: ReturnType<typeof createActivities>;
  /** The same activities for a test to call itself: each call runs in an activity context (MockActivityEnvironment). */
  direct: ReturnType<typeof createActivities>;
  /** Digest wake-ups the recording activity asked for (personId, timeZone). */
  digestWakeups: { personId: string; timeZone: string }[];
  close(): Promise<void>;
}

/** `realDigestScheduling`: wake digest workflows through the activity's Temporal client, as the worker does (only inside a worker). */
export async function emailHarness(
  smtp: { host: string; port: number },
  hooks: Pick<EmailDeliveryOptions, 'afterAccepted'> & {
    realDigestScheduling?: boolean;
    /** The day the activities take as today (YYYY-MM-DD): which Chair is in office. */
    today?: () => string;
  } = {},
): Promise<Harness> {
  const mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
  const models = directoryModels(mongo);
  const directory = createDirectory(models);
  const outbox = outboxModel(mongo);
  await outbox.init();
  const mailer = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 3000,
    greetingTimeout: 3000,
    socketTimeout: 5000,
  });
  const digestWakeups: Harness['digestWakeups'] = [];
  const activities = createActivities({
    config: { MAIL_FROM, MAIL_REPLY_TO, PUBLIC_URL, SECRETARIAT_TIME_ZONE: 'Asia/Tashkent' },
    repositories: {
      initiatives: createInitiativeRepository({ initiatives: initiativeModel(mongo), events: eventModel(mongo) }),
      outbox: createOutboxRepository(outbox),
      commitments: createCommitmentRepository(commitmentModels(mongo)),
    },
    directory,
    mailer,
    secret: LINK_SECRET,
    ...(hooks.today ? { today: hooks.today } : {}),
    email: {
      afterAccepted: hooks.afterAccepted,
      scheduleDigest: hooks.realDigestScheduling
        ? undefined
        : async (personId, timeZone) => {
            digestWakeups.push({ personId, timeZone });
          },
    },
  });
  return {
    mongo,
    models,
    directory,
    outbox,
    activities,
    direct: inActivityContext(activities),
    digestWakeups,
    async close() {
      mailer.close();
      await mongo.close();
    },
  };
}

let counter = 0;
/** A person of its own for one test, so no other test's mail or preferences get in the way. */
export async function addPerson(h: Harness, p: Partial<PersonDoc> & Pick<PersonDoc, 'roles'>): Promise<PersonDoc> {
  counter += 1;
  const id = p._id ?? `mailtest-${Date.now().toString(36)}-${process.pid}-${counter}`;
  const doc: PersonDoc = { name: `Test person ${counter}`, locale: 'en', email: `${id}@example.org`, ...p, _id: id };
  await h.models.people.create(doc);
  return doc;
}

/** Records one set of notifications for a fresh initiative id (or the given view) and returns the outbox ids to send. */
export async function record(
  h: Harness,
  notifications: Notification[],
  view: InitiativeView = sampleView({ id: uniqueInitiative() }),
): Promise<string[]> {
  return h.direct.recordChanges({ initiativeId: view.id, events: [], notifications, view });
}

export function uniqueInitiative(): string {
  counter += 1;
  return `mail-${Date.now().toString(36)}-${counter}`;
}

/** A MailDev of the test's own, which it can stop and start again on the same ports. */
export class OwnMailDev {
  private child?: Child;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-maildev-'));
  constructor(
    readonly smtpPort: number,
    readonly webPort: number,
  ) {}

  static async create(): Promise<OwnMailDev> {
    const [smtp, web] = await Promise.all([freePort(), freePort()]);
    return new OwnMailDev(smtp, web);
  }

  get smtp() {
    return { host: '127.0.0.1', port: this.smtpPort };
  }

  get url(): string {
    return `http://127.0.0.1:${this.webPort}`;
  }

  async start(): Promise<void> {
    const child = spawnChild(
      'maildev',
      process.execPath,
      [
        maildevBin(),
        '-s',
        String(this.smtpPort),
        '--ip',
        '127.0.0.1',
        '-w',
        String(this.webPort),
        '--web-ip',
        '127.0.0.1',
      ],
      {
        cwd: this.dir,
        env: cleanEnv(),
        logFile: path.join(this.dir, 'maildev.log'),
      },
    );
    this.child = child;
    await waitUntilReady(child, () => tcpOpen(this.smtpPort), { what: `SMTP on ${this.smtpPort}`, timeoutMs: 30_000 });
    await waitUntilReady(child, async () => (await httpStatus(`${this.url}/api/email`)) === 200, {
      what: 'MailDev REST',
      timeoutMs: 30_000,
    });
  }

  async stop(): Promise<void> {
    await this.child?.stop(5000);
    this.child = undefined;
    await eventually('the SMTP port to close', async () => !(await tcpOpen(this.smtpPort)), 10_000);
  }

  async list(): Promise<{ id: string; to: { address: string }[]; subject: string }[]> {
    const res = await fetch(`${this.url}/api/email`);
    if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
    return (await res.json()) as { id: string; to: { address: string }[]; subject: string }[];
  }

  raw(id: string): Promise<ParsedMail> {
    return rawEmailAt(this.url, id);
  }

  /**
   * Waits until everything the sink accepted before this call is listed: sends a marker email after it and
   * waits for the marker. Then "nothing more arrived" is a fact about what was sent, not about a pause.
   */
  async drained(): Promise<void> {
    const subject = `drain marker ${randomUUID()}`;
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: this.smtpPort, secure: false, ignoreTLS: true })
      .sendMail({
        from: 'marker@test.invalid',
        to: 'marker@test.invalid',
        subject,
        text: subject,
      });
    await eventually('the drain marker in the sink', async () =>
      (await this.list()).some((m) => m.subject === subject),
    );
  }
}

function maildevBin(): string {
  for (const dir of require.resolve.paths('maildev') ?? []) {
    const bin = path.join(dir, 'maildev', 'dist', 'bin', 'maildev.js');
    if (fs.existsSync(bin)) return bin;
  }
  throw new Error('the npm package maildev is not installed: run `npm ci`');
}

/** Registers hooks that start a MailDev of the file's own and the harness on it before its tests, and stop them after. */
export function ownSinkAndHarness(hooks: Parameters<typeof emailHarness>[1] = {}): { sink: OwnMailDev; h: Harness } {
  const env = {} as { sink: OwnMailDev; h: Harness };
  beforeAll(async () => {
    env.sink = await OwnMailDev.create();
    await env.sink.start();
    env.h = await emailHarness(env.sink.smtp, hooks);
  });
  afterAll(async () => {
    await env.h?.close();
    await env.sink?.stop();
  });
  return env;
}
