/**
 * The chairmanship rotation seen from a day: whether a Chair is entered for now and for the period that follows.
 * The rotation calendar is typed in by the Secretariat a year at a time; a year left out means escalations and
 * objections reach no Chair, so the Secretariat is warned ahead of the rotation date.
 */

/** How long before the rotation date a missing next Chair is announced to the Secretariat. */
export const ROTATION_WARNING_DAYS = 90;

export interface ChairPeriod {
  /** The chairmanship year. */
  year: number;
  chairState: string;
  /** First and last day, YYYY-MM-DD, at the Secretariat's seat. */
  from: string;
  to: string;
}

/** What is missing: no Chair today, or none from the coming rotation date (in `daysLeft` days). */
export type RotationGap = { year: number; from: string; daysLeft: number };

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The gap in the rotation calendar the Secretariat should fill, as of `today`; undefined when none is near. */
export function rotationGap(
  periods: readonly ChairPeriod[],
  today: string,
  warnDays = ROTATION_WARNING_DAYS,
): RotationGap | undefined {
  const covering = (day: string) => periods.find((p) => p.from <= day && day <= p.to);
  const current = covering(today);
  if (!current) return { year: Number(today.slice(0, 4)), from: today, daysLeft: 0 };
  const next = dayAfter(current.to);
  const daysLeft = dayNumber(next) - dayNumber(today);
  if (daysLeft > warnDays || covering(next)) return undefined;
  return { year: Number(next.slice(0, 4)), from: next, daysLeft };
}
