/** The deployment's secret: APP_SECRET, or the file APP_SECRET_FILE names (npm start: the data folder's secret). It signs email links. */
import * as fs from 'node:fs';
import { ConfigError, type Config } from './config';

/** Reads the secret once at start; throws a ConfigError naming the variables when neither is usable. */
export function appSecret(config: Pick<Config, 'APP_SECRET' | 'APP_SECRET_FILE'>): string {
  if (config.APP_SECRET) return config.APP_SECRET;
  if (config.APP_SECRET_FILE) {
    let text: string;
    try {
      text = fs.readFileSync(config.APP_SECRET_FILE, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(
        `invalid configuration:\n  APP_SECRET_FILE: ${config.APP_SECRET_FILE} cannot be read (${(err as Error).message})`,
      );
    }
    if (text.length < 32)
      throw new ConfigError(
        `invalid configuration:\n  APP_SECRET_FILE: ${config.APP_SECRET_FILE} holds fewer than 32 characters`,
      );
    return text;
  }
  throw new ConfigError(
    'invalid configuration:\n  APP_SECRET: required (or APP_SECRET_FILE, a file holding it): it signs email action links',
  );
}

/** The secret when one is configured, else undefined (the worker then sends emails without signed links). */
export function optionalAppSecret(config: Pick<Config, 'APP_SECRET' | 'APP_SECRET_FILE'>): string | undefined {
  return config.APP_SECRET || config.APP_SECRET_FILE ? appSecret(config) : undefined;
}
