/**
 * The production-like cluster on this machine (`npm run start:cluster`, test/cluster): PostgreSQL; the
 * Temporal server's frontend, history, matching and worker services as four processes on it; FerretDB
 * on the same PostgreSQL; MailDev; and N copies (default 2) of the worker, the mailer and the API, the
 * APIs behind one round-robin address. Every process is a Service that can be stopped, killed and
 * started again (fault injection).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureLocalSecret } from '../seed/accounts';
import { startApplication, type Application, type ApplicationOptions } from './application';
import { cleanEnv } from './child';
import { startPostgres, type Postgres } from './cluster-postgres';
import { startRoundRobinProxy, type RoundRobinProxy } from './cluster-proxy';
import { freeServerPort, NAMESPACE_RETENTION, startTemporalCluster, type TemporalServices } from './cluster-temporal';
import { loadClusterToolPaths } from './cluster-tools';
import { ensureSearchAttributes, ferretdbService, maildevService, runTemporalCli } from './embedded';
import { assertPortFree, freePort } from './ports';
import { waitUntilReady } from './probes';
import type { Service } from './service';

export interface ClusterPorts {
  /** Temporal's frontend (gRPC): the address of the cluster for every client. */
  temporal: number;
  mongo: number;
  smtp: number;
  mailWeb: number;
  /** The API processes' one address (a round-robin proxy). */
  api: number;
}

/** Free ports for a cluster of its own (a test's, the benchmark's); Temporal's frontend among the server's own. */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const temporal = await freeServerPort();
  const [mongo, smtp, mailWeb, api] = await Promise.all(Array.from({ length: 4 }, freePort));
  return { temporal, mongo, smtp, mailWeb, api };
}

/** Copies of the worker, the mailer and the API unless told otherwise (docker-compose.yml's replicas). */
export const DEFAULT_INSTANCES = 2;

export interface ClusterOptions {
  dataDir: string;
  ports: ClusterPorts;
  /** Copies of the worker, the mailer and the API; default 2. */
  instances?: number;
  /** Added to the application processes' environment, after the cluster's addresses. */
  env?: NodeJS.ProcessEnv;
  /** Receives "[process] line" for each line a child prints; default: log files only. */
  log?: (line: string) => void;
  /** Per process; default 120 s (four Temporal services start on two cores). */
  readyTimeoutMs?: number;
  persistMail?: boolean;
  workerReady?: ApplicationOptions['workerReady'];
}

export interface Cluster {
  dataDir: string;
  temporalAddress: string;
  mongoUrl: string;
  smtp: { host: string; port: number };
  mailWebUrl: string;
  /** The round-robin address of the API processes (PUBLIC_URL). */
  apiUrl: string;
  /** Each API process's own address. */
  apiUrls: string[];
  /** The environment the application processes run with (less their API_PORT). */
  env: NodeJS.ProcessEnv;
  postgres: Postgres;
  services: { postgres: Service; ferretdb: Service; maildev: Service; temporal: TemporalServices };
  apps: Application[];
  /** Stops every process, the application's first and PostgreSQL last. */
  stop(): Promise<void>;
}

const PUBLIC_PORTS: Record<keyof ClusterPorts, [string, string]> = {
  temporal: ['TEMPORAL_PORT', 'Temporal frontend'],
  mongo: ['MONGO_PORT', 'FerretDB (MongoDB)'],
  smtp: ['SMTP_PORT', 'MailDev SMTP'],
  mailWeb: ['MAIL_WEB_PORT', 'MailDev web'],
  api: ['API_PORT', 'API'],
};

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const { ports } = opts;
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  const instances = opts.instances ?? DEFAULT_INSTANCES;
  const tools = loadClusterToolPaths();
  for (const [key, [variable, what]] of Object.entries(PUBLIC_PORTS))
    await assertPortFree(ports[key as keyof ClusterPorts], what, variable);

  const dataDir = path.resolve(opts.dataDir);
  const dir = (name: string) => {
    const d = path.join(dataDir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const logs = dir('logs');
  const logFile = (name: string) => path.join(logs, `${name}.log`);
  const env = cleanEnv();
  const temporalAddress = `127.0.0.1:${ports.temporal}`;
  const cli = (args: string[]) =>
    runTemporalCli(tools.temporal, temporalAddress, args, env, new AbortController().signal);

  const stoppers: (() => Promise<void>)[] = []; // in reverse order of start
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    stoppers.length = 0;
  };
  try {
    const postgres = await startPostgres({
      tools,
      dir: dir('postgres'),
      port: await freePort(),
      logFile: logFile('postgres'),
      log: opts.log,
      timeoutMs,
    });
    stoppers.push(() => postgres.service.stop(30_000));
    await postgres.ensureDatabase('ferretdb');

    const ferretdb = ferretdbService({
      bin: tools.ferretdb,
      backend: ['--handler=postgresql', `--postgresql-url=${postgres.url('ferretdb')}`],
      port: ports.mongo,
      dir: dir('ferretdb'),
      spawnOptions: { cwd: dir('ferretdb'), env, logFile: logFile('ferretdb'), log: opts.log },
      timeoutMs,
    });
    const maildev = maildevService({
      ports,
      dir: dir('maildev'),
      persistMail: opts.persistMail,
      spawnOptions: { env, logFile: logFile('maildev'), log: opts.log },
      timeoutMs,
    });
    stoppers.push(
      () => ferretdb.stop(),
      () => maildev.stop(),
    );
    let temporal: TemporalServices | undefined;
    stoppers.push(async () => {
      // The frontend first, so no client is served by a cluster losing its other services.
      for (const name of ['frontend', 'worker', 'matching', 'history'] as const) await temporal?.[name].stop(10_000);
    });
    const [services] = await Promise.all([
      startTemporalCluster({
        tools,
        postgres,
        dir: dir('temporal'),
        frontendPort: ports.temporal,
        logDir: logs,
        log: opts.log,
        timeoutMs,
        healthy: async () => (await cli(['operator', 'cluster', 'health'])).ok,
      }),
      ferretdb.start(),
      maildev.start(),
    ]);
    temporal = services;
    await ensureNamespace(cli);
    // The frontend learns of a new namespace when it next refreshes its cache (up to 10 s).
    await waitUntilReady(
      temporal.frontend.child,
      async () => (await cli(['operator', 'search-attribute', 'list'])).ok,
      {
        what: 'the namespace default known to the frontend',
        timeoutMs,
        intervalMs: 1000,
      },
    );
    await ensureSearchAttributes(
      temporal.frontend.child,
      cli,
      `delete ${path.join(dataDir, 'postgres')} (it loses the cluster's Temporal history and documents)`,
    );

    const apiPorts = await Promise.all(Array.from({ length: instances }, freePort));
    const proxy: RoundRobinProxy = await startRoundRobinProxy(ports.api, apiPorts);
    stoppers.push(() => proxy.close());
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...applicationEnvironment({
        temporalAddress,
        mongoPort: ports.mongo,
        smtpPort: ports.smtp,
        publicUrl: proxy.url,
        secretFile: path.join(dataDir, 'secret'),
      }),
      ...opts.env,
    };
    ensureLocalSecret(dataDir);
    const apps = await Promise.all(
      apiPorts.map(async (port, i) => {
        const app = await startApplication({
          env: { ...appEnv, API_PORT: String(port) },
          dataDir: path.dirname(dir(`app-${i + 1}/logs`)),
          apiUrl: `http://127.0.0.1:${port}`,
          log: opts.log,
          workerReady: opts.workerReady,
        });
        stoppers.push(() => app.stop());
        return app;
      }),
    );

    return {
      dataDir,
      temporalAddress,
      mongoUrl: appEnv.MONGODB_URL!,
      smtp: { host: '127.0.0.1', port: ports.smtp },
      mailWebUrl: `http://127.0.0.1:${ports.mailWeb}`,
      apiUrl: proxy.url,
      apiUrls: apps.map((a) => a.apiUrl),
      env: appEnv,
      postgres,
      services: { postgres: postgres.service, ferretdb, maildev, temporal },
      apps,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * What the cluster tells its worker, mailer and API processes (each API adds its own API_PORT); docker-compose.yml
 * must set the same variables (test/unit/compose-cluster.test.ts), APP_SECRET standing for APP_SECRET_FILE.
 */
export function applicationEnvironment(at: {
  temporalAddress: string;
  mongoPort: number;
  smtpPort: number;
  publicUrl: string;
  secretFile: string;
}): Record<string, string> {
  return {
    APP_SECRET_FILE: at.secretFile,
    TEMPORAL_ADDRESS: at.temporalAddress,
    MONGODB_URL: `mongodb://127.0.0.1:${at.mongoPort}/summit`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(at.smtpPort),
    API_HOST: '127.0.0.1',
    PUBLIC_URL: at.publicUrl,
  };
}

/** The server on SQL makes no namespace of its own: create `default` once. */
async function ensureNamespace(cli: (args: string[]) => ReturnType<typeof runTemporalCli>): Promise<void> {
  if ((await cli(['operator', 'namespace', 'describe'])).ok) return;
  const created = await cli(['operator', 'namespace', 'create', '--retention', NAMESPACE_RETENTION]);
  if (!created.ok && !/already exists/i.test(created.stderr))
    throw new Error(`the Temporal namespace default could not be created: ${created.stderr.trim()}`);
}
