// A long-running child process of the embedded stack: output to a log file (and optionally a
// line callback), a tail of recent lines for error messages, and a stop that cannot leave it behind.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly name: string;
  readonly pid: number | undefined;
  readonly logFile: string;
  /** Set once the process has exited. */
  readonly exit: ExitInfo | undefined;
  /** Resolves (never rejects) when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** The last lines it printed, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Sends a signal (default SIGKILL: a crash, for fault injection) and resolves when it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  log?: (line: string) => void;
}

const TAIL_LINES = 40;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// Last resort when the parent exits without stop(): 'exit' handlers must be synchronous, and
// SIGKILL is the only signal that cannot leave a child lingering while it shuts down.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const proc of live) {
      try {
        proc.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

// On Linux, `setpriv --pdeathsig TERM` makes the kernel signal the child when its parent dies,
// even by SIGKILL or a crash, where no JavaScript handler runs. setpriv execs the command, so
// the pid we hold is the tool's own.
let pdeathsigPrefix: string[] | undefined;
function parentDeathPrefix(): string[] {
  if (pdeathsigPrefix) return pdeathsigPrefix;
  pdeathsigPrefix = [];
  if (process.platform === 'linux') {
    const probe = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.includes('--pdeathsig'))
      pdeathsigPrefix = ['setpriv', '--pdeathsig', 'TERM', '--'];
  }
  return pdeathsigPrefix;
}

export function spawnChild(name: string, command: string, args: string[], opts: SpawnOptions): Child {
  installExitHook();
  const [cmd, ...cmdArgs] = [...parentDeathPrefix(), command, ...args];
  const logStream = fs.createWriteStream(opts.logFile, { flags: 'a' });
  logStream.write(`--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);

  const recent: string[] = [];
  let muted = false; // after stop(): shutdown chatter goes to the log file only
  const lineSplitter = () => {
    let partial = '';
    return (chunk: Buffer | string | null) => {
      const text = chunk === null ? partial + '\n' : partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        recent.push(line);
        if (recent.length > TAIL_LINES) recent.shift();
        if (!muted) opts.log?.(`[${name}] ${line}`);
      }
    };
  };

  // detached: false keeps the child in our process group, so a Ctrl-C in the terminal reaches it too.
  const proc = spawn(cmd!, cmdArgs, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  live.add(proc);
  for (const stream of [proc.stdout!, proc.stderr!]) {
    const onLine = lineSplitter();
    stream.on('data', (chunk: Buffer) => {
      if (!logStream.writableEnded) logStream.write(chunk);
      onLine(chunk);
    });
    stream.on('end', () => onLine(null));
  }

  let exit: ExitInfo | undefined;
  const closeLog = () => {
    if (!logStream.writableEnded) logStream.end(`--- exited: code ${exit?.code} signal ${exit?.signal}\n`);
  };
  const exited = new Promise<ExitInfo>((resolve) => {
    const done = (info: ExitInfo) => {
      if (exit) return;
      exit = info;
      live.delete(proc);
      resolve(info);
    };
    proc.once('exit', (code, signal) => done({ code, signal }));
    proc.once('close', closeLog); // after 'exit', once its output is drained
    proc.once('error', (err) => {
      recent.push(`failed to start ${command}: ${err.message}`);
      done({ code: null, signal: null });
      closeLog();
    });
  });

  return {
    name,
    get pid() {
      return proc.pid;
    },
    logFile: opts.logFile,
    get exit() {
      return exit;
    },
    exited,
    tail: (lines = 15) => recent.slice(-lines).join('\n'),
    async stop(graceMs = 5000) {
      if (exit) return;
      muted = true;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exit) proc.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill(signal = 'SIGKILL') {
      if (exit) return;
      muted = true;
      proc.kill(signal);
      await exited;
    },
  };
}

/** The environment minus variables the tools would read as their own configuration. */
export function cleanEnv(prefixes = ['TEMPORAL_', 'FERRETDB_', 'MAILDEV_']): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !prefixes.some((p) => k.startsWith(p))));
}
