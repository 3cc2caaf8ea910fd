/** Starts the service's own processes (worker, mailer and API) against a running stack, and waits until the API is ready. */
import * as path from 'path';
import { spawnChild, type Child } from './child';
import { httpStatus, waitUntilReady } from './probes';
import { restartableService, type Service } from './service';

export interface Application {
  apiUrl: string;
  /** The current worker, mailer and API processes. */
  readonly children: Child[];
  /** Each process, to stop, crash and start again (fault injection). */
  services: { worker: Service; mailer: Service; api: Service };
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export interface ApplicationOptions {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  apiUrl: string;
  log?: (line: string) => void;
  /** When a (re)started worker counts as ready, e.g. once it polls its task queue (env: the worker's); default: as soon as it runs. */
  workerReady?: (worker: Child, env: NodeJS.ProcessEnv) => Promise<boolean>;
}

export async function startApplication(opts: ApplicationOptions): Promise<Application> {
  // One process each, `node --import tsx` rather than the tsx launcher (which runs the program in a
  // child of its own): the pid we hold is the worker's, so a SIGKILL really kills it.
  const spawn =
    (name: string, entry: string, args: string[] = []) =>
    () =>
      spawnChild(name, process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', entry), ...args], {
        cwd: ROOT,
        env: opts.env,
        logFile: path.join(opts.dataDir, 'logs', `${name}.log`),
        log: opts.log,
      });
  const worker = restartableService('worker', spawn('worker', 'worker.ts'), async (child) => {
    if (opts.workerReady)
      await waitUntilReady(child, () => opts.workerReady!(child, opts.env), {
        what: 'worker polling its task queue',
        timeoutMs: 90_000,
      });
  });
  const mailer = restartableService('mailer', spawn('mailer', 'worker.ts', ['--mail']), async () => undefined);
  const api = restartableService('api', spawn('api', 'api.ts'), (child) =>
    waitUntilReady(child, async () => (await httpStatus(`${opts.apiUrl}/readyz`)) === 200, {
      what: `GET ${opts.apiUrl}/readyz`,
      timeoutMs: 90_000,
    }),
  );
  const stop = async () => {
    await Promise.all([worker.stop(), mailer.stop(), api.stop()]);
  };
  try {
    await Promise.all([worker.start(), mailer.start(), api.start()]);
    for (const s of [worker, mailer]) {
      if (s.child.exit)
        throw new Error(
          `${s.child.name} exited with code ${s.child.exit.code}: see ${s.child.logFile}\n${s.child.tail()}`,
        );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    apiUrl: opts.apiUrl,
    get children() {
      return [worker.child, mailer.child, api.child];
    },
    services: { worker, mailer, api },
    stop,
  };
}
