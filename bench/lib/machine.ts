/** The machine and the software a run measured: what docs/performance.md names next to the figures. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadClusterToolPaths } from '../../src/stack/cluster-tools';
import { HISTORY_SHARDS } from '../../src/stack/cluster-temporal';
import { loadToolPaths } from '../../src/stack/tools';
import type { StackKind } from './stacks';

const ROOT = path.resolve(__dirname, '..', '..');

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tools: Record<string, string>;
  packages: Record<string, string>;
}

function packageVersion(name: string): string {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'not installed';
  }
}

/** The first line a tool prints for --version, or what the tool list says. */
function toolVersion(bin: string, fallback: string): string {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).split('\n')[0].trim();
  } catch {
    return fallback;
  }
}

/** The servers each stack runs, with their versions. */
function stackTools(stack: StackKind): Record<string, string> {
  const tools = loadToolPaths();
  if (stack === 'embedded')
    return {
      'Temporal CLI (dev server)': `${tools.versions.temporal}: ${toolVersion(tools.temporal, tools.versions.temporal)}`,
      FerretDB: `${tools.versions.ferretdb} (SQLite backend)`,
      MailDev: packageVersion('maildev'),
    };
  const cluster = loadClusterToolPaths();
  return {
    'Temporal server': `${cluster.clusterVersions.temporalServer}: frontend, history, matching and worker as four processes, ${HISTORY_SHARDS} history shards, persistence and visibility on PostgreSQL`,
    PostgreSQL: toolVersion(path.join(cluster.postgresBin, 'postgres'), cluster.clusterVersions.postgres),
    FerretDB: `${tools.versions.ferretdb} (PostgreSQL backend)`,
    MailDev: packageVersion('maildev'),
  };
}

export function machineInfo(stack: StackKind): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    tools: stackTools(stack),
    packages: Object.fromEntries(
      ['@temporalio/client', '@temporalio/worker', 'mongoose', 'mongodb', 'express', 'nodemailer'].map((p) => [
        p,
        packageVersion(p),
      ]),
    ),
  };
}
