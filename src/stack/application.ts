/** Starts the service's own processes (worker and API) against a running stack, and waits until the API is ready. */
import * as path from 'path';
import { spawnChild, type Child } from './child';
import { httpStatus, waitUntilReady } from './probes';

export interface Application {
  apiUrl: string;
  children: Child[];
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export async function startApplication(opts: { env: NodeJS.ProcessEnv; dataDir: string; apiUrl: string; log?: (line: string) => void }): Promise<Application> {
  const spawn = (name: string, entry: string) =>
    spawnChild(name, TSX, [path.join(ROOT, 'src', 'cli', entry)], {
      cwd: ROOT,
      env: opts.env,
      logFile: path.join(opts.dataDir, 'logs', `${name}.log`),
      log: opts.log,
    });
  const worker = spawn('worker', 'worker.ts');
  const api = spawn('api', 'api.ts');
  const children = [worker, api];
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
  };
  try {
    await waitUntilReady(api, async () => (await httpStatus(`${opts.apiUrl}/readyz`)) === 200, { what: `GET ${opts.apiUrl}/readyz`, timeoutMs: 90_000 });
    if (worker.exit) throw new Error(`worker exited with code ${worker.exit.code}: see ${worker.logFile}\n${worker.tail()}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { apiUrl: opts.apiUrl, children, stop };
}
