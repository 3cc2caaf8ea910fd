/**
 * A whole stack of its own for one fault-injection file, with each process under the test's control:
 * the Temporal dev server, FerretDB, MailDev, the worker and the API can be stopped, killed and started
 * again on the same ports and data. Plus what the checks read directly: MongoDB, Temporal, the sink.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mongoose from 'mongoose';
import { Client, Connection } from '@temporalio/client';
import type { InitiativeView } from '../../../src/domain/view';
import { eventModel } from '../../../src/persistence/events';
import { initiativeModel } from '../../../src/persistence/initiatives';
import { outboxModel } from '../../../src/persistence/outbox';
import type { Child } from '../../../src/stack/child';
import type { Service } from '../../../src/stack/service';
import { startSeededStack, type SeededStack } from '../../../src/stack/seeded';
import { workflowIdOf } from '../../../src/temporal/client';
import { eventually as sharedEventually } from '../../support/stack';

/** Where each stack's process logs are kept after it stops. */
export const LOGS_DIR = path.resolve(__dirname, '..', '..', '..', '.test-results', 'faults-logs');
/** The bearer secret the stacks' APIs serve the readiness detail and /metrics to. */
export const OPERATOR_AUTH = { authorization: `Bearer ${randomBytes(24).toString('base64url')}` };

export type ServiceName = 'temporal' | 'ferretdb' | 'maildev' | 'worker' | 'mailer' | 'api';

export interface FaultStack {
  seeded: SeededStack;
  apiUrl: string;
  mailUrl: string;
  tokens: Map<string, string>;
  services: Record<ServiceName, Service>;
  temporal: Client;
  mongo: mongoose.Connection;
  initiatives: ReturnType<typeof initiativeModel>;
  events: ReturnType<typeof eventModel>;
  outbox: ReturnType<typeof outboxModel>;
  /** Every start of every process so far, by service (a crash shows as an exit no test asked for). */
  exits(): { service: ServiceName; code: number | null; signal: NodeJS.Signals | null }[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// The worker counts as ready when its own process polls the task queue: Temporal names each poller
// "<pid>@<host>", so a restarted worker is told apart from the one that was killed.
function pollingProbe() {
  let conn: Connection | undefined;
  return {
    async ready(worker: Child, env: NodeJS.ProcessEnv): Promise<boolean> {
      try {
        conn ??= await Connection.connect({ address: env.TEMPORAL_ADDRESS!, connectTimeout: 3000 });
        const c = conn;
        const res = await c.withDeadline(Date.now() + 5000, () =>
          c.workflowService.describeTaskQueue({
            namespace: env.TEMPORAL_NAMESPACE ?? 'default',
            taskQueue: { name: env.TEMPORAL_TASK_QUEUE ?? 'summit-followup' },
            taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
          }),
        );
        return (res.pollers ?? []).some((p) => p.identity?.startsWith(`${worker.pid}@`));
      } catch {
        // Temporal restarting: the connection may be stale; drop it without waiting on it.
        void conn?.close().catch(() => undefined);
        conn = undefined;
        return false;
      }
    },
    close: async () => {
      await conn?.close().catch(() => undefined);
    },
  };
}

export async function startFaultStack(name: string, env: NodeJS.ProcessEnv = {}): Promise<FaultStack> {
  // Free ports are picked a moment before use; another run on the machine may take one first. Try again once.
  try {
    return await startFaultStackOnce(name, env);
  } catch (err) {
    if (!/EADDRINUSE|already in use/.test(String((err as Error).message))) throw err;
    return startFaultStackOnce(name, env);
  }
}

async function startFaultStackOnce(name: string, env: NodeJS.ProcessEnv): Promise<FaultStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `summit-faults-${name}-`));
  const probe = pollingProbe();
  const seeded = await startSeededStack({
    dataDir,
    persistMail: true,
    workerReady: (w, e) => probe.ready(w, e),
    env: {
      LOG_LEVEL: 'warn',
      // The suite acts as the same seeded people hundreds of times a minute.
      RATE_LIMIT_ACTS_PER_MINUTE: '100000',
      RATE_LIMIT_SIGNIN_PER_IP: '100000',
      OPERATOR_TOKEN: OPERATOR_AUTH.authorization.slice('Bearer '.length),
      ...env,
    },
  });
  const services: Record<ServiceName, Service> = { ...seeded.stack.services, ...seeded.app.services };
  // Watch every process each service starts, to tell crashes from the faults the test injected.
  const exits: ReturnType<FaultStack['exits']> = [];
  const watched = new Set<Child>();
  const watch = setInterval(() => {
    for (const [service, s] of Object.entries(services) as [ServiceName, Service][]) {
      let child: Child;
      try {
        child = s.child;
      } catch {
        continue;
      }
      if (watched.has(child)) continue;
      watched.add(child);
      void child.exited.then((e) => exits.push({ service, ...e }));
    }
  }, 100);
  const connection = await Connection.connect({ address: seeded.stack.temporalAddress });
  const temporalClient = new Client({ connection, namespace: 'default' });
  const mongo = await mongoose.createConnection(seeded.stack.mongoUrl, { serverSelectionTimeoutMS: 5000 }).asPromise();
  return {
    seeded,
    apiUrl: seeded.apiUrl,
    mailUrl: seeded.stack.mailWebUrl,
    tokens: seeded.tokens,
    services,
    temporal: temporalClient,
    mongo,
    initiatives: initiativeModel(mongo),
    events: eventModel(mongo),
    outbox: outboxModel(mongo),
    exits: () => [...exits],
    async close() {
      clearInterval(watch);
      await probe.close();
      await connection.close().catch(() => undefined);
      await mongo.close().catch(() => undefined);
      await seeded.stop();
      // The processes' logs outlive the stack, for the diagnosis of a failed run.
      fs.cpSync(path.join(dataDir, 'logs'), path.join(LOGS_DIR, name), { recursive: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- HTTP ------------------------------------------------------------------------------------------

export interface Reply {
  status: number;
  contentType: string;
  headers: Headers;
  body: any;
  text: string;
  ms: number;
}

/** One request; a network error or a timeout is status 0 with the error in text. */
export async function call(
  stack: Pick<FaultStack, 'apiUrl' | 'tokens'>,
  person: string | null,
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 45_000,
): Promise<Reply> {
  const started = Date.now();
  const token = person ? stack.tokens.get(person) : undefined;
  if (person && !token) throw new Error(`no seeded token for ${person}`);
  try {
    const res = await fetch(`${stack.apiUrl}${p}`, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let parsed: unknown = text;
    if (contentType.includes('json') && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, contentType, headers: res.headers, body: parsed, text, ms: Date.now() - started };
  } catch (err) {
    return {
      status: 0,
      contentType: '',
      headers: new Headers(),
      body: undefined,
      text: String((err as Error).message ?? err),
      ms: Date.now() - started,
    };
  }
}

/** An act the API accepted (2xx), with how it got there. */
export interface ActRecord {
  initiativeId: string;
  /** start, assign, draft, decide, complete, withdraw, … */
  act: string;
  person: string;
  key?: string;
  body: Record<string, unknown>;
  status: number;
  attempts: number;
  /** Statuses of the attempts that did not settle it (0: network error or timeout). */
  retried: number[];
  acceptedAt: number;
  view?: InitiativeView;
}

/**
 * Sends an act until the API settles it: a 2xx or a 4xx. A network error, a timeout or a 5xx is retried
 * with the same Idempotency-Key (a client's honest retry); 4xx throws, naming the act.
 */
export async function actUntilSettled(
  stack: Pick<FaultStack, 'apiUrl' | 'tokens'>,
  a: { initiativeId: string; act: string; person: string; path: string; body: Record<string, unknown>; key?: string },
  opts: { deadlineMs?: number; log?: ActRecord[] } = {},
): Promise<ActRecord> {
  const deadline = Date.now() + (opts.deadlineMs ?? 10 * 60_000);
  const retried: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const r = await call(stack, a.person, 'POST', a.path, a.body, a.key ? { 'idempotency-key': a.key } : {});
    if (r.status >= 200 && r.status < 300) {
      const rec: ActRecord = {
        initiativeId: a.initiativeId,
        act: a.act,
        person: a.person,
        key: a.key,
        body: a.body,
        status: r.status,
        attempts: attempt,
        retried,
        acceptedAt: Date.now(),
        view: r.body as InitiativeView,
      };
      opts.log?.push(rec);
      return rec;
    }
    if (r.status >= 400 && r.status < 500 && r.status !== 429) {
      throw new Error(
        `${a.act} on ${a.initiativeId} by ${a.person} answered ${r.status} after ${attempt} attempt(s) (earlier: ${retried.join(', ') || 'none'}): ${r.text.slice(0, 500)}`,
      );
    }
    retried.push(r.status);
    if (Date.now() > deadline)
      throw new Error(
        `${a.act} on ${a.initiativeId} by ${a.person} not settled after ${attempt} attempts: last ${r.status} ${r.text.slice(0, 300)}`,
      );
    await sleep(Math.min(500 * attempt, 3000));
  }
}

// ---- the sink ---------------------------------------------------------------------------------------

export interface SinkEmail {
  id: string;
  messageId?: string;
  subject: string;
  to: { address: string }[];
  headers: Record<string, string | string[]>;
}

export async function sinkEmails(mailUrl: string): Promise<SinkEmail[]> {
  const res = await fetch(`${mailUrl}/api/email`);
  if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
  return (await res.json()) as SinkEmail[];
}

export function messageIdOf(m: SinkEmail): string {
  const h = m.headers?.['message-id'];
  return String(m.messageId ?? (Array.isArray(h) ? h[0] : h) ?? '').trim();
}

// ---- waiting -------------------------------------------------------------------------------------

/** eventually() of the integration tests, checking at most once per intervalMs (the checks here are heavy). */
export function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  intervalMs = 1000,
): Promise<T> {
  let next = 0;
  return sharedEventually(
    what,
    async () => {
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      next = Date.now() + intervalMs;
      return check();
    },
    timeoutMs,
  );
}
export { sleep };

/** The Temporal status of an initiative's workflow (COMPLETED, RUNNING, …). */
export async function workflowStatus(stack: Pick<FaultStack, 'temporal'>, initiativeId: string): Promise<string> {
  const d = await stack.temporal.workflow.getHandle(workflowIdOf(initiativeId)).describe();
  return d.status.name;
}
