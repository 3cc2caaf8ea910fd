// Locates the pinned external tools installed by scripts/provision-tools.sh.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ToolPaths {
  temporal: string;
  ferretdb: string;
  /** Wrapper script that starts Temporal's Java time-skipping test server; takes the port. */
  testServer: string;
  versions: { temporal: string; ferretdb: string; testServer: string };
}

/** Same rule as provision-tools.sh: SUMMIT_TOOLS_DIR, else $XDG_CACHE_HOME or ~/.cache. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SUMMIT_TOOLS_DIR) return path.resolve(env.SUMMIT_TOOLS_DIR);
  const cache = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(cache, 'summit-followup', 'tools');
}

const HOW_TO_FIX = 'run `npm start` or `npm test` (they provision tools first), or `bash scripts/provision-tools.sh`';

export function loadToolPaths(env: NodeJS.ProcessEnv = process.env): ToolPaths {
  const file = path.join(toolsDir(env), 'paths.json');
  let parsed: ToolPaths;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ToolPaths;
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(err as Error).message})`;
    throw new Error(`the tool list ${file} ${reason}: ${HOW_TO_FIX}`);
  }
  for (const key of ['temporal', 'ferretdb', 'testServer'] as const) {
    const p = parsed[key];
    if (typeof p !== 'string' || !fs.existsSync(p)) {
      throw new Error(`${key} listed in ${file} is not installed (${String(p)}): ${HOW_TO_FIX}`);
    }
  }
  return parsed;
}
