/**
 * `npm run start:cluster`: the production-like cluster (src/stack/cluster.ts) with two workers, two mailers
 * and two APIs, then the Tashkent 2025 data set, as `npm start` does on the embedded stack. Data stays in
 * CLUSTER_DIR (default: summit-followup-cluster in the system's temporary folder) across restarts.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { startCluster, type Cluster } from '../stack/cluster';
import { TEMPORAL_SERVICES } from '../stack/cluster-temporal';
import { portFrom, stopOnSignal } from './main';
import { seedAndWelcome } from './welcome';

function instancesFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 2;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`CLUSTER_INSTANCES=${raw} is not a count from 1 to 8`);
  return n;
}

async function main() {
  const started = Date.now();
  const dataDir = path.resolve(process.env.CLUSTER_DIR ?? path.join(os.tmpdir(), 'summit-followup-cluster'));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`starting the cluster in ${dataDir} …`);
  let cluster: Cluster | undefined;
  stopOnSignal(async () => cluster?.stop(), log);
  cluster = await startCluster({
    dataDir,
    ports: {
      temporal: portFrom('TEMPORAL_PORT', 7233),
      mongo: portFrom('MONGO_PORT', 27017),
      smtp: portFrom('SMTP_PORT', 1025),
      mailWeb: portFrom('MAIL_WEB_PORT', 1080),
      api: portFrom('API_PORT', 3000),
    },
    instances: instancesFrom(process.env.CLUSTER_INSTANCES),
  });
  const processes = [
    'postgres',
    ...TEMPORAL_SERVICES.map((s) => `temporal-${s}`),
    'ferretdb',
    'maildev',
    ...cluster.apps.flatMap((_, i) => [`worker-${i + 1}`, `mailer-${i + 1}`, `api-${i + 1}`]),
  ];
  log(
    `${processes.length} processes ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${processes.join(', ')}`,
  );
  try {
    await seedAndWelcome({
      env: cluster.env,
      dataDir,
      apiUrl: cluster.apiUrl,
      servers: [
        `API processes   ${cluster.apiUrls.join(', ')} (behind ${cluster.apiUrl}, in turn)`,
        `Email inbox     ${cluster.mailWebUrl}/index.html`,
        `Temporal        ${cluster.temporalAddress} (frontend; history, matching, worker apart), on PostgreSQL 127.0.0.1:${cluster.postgres.port}`,
        `MongoDB         ${cluster.mongoUrl} (FerretDB on PostgreSQL)    SMTP ${cluster.smtp.host}:${cluster.smtp.port}`,
        `Logs            ${path.join(dataDir, 'logs')} and ${path.join(dataDir, 'app-N', 'logs')}`,
      ],
      log,
    });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

main().catch((err) => {
  console.error(`npm run start:cluster failed: ${(err as Error).message}`);
  process.exit(1);
});
