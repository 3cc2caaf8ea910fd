/**
 * The OpenAPI document is the contract, checked by an independent property-based tester: Schemathesis generates
 * requests from GET /openapi.json (valid ones and invalid ones, every operation, every method it does not
 * declare), sends them to a stack of this suite's own, and checks each answer against the document: no server
 * error, a documented status, media type, headers and body schema, valid requests accepted (but for the rules the
 * document names as beyond JSON Schema, x-server-rule), invalid ones refused, 405 with Allow.
 *
 * It signs in as people do (a sign-in link by email, then an API token made with the session) as the Secretariat,
 * who may do everything, and as a Special Representative, who decides for a state. Operations that void the
 * caller's credentials act as seeded people of their own (test/contract/schemathesis.toml). The stack is its own:
 * the generated writes (people, states, initiatives) never reach the stack the integration tests share.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSeededStack, type SeededStack } from '../../src/stack/seeded';
import { signIn } from '../support/api-client';
import type { TestStackInfo } from '../support/stack';
import { problemsOf, provisionSchemathesis, REPORTS_DIR, runSchemathesis, summary } from './support/schemathesis';

/** Fixed: the same generated requests on every run. */
const SEED = 20261202;

let st: string;
let seeded: SeededStack;
let schemaUrl: string;

/** An API token for a person, as a client gets one: signed in by email, then POST /api/tokens with the session. */
async function bearerOf(email: string): Promise<string> {
  const session = await signIn(email);
  const created = await session.post('/api/tokens', { label: 'contract tester' });
  if (created.status !== 201) throw new Error(`POST /api/tokens answered ${created.status}: ${created.text}`);
  return created.body.token as string;
}

beforeAll(async () => {
  st = provisionSchemathesis();
  fs.rmSync(path.join(REPORTS_DIR, 'summary.txt'), { force: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-contract-'));
  seeded = await startSeededStack({
    dataDir,
    env: {
      LOG_LEVEL: 'warn',
      // Thousands of generated requests from one address and person: the limits are not what is tested here
      // (their 429 is documented all the same).
      RATE_LIMIT_ACTS_PER_MINUTE: '100000',
      RATE_LIMIT_SIGNIN_PER_IP: '100000',
      RATE_LIMIT_SIGNIN_PER_EMAIL: '100000',
    },
  });
  // test/support/api-client.ts signs in against the stack this file names.
  const info: TestStackInfo = {
    dataDir,
    apiUrl: seeded.apiUrl,
    mongoUrl: seeded.stack.mongoUrl,
    mailUrl: seeded.stack.mailWebUrl,
    temporalAddress: seeded.stack.temporalAddress,
    smtpPort: seeded.stack.smtp.port,
    operatorToken: '',
    tokens: Object.fromEntries(seeded.tokens),
  };
  const infoFile = path.join(dataDir, 'test-stack.json');
  fs.writeFileSync(infoFile, JSON.stringify(info, null, 2));
  process.env.SUMMIT_TEST_STACK = infoFile;
  schemaUrl = `${seeded.apiUrl}/openapi.json`;
}, 10 * 60_000);

afterAll(async () => {
  await seeded?.stop();
});

/** Runs Schemathesis and fails with its own report (a curl line per failure) unless it found nothing. */
async function expectContractKept(opts: Parameters<typeof runSchemathesis>[1]): Promise<void> {
  const run = await runSchemathesis(st, opts);
  console.log(summary(run));
  fs.appendFileSync(path.join(REPORTS_DIR, 'summary.txt'), `${summary(run)}\n`);
  const problems = problemsOf(run);
  if (problems) throw new Error(problems);
}

describe('the OpenAPI document is kept, as Schemathesis checks it', () => {
  it('for the Secretariat, on every operation', async () => {
    await expectContractKept({
      label: 'secretariat',
      schemaUrl,
      env: {
        CONTRACT_TOKEN: await bearerOf('secretariat@example.org'),
        CONTRACT_DISPOSABLE_TOKEN: seeded.tokens.get('deputy-tj')!,
      },
      maxExamples: 25,
      seed: SEED,
    });
  });

  it('for a Special Representative, on every operation', async () => {
    await expectContractKept({
      label: 'representative',
      schemaUrl,
      env: {
        CONTRACT_TOKEN: await bearerOf('rep-kz@example.org'),
        CONTRACT_DISPOSABLE_TOKEN: seeded.tokens.get('deputy-uz')!,
      },
      maxExamples: 10,
      seed: SEED + 1,
    });
  });
});
