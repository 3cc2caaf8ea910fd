/**
 * A deputy decides within the dates of their delegation. The dates are calendar days where the deputy is:
 * a delegation to 31 December ends at midnight in the deputy's own zone, not at midnight UTC.
 */
import { localDateOf } from './time';

export interface Delegated {
  delegation?: { from: string; to: string };
}

/** True when `day` (YYYY-MM-DD, the deputy's local date) lies within the delegation; true when none is set. */
export function delegationCovers(person: Delegated, day: string): boolean {
  return !person.delegation || (person.delegation.from <= day && day <= person.delegation.to);
}

/** The person's calendar day at `now`, in their zone. */
export const dayOf = (now: Date, timeZone: string): string => localDateOf(now, timeZone);
