/**
 * What `npm start` and `npm run start:cluster` do once their processes run: load the Tashkent 2025 data
 * set, issue the seeded people's API tokens and one-time sign-in links, and print where everything is.
 */
import * as path from 'node:path';
import { loadConfig } from '../config';
import { dayOf } from '../domain/delegation';
import { actorOf } from '../service/initiatives';
import { createServices } from '../server';
import { issueSeedTokens, ensureLocalSecret } from '../seed/accounts';
import { issueMagicLink } from '../persistence/magic-links';
import { loadSummit } from '../seed/load';
import { readSummitFile } from '../seed/summit-file';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WelcomeOptions {
  /** The environment the worker and the API run with. */
  env: NodeJS.ProcessEnv;
  dataDir: string;
  apiUrl: string;
  /** Lines printed between the web interface and the initiatives: the servers and their addresses. */
  servers: string[];
  log: (line: string) => void;
}

export async function seedAndWelcome({ env, dataDir, apiUrl, servers, log }: WelcomeOptions): Promise<void> {
  log('loading the Tashkent 2025 initiatives …');
  const config = loadConfig(env);
  const services = await createServices(config);
  const file = await readSummitFile(path.join(ROOT, 'data', 'tashkent-2025.json'));
  const secretariat = file.people.find((p) => p.roles.includes('secretariat'))!;
  const report = await loadSummit(
    file,
    services.models,
    services.service,
    actorOf({ ...secretariat, _id: secretariat.id }, dayOf(new Date(), config.SECRETARIAT_TIME_ZONE)),
  );
  const tokens = await issueSeedTokens(
    services.tokens,
    ensureLocalSecret(dataDir),
    file.people.map((p) => p.id),
  );
  // One-time sign-in links, so nobody waits for an email on a local stack (valid 12 h; each start prints new ones).
  const links = new Map<string, string>();
  for (const p of file.people) links.set(p.id, (await issueMagicLink(services.magicLinks, p.id, 12 * 3_600_000)).token);
  const chair = await services.directory.chairOn(dayOf(new Date(), config.SECRETARIAT_TIME_ZONE));
  await services.close();

  log('');
  log(`summit-followup is running (data in ${dataDir})`);
  log(`  Web interface   ${apiUrl}/   (sign in with your email address; emails arrive in the inbox below)`);
  log(`  API             ${apiUrl}/api   (health: ${apiUrl}/readyz)`);
  for (const line of servers) log(`  ${line}`);
  log(`  initiatives     ${report.started.length} started, ${report.existing.length} already running`);
  log('');
  log(`API docs: ${apiUrl}/docs`);
  log('Sign in as a seeded person: open their one-time link in a browser (valid 12 h), or send their API token:');
  log(`  curl -H "Authorization: Bearer <token>" ${apiUrl}/api/inbox`);
  for (const p of file.people) {
    const role =
      p.roles.join(',') +
      (p.state ? ` ${p.state}` : '') +
      (chair && p.roles.includes('representative') && p.state === chair.chairState ? ' (current Chair)' : '');
    log(`  ${p.id.padEnd(14)} ${role.padEnd(30)} ${tokens.get(p.id)}`);
    log(`  ${''.padEnd(14)} ${apiUrl}/auth/sign-in?token=${links.get(p.id)}`);
  }
  log('\nCtrl-C stops every process.');
}
