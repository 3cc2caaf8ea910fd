/** Starts one embedded stack, the worker and the API on free ports for the integration and browser tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/config';
import { createServices } from '../../src/server';
import { ensureLocalSecret, issueSeedTokens } from '../../src/seed/accounts';
import { loadSummit } from '../../src/seed/load';
import { readSummitFile } from '../../src/seed/summit-file';
import { startApplication } from '../../src/stack/application';
import { startEmbeddedStack } from '../../src/stack/embedded';
import { freePort } from '../../src/stack/ports';
import type { TestStackInfo } from '../support/stack';

export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-test-'));
  const [temporal, temporalUi, mongo, smtp, mailWeb, api] = await Promise.all(Array.from({ length: 6 }, freePort));
  const stack = await startEmbeddedStack({ dataDir, ports: { temporal, temporalUi, mongo, smtp, mailWeb }, quiet: true });
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
    LOG_LEVEL: 'warn',
    APP_SECRET_FILE: path.join(dataDir, 'secret'),
    // Many suites act as the same seeded people at once; the 429 test provokes its limit with a fresh person.
    RATE_LIMIT_ACTS_PER_MINUTE: '300',
  };
  ensureLocalSecret(dataDir);
  let app;
  try {
    app = await startApplication({ env, dataDir, apiUrl });
    // The directory of the Tashkent data set (states, rotation, role accounts), without starting its initiatives.
    const services = await createServices(loadConfig(env));
    const file = await readSummitFile(path.resolve(__dirname, '..', '..', 'data', 'tashkent-2025.json'));
    await loadSummit({ ...file, initiatives: [] }, services.models, services.service, { personId: 'secretariat', name: 'Secretariat', roles: ['secretariat'] });
    const tokens = await issueSeedTokens(services.tokens, ensureLocalSecret(dataDir), file.people.map((p) => p.id));
    await services.close();
    const info: TestStackInfo = {
      dataDir,
      apiUrl,
      mongoUrl: stack.mongoUrl,
      mailUrl: stack.mailWebUrl,
      temporalAddress: stack.temporalAddress,
      tokens: Object.fromEntries(tokens),
    };
    const infoFile = path.join(dataDir, 'test-stack.json');
    fs.writeFileSync(infoFile, JSON.stringify(info, null, 2));
    process.env.SUMMIT_TEST_STACK = infoFile;
  } catch (err) {
    await app?.stop();
    await stack.stop();
    throw err;
  }
  (globalThis as Record<string, unknown>).__summitStack = { stack, app };
}
