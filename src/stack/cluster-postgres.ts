// The cluster's PostgreSQL: one server in a data folder of the run, created on first start, with a
// role and a database for each of its users (Temporal's two stores, FerretDB).
import { execFile, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { spawnChild, type Child, cleanEnv } from './child';
import type { ClusterToolPaths } from './cluster-tools';
import { logExcerpt, waitUntilReady } from './probes';
import { restartableService, type Service } from './service';

export interface PostgresOptions {
  tools: ClusterToolPaths;
  /** Holds data/ (the cluster), the socket and the roles' password file. */
  dir: string;
  port: number;
  logFile: string;
  log?: (line: string) => void;
  timeoutMs: number;
}

export interface Postgres {
  service: Service;
  port: number;
  /** The password of every role this module creates (kept in the run folder, readable by its owner only). */
  password: string;
  /** Runs SQL as the superuser over the socket; rejects with psql's message. */
  sql(statement: string, database?: string): Promise<string>;
  /** Creates the database and its owning role (default: one of the database's name) when missing. */
  ensureDatabase(name: string, owner?: string): Promise<void>;
  /** A connection URL for the database as its owner. */
  url(database: string, owner?: string): string;
}

const SUPERUSER = 'postgres';

/**
 * PostgreSQL refuses to run as root. Run as root (a container, CI), it runs as an unprivileged
 * account: Debian's `postgres` when the package made one, else `nobody`; the run folder is given
 * to it. Otherwise it runs as whoever runs the cluster.
 */
function serverAccount(): { user: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    const id = (flag: string) => spawnSync('id', [flag, user], { encoding: 'utf8' });
    const uid = id('-u');
    const gid = id('-g');
    if (uid.status === 0 && gid.status === 0) return { user, uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new Error('PostgreSQL cannot run as root, and neither a postgres nor a nobody account exists to run it');
}

export async function startPostgres(opts: PostgresOptions): Promise<Postgres> {
  const { tools, dir, port } = opts;
  const account = serverAccount();
  const dataDir = path.join(dir, 'data');
  const socketDir = dir;
  const bin = (name: string) => path.join(tools.postgresBin, name);
  const env = { ...cleanEnv(['PG']), LD_LIBRARY_PATH: tools.postgresLibraryPath || process.env.LD_LIBRARY_PATH };
  const asServer = (command: string, args: string[]): [string, string[]] =>
    account
      ? [
          'setpriv',
          ['--reuid', String(account.uid), '--regid', String(account.gid), '--clear-groups', '--', command, ...args],
        ]
      : [command, args];

  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(dir, 'password');
  if (!fs.existsSync(passwordFile))
    fs.writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  if (account) {
    fs.chownSync(dir, account.uid, account.gid);
    // The account must pass through the run folder to reach its own (a mkdtemp folder is closed to others).
    const runDir = path.dirname(dir);
    fs.chmodSync(runDir, fs.statSync(runDir).mode | 0o111);
  }

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // Local connections (the socket, in the run folder only its owner can enter) need no password;
    // TCP ones, the way every service connects, do.
    const [cmd, args] = asServer(bin('initdb'), [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ]);
    const init = spawnSync(cmd, args, { env, encoding: 'utf8', cwd: dir });
    if (init.status !== 0)
      throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout || init.error?.message}`);
  }

  const [cmd, args] = asServer(bin('postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${socketDir}`,
    // Four Temporal services and FerretDB each keep a pool: Temporal's defaults alone ask for 100.
    '-c',
    'max_connections=200',
    // The server's JIT needs LLVM at run time and only pays off for long analytic queries.
    '-c',
    'jit=off',
  ]);
  const service = restartableService(
    'postgres',
    () => spawnChild('postgres', cmd, args, { cwd: dir, env, logFile: opts.logFile, log: opts.log }),
    (child) =>
      waitUntilReady(child, async () => (await runPsql('SELECT 1', 'postgres').catch(() => undefined)) !== undefined, {
        what: `psql SELECT 1 on ${socketDir}, port ${port}`,
        timeoutMs: opts.timeoutMs,
      }),
  );

  const runPsql = (statement: string, database: string): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        bin('psql'),
        [
          '-X',
          '-q',
          '-t',
          '-A',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          socketDir,
          '-p',
          String(port),
          '-U',
          SUPERUSER,
          '-d',
          database,
          '-c',
          statement,
        ],
        { env, timeout: 10_000 },
        (err, stdout, stderr) =>
          err ? reject(new Error(String(stderr).trim() || err.message)) : resolve(String(stdout).trim()),
      );
    });
  const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;

  await service.start();
  return {
    service,
    port,
    password,
    sql: (statement, database = 'postgres') =>
      runPsql(statement, database).catch((err: Error) => {
        throw new Error(
          `PostgreSQL refused ${statement.slice(0, 60)}: ${err.message}${logExcerpt(service.child as Child)}`,
        );
      }),
    async ensureDatabase(name, owner = name) {
      const role = await runPsql(`SELECT 1 FROM pg_roles WHERE rolname = ${quoted(owner)}`, 'postgres');
      if (role !== '1') await runPsql(`CREATE ROLE "${owner}" LOGIN PASSWORD ${quoted(password)}`, 'postgres');
      const db = await runPsql(`SELECT 1 FROM pg_database WHERE datname = ${quoted(name)}`, 'postgres');
      if (db !== '1') await runPsql(`CREATE DATABASE "${name}" OWNER "${owner}"`, 'postgres');
    },
    url: (database, owner = database) =>
      `postgres://${owner}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
  };
}
