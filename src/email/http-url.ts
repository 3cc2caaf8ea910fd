/**
 * The one rule for links that people supply (a draft's link): an absolute http:// or https:// address with a
 * host, without spaces or control characters. The API refuses anything else at the door (schemas.ts httpUrl);
 * the email and calendar renderers ask again before they write a link, because stored values may predate the
 * rule (issue 12: drafts once accepted javascript:, data:, vbscript: and file: links).
 */
const HTTP_URL = /^https?:\/\/[^\s\u0000-\u001f\u007f-\u009f]+$/i;

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !HTTP_URL.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
