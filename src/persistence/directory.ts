/** The directory: member states, people and their roles, and the rotation calendar — all data with validity dates. */
import { Connection, Schema } from 'mongoose';
import type { CalendarEdits } from '../calendar/holidays';
import { Role } from '../domain/types';
import { isDuplicateKey, upsertRacing } from './connection';
import {
  appendDirectoryEvent,
  directoryEventModel,
  listDirectoryEvents,
  type DirectoryEventDoc,
} from './directory-events';

export interface StateDoc {
  _id: string; // ISO 3166 alpha-2 code
  name: { en: string; ru: string };
  timeZone: string;
  admittedOn: string; // YYYY-MM-DD
  leftOn?: string;
  /** The Secretariat's edits of the state's working calendar, on top of its public holidays (src/calendar/holidays.ts). */
  calendar?: CalendarEdits;
}

export interface PersonDoc {
  _id: string;
  name: string;
  email: string;
  roles: Role[];
  state?: string;
  /** For a deputy: the representative they stand in for, and when. */
  deputyOf?: string;
  delegation?: { from: string; to: string };
  locale: 'en' | 'ru';
  timeZone?: string;
  /** Email preferences: one digest a day instead of one email per item; kinds opted out of by an unsubscribe link ('reminder', 'digest'). Absent on older documents: no digest, nothing opted out. */
  notifications?: { digest: boolean; optOut: string[] };
  /**
   * Every credential of this person issued at or before this time is void: API tokens, sessions, calendar
   * feeds, sign-in links and emailed decision links. Set when the Secretariat changes the person's email,
   * state or takes a role away (a new office holder must not inherit the old one's access), and by
   * "sign out everywhere". See credentialStillValid.
   */
  credentialsRevokedAt?: Date;
}

/**
 * The one rule every credential check applies: a credential issued at or before the person's
 * credentialsRevokedAt is void. Kept as a time rather than only revoking each document, because the
 * person's document is written in one update with the change that causes it (FerretDB has no
 * transactions), so no credential outlives that write, whatever happens to the documents revoked after it.
 */
export function credentialStillValid(person: Pick<PersonDoc, 'credentialsRevokedAt'>, issuedAt: Date): boolean {
  return !person.credentialsRevokedAt || issuedAt.getTime() > person.credentialsRevokedAt.getTime();
}

export interface RotationDoc {
  _id: number; // the chairmanship year
  chairState: string;
  from: string; // YYYY-MM-DD
  to: string;
  summit?: { date: string; city: string; title: string; cityRu?: string; titleRu?: string };
}

const stateSchema = new Schema<StateDoc>(
  {
    _id: String,
    name: { en: String, ru: String },
    timeZone: { type: String, required: true },
    admittedOn: { type: String, required: true },
    leftOn: String,
    calendar: Schema.Types.Mixed,
  },
  { versionKey: false },
);

const personSchema = new Schema<PersonDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    email: { type: String, required: true },
    roles: [String],
    state: String,
    deputyOf: String,
    delegation: { from: String, to: String },
    locale: { type: String, default: 'en' },
    timeZone: String,
    notifications: { digest: { type: Boolean, default: false }, optOut: { type: [String], default: [] } },
    credentialsRevokedAt: Date,
  },
  { versionKey: false },
);
// Recipient resolution: "the representatives of KZ", "the Secretariat".
personSchema.index({ roles: 1, state: 1 });
// Sign-in by email.
personSchema.index({ email: 1 }, { unique: true });

const rotationSchema = new Schema<RotationDoc>(
  {
    _id: Number,
    chairState: { type: String, required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    summit: { date: String, city: String, title: String, cityRu: String, titleRu: String },
  },
  { versionKey: false },
);

export function directoryModels(conn: Connection) {
  return {
    states: conn.model<StateDoc>('State', stateSchema, 'states'),
    people: conn.model<PersonDoc>('Person', personSchema, 'people'),
    rotation: conn.model<RotationDoc>('Rotation', rotationSchema, 'rotation'),
    /** The append-only trail of the three above (and of credential revocations). */
    events: directoryEventModel(conn),
  };
}
export type DirectoryModels = ReturnType<typeof directoryModels>;

/** A person's fields a save writes (`set`) and removes (`unset`); preferences and credentialsRevokedAt are not among them unless named. */
export interface PersonWrite {
  set: Partial<Omit<PersonDoc, '_id'>>;
  unset: (keyof PersonDoc)[];
}

/**
 * The directory's repository: states, people and the rotation calendar, their trail (directory_events),
 * and what a person stores for themself (email preferences). Lists are in `_id` order.
 */
export function createDirectory(models: DirectoryModels) {
  return {
    /** States that are members on the given day (YYYY-MM-DD). */
    async membersOn(day: string): Promise<StateDoc[]> {
      const all = await models.states
        .find({ admittedOn: { $lte: day } })
        .sort({ _id: 1 })
        .lean();
      return all.filter((s) => !s.leftOn || s.leftOn > day);
    },
    /** Every state ever admitted. */
    async states(): Promise<StateDoc[]> {
      return models.states.find().sort({ _id: 1 }).lean();
    },
    async state(code: string): Promise<StateDoc | null> {
      return models.states.findById(code).lean();
    },
    async stateExists(code: string): Promise<boolean> {
      return Boolean(await models.states.exists({ _id: code }));
    },
    async person(id: string): Promise<PersonDoc | null> {
      return models.people.findById(id).lean();
    },
    async personByEmail(email: string): Promise<PersonDoc | null> {
      return models.people.findOne({ email: email.toLowerCase() }).lean();
    },
    /** People, optionally of one state and one role, at most `limit`. */
    async people(filter: { state?: string; role?: Role } = {}, limit: number): Promise<PersonDoc[]> {
      const f: Record<string, string> = {};
      if (filter.state) f.state = filter.state;
      if (filter.role) f.roles = filter.role;
      return models.people.find(f).sort({ _id: 1 }).limit(limit).lean();
    },
    async withRole(role: Role, state?: string): Promise<PersonDoc[]> {
      return models.people
        .find(state ? { roles: role, state } : { roles: role })
        .sort({ _id: 1 })
        .lean();
    },
    /** The chairing state on the given day, looked up when needed so escalations follow the rotation. */
    async chairOn(day: string): Promise<RotationDoc | null> {
      return models.rotation.findOne({ from: { $lte: day }, to: { $gte: day } }).lean();
    },
    /** Every chairmanship period, by year. */
    async rotation(): Promise<RotationDoc[]> {
      return models.rotation.find().sort({ _id: 1 }).lean();
    },
    async rotationOf(year: number): Promise<RotationDoc | null> {
      return models.rotation.findById(year).lean();
    },
    async rotationExists(year: number): Promise<boolean> {
      return Boolean(await models.rotation.exists({ _id: year }));
    },
    /** A period of another year that shares a day with from..to (periods may not overlap). */
    async overlappingRotation(year: number, from: string, to: string): Promise<RotationDoc | null> {
      return models.rotation.findOne({ _id: { $ne: year }, from: { $lte: to }, to: { $gte: from } }).lean();
    },

    /** Creates or replaces a state; returns the entry it replaced (null: created). */
    async replaceState(doc: StateDoc): Promise<StateDoc | null> {
      const before = await models.states.findById(doc._id).lean();
      await models.states.replaceOne({ _id: doc._id }, doc, { upsert: true });
      return before;
    },
    /** Creates or replaces a chairmanship period; returns the entry it replaced (null: created). */
    async replaceRotation(doc: RotationDoc): Promise<RotationDoc | null> {
      const before = await models.rotation.findById(doc._id).lean();
      await models.rotation.replaceOne({ _id: doc._id }, doc, { upsert: true });
      return before;
    },
    /** Creates or updates a person in one write; false when the email belongs to another person (the unique index). */
    async writePerson(id: string, write: PersonWrite): Promise<boolean> {
      const unset = Object.fromEntries(write.unset.map((k) => [k, 1]));
      try {
        await upsertRacing(() =>
          models.people.updateOne(
            { _id: id },
            { $set: write.set, ...(write.unset.length ? { $unset: unset } : {}) },
            { upsert: true },
          ),
        );
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    /** Voids every credential of the person issued at or before `at` (credentialStillValid). */
    async voidCredentials(personId: string, at: Date): Promise<void> {
      await models.people.updateOne({ _id: personId }, { $set: { credentialsRevokedAt: at } });
    },

    /** Records an unsubscribe from `topic` (idempotent); false when the person does not exist. */
    async optOut(personId: string, topic: string): Promise<boolean> {
      const r = await models.people.updateOne({ _id: personId }, { $addToSet: { 'notifications.optOut': topic } });
      return r.matchedCount > 0;
    },
    /** Undoes an unsubscribe from `topic` (idempotent); false when the person does not exist. */
    async optIn(personId: string, topic: string): Promise<boolean> {
      const r = await models.people.updateOne({ _id: personId }, { $pull: { 'notifications.optOut': topic } });
      return r.matchedCount > 0;
    },
    /** Turns the daily digest on or off; on also clears an earlier unsubscribe from the digest. False when the person does not exist. */
    async setDigest(personId: string, digest: boolean): Promise<boolean> {
      const update = digest
        ? { $set: { 'notifications.digest': true }, $pull: { 'notifications.optOut': 'digest' } }
        : { $set: { 'notifications.digest': false } };
      const r = await models.people.updateOne({ _id: personId }, update);
      return r.matchedCount > 0;
    },

    /** Appends one event to the directory's trail. */
    appendEvent: (event: Omit<DirectoryEventDoc, '_id'>) => appendDirectoryEvent(models.events, event),
    /** The trail, newest first, `before` an event id, optionally about one subject. */
    events: (opts: { limit: number; before?: string; subject?: string }) => listDirectoryEvents(models.events, opts),
  };
}
export type Directory = ReturnType<typeof createDirectory>;
