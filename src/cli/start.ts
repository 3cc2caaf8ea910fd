/**
 * `npm start`: the embedded stack (Temporal dev server, FerretDB, MailDev), the worker, the mailer and the API,
 * then the Tashkent 2025 data set; prints where everything is and how to sign in. Ctrl-C stops it all.
 */
import * as path from 'node:path';
import { ensureLocalSecret } from '../seed/accounts';
import { startApplication } from '../stack/application';
import { startEmbeddedStack, StackPorts } from '../stack/embedded';
import { assertPortFree } from '../stack/ports';
import { portFrom, stopOnSignal } from './main';
import { seedAndWelcome } from './welcome';

const ROOT = path.resolve(__dirname, '..', '..');

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
  stopOnSignal(stopAll, log);

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

    await seedAndWelcome({
      env,
      dataDir,
      apiUrl,
      servers: [
        `Temporal UI     ${stack.temporalUiUrl}`,
        `Email inbox     ${stack.mailWebUrl}/index.html`,
        `Temporal        ${stack.temporalAddress}    MongoDB (FerretDB) ${stack.mongoUrl}    SMTP ${stack.smtp.host}:${stack.smtp.port}`,
      ],
      log,
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
}

main().catch((err) => {
  console.error(`npm start failed: ${(err as Error).message}`);
  process.exit(1);
});
