/** The time zone an email is written in: the person's own, else their state's, else the Secretariat's. */
import type { Directory, PersonDoc } from '../persistence/directory';

export async function timeZoneOf(
  directory: Pick<Directory, 'state'>,
  person: Pick<PersonDoc, 'timeZone' | 'state'>,
  fallback: string,
): Promise<string> {
  if (person.timeZone) return person.timeZone;
  const state = person.state ? await directory.state(person.state) : null;
  return state?.timeZone ?? fallback;
}

/** The domain of the sender's address (`Name <x@domain>` or `x@domain`), for Message-IDs and calendar UIDs. */
export function mailDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m ? m[1].toLowerCase() : 'summit-followup.local';
}

/** The bare address of the sender (`Name <x@domain>` or `x@domain`): the ORGANIZER of calendar events. */
export function mailAddress(from: string): string {
  return (/<([^>]+)>\s*$/.exec(from)?.[1] ?? from).trim();
}
