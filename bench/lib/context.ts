/**
 * What every phase of the benchmark works with: the seeded stack on free ports (src/stack/seeded.ts),
 * a plain Temporal client and a plain MongoDB driver client for the raw baselines, the API with the
 * seeded people's tokens, the pids of the stack's processes, and the run's time budget.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { loadConfig, type Config } from '../../src/config';
import type { Sealed } from '../../src/domain/act-seal';
import type { InitiativeInput } from '../../src/domain/initiative';
import { DEFAULT_REMINDER_POLICY } from '../../src/domain/reminders';
import { DEFAULT_SIGNOFF_POLICY, type Actor } from '../../src/domain/types';
import type { PersonDoc } from '../../src/persistence/directory';
import { actorOf, sealedAct, sealedStart } from '../../src/service/initiatives';
import { startSeededStack, type SeededStack } from '../../src/stack/seeded';
import { connectTemporal } from '../../src/temporal/client';
import { pollUntil } from './pool';

export type Db = mongoose.mongo.Db;

/** The run's wall-clock budget: phases size themselves from what is left. */
export class Budget {
  readonly startedAt = Date.now();
  constructor(readonly totalMs: number) {}
  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }
  remainingMs(): number {
    return this.totalMs - this.elapsedMs();
  }
}

export interface ApiResult<T> {
  status: number;
  body: T;
}

/** The body POST /api/initiatives takes, for the fields the benchmark sets. */
export interface StartBody {
  id: string;
  title: string;
  proposingState: string;
  summit: string;
  category: string;
  assignmentDueAt?: string;
  reminders?: { offsetsMs?: number[]; alignLocalTime?: boolean };
}

export class BenchContext {
  private constructor(
    readonly seeded: SeededStack,
    readonly config: Config,
    /** A plain Temporal client: the raw baseline of starts and updates. */
    readonly client: Client,
    /** A plain MongoDB driver client: the raw baseline of list queries, and the benchmark's own reads. */
    readonly mongo: mongoose.mongo.MongoClient,
    readonly budget: Budget,
    readonly log: (line: string) => void,
  ) {}

  static async start(opts: {
    budget: Budget;
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
  }): Promise<BenchContext> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-bench-'));
    opts.log(`starting the embedded stack, the worker and the API in ${dataDir} …`);
    const seeded = await startSeededStack({ dataDir, env: opts.env });
    try {
      const config = loadConfig(seeded.env);
      const client = await connectTemporal(config);
      // Two connections per list request (the page and its count) for 32 concurrent requests.
      const mongo = new mongoose.mongo.MongoClient(seeded.stack.mongoUrl, { maxPoolSize: 80 });
      await mongo.connect();
      return new BenchContext(seeded, config, client, mongo, opts.budget, opts.log);
    } catch (err) {
      await seeded.stop();
      throw err;
    }
  }

  get db(): Db {
    return this.mongo.db();
  }

  token(personId: string): string {
    const t = this.seeded.tokens.get(personId);
    if (!t) throw new Error(`no seeded token for ${personId}`);
    return t;
  }

  /** Process ids of the stack's parts, for /proc. */
  pids(): Record<'worker' | 'mailer' | 'api' | 'temporal' | 'ferretdb' | 'maildev', number> {
    const { app, stack } = this.seeded;
    const pid = (p: number | undefined, name: string) => {
      if (p === undefined) throw new Error(`${name} has no pid`);
      return p;
    };
    return {
      worker: pid(app.services.worker.child.pid, 'worker'),
      mailer: pid(app.services.mailer.child.pid, 'mailer'),
      api: pid(app.services.api.child.pid, 'api'),
      temporal: pid(stack.services.temporal.child.pid, 'temporal'),
      ferretdb: pid(stack.services.ferretdb.child.pid, 'ferretdb'),
      maildev: pid(stack.services.maildev.child.pid, 'maildev'),
    };
  }

  async api<T = unknown>(
    method: string,
    urlPath: string,
    personId: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const res = await fetch(`${this.seeded.apiUrl}${urlPath}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token(personId)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The actor the API would make of a person today (src/api/auth.ts). */
  async actor(personId: string): Promise<Actor> {
    const person = await this.db.collection<PersonDoc>('people').findOne({ _id: personId });
    if (!person) throw new Error(`no person ${personId} in the directory`);
    return actorOf(person, new Date().toISOString().slice(0, 10));
  }

  /**
   * The sealed workflow argument POST /api/initiatives builds from a body (createInitiativeService().start in
   * src/service/initiatives.ts), so a raw start runs the same workflow with the same arguments.
   */
  startArgs(body: StartBody, startedBy: Actor, now = Date.now()): { start: Sealed<InitiativeInput> } {
    const { config } = this;
    const input: InitiativeInput = {
      id: body.id,
      title: body.title,
      proposingState: body.proposingState,
      summit: body.summit,
      category: body.category,
      policy: DEFAULT_SIGNOFF_POLICY,
      reminders: {
        ...DEFAULT_REMINDER_POLICY,
        offsetsMs: body.reminders?.offsetsMs ?? [...DEFAULT_REMINDER_POLICY.offsetsMs],
        alignLocalTime: body.reminders?.alignLocalTime ?? config.REMINDER_ALIGN_LOCAL_TIME,
      },
      timing: {
        assignmentDueAt: body.assignmentDueAt ?? new Date(now + config.ASSIGNMENT_PERIOD_MS).toISOString(),
        signoffPeriodMs: config.SIGNOFF_PERIOD_MS,
        redraftPeriodMs: config.REDRAFT_PERIOD_MS,
        escalationIntervalMs: config.ESCALATION_INTERVAL_MS,
      },
      secretariatTimeZone: config.SECRETARIAT_TIME_ZONE,
      startedBy,
    };
    return sealedStart(this.secret, input, body, now);
  }

  /** The deployment secret of the benchmark's stack: raw starts and acts are sealed with it, as the API seals them. */
  get secret(): string {
    this.secretText ??= fs.readFileSync(path.join(this.seeded.dataDir, 'secret'), 'utf8').trim();
    return this.secretText;
  }
  private secretText?: string;

  /** A raw act's update options, sealed as the API seals them (src/service/initiatives.ts). */
  sealedAct<I extends { actor: Actor }>(id: string, update: string, input: I, key: string) {
    return sealedAct(this.secret, id, update, input, input, { from: 'client', value: key });
  }

  /**
   * Waits until the worker has caught up: every listed initiative in the read model and no email
   * waiting to be sent. Returns how long it took, or settled: false when timeoutMs ran out first.
   */
  async settle(ids: readonly string[], timeoutMs: number): Promise<{ ms: number; settled: boolean }> {
    const t0 = Date.now();
    const initiatives = this.db.collection<{ _id: string }>('initiatives');
    const outbox = this.db.collection('outbox');
    // Looked up by _id, a few at a time, the not yet recorded only: FerretDB answers a find by _id from its index,
    // and would read every stored initiative for a count with an $in of all the ids, on every poll.
    let unrecorded = [...ids];
    const done = await pollUntil(
      async () => {
        while (unrecorded.length) {
          const batch = unrecorded.slice(0, 16);
          const found = await Promise.all(batch.map((_id) => initiatives.findOne({ _id }, { projection: { _id: 1 } })));
          const missing = batch.filter((_, k) => !found[k]);
          unrecorded = [...missing, ...unrecorded.slice(batch.length)];
          if (missing.length) return false;
        }
        return (await outbox.countDocuments({ status: { $in: ['pending', 'sending'] } })) === 0;
      },
      { timeoutMs, intervalMs: 500 },
    );
    return { ms: Date.now() - t0, settled: Boolean(done) };
  }

  /**
   * Holds the worker and the mailer still (SIGSTOP) while `work` runs, so that a round measures the calls alone and
   * not the worker running the round's first workflows beside them on the same cores; they resume after.
   */
  async withWorkersHeld<T>(work: () => Promise<T>): Promise<T> {
    const { worker, mailer } = this.pids();
    process.kill(worker, 'SIGSTOP');
    process.kill(mailer, 'SIGSTOP');
    try {
      return await work();
    } finally {
      process.kill(worker, 'SIGCONT');
      process.kill(mailer, 'SIGCONT');
    }
  }

  async close(): Promise<void> {
    await this.mongo.close().catch(() => undefined);
    await this.client.connection.close().catch(() => undefined);
    await this.seeded.stop();
    fs.rmSync(this.seeded.dataDir, { recursive: true, force: true });
  }
}
