// The cluster's Temporal server: the server built from go.temporal.io/server, its frontend,
// history, matching and worker services each a process of its own, on PostgreSQL (persistence and
// visibility), with the schema applied by temporal-sql-tool and the dynamic config docker-compose.yml uses.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanEnv, spawnChild } from './child';
import type { ClusterToolPaths } from './cluster-tools';
import type { Postgres } from './cluster-postgres';
import * as net from 'net';
import { tcpOpen, waitUntilReady } from './probes';
import { restartableService, type Service } from './service';

export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalServiceName = (typeof TEMPORAL_SERVICES)[number];

/** The dynamic config file both this cluster and docker-compose.yml give the server. */
export const DYNAMIC_CONFIG_FILE = path.resolve(__dirname, '..', '..', 'deploy', 'temporal', 'dynamicconfig.yaml');
/** Fixed when the persistence is created: 4 suit one machine (as Temporal's own auto-setup image defaults). */
export const HISTORY_SHARDS = 4;
export const DATABASES = { persistence: 'temporal', visibility: 'temporal_visibility' } as const;
/** How long the namespace `default` keeps closed workflows. */
export const NAMESPACE_RETENTION = '72h';
/** The server's driver for PostgreSQL (docker-compose.yml's DB). */
export const SQL_PLUGIN = 'postgres12';
/** The role that owns both databases. */
const ROLE = 'temporal';

export interface TemporalClusterOptions {
  tools: ClusterToolPaths;
  postgres: Postgres;
  dir: string;
  /** The frontend's gRPC port: the address every client uses; below 32768 (see freeServerPort). */
  frontendPort: number;
  logDir: string;
  log?: (line: string) => void;
  timeoutMs: number;
  /** True when the frontend answers (cluster health). */
  healthy: () => Promise<boolean>;
}

export type TemporalServices = Record<TemporalServiceName, Service>;

/**
 * A free port on 127.0.0.1 below 32768: the server records each service's gRPC and membership port in
 * PostgreSQL as a smallint (the OS's own picks, from 32768 up, fail there: "out of range for type smallint").
 */
export async function freeServerPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, timeout: 120_000 }, (err, stdout, stderr) =>
      err
        ? reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`))
        : resolve(String(stdout)),
    );
  });
}

/** Creates both databases and brings their schemas to the server's version (temporal-sql-tool is idempotent there). */
async function applySchemas(opts: TemporalClusterOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const { postgres, tools } = opts;
  for (const [store, database] of Object.entries(DATABASES)) {
    await postgres.ensureDatabase(database, ROLE);
    const sqlTool = (args: string[]) =>
      run(
        tools.temporalSqlTool,
        [
          '--plugin',
          SQL_PLUGIN,
          '--ep',
          '127.0.0.1',
          '--port',
          String(postgres.port),
          '--user',
          ROLE,
          '--db',
          database,
          ...args,
        ],
        { ...env, SQL_PASSWORD: postgres.password },
      );
    const versioned = path.join(
      tools.temporalSchemaDir,
      store === 'persistence' ? 'temporal' : 'visibility',
      'versioned',
    );
    // setup-schema lays the version table once; update-schema then applies each versioned step not yet applied.
    const laid = await postgres.sql(`SELECT to_regclass('public.schema_version') IS NOT NULL`, database);
    if (laid !== 't') await sqlTool(['setup-schema', '-v', '0.0']);
    await sqlTool(['update-schema', '-d', versioned]);
  }
}

/** The server's configuration, as JSON (which YAML reads as it is). */
function serverConfig(
  opts: TemporalClusterOptions,
  ports: Record<TemporalServiceName, { grpc: number; membership: number }>,
) {
  const datastore = (database: string, maxConns: number) => ({
    sql: {
      pluginName: SQL_PLUGIN,
      databaseName: database,
      connectAddr: `127.0.0.1:${opts.postgres.port}`,
      connectProtocol: 'tcp',
      user: ROLE,
      password: opts.postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  return {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': datastore(DATABASES.persistence, 10),
        'postgres-visibility': datastore(DATABASES.visibility, 4),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(
      TEMPORAL_SERVICES.map((name) => [
        name,
        { rpc: { grpcPort: ports[name].grpc, membershipPort: ports[name].membership, bindOnLocalHost: true } },
      ]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${opts.frontendPort}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: DYNAMIC_CONFIG_FILE, pollInterval: '10s' },
  };
}

/** Resolves once a Temporal service has stored the cluster's metadata (at once after a first start). */
async function clusterMetadataStored(opts: TemporalClusterOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while ((await opts.postgres.sql('SELECT count(*) FROM cluster_metadata_info', DATABASES.persistence)) === '0') {
    if (Date.now() > deadline)
      throw new Error(`no Temporal service stored the cluster's metadata within ${opts.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Applies the schemas, writes the config and starts the four services (history and matching first:
 * the frontend routes to them). Resolves once the frontend reports the cluster healthy.
 */
export async function startTemporalCluster(opts: TemporalClusterOptions): Promise<TemporalServices> {
  const env = cleanEnv();
  await applySchemas(opts, env);

  const ports = Object.fromEntries(
    await Promise.all(
      TEMPORAL_SERVICES.map(async (name) => [
        name,
        {
          grpc: name === 'frontend' ? opts.frontendPort : await freeServerPort(),
          membership: await freeServerPort(),
        },
      ]),
    ),
  ) as Record<TemporalServiceName, { grpc: number; membership: number }>;
  const configDir = path.join(opts.dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  // Holds the database password: readable by the cluster's owner only.
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), JSON.stringify(serverConfig(opts, ports), null, 2), {
    mode: 0o600,
  });

  const services = Object.fromEntries(
    TEMPORAL_SERVICES.map((name) => {
      const processName = `temporal-${name}`;
      const service = restartableService(
        processName,
        () =>
          spawnChild(
            processName,
            opts.tools.temporalServer,
            [
              '--root',
              opts.dir,
              '--config',
              'config',
              '--env',
              'cluster',
              '--allow-no-auth',
              'start',
              '--service',
              name,
            ],
            { cwd: opts.dir, env, logFile: path.join(opts.logDir, `${processName}.log`), log: opts.log },
          ),
        // A service serves once it has joined the membership ring (the worker service has no gRPC server to
        // probe) and the frontend, which reaches every service, reports health.
        (child) =>
          waitUntilReady(child, async () => (await tcpOpen(ports[name].membership)) && (await opts.healthy()), {
            what: `${processName}: membership on 127.0.0.1:${ports[name].membership} and cluster health`,
            timeoutMs: opts.timeoutMs,
          }),
      );
      return [name, service];
    }),
  ) as TemporalServices;
  try {
    // Each service writes the cluster's metadata when it starts and none is stored yet: on a new database the
    // four would race to insert it, and the losers exit (a duplicate key in cluster_metadata_info). History
    // writes it alone; the others start once it is stored.
    const history = services.history.start();
    await Promise.race([history, clusterMetadataStored(opts)]);
    await Promise.all([history, ...TEMPORAL_SERVICES.filter((n) => n !== 'history').map((n) => services[n].start())]);
  } catch (err) {
    await Promise.all(TEMPORAL_SERVICES.map((name) => services[name].stop()));
    throw err;
  }
  return services;
}
