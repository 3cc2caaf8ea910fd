/** Starts one embedded stack, the worker and the API on free ports for the integration and browser tests. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSeededStack } from '../../src/stack/seeded';
import type { TestStackInfo } from '../support/stack';

export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-test-'));
  const operatorToken = randomBytes(24).toString('base64url');
  const seeded = await startSeededStack({
    dataDir,
    env: {
      LOG_LEVEL: 'warn',
      // Many suites act as the same seeded people at once; the 429 test provokes its limit with a fresh person.
      RATE_LIMIT_ACTS_PER_MINUTE: '300',
      // Every suite signs in from 127.0.0.1; the 429 test provokes the per-address limit instead.
      RATE_LIMIT_SIGNIN_PER_IP: '1000',
      // /metrics and the readiness detail answer only to it.
      OPERATOR_TOKEN: operatorToken,
    },
  });
  try {
    const info: TestStackInfo = {
      dataDir,
      apiUrl: seeded.apiUrl,
      mongoUrl: seeded.stack.mongoUrl,
      mailUrl: seeded.stack.mailWebUrl,
      temporalAddress: seeded.stack.temporalAddress,
      smtpPort: seeded.stack.smtp.port,
      operatorToken,
      tokens: Object.fromEntries(seeded.tokens),
    };
    const infoFile = path.join(dataDir, 'test-stack.json');
    fs.writeFileSync(infoFile, JSON.stringify(info, null, 2));
    process.env.SUMMIT_TEST_STACK = infoFile;
  } catch (err) {
    await seeded.stop();
    throw err;
  }
  (globalThis as Record<string, unknown>).__summitStack = { stack: seeded.stack, app: seeded.app };
}
