/**
 * What every phase of the benchmark works with: the stack on free ports (bench/lib/stacks.ts), a plain
 * Temporal client and a plain MongoDB driver client for the raw baselines, the API with the seeded
 * people's tokens, the pids of the stack's processes, and the run's time budget.
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
import { connectTemporal } from '../../src/temporal/client';
import { pollUntil } from './pool';
import { startBenchStack, type BenchStack, type Role, type StackKind } from './stacks';

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
    readonly stack: BenchStack,
    readonly config: Config,
    /** A plain Temporal client: the raw baseline of starts and updates. */
    readonly client: Client,
    /** A plain MongoDB driver client: the raw baseline of list queries, and the benchmark's own reads. */
    readonly mongo: mongoose.mongo.MongoClient,
    readonly budget: Budget,
    readonly log: (line: string) => void,
  ) {}

  static async start(opts: {
    kind: StackKind;
    budget: Budget;
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
  }): Promise<BenchContext> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-bench-'));
    opts.log(`starting the ${opts.kind} stack, the workers and the APIs in ${dataDir} …`);
    const stack = await startBenchStack(opts.kind, dataDir, opts.env);
    try {
      const config = loadConfig(stack.env);
      const client = await connectTemporal(config);
      // Two connections per list request (the page and its count) for 32 concurrent requests.
      const mongo = new mongoose.mongo.MongoClient(stack.mongoUrl, { maxPoolSize: 80 });
      await mongo.connect();
      return new BenchContext(stack, config, client, mongo, opts.budget, opts.log);
    } catch (err) {
      await stack.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  get db(): Db {
    return this.mongo.db();
  }

  token(personId: string): string {
    const t = this.stack.tokens.get(personId);
    if (!t) throw new Error(`no seeded token for ${personId}`);
    return t;
  }

  /** Process ids of the stack's parts by role, for /proc. */
  pids(): Record<Role, number[]> {
    return this.stack.pids();
  }

  private nextApi = 0;

  /** A request to the API as the seeded person; with several API processes, each request goes to the next. */
  async api<T = unknown>(
    method: string,
    urlPath: string,
    personId: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const { apiUrls } = this.stack;
    const apiUrl = apiUrls[this.nextApi++ % apiUrls.length];
    const res = await fetch(`${apiUrl}${urlPath}`, {
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
    this.secretText ??= fs.readFileSync(path.join(this.stack.dataDir, 'secret'), 'utf8').trim();
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
    const held = [...worker, ...mailer];
    for (const pid of held) process.kill(pid, 'SIGSTOP');
    try {
      return await work();
    } finally {
      for (const pid of held) process.kill(pid, 'SIGCONT');
    }
  }

  async close(): Promise<void> {
    await this.mongo.close().catch(() => undefined);
    await this.client.connection.close().catch(() => undefined);
    await this.stack.stop();
    fs.rmSync(this.stack.dataDir, { recursive: true, force: true });
  }
}
