/** A person's email preferences (PersonDoc.notifications): the daily digest, and what they unsubscribed from. */
import type { Directory } from '../persistence/directory';
import type { UnsubscribeClaims } from './links';

type People = Pick<Directory, 'optOut' | 'setDigest'>;

/** Records an unsubscribe (idempotent); false when the person does not exist. */
export async function applyUnsubscribe(people: People, c: UnsubscribeClaims): Promise<boolean> {
  return people.optOut(c.personId, c.topic);
}

/** Turns the daily digest on or off; on also clears an earlier unsubscribe from the digest. False when the person does not exist. */
export async function setDigestPreference(people: People, personId: string, digest: boolean): Promise<boolean> {
  return people.setDigest(personId, digest);
}
