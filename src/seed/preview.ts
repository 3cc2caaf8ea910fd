/**
 * What loading a summit file would change, read before anything is written: the web import shows it to the
 * Secretariat and starts nothing until they confirm. It compares what the importer writes (src/seed/load.ts)
 * with what the directory holds, field by field, and names the initiatives it would start.
 */
import type { PersonDoc, RotationDoc, StateDoc } from '../persistence/directory';
import { revocationReason } from '../service/directory-edits';
import type { SummitFile } from './summit-file';

export interface FieldChange {
  /** The field, dotted for nested ones: "name.ru", "summit.title". */
  field: string;
  before?: string;
  after?: string;
}

export interface EntryChange {
  key: string;
  /** A person's name, a state's English name, a rotation year. */
  label: string;
  change: 'new' | 'changed';
  fields: FieldChange[];
  /** A person's credentials the change voids (email, state changed or a role taken away): the previous holder's. */
  voidsCredentials?: boolean;
}

export interface Section {
  changes: EntryChange[];
  unchanged: number;
}

export interface ImportPreview {
  summit: SummitFile['summit'];
  states: Section;
  rotation: Section;
  people: Section;
  initiatives: { toStart: { id: string; title: string; titleRu?: string }[]; running: { id: string; title: string }[] };
}

/** What the preview reads: one directory entry by its key, and whether an initiative's workflow exists. */
export interface PreviewReads {
  state(code: string): Promise<StateDoc | null>;
  rotationOf(year: number): Promise<RotationDoc | null>;
  person(id: string): Promise<PersonDoc | null>;
  initiativeExists(id: string): Promise<boolean>;
}

/** A value as the preview shows it: nested objects flattened to dotted fields, lists joined. */
function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) out[prefix] = value.join(', ');
  else if (typeof value === 'object')
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = String(value);
  return out;
}

/** The fields that differ between what is stored and what the file writes (both as the importer writes them). */
function fieldChanges(before: object | null, after: object): FieldChange[] {
  const b = flatten(before ?? {});
  const a = flatten(after);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => b[k] !== a[k])
    .sort()
    .map((field) => ({
      field,
      ...(b[field] === undefined ? {} : { before: b[field] }),
      ...(a[field] === undefined ? {} : { after: a[field] }),
    }));
}

/** `f` of every item, a few at a time: a file may name 10,000 people, each a read. */
async function mapFewAtATime<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += READS_AT_ONCE)
    out.push(...(await Promise.all(items.slice(i, i + READS_AT_ONCE).map(f))));
  return out;
}
const READS_AT_ONCE = 8;

async function section<E>(
  entries: readonly E[],
  compare: (e: E) => Promise<EntryChange | undefined>,
): Promise<Section> {
  const changes = (await mapFewAtATime(entries, compare)).filter((c): c is EntryChange => c !== undefined);
  return { changes, unchanged: entries.length - changes.length };
}

const entry = (key: string, label: string, before: object | null, after: object): EntryChange | undefined => {
  const fields = fieldChanges(before, after);
  if (before && fields.length === 0) return undefined;
  return { key, label, change: before ? 'changed' : 'new', fields };
};

/** The fields of `o` the importer writes, for comparing stored and file entries alike. */
const pick = (o: object, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));

// What the importer writes of each entry: a state's calendar edits and a person's own time zone and email
// preferences are not the file's to change, and it keeps them.
const STATE_FIELDS = ['name', 'timeZone', 'admittedOn', 'leftOn'] as const;
const ROTATION_FIELDS = ['chairState', 'from', 'to', 'summit'] as const;
const PERSON_FIELDS = ['name', 'email', 'roles', 'state', 'deputyOf', 'delegation', 'locale'] as const;

/** What the file would change; reads only. */
export async function previewSummit(file: SummitFile, reads: PreviewReads): Promise<ImportPreview> {
  const states = await section(file.states, async (s) => {
    const stored = await reads.state(s.code);
    return entry(s.code, s.name.en, stored && pick(stored, STATE_FIELDS), pick(s, STATE_FIELDS));
  });
  const rotation = await section(file.rotation, async (r) => {
    const stored = await reads.rotationOf(r.year);
    return entry(String(r.year), String(r.year), stored && pick(stored, ROTATION_FIELDS), pick(r, ROTATION_FIELDS));
  });
  const people = await section(file.people, async (p) => {
    const stored = await reads.person(p.id);
    const fields = { ...p, email: p.email.toLowerCase() };
    const change = entry(p.id, p.name, stored && pick(stored, PERSON_FIELDS), pick(fields, PERSON_FIELDS));
    return change && stored && revocationReason(stored, fields) ? { ...change, voidsCredentials: true } : change;
  });
  const exists = await mapFewAtATime(file.initiatives, async (i) => ({
    i,
    exists: await reads.initiativeExists(i.id),
  }));
  return {
    summit: file.summit,
    states,
    rotation,
    people,
    initiatives: {
      toStart: exists
        .filter((x) => !x.exists)
        .map(({ i }) => ({ id: i.id, title: i.title, ...(i.titleRu ? { titleRu: i.titleRu } : {}) })),
      running: exists.filter((x) => x.exists).map(({ i }) => ({ id: i.id, title: i.title })),
    },
  };
}
