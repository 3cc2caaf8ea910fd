/**
 * `npm run -s verify-evidence -- PACK.json --key KEY`: checks an evidence pack offline, with nothing of the
 * deployment but its public key (GET /api/audit-key, base64url, or a file holding it). Exit code 0 when the
 * pack holds, 1 when it does not (the line says what broke and where), 2 when the command was misused.
 */
import * as fs from 'node:fs';
import type { EvidencePack } from '../evidence/pack';
import { isPublicKey, verifyPack } from '../evidence/verify';

const USAGE =
  'usage: npm run -s verify-evidence -- PACK.json --key KEY\n' +
  "  KEY: the deployment's public key (43 characters of base64url, from GET /api/audit-key), or a file holding it";

function keyFrom(arg: string): string | undefined {
  if (isPublicKey(arg)) return arg;
  if (!fs.existsSync(arg)) return undefined;
  const text = fs.readFileSync(arg, 'utf8').trim();
  // The file may hold the key, or GET /api/audit-key's answer.
  if (isPublicKey(text)) return text;
  try {
    const published = (JSON.parse(text) as { publicKey?: unknown }).publicKey;
    return typeof published === 'string' && isPublicKey(published) ? published : undefined;
  } catch {
    return undefined;
  }
}

export function main(argv: string[]): number {
  const at = argv.indexOf('--key');
  const keyArg = at >= 0 ? argv[at + 1] : undefined;
  const rest = at >= 0 ? argv.filter((_, i) => i !== at && i !== at + 1) : argv;
  if (rest.length !== 1 || !keyArg) {
    console.error(USAGE);
    return 2;
  }
  const key = keyFrom(keyArg);
  if (!key) {
    console.error(`not a public key, nor a file holding one: ${keyArg}\n${USAGE}`);
    return 2;
  }
  let pack: EvidencePack;
  try {
    pack = JSON.parse(fs.readFileSync(rest[0], 'utf8')) as EvidencePack;
  } catch (err) {
    console.error(`cannot read ${rest[0]} as JSON: ${(err as Error).message}`);
    return 2;
  }
  const verdict = verifyPack(pack, key);
  for (const line of verdict.checked) console.log(`ok   ${line}`);
  if (!verdict.ok) {
    console.log(`FAIL ${verdict.problem}`);
    return 1;
  }
  console.log(`VERIFIED evidence pack of ${pack.initiative.id} (${pack.initiative.stage})`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
