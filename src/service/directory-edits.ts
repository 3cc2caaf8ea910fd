/**
 * Every write of the directory: the Secretariat's edits (API and web forms), the summit file importer,
 * and revocations of a person's credentials. Edits are checked against each other before they are stored;
 * each change is appended to the directory trail (directory_events) with the entry before and after.
 *
 * Credentials follow the person, not the post: when a person's email or state changes, or a role is taken
 * from them, everything they could sign in or act with is void from that moment (credentialsRevokedAt, set
 * in the same update as the change), and their tokens, sessions, calendar feeds and unused sign-in links
 * are revoked or deleted so listings show it.
 */
import { appErrors } from '../app/errors';
import { validateCalendarEdits, type CalendarEdits } from '../calendar/holidays';
import type { z } from 'zod';
import {
  personResponse,
  rotationResponse,
  stateResponse,
  type PersonBody,
  type RotationBody,
  type StateBody,
} from '../app/schemas';
import { forgetPerson, forgetTokensOf } from '../app/credential-cache';
import { Role } from '../domain/types';
import type { Actor } from '../domain/types';
import type { CredentialsRepository, RevokedCredentials } from '../persistence/credentials';
import type { Directory, PersonDoc, RotationDoc, StateDoc } from '../persistence/directory';
import { DirectoryEventDoc, DirectoryEventSource, DirectoryEventType } from '../persistence/directory-events';
import { logger } from '../logger';

/**
 * An entry with the fields its response schema documents and no other: what a person stores for themselves
 * (email choices) and the credential rule's time never leave this way. Stored entries were validated when
 * written, so nothing is checked again here.
 */
function documented<S extends z.ZodObject>(schema: S, entry: Record<string, unknown>): z.output<S> {
  return Object.fromEntries(
    Object.keys(schema.shape)
      .filter((k) => entry[k] !== undefined)
      .map((k) => [k, entry[k]]),
  ) as z.output<S>;
}
export const stateOut = ({ _id, ...s }: StateDoc) => documented(stateResponse, { code: _id, ...s });
export const personOut = ({ _id, ...p }: PersonDoc) => documented(personResponse, { id: _id, ...p });
export const rotationOut = ({ _id, ...r }: RotationDoc) => documented(rotationResponse, { year: _id, ...r });

/** What a create-or-replace stored, and whether it was new. */
export interface Saved<T> {
  created: boolean;
  value: T;
}

/** When a revocation voided a person's credentials, and how many of each it ended. */
export interface Revocation extends RevokedCredentials {
  revokedAt: string;
}

/** A person's directory fields (what the Secretariat and the importer write; preferences and the credential rule are kept apart). */
export type PersonFields = Omit<PersonDoc, '_id' | 'notifications' | 'credentialsRevokedAt'>;

const PERSON_FIELDS = ['name', 'email', 'roles', 'state', 'deputyOf', 'delegation', 'locale', 'timeZone'] as const;
const OPTIONAL_PERSON_FIELDS = ['state', 'deputyOf', 'delegation', 'timeZone'] as const;

function personFieldsOf(p: PersonFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of PERSON_FIELDS) if (p[k] !== undefined) out[k] = p[k];
  return out;
}

/** An entry's fields: the trail names the entry in `subject`. */
function withoutId<T extends { _id: unknown }>(doc: T): Omit<T, '_id'> {
  const { _id: _omitted, ...fields } = doc;
  return fields;
}

/** Top-level fields that differ (order of keys aside). */
function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after[k])).sort();
}

/** Why an edit voids the person's credentials: a new address, state or fewer roles mean another holder or another authority. */
export function revocationReason(before: PersonDoc, after: PersonFields): string | undefined {
  const reasons: string[] = [];
  if (before.email !== after.email) reasons.push(`email changed from ${before.email} to ${after.email}`);
  const removed = before.roles.filter((r) => !after.roles.includes(r));
  if (removed.length) reasons.push(`role removed: ${removed.join(', ')}`);
  if (before.state && before.state !== after.state)
    reasons.push(`state changed from ${before.state} to ${after.state ?? 'none'}`);
  return reasons.length ? reasons.join('; ') : undefined;
}

/** What the edits read and write: the directory with its trail, and the person's credentials. */
export interface DirectoryEditStores {
  directory: Directory;
  credentials: CredentialsRepository;
}

/** The field of the calendar body a problem is about, by the word its sentence names. */
function calendarFieldOf(message: string): string {
  const lower = message.toLowerCase();
  return (
    (['workingDays', 'removed', 'added', 'weekend'] as const).find((f) =>
      lower.includes(f.toLowerCase().replace('workingdays', 'working')),
    ) ?? 'weekend'
  );
}

export function createDirectoryEdits({ directory, credentials }: DirectoryEditStores) {
  /** The credential cache's key (src/app/credential-cache.ts). */
  const tokens = credentials.tokenStore;

  /**
   * Appends to the trail after the change it records. Without transactions the two writes can be split by
   * a failure; the change is then logged in full and the caller gets the error (a retry that changes
   * nothing records nothing, so the log line is the record).
   */
  async function record(event: Omit<DirectoryEventDoc, '_id'>): Promise<void> {
    try {
      await directory.appendEvent(event);
    } catch (err) {
      logger.error({ err: (err as Error).message, event }, 'directory trail: change stored but not recorded');
      throw err;
    }
  }

  const who = (actor: Actor) => ({ personId: actor.personId, name: actor.name });
  // An import writes every entry of the file on each run (npm start re-imports): one line each would drown the log; the trail has the changes.
  const note = (source: DirectoryEventSource, fields: Record<string, unknown>, msg: string) =>
    source === 'import' ? logger.debug(fields, msg) : logger.info(fields, msg);

  /** Revokes or deletes every credential document of a person issued up to `at` (the rule already voids them). */
  async function revokeDocuments(personId: string, at: Date): Promise<RevokedCredentials> {
    const counts = await credentials.revokeAllOf(personId, at);
    await forgetTokensOf(tokens, personId);
    return counts;
  }

  /** After credentialsRevokedAt was set to `at`: revokes the documents and records the revocation. */
  async function revoked(
    actor: Actor,
    person: PersonDoc,
    at: Date,
    reason: string,
    source: DirectoryEventSource,
  ): Promise<Revocation> {
    const counts = await revokeDocuments(person._id, at);
    const result = { revokedAt: at.toISOString(), ...counts };
    await record({
      at,
      type: DirectoryEventType.CredentialsRevoked,
      subject: person._id,
      actor: who(actor),
      source,
      changed: ['credentialsRevokedAt'],
      before: { credentialsRevokedAt: person.credentialsRevokedAt ?? null },
      after: {
        credentialsRevokedAt: at,
        tokens: counts.tokens,
        sessions: counts.sessions,
        calendarFeeds: counts.calendarFeeds,
        signInLinks: counts.signInLinks,
      },
      reason,
    });
    logger.info({ actor: actor.personId, person: person._id, reason, ...counts }, 'directory: credentials revoked');
    return result;
  }

  /** Records a save that created an entry or changed a field of it; one that changed nothing is not a change. */
  async function saved(
    actor: Actor,
    source: DirectoryEventSource,
    change: {
      type: DirectoryEventType;
      subject: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown>;
      at?: Date;
      reason?: string;
    },
  ): Promise<void> {
    const changed = changedFields(change.before, change.after);
    if (change.before && !changed.length) return;
    const { at = new Date(), reason, ...rest } = change;
    await record({ ...rest, at, actor: who(actor), source, changed, ...(reason ? { reason } : {}) });
  }

  /** Stores a state and records the change. */
  async function saveState(
    actor: Actor,
    code: string,
    fields: Omit<StateDoc, '_id'>,
    source: DirectoryEventSource,
  ): Promise<Saved<ReturnType<typeof stateOut>>> {
    const doc: StateDoc = { _id: code, ...fields };
    const before = await directory.replaceState(doc);
    await saved(actor, source, {
      type: DirectoryEventType.StateSaved,
      subject: code,
      before: before && withoutId(before),
      after: withoutId(doc),
    });
    note(source, { actor: actor.personId, state: code }, 'directory: state saved');
    return { created: !before, value: stateOut(doc) };
  }

  /**
   * Stores a person's directory fields (email preferences and credentialsRevokedAt are kept), voiding their
   * credentials in the same update when the change calls for it, and records the change.
   */
  async function savePerson(
    actor: Actor,
    id: string,
    input: PersonFields,
    source: DirectoryEventSource,
  ): Promise<Saved<ReturnType<typeof personOut>>> {
    const fields: PersonFields = { ...input, email: input.email.toLowerCase() };
    const before = await directory.person(id);
    const at = new Date();
    const reason = before ? revocationReason(before, fields) : undefined;
    const set = { ...personFieldsOf(fields), ...(reason ? { credentialsRevokedAt: at } : {}) };
    const unset = OPTIONAL_PERSON_FIELDS.filter((k) => fields[k] === undefined);
    if (!(await directory.writePerson(id, { set, unset })))
      throw appErrors.invalid([{ field: 'email', message: 'already used by another person' }]);
    forgetPerson(tokens, id);
    await saved(actor, source, {
      type: DirectoryEventType.PersonSaved,
      subject: id,
      before: before && personFieldsOf(before),
      after: personFieldsOf(fields),
      at,
      reason,
    });
    note(source, { actor: actor.personId, person: id }, 'directory: person saved');
    if (before && reason) await revoked(actor, before, at, reason, source);
    const stored = (await directory.person(id)) ?? { _id: id, ...fields };
    return { created: !before, value: personOut(stored) };
  }

  /** Stores a chairmanship period and records the change. */
  async function saveRotation(
    actor: Actor,
    year: number,
    fields: Omit<RotationDoc, '_id'>,
    source: DirectoryEventSource,
  ): Promise<Saved<ReturnType<typeof rotationOut>>> {
    const doc: RotationDoc = { _id: year, ...fields };
    const before = await directory.replaceRotation(doc);
    await saved(actor, source, {
      type: DirectoryEventType.RotationSaved,
      subject: String(year),
      before: before && withoutId(before),
      after: withoutId(doc),
    });
    note(source, { actor: actor.personId, year }, 'directory: rotation saved');
    return { created: !before, value: rotationOut(doc) };
  }

  return {
    /** Creates or replaces a state; 201 when it is new. */
    async putState(actor: Actor, code: string, body: StateBody): Promise<Saved<ReturnType<typeof stateOut>>> {
      // The state's calendar is edited on its own (putCalendar): a state's edit keeps it.
      const calendar = (await directory.state(code))?.calendar;
      return saveState(actor, code, { ...body, ...(calendar ? { calendar } : {}) }, 'edit');
    },

    /** Replaces the Secretariat's edits of a state's working calendar, after checking every one of them. */
    async putCalendar(actor: Actor, code: string, edits: CalendarEdits): Promise<ReturnType<typeof stateOut>> {
      const state = await directory.state(code);
      if (!state) throw appErrors.notFound(`state ${code}`);
      const problems = validateCalendarEdits(edits);
      if (problems.length)
        throw appErrors.invalid(problems.map((message) => ({ field: calendarFieldOf(message), message })));
      const { _id, ...fields } = state;
      void _id;
      return (await saveState(actor, code, { ...fields, calendar: edits }, 'edit')).value;
    },

    /** Creates or replaces a person after checking their state, whom a deputy stands in for, and that the email is free. */
    async putPerson(actor: Actor, id: string, body: PersonBody): Promise<Saved<ReturnType<typeof personOut>>> {
      const errors: { field: string; message: string }[] = [];
      if (body.state && !(await directory.stateExists(body.state)))
        errors.push({ field: 'state', message: `unknown state ${body.state}` });
      if (body.deputyOf) {
        const rep = await directory.person(body.deputyOf);
        if (!rep) errors.push({ field: 'deputyOf', message: `unknown person ${body.deputyOf}` });
        else if (!rep.roles.includes(Role.Representative) || rep.state !== body.state) {
          errors.push({ field: 'deputyOf', message: `${rep.name} is not the Special Representative of ${body.state}` });
        }
      }
      const email = body.email.toLowerCase();
      const holder = await directory.personByEmail(email);
      if (holder && holder._id !== id) errors.push({ field: 'email', message: `already used by ${holder._id}` });
      if (errors.length) throw appErrors.invalid(errors);
      return savePerson(actor, id, { ...body, email }, 'edit');
    },

    /** Creates or replaces a chairmanship period; periods of different years may not overlap. */
    async putRotation(actor: Actor, year: number, body: RotationBody): Promise<Saved<ReturnType<typeof rotationOut>>> {
      const errors: { field: string; message: string }[] = [];
      if (!(await directory.stateExists(body.chairState)))
        errors.push({ field: 'chairState', message: `unknown state ${body.chairState}` });
      const overlapping = await directory.overlappingRotation(year, body.from, body.to);
      if (overlapping)
        errors.push({
          field: 'from',
          message: `overlaps ${overlapping._id} (${overlapping.from} to ${overlapping.to}, chair ${overlapping.chairState})`,
        });
      if (errors.length) throw appErrors.invalid(errors);
      return saveRotation(actor, year, body, 'edit');
    },

    /**
     * The summit file importer's writes: the file was validated as a whole, and is recorded like any edit. What
     * a file does not hold is kept: a state's calendar edits, a person's own time zone.
     */
    async importState(actor: Actor, code: string, fields: Omit<StateDoc, '_id'>) {
      const calendar = (await directory.state(code))?.calendar;
      return saveState(actor, code, { ...fields, ...(calendar ? { calendar } : {}) }, 'import');
    },
    async importPerson(actor: Actor, id: string, fields: PersonFields) {
      const timeZone = (await directory.person(id))?.timeZone;
      return savePerson(actor, id, { ...fields, ...(timeZone && !fields.timeZone ? { timeZone } : {}) }, 'import');
    },
    importRotation: (actor: Actor, year: number, fields: Omit<RotationDoc, '_id'>) =>
      saveRotation(actor, year, fields, 'import'),

    /** A person's own language and time zone (none: their state's), recorded as their own change. */
    async saveOwnSettings(actor: Actor, settings: { locale: PersonDoc['locale']; timeZone?: string }): Promise<void> {
      const person = await directory.person(actor.personId);
      if (!person) throw appErrors.notFound(`person ${actor.personId}`);
      const { _id, notifications: _n, credentialsRevokedAt: _c, ...fields } = person;
      (void _n, void _c);
      await savePerson(actor, _id, { ...fields, locale: settings.locale, timeZone: settings.timeZone }, 'self');
    },

    /**
     * Voids every credential of a person issued until now: the Secretariat's "sign out everywhere" on
     * anyone (source 'edit'), or the person's own (source 'self'). 404 when there is no such person.
     */
    async revokeCredentials(
      actor: Actor,
      personId: string,
      reason: string,
      source: DirectoryEventSource,
    ): Promise<Revocation> {
      const person = await directory.person(personId);
      if (!person) throw appErrors.notFound(`person ${personId}`);
      const at = new Date();
      await directory.voidCredentials(personId, at);
      forgetPerson(tokens, personId);
      return revoked(actor, person, at, reason, source);
    },
  };
}
export type DirectoryEdits = ReturnType<typeof createDirectoryEdits>;
