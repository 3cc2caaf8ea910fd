/**
 * A whole stack on free ports in a data folder of its own: the embedded servers, the worker and the API
 * as child processes, and the directory of the Tashkent data set (states, rotation, role accounts with
 * API tokens) without its initiatives. Used by the integration tests' globalSetup and by `npm run bench`.
 */
import * as path from 'node:path';
import { loadConfig } from '../config';
import { createServices } from '../server';
import { ensureLocalSecret, issueSeedTokens } from '../seed/accounts';
import { loadSummit } from '../seed/load';
import { readSummitFile } from '../seed/summit-file';
import { startApplication, type Application, type ApplicationOptions } from './application';
import { startEmbeddedStack, type EmbeddedStack } from './embedded';
import { freePort } from './ports';

const ROOT = path.resolve(__dirname, '..', '..');

export interface SeededStack {
  dataDir: string;
  apiUrl: string;
  stack: EmbeddedStack;
  app: Application;
  /** The environment the worker and the API were started with. */
  env: NodeJS.ProcessEnv;
  /** API token of each seeded person, by person id. */
  tokens: Map<string, string>;
  /** Stops the worker, the API and the servers; resolves when every process has exited. */
  stop(): Promise<void>;
}

export interface SeededStackOptions {
  dataDir: string;
  /** Added to the worker's and the API's environment (after the stack's addresses, so they may override them). */
  env?: NodeJS.ProcessEnv;
  /** MailDev keeps its emails across its own restarts (the fault-injection suite stops it). */
  persistMail?: boolean;
  /** When a (re)started worker counts as ready; see startApplication. */
  workerReady?: ApplicationOptions['workerReady'];
}

export async function startSeededStack(opts: SeededStackOptions): Promise<SeededStack> {
  const { dataDir } = opts;
  const [temporal, temporalUi, mongo, smtp, mailWeb, api] = await Promise.all(Array.from({ length: 6 }, freePort));
  const stack = await startEmbeddedStack({
    dataDir,
    ports: { temporal, temporalUi, mongo, smtp, mailWeb },
    quiet: true,
    persistMail: opts.persistMail,
  });
  const apiUrl = `http://127.0.0.1:${api}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    MONGODB_URL: stack.mongoUrl,
    SMTP_HOST: stack.smtp.host,
    SMTP_PORT: String(stack.smtp.port),
    API_HOST: '127.0.0.1',
    API_PORT: String(api),
    PUBLIC_URL: apiUrl,
    APP_SECRET_FILE: path.join(dataDir, 'secret'),
    ...opts.env,
  };
  const secret = ensureLocalSecret(dataDir);
  let app: Application | undefined;
  try {
    app = await startApplication({ env, dataDir, apiUrl, workerReady: opts.workerReady });
    const tokens = await seedDirectory(env, secret);
    const started = app;
    return {
      dataDir,
      apiUrl,
      stack,
      app: started,
      env,
      tokens,
      async stop() {
        await started.stop();
        await stack.stop();
      },
    };
  } catch (err) {
    await app?.stop();
    await stack.stop();
    throw err;
  }
}

/**
 * Loads the Tashkent data set's directory (states, rotation, people) without its initiatives, through the
 * services of `env`, and returns each seeded person's API token (derived from `secret`).
 */
export async function seedDirectory(env: NodeJS.ProcessEnv, secret: string): Promise<Map<string, string>> {
  const services = await createServices(loadConfig(env));
  try {
    const file = await readSummitFile(path.join(ROOT, 'data', 'tashkent-2025.json'));
    await loadSummit({ ...file, initiatives: [] }, services.models, services.service, {
      personId: 'secretariat',
      name: 'Secretariat',
      roles: ['secretariat'],
    });
    return await issueSeedTokens(
      services.tokens,
      secret,
      file.people.map((p) => p.id),
    );
  } finally {
    await services.close();
  }
}
