/** Sign-in for the seeded role accounts: API tokens derived from the data folder's local secret, so every start prints the same ones. */
import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { issueToken, TokenModel } from '../persistence/tokens';

/** The deployment's local secret, generated on first start and kept in the data folder (never in the repository). */
export function ensureLocalSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export function seededToken(secret: string, personId: string): string {
  return `sfu_${createHmac('sha256', secret).update(`seed-token:${personId}`).digest('base64url').slice(0, 32)}`;
}

export async function issueSeedTokens(
  tokens: TokenModel,
  secret: string,
  personIds: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of personIds) {
    const token = seededToken(secret, id);
    await issueToken(tokens, id, 'seeded by npm start', token);
    out.set(id, token);
  }
  return out;
}
