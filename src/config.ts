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
  /**
   * Activities one worker runs at once. Each writes to MongoDB in short steps; far more writers than
   * the database can serve at once only queue there (FerretDB's SQLite takes one writer at a time).
   */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(16),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Signs email action links and derives seeded credentials; or APP_SECRET_FILE (npm start: the data folder's secret). */
  APP_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  APP_SECRET_FILE: z.string().min(1).optional(),
  SESSION_TTL_MS: positiveMs.default(8 * 3_600_000),
  /** A session unused this long is closed, whatever its absolute expiry (SESSION_TTL_MS). */
  SESSION_IDLE_MS: positiveMs.default(30 * 60_000),
  /**
   * Bearer secret for /metrics and the detail of /readyz (which dependency is down). Unset: /metrics answers
   * 404 and /readyz only its status code.
   */
  OPERATOR_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
  MAGIC_LINK_TTL_MS: positiveMs.default(15 * 60_000),
  /** When set, every API token created expires within this many days (and by default after exactly that many). Unset: tokens last until revoked unless created with an expiry. */
  API_TOKEN_MAX_TTL_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  /** Live (unrevoked, unexpired) API tokens one person may hold; one more is refused with 409. */
  API_TOKENS_PER_PERSON: z.coerce.number().int().min(1).max(1000).default(20),
  /** Per 15 minutes: sign-in emails to one address, and sign-in requests from one IP address. */
  RATE_LIMIT_SIGNIN_PER_EMAIL: z.coerce.number().int().positive().default(5),
  RATE_LIMIT_SIGNIN_PER_IP: z.coerce.number().int().positive().default(100),
  /** Per minute and person: acts on initiatives. */
  RATE_LIMIT_ACTS_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** Behind a reverse proxy: how many hops of X-Forwarded-For to trust for client addresses. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
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
