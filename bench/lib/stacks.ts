/**
 * The stack a benchmark run measures: the embedded one `npm start` runs (src/stack/seeded.ts), or the
 * production-like cluster `npm run start:cluster` runs (src/stack/cluster.ts: PostgreSQL, the Temporal
 * server's four services, FerretDB on PostgreSQL, two of each of the worker, the mailer and the API), both
 * on free ports in a folder of their own with the Tashkent directory loaded.
 */
import { freeClusterPorts, startCluster } from '../../src/stack/cluster';
import { ensureLocalSecret } from '../../src/seed/accounts';
import { seedDirectory, startSeededStack } from '../../src/stack/seeded';
import type { Service } from '../../src/stack/service';

export const STACKS = ['embedded', 'cluster'] as const;
export type StackKind = (typeof STACKS)[number];

/** The processes a run reports on, each a group: the cluster runs two of each of ours and four Temporal services. */
export const ROLES = ['worker', 'mailer', 'api', 'temporal', 'ferretdb', 'postgres', 'maildev'] as const;
export type Role = (typeof ROLES)[number];

export interface BenchStack {
  kind: StackKind;
  dataDir: string;
  /** Each API process's own address: the benchmark takes them in turn, as a load balancer would. */
  apiUrls: string[];
  mongoUrl: string;
  mailWebUrl: string;
  /** The environment the worker and the API run with. */
  env: NodeJS.ProcessEnv;
  /** API token of each seeded person, by person id. */
  tokens: Map<string, string>;
  /** The current pids of each role (none for a role the stack does not run). */
  pids(): Record<Role, number[]>;
  stop(): Promise<void>;
}

const pidsOf = (services: Service[]) => services.flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]));

export function stackKind(value: string | undefined): StackKind {
  const kind = value ?? 'embedded';
  if (!(STACKS as readonly string[]).includes(kind))
    throw new Error(`BENCH_STACK is ${kind}: it takes ${STACKS.join(' or ')}`);
  return kind as StackKind;
}

export async function startBenchStack(kind: StackKind, dataDir: string, env: NodeJS.ProcessEnv): Promise<BenchStack> {
  if (kind === 'embedded') {
    const seeded = await startSeededStack({ dataDir, env });
    const { app, stack } = seeded;
    return {
      kind,
      dataDir,
      apiUrls: [seeded.apiUrl],
      mongoUrl: stack.mongoUrl,
      mailWebUrl: stack.mailWebUrl,
      env: seeded.env,
      tokens: seeded.tokens,
      pids: () => ({
        worker: pidsOf([app.services.worker]),
        mailer: pidsOf([app.services.mailer]),
        api: pidsOf([app.services.api]),
        temporal: pidsOf([stack.services.temporal]),
        ferretdb: pidsOf([stack.services.ferretdb]),
        postgres: [],
        maildev: pidsOf([stack.services.maildev]),
      }),
      stop: () => seeded.stop(),
    };
  }
  const cluster = await startCluster({ dataDir, ports: await freeClusterPorts(), env });
  try {
    const tokens = await seedDirectory(cluster.env, ensureLocalSecret(dataDir));
    const { apps, services } = cluster;
    return {
      kind,
      dataDir,
      apiUrls: cluster.apiUrls,
      mongoUrl: cluster.mongoUrl,
      mailWebUrl: cluster.mailWebUrl,
      env: cluster.env,
      tokens,
      pids: () => ({
        worker: pidsOf(apps.map((a) => a.services.worker)),
        mailer: pidsOf(apps.map((a) => a.services.mailer)),
        api: pidsOf(apps.map((a) => a.services.api)),
        temporal: pidsOf(Object.values(services.temporal)),
        ferretdb: pidsOf([services.ferretdb]),
        postgres: pidsOf([services.postgres]),
        maildev: pidsOf([services.maildev]),
      }),
      stop: () => cluster.stop(),
    };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}
