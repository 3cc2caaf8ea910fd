/** One structured JSON logger for the API, the worker and the Temporal runtime; it never writes a credential found in a URL. */
import pino from 'pino';

/** Path segments whose next segment is a credential: decision links, unsubscribe links, calendar feeds. */
const SECRET_SEGMENT_BEFORE = new Set(['act', 'unsubscribe', 'calendar']);
/** Query parameters that carry credentials (sign-in links, the sign-in form's nonce, a form's CSRF token). */
const SECRET_PARAMS = new Set(['token', 'nonce', '_csrf']);
/** The service's own token formats (API tokens, magic links, calendar feeds), wherever they appear. */
const OWN_TOKEN = /\bsf[umc]_[A-Za-z0-9_-]+/gi;
const REDACTED = '[redacted]';

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A URL (or a path) with every credential in it replaced by [redacted]. Matching ignores case and percent-encoding,
 * as routing does (`/ACT/<token>` reaches the decision link too).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? undefined : url.slice(q + 1);
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    if (SECRET_SEGMENT_BEFORE.has(decoded(segments[i - 1]).toLowerCase()) && segments[i] !== '') segments[i] = REDACTED;
  }
  const safePath = segments.join('/').replace(OWN_TOKEN, REDACTED);
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  const safe = new URLSearchParams();
  for (const [key, value] of params) safe.append(key, SECRET_PARAMS.has(key.toLowerCase()) ? REDACTED : value);
  return `${safePath}?${safe
    .toString()
    .replace(/%5Bredacted%5D/g, REDACTED)
    .replace(OWN_TOKEN, REDACTED)}`;
}

/** Log fields that hold a URL or a path: redacted in every line, whoever logs them. */
const URL_FIELDS = ['url', 'path'] as const;

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'summit-followup' },
  formatters: {
    log(object) {
      for (const field of URL_FIELDS) {
        const v = object[field];
        if (typeof v === 'string') object[field] = redactUrl(v);
      }
      return object;
    },
  },
});
export type Logger = typeof logger;
