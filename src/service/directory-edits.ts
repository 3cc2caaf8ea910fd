/** The Secretariat's edits of the directory: states, people and the rotation, checked against each other before they are stored. */
import { problems } from '../api/problem';
import type { PersonBody, RotationBody, StateBody } from '../api/schemas';
import { Role } from '../domain/types';
import { isDuplicateKey } from '../persistence/connection';
import type { DirectoryModels, PersonDoc, RotationDoc, StateDoc } from '../persistence/directory';
import { logger } from '../logger';
import type { Actor } from '../domain/types';

export const stateOut = ({ _id, ...s }: StateDoc) => ({ code: _id, ...s });
export const personOut = ({ _id, ...p }: PersonDoc) => ({ id: _id, ...p });
export const rotationOut = ({ _id, ...r }: RotationDoc) => ({ year: _id, ...r });

/** What a create-or-replace stored, and whether it was new. */
export interface Saved<T> {
  created: boolean;
  value: T;
}

const OPTIONAL_PERSON_FIELDS = ['state', 'deputyOf', 'delegation', 'timeZone'] as const;

export function createDirectoryEdits(models: DirectoryModels) {
  return {
    /** Creates or replaces a state; 201 when it is new. */
    async putState(actor: Actor, code: string, body: StateBody): Promise<Saved<ReturnType<typeof stateOut>>> {
      const doc: StateDoc = { _id: code, ...body };
      const existed = await models.states.exists({ _id: code });
      await models.states.replaceOne({ _id: code }, doc, { upsert: true });
      logger.info({ actor: actor.personId, state: code }, 'directory: state saved');
      return { created: !existed, value: stateOut(doc) };
    },

    /** Creates or replaces a person after checking their state, whom a deputy stands in for, and that the email is free. */
    async putPerson(actor: Actor, id: string, body: PersonBody): Promise<Saved<ReturnType<typeof personOut>>> {
      const errors: { field: string; message: string }[] = [];
      if (body.state && !(await models.states.exists({ _id: body.state }))) errors.push({ field: 'state', message: `unknown state ${body.state}` });
      if (body.deputyOf) {
        const rep = await models.people.findById(body.deputyOf).lean();
        if (!rep) errors.push({ field: 'deputyOf', message: `unknown person ${body.deputyOf}` });
        else if (!rep.roles.includes(Role.Representative) || rep.state !== body.state) {
          errors.push({ field: 'deputyOf', message: `${rep.name} is not the Special Representative of ${body.state}` });
        }
      }
      const email = body.email.toLowerCase();
      const holder = await models.people.findOne({ email }).lean();
      if (holder && holder._id !== id) errors.push({ field: 'email', message: `already used by ${holder._id}` });
      if (errors.length) throw problems.invalid(errors);
      const doc: PersonDoc = { _id: id, ...body, email };
      // The directory's fields are replaced whole; other fields of the person (email preferences) are kept.
      const unset = Object.fromEntries(OPTIONAL_PERSON_FIELDS.filter((k) => body[k] === undefined).map((k) => [k, 1]));
      const existed = await models.people.exists({ _id: id });
      try {
        await models.people.updateOne({ _id: id }, { $set: { ...body, email }, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, { upsert: true });
        logger.info({ actor: actor.personId, person: id }, 'directory: person saved');
        return { created: !existed, value: personOut(doc) };
      } catch (err) {
        if (isDuplicateKey(err)) throw problems.invalid([{ field: 'email', message: 'already used by another person' }]);
        throw err;
      }
    },

    /** Creates or replaces a chairmanship period; periods of different years may not overlap. */
    async putRotation(actor: Actor, year: number, body: RotationBody): Promise<Saved<ReturnType<typeof rotationOut>>> {
      const errors: { field: string; message: string }[] = [];
      if (!(await models.states.exists({ _id: body.chairState }))) errors.push({ field: 'chairState', message: `unknown state ${body.chairState}` });
      const overlapping = await models.rotation.findOne({ _id: { $ne: year }, from: { $lte: body.to }, to: { $gte: body.from } }).lean();
      if (overlapping) errors.push({ field: 'from', message: `overlaps ${overlapping._id} (${overlapping.from} to ${overlapping.to}, chair ${overlapping.chairState})` });
      if (errors.length) throw problems.invalid(errors);
      const doc: RotationDoc = { _id: year, ...body };
      const existed = await models.rotation.exists({ _id: year });
      await models.rotation.replaceOne({ _id: year }, doc, { upsert: true });
      logger.info({ actor: actor.personId, year }, 'directory: rotation saved');
      return { created: !existed, value: rotationOut(doc) };
    },
  };
}
export type DirectoryEdits = ReturnType<typeof createDirectoryEdits>;
