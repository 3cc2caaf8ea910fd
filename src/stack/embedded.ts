// Starts the embedded stack (Temporal dev server, FerretDB, MailDev) as child processes on
// 127.0.0.1, waits until each answers, and stops them again. Used by `npm start` and the tests.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanEnv, spawnChild, type Child, type SpawnOptions } from './child';
import { assertPortFree } from './ports';
import { httpStatus, logExcerpt, mongoPing, tcpOpen, waitUntilReady } from './probes';
import { restartableService, type Service } from './service';
import { loadToolPaths } from './tools';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

export interface StackPorts {
  temporal: number;
  temporalUi: number;
  mongo: number;
  smtp: number;
  mailWeb: number;
}

export interface EmbeddedStack {
  temporalAddress: string;
  temporalUiUrl: string;
  mongoUrl: string;
  smtp: { host: string; port: number };
  /** MailDev base URL: REST at /api/email, page at /index.html. */
  mailWebUrl: string;
  /** Each process, to stop, crash and start again on the same ports and data (fault injection). */
  services: Record<'temporal' | 'ferretdb' | 'maildev', Service>;
  /** SIGTERM each child, SIGKILL after 5 s; resolves when all have exited. */
  stop(): Promise<void>;
}

export interface EmbeddedStackOptions {
  dataDir: string;
  ports: StackPorts;
  /** MongoDB database name in mongoUrl; default "summit". */
  database?: string;
  /** Receives "[service] line" for each line the children print; default: stderr. */
  log?: (line: string) => void;
  /** Only the log files get the children's output. */
  quiet?: boolean;
  /** The setting that chooses each port, named in "port in use" errors. */
  portVariables?: Partial<Record<keyof StackPorts, string>>;
  /** Per service; default 60 s. */
  readyTimeoutMs?: number;
  /** MailDev keeps emails in the data folder and loads them again when it restarts; default: in memory. */
  persistMail?: boolean;
}

export type SearchAttributeType = 'Keyword' | 'KeywordList' | 'Datetime' | 'Text' | 'Int';

const CLI_TYPE_NAMES: Record<string, SearchAttributeType> = {
  KEYWORD: 'Keyword',
  KEYWORD_LIST: 'KeywordList',
  DATETIME: 'Datetime',
  TEXT: 'Text',
  INT: 'Int',
};

/** The workflows' search attributes, in the Temporal CLI's spelling of their types. */
export const SEARCH_ATTRIBUTES: Record<string, SearchAttributeType> = Object.fromEntries(
  ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, CLI_TYPE_NAMES[key.type]]),
);

export const DEFAULT_PORT_VARIABLES: Record<keyof StackPorts, string> = {
  temporal: 'TEMPORAL_PORT',
  temporalUi: 'TEMPORAL_UI_PORT',
  mongo: 'MONGO_PORT',
  smtp: 'SMTP_PORT',
  mailWeb: 'MAIL_WEB_PORT',
};

const SERVICE_NAMES: Record<keyof StackPorts, string> = {
  temporal: 'Temporal dev server',
  temporalUi: 'Temporal UI',
  mongo: 'FerretDB (MongoDB)',
  smtp: 'MailDev SMTP',
  mailWeb: 'MailDev web',
};

export async function startEmbeddedStack(opts: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const started = Date.now();
  const { ports } = opts;
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const log = opts.quiet ? undefined : (opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  const tools = loadToolPaths();

  await checkPorts(ports, { ...DEFAULT_PORT_VARIABLES, ...opts.portVariables });
  const dataDir = path.resolve(opts.dataDir);
  const dirs = Object.fromEntries(
    ['temporal', 'ferretdb', 'maildev', 'logs'].map((d) => [d, path.join(dataDir, d)]),
  ) as Record<'temporal' | 'ferretdb' | 'maildev' | 'logs', string>;
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });

  const env = cleanEnv();
  const spawnOpts = (name: string, cwd: string) => ({ cwd, env, log, logFile: path.join(dirs.logs, `${name}.log`) });
  const services: Service[] = [];
  const stopAll = async () => {
    await Promise.all(services.map((s) => s.stop(5000)));
  };
  const cliCalls = new AbortController(); // cancels readiness checks still running after a failure

  const temporalAddress = `127.0.0.1:${ports.temporal}`;
  const temporalUiUrl = `http://127.0.0.1:${ports.temporalUi}`;
  const mailWebUrl = `http://127.0.0.1:${ports.mailWeb}`;
  const temporalCli = (args: string[]) => runTemporalCli(tools.temporal, temporalAddress, args, env, cliCalls.signal);
  // Each service is spawned with the same command (same ports, same data files) by every start.
  const add = (name: string, spawn: () => Child, ready: (child: Child) => Promise<void>) => {
    const service = restartableService(name, spawn, ready);
    services.push(service);
    return service;
  };
  try {
    const temporal = add(
      'temporal',
      () =>
        spawnChild(
          'temporal',
          tools.temporal,
          [
            'server',
            'start-dev',
            '--ip',
            '127.0.0.1',
            '--port',
            String(ports.temporal),
            '--ui-port',
            String(ports.temporalUi),
            '--db-filename',
            path.join(dirs.temporal, 'temporal.db'),
            // WAL with synchronous=NORMAL survives any process crash (the faults suite kills the server);
            // only an OS crash could lose the last commits, which a development stack can afford.
            '--sqlite-pragma',
            'journal_mode=wal',
            '--sqlite-pragma',
            'synchronous=normal',
            // The recording activity a workflow task schedules is handed to the worker in the reply to that
            // task instead of through a poll: the read model shows an act sooner.
            '--dynamic-config-value',
            'system.enableActivityEagerExecution=true',
            '--namespace',
            'default',
            '--log-level',
            'warn',
            // Honoured only when the database file is new; ensureSearchAttributes covers the rest.
            ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
          ],
          spawnOpts('temporal', dirs.temporal),
        ),
      async (child) => {
        await waitUntilReady(child, async () => (await temporalCli(['operator', 'cluster', 'health'])).ok, {
          what: `cluster health on ${temporalAddress}`,
          timeoutMs,
        });
        await waitUntilReady(child, async () => (await httpStatus(temporalUiUrl)) === 200, {
          what: `UI at ${temporalUiUrl}`,
          timeoutMs,
        });
        await ensureSearchAttributes(
          child,
          temporalCli,
          `delete ${path.join(dirs.temporal, 'temporal.db')} (it loses the embedded Temporal history)`,
        );
      },
    );

    const ferretdb = ferretdbService({
      bin: tools.ferretdb,
      backend: ['--handler=sqlite', `--sqlite-url=${ferretdbSqliteUrl(dirs.ferretdb)}`],
      port: ports.mongo,
      dir: dirs.ferretdb,
      spawnOptions: spawnOpts('ferretdb', dirs.ferretdb),
      timeoutMs,
    });
    services.push(ferretdb);

    const maildev = maildevService({
      ports,
      dir: dirs.maildev,
      persistMail: opts.persistMail,
      spawnOptions: spawnOpts('maildev', dirs.maildev),
      timeoutMs,
    });
    services.push(maildev);

    await Promise.all([temporal, ferretdb, maildev].map((s) => s.start()));
  } catch (err) {
    cliCalls.abort();
    await stopAll();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stack: EmbeddedStack = {
    temporalAddress,
    temporalUiUrl,
    mongoUrl: `mongodb://127.0.0.1:${ports.mongo}/${opts.database ?? 'summit'}`,
    smtp: { host: '127.0.0.1', port: ports.smtp },
    mailWebUrl,
    services: { temporal: services[0], ferretdb: services[1], maildev: services[2] },
    stop() {
      stopping ??= stopAll().finally(() => running.delete(stack));
      return stopping;
    },
  };
  running.add(stack);
  installSignalHandlers();
  log?.(
    `[stack] ready in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${temporalAddress} (UI ${temporalUiUrl}), ` +
      `MongoDB ${stack.mongoUrl}, SMTP 127.0.0.1:${ports.smtp}, mail inbox ${mailWebUrl}/index.html; logs in ${dirs.logs}`,
  );
  return stack;
}

async function checkPorts(ports: StackPorts, variables: Record<keyof StackPorts, string>): Promise<void> {
  const keys = Object.keys(SERVICE_NAMES) as (keyof StackPorts)[];
  for (const key of keys) {
    const port = ports[key];
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(
        `port ${String(port)} (${variables[key]}, ${SERVICE_NAMES[key]}) is not a valid port; set ${variables[key]} to a number from 1 to 65535`,
      );
    }
    const clash = keys.find((other) => other !== key && ports[other] === port);
    if (clash) {
      throw new Error(
        `port ${port} is given to both ${variables[key]} (${SERVICE_NAMES[key]}) and ${variables[clash]} (${SERVICE_NAMES[clash]}); give each its own port`,
      );
    }
  }
  for (const key of keys) await assertPortFree(ports[key], SERVICE_NAMES[key], variables[key]);
}

// MailDev is an ES module whose package "exports" hide its files from require.resolve, so
// look for the package directory along Node's own search path.
/**
 * FerretDB's SQLite settings. Every write is a transaction of its own, and with FerretDB's deferred
 * transactions and fsync on each commit, concurrent writers starved one another past the busy
 * timeout ("database is locked") under load. BEGIN IMMEDIATE takes the write lock up front (no
 * lock upgrade that can fail at once), synchronous=NORMAL in WAL mode drops the fsync per commit
 * while surviving any process crash, and a longer busy timeout queues rather than fails.
 */
export function ferretdbSqliteUrl(dir: string): string {
  const params = [
    '_pragma=busy_timeout(30000)',
    '_pragma=journal_mode(wal)',
    '_pragma=synchronous(normal)',
    '_txlock=immediate',
  ];
  return `file:${dir}/?${params.join('&')}`;
}

export interface FerretdbOptions {
  bin: string;
  /** The backend's flags: --handler and its URL. */
  backend: string[];
  port: number;
  /** Its state folder. */
  dir: string;
  spawnOptions: SpawnOptions;
  timeoutMs: number;
}

/** FerretDB as a service on 127.0.0.1:port; ready once it answers a MongoDB ping. */
export function ferretdbService(opts: FerretdbOptions): Service {
  return restartableService(
    'ferretdb',
    () =>
      spawnChild(
        'ferretdb',
        opts.bin,
        [
          ...opts.backend,
          `--state-dir=${opts.dir}`,
          `--listen-addr=127.0.0.1:${opts.port}`,
          // "-" disables the debug/metrics HTTP listener, whose fixed default 127.0.0.1:8088 would
          // clash between two stacks (npm start and npm test at once).
          '--debug-addr=-',
          '--telemetry=disable',
          '--log-level=warn',
        ],
        opts.spawnOptions,
      ),
    (child) =>
      waitUntilReady(child, () => mongoPing(opts.port), {
        what: `MongoDB ping on 127.0.0.1:${opts.port}`,
        timeoutMs: opts.timeoutMs,
      }),
  );
}

export interface MaildevOptions {
  ports: Pick<StackPorts, 'smtp' | 'mailWeb'>;
  dir: string;
  /** Kept emails are loaded again when MailDev starts, so a restart of the sink forgets nothing. */
  persistMail?: boolean;
  spawnOptions: SpawnOptions;
  timeoutMs: number;
}

/** MailDev as a service: SMTP and its web inbox on 127.0.0.1; ready once both answer. */
export function maildevService(opts: MaildevOptions): Service {
  const { ports } = opts;
  const mailWebUrl = `http://127.0.0.1:${ports.mailWeb}`;
  // cwd matters: MailDev looks for a config file in its working directory and its parents.
  return restartableService(
    'maildev',
    () =>
      spawnChild(
        'maildev',
        process.execPath,
        [
          maildevBin(),
          '-s',
          String(ports.smtp),
          '--ip',
          '127.0.0.1',
          '-w',
          String(ports.mailWeb),
          '--web-ip',
          '127.0.0.1',
          ...(opts.persistMail ? ['--mail-directory', path.join(opts.dir, 'mail')] : []),
        ],
        { ...opts.spawnOptions, cwd: opts.dir },
      ),
    async (child) => {
      await waitUntilReady(child, () => tcpOpen(ports.smtp), {
        what: `SMTP on 127.0.0.1:${ports.smtp}`,
        timeoutMs: opts.timeoutMs,
      });
      await waitUntilReady(child, async () => (await httpStatus(`${mailWebUrl}/api/email`)) === 200, {
        what: `GET ${mailWebUrl}/api/email`,
        timeoutMs: opts.timeoutMs,
      });
    },
  );
}

function maildevBin(): string {
  for (const dir of require.resolve.paths('maildev') ?? []) {
    const bin = path.join(dir, 'maildev', 'dist', 'bin', 'maildev.js');
    if (fs.existsSync(bin)) return bin;
  }
  throw new Error('the npm package maildev is not installed: run `npm ci`');
}

export interface CliResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs the Temporal CLI against one server's default namespace, never the user's own profile. */
export function runTemporalCli(
  bin: string,
  address: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<CliResult> {
  // The CLI would otherwise read the user's Temporal profile (TLS, API key, other address).
  const fixed = [
    '--address',
    address,
    '--namespace',
    'default',
    '--disable-config-file',
    '--disable-config-env',
    '--color',
    'never',
  ];
  return new Promise((resolve) => {
    execFile(bin, [...args, ...fixed], { env, timeout: 10_000, signal }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const INDEXED_TYPE: Record<SearchAttributeType, string> = {
  Keyword: 'INDEXED_VALUE_TYPE_KEYWORD',
  KeywordList: 'INDEXED_VALUE_TYPE_KEYWORD_LIST',
  Datetime: 'INDEXED_VALUE_TYPE_DATETIME',
  Text: 'INDEXED_VALUE_TYPE_TEXT',
  Int: 'INDEXED_VALUE_TYPE_INT',
};

// start-dev registers --search-attribute only when it creates the database file (measured with
// CLI 1.5.1: on a restart a new attribute was silently skipped and a changed type ignored), so
// check the list and create what is missing.
export async function ensureSearchAttributes(
  temporal: Child,
  cli: (args: string[]) => Promise<CliResult>,
  /** How to start over from a server whose attribute has another type, for the error message. */
  reset: string,
): Promise<void> {
  const listed = await cli(['operator', 'search-attribute', 'list', '--output', 'json']);
  if (!listed.ok)
    throw new Error(`Temporal search attributes could not be listed: ${listed.stderr.trim()}${logExcerpt(temporal)}`);
  const custom = (JSON.parse(listed.stdout) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
  const missing: string[] = [];
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    if (custom[name] === undefined) missing.push('--name', name, '--type', type);
    else if (custom[name] !== INDEXED_TYPE[type]) {
      throw new Error(
        `Temporal search attribute ${name} is registered as ${custom[name]} but the workflows need ${type}; ` +
          `${reset} or remove it with \`temporal operator search-attribute remove\``,
      );
    }
  }
  if (missing.length === 0) return;
  const created = await cli(['operator', 'search-attribute', 'create', ...missing]);
  if (!created.ok)
    throw new Error(`Temporal search attributes could not be created: ${created.stderr.trim()}${logExcerpt(temporal)}`);
}

// Signals: a parent killed by SIGTERM/SIGHUP (or SIGINT sent to it alone) exits without
// running 'exit' handlers unless someone listens. When the application has its own handler
// it owns the shutdown order (worker first, then stack.stop()); otherwise stop the stacks
// here and die of the same signal.
const running = new Set<EmbeddedStack>();
let signalHandlersInstalled = false;

function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      if (process.listenerCount(signal) > 1) return;
      void Promise.all([...running].map((s) => s.stop())).finally(() => {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, handler);
  }
}
