/**
 * When a person's daily digest goes out: the digest workflow sleeps until it, and the email policy asks
 * whether a deadline comes before it (a reminder that would arrive too late is sent on its own instead).
 */
import { addDays, localDateOf, zonedWallTimeToUtc } from './time';

/** The digest goes out at this wall-clock time in the recipient's zone. */
export const DIGEST_LOCAL_TIME = '09:00';

/** The next digest instant strictly after `nowMs`, and its local date (YYYY-MM-DD) in `timeZone`. */
export function nextDigestAt(
  nowMs: number,
  timeZone: string,
  localTime: string = DIGEST_LOCAL_TIME,
): { at: number; date: string } {
  const today = localDateOf(new Date(nowMs), timeZone);
  const at = zonedWallTimeToUtc(today, localTime, timeZone).getTime();
  if (at > nowMs) return { at, date: today };
  const tomorrow = addDays(today, 1);
  return { at: zonedWallTimeToUtc(tomorrow, localTime, timeZone).getTime(), date: tomorrow };
}
