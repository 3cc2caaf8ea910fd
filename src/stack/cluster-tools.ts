// Locates the cluster's pinned tools installed by scripts/provision-cluster.sh (beside those of tools.ts).
import * as fs from 'fs';
import * as path from 'path';
import { loadToolPaths, toolsDir, type ToolPaths } from './tools';

export interface ClusterToolPaths extends ToolPaths {
  temporalServer: string;
  temporalSqlTool: string;
  /** schema/postgresql/v12 of the server's module: temporal/ and visibility/, each with versioned/. */
  temporalSchemaDir: string;
  /** The directory of postgres, initdb and psql. */
  postgresBin: string;
  /** LD_LIBRARY_PATH for a PostgreSQL unpacked from Debian's packages; empty for an installed one. */
  postgresLibraryPath: string;
  clusterVersions: { temporalServer: string; postgres: string };
}

const HOW_TO_FIX = 'run `npm run start:cluster` (it provisions first), or `bash scripts/provision-cluster.sh`';

export function loadClusterToolPaths(env: NodeJS.ProcessEnv = process.env): ClusterToolPaths {
  const file = path.join(toolsDir(env), 'cluster-paths.json');
  let parsed: Omit<ClusterToolPaths, keyof ToolPaths | 'clusterVersions'> & {
    versions: ClusterToolPaths['clusterVersions'];
  };
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof parsed;
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(err as Error).message})`;
    throw new Error(`the cluster's tool list ${file} ${reason}: ${HOW_TO_FIX}`);
  }
  for (const key of ['temporalServer', 'temporalSqlTool', 'temporalSchemaDir', 'postgresBin'] as const) {
    if (!fs.existsSync(parsed[key]))
      throw new Error(`${key} listed in ${file} is not installed (${parsed[key]}): ${HOW_TO_FIX}`);
  }
  const { versions, ...paths } = parsed;
  return { ...loadToolPaths(env), ...paths, clusterVersions: versions };
}
