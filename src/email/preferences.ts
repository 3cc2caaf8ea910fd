/** A person's email preferences (PersonDoc.notifications): the daily digest, and what they unsubscribed from. */
import type { DirectoryModels } from '../persistence/directory';
import type { UnsubscribeClaims } from './links';

type People = DirectoryModels['people'];

/** Records an unsubscribe (idempotent); false when the person does not exist. */
export async function applyUnsubscribe(people: People, c: UnsubscribeClaims): Promise<boolean> {
  const r = await people.updateOne({ _id: c.personId }, { $addToSet: { 'notifications.optOut': c.topic } });
  return r.matchedCount > 0;
}

/** Turns the daily digest on or off; on also clears an earlier unsubscribe from the digest. False when the person does not exist. */
export async function setDigestPreference(people: People, personId: string, digest: boolean): Promise<boolean> {
  const update = digest
    ? { $set: { 'notifications.digest': true }, $pull: { 'notifications.optOut': 'digest' } }
    : { $set: { 'notifications.digest': false } };
  const r = await people.updateOne({ _id: personId }, update);
  return r.matchedCount > 0;
}
