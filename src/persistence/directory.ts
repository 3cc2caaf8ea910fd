/** The directory: member states, people and their roles, and the rotation calendar — all data with validity dates. */
import { Connection, Schema } from 'mongoose';
import { Role } from '../domain/types';
import { directoryEventModel } from './directory-events';

export interface StateDoc {
  _id: string; // ISO 3166 alpha-2 code
  name: { en: string; ru: string };
  timeZone: string;
  admittedOn: string; // YYYY-MM-DD
  leftOn?: string;
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
  summit?: { date: string; city: string; title: string };
}

const stateSchema = new Schema<StateDoc>(
  {
    _id: String,
    name: { en: String, ru: String },
    timeZone: { type: String, required: true },
    admittedOn: { type: String, required: true },
    leftOn: String,
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
    summit: { date: String, city: String, title: String },
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
    async state(code: string): Promise<StateDoc | null> {
      return models.states.findById(code).lean();
    },
    async person(id: string): Promise<PersonDoc | null> {
      return models.people.findById(id).lean();
    },
    async personByEmail(email: string): Promise<PersonDoc | null> {
      return models.people.findOne({ email: email.toLowerCase() }).lean();
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
  };
}
export type Directory = ReturnType<typeof createDirectory>;
