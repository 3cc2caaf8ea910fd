/**
 * The summit data file (data/tashkent-2025.json): directory data and the initiatives a summit announced.
 * Its texts follow the API's clean-text rules (singleLine, and startInitiativeBody for initiatives), so a file
 * cannot bring in a control character that a request could not.
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { singleLine, startInitiativeBody, summitOfYear } from '../app/schemas';
import { isValidTimeZone } from '../domain/time';

const day = z.iso.date();
const code = z.string().regex(/^[A-Z]{2}$/);

export const summitFile = z.strictObject({
  summit: z.strictObject({
    id: singleLine(100, 3),
    date: day,
    city: singleLine(100),
    title: singleLine(300),
    titleRu: singleLine(300).optional(),
    cityRu: singleLine(100).optional(),
    source: singleLine(500, 0),
  }),
  states: z
    .array(
      z.strictObject({
        code,
        name: z.strictObject({ en: singleLine(100), ru: singleLine(100) }),
        timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone'),
        admittedOn: day,
        leftOn: day.optional(),
      }),
    )
    .max(100)
    .default([]),
  rotation: z
    .array(
      z.strictObject({
        year: z.number().int().min(2000).max(2200),
        chairState: code,
        from: day,
        to: day,
        summit: summitOfYear.optional(),
      }),
    )
    .max(500)
    .default([]),
  people: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/),
        name: singleLine(200),
        email: z.email().max(254),
        roles: z.array(z.enum(['secretariat', 'representative', 'deputy', 'official', 'chair', 'parliament'])).min(1),
        state: code.optional(),
        deputyOf: singleLine(80).optional(),
        delegation: z.strictObject({ from: day, to: day }).optional(),
        locale: z.enum(['en', 'ru']).default('en'),
      }),
    )
    .max(10_000)
    .default([]),
  initiatives: z
    .array(startInitiativeBody.required({ id: true }))
    .max(1000)
    .default([]),
});
export type SummitFile = z.infer<typeof summitFile>;

export const MAX_SUMMIT_FILE_BYTES = 5 * 1024 * 1024;

export class SummitFileError extends Error {}

/** Reads and validates a summit file; every problem is named with its path in the file. */
export async function readSummitFile(path: string): Promise<SummitFile> {
  const info = await stat(path).catch(() => null);
  if (!info || !info.isFile()) throw new SummitFileError(`${path}: no such file`);
  if (info.size > MAX_SUMMIT_FILE_BYTES)
    throw new SummitFileError(`${path}: ${info.size} bytes is over the ${MAX_SUMMIT_FILE_BYTES}-byte limit`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new SummitFileError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = summitFile.safeParse(json);
  if (!parsed.success) {
    throw new SummitFileError(
      `${path}: invalid\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
