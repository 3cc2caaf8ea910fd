/**
 * `npm start`: the embedded stack (Temporal dev server, FerretDB, MailDev), the worker, the mailer and the API,
 * then the Tashkent 2025 data set; prints where everything is and how to sign in. Ctrl-C stops it all.
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
import { startApplication } from '../stack/application';
import { startEmbeddedStack, StackPorts } from '../stack/embedded';
import { assertPortFree } from '../stack/ports';

const ROOT = path.resolve(__dirname, '..', '..');

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${raw} is not a port number (1-65535)`);
  return n;
}

async function main() {
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(ROOT, '.data'));
  const ports: StackPorts = {
    temporal: portFrom('TEMPORAL_PORT', 7233),
    temporalUi: portFrom('TEMPORAL_UI_PORT', 8233),
    mongo: portFrom('MONGO_PORT', 27017),
    smtp: portFrom('SMTP_PORT', 1025),
    mailWeb: portFrom('MAIL_WEB_PORT', 1080),
  };
  const apiPort = portFrom('API_PORT', 3000);
  await assertPortFree(apiPort, 'API', 'API_PORT');

  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`starting the embedded stack in ${dataDir} …`);
  const stack = await startEmbeddedStack({ dataDir, ports, quiet: true });
  let app: Awaited<ReturnType<typeof startApplication>> | undefined;
  const stopAll = async () => {
    await app?.stop();
    await stack.stop();
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log('\nstopping every process …');
      stopAll().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }

  try {
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    ensureLocalSecret(dataDir);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      APP_SECRET_FILE: process.env.APP_SECRET_FILE ?? path.join(dataDir, 'secret'),
      TEMPORAL_ADDRESS: stack.temporalAddress,
      MONGODB_URL: stack.mongoUrl,
      SMTP_HOST: stack.smtp.host,
      SMTP_PORT: String(stack.smtp.port),
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      PUBLIC_URL: process.env.PUBLIC_URL ?? apiUrl,
    };
    log('starting the worker, the mailer and the API …');
    app = await startApplication({ env, dataDir, apiUrl });

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
    // One-time sign-in links, so nobody waits for an email on the embedded stack (valid 12 h; each start prints new ones).
    const links = new Map<string, string>();
    for (const p of file.people)
      links.set(p.id, (await issueMagicLink(services.magicLinks, p.id, 12 * 3_600_000)).token);
    const chair = await services.directory.chairOn(dayOf(new Date(), config.SECRETARIAT_TIME_ZONE));
    await services.close();

    log('');
    log(`summit-followup is running (data in ${dataDir})`);
    log(`  Web interface   ${apiUrl}/   (sign in with your email address; emails arrive in the inbox below)`);
    log(`  API             ${apiUrl}/api   (health: ${apiUrl}/readyz)`);
    log(`  Temporal UI     ${stack.temporalUiUrl}`);
    log(`  Email inbox     ${stack.mailWebUrl}/index.html`);
    log(
      `  Temporal        ${stack.temporalAddress}    MongoDB (FerretDB) ${stack.mongoUrl}    SMTP ${stack.smtp.host}:${stack.smtp.port}`,
    );
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
  } catch (err) {
    await stopAll();
    throw err;
  }
}

main().catch((err) => {
  console.error(`npm start failed: ${(err as Error).message}`);
  process.exit(1);
});
