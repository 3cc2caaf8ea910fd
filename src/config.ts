/** Configuration from environment variables, parsed and validated once; a bad variable is named in the error. */
import { z } from 'zod';
import { isValidTimeZone } from './domain/time';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(1).max(65535);
const positiveMs = z.coerce.number().int().positive();
const timeZone = z.string().refine(isValidTimeZone, 'not an IANA time zone');

const schema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('summit-followup'),
  MONGODB_URL: z.string().startsWith('mongodb').default('mongodb://127.0.0.1:27017/summit'),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port.default(1025),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().default('Summit Follow-up <no-reply@summit-followup.example.org>'),
  MAIL_REPLY_TO: z.string().default('secretariat@summit-followup.example.org'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(3000),
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
  SECRETARIAT_TIME_ZONE: timeZone.default('Asia/Tashkent'),
  /** Reminders at 09:00 local time; turn off for demos with deadlines seconds away. */
  REMINDER_ALIGN_LOCAL_TIME: bool.default(true),
  ASSIGNMENT_PERIOD_MS: positiveMs.default(14 * 86_400_000),
  SIGNOFF_PERIOD_MS: positiveMs.default(21 * 86_400_000),
  REDRAFT_PERIOD_MS: positiveMs.default(14 * 86_400_000),
  ESCALATION_INTERVAL_MS: positiveMs.default(3 * 86_400_000),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
