/**
 * The figures of the fault-injection suite: each test file records its sections as JSON, and the
 * suite's globalTeardown writes docs/reliability.md from the sections of this run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FINDINGS } from './findings';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const RESULTS_DIR = path.join(ROOT, '.test-results', 'faults');
const RUN_FILE = path.join(RESULTS_DIR, 'run.json');
export const REPORT_FILE = path.join(ROOT, 'docs', 'reliability.md');

/** The sections a complete run records, in the order the report shows them. */
export const SECTION_ORDER = [
  'worker-crash',
  'temporal-restart',
  'ferretdb-outage',
  'smtp-outage',
  'idempotency',
  'hostile-input',
] as const;
export type SectionId = (typeof SECTION_ORDER)[number];

export interface Section {
  id: SectionId;
  title: string;
  /** What was done to the system, in order, with times. */
  injected: string[];
  /** Figures: label -> value, shown as a table. */
  figures: Record<string, number | string>;
  /** What went wrong in this run; empty when the section passed. */
  failures: string[];
  /** Remarks worth keeping (a limitation measured, a design consequence). */
  notes?: string[];
  durationS: number;
  finishedAt: string;
}

export function startRun(): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of fs.readdirSync(RESULTS_DIR)) fs.rmSync(path.join(RESULTS_DIR, f), { force: true });
  fs.rmSync(path.join(ROOT, '.test-results', 'faults-logs'), { recursive: true, force: true });
  fs.writeFileSync(
    RUN_FILE,
    JSON.stringify({ startedAt: new Date().toISOString(), seed: process.env.FAULT_SEED ?? '' }),
  );
}

export function recordSection(section: Omit<Section, 'finishedAt'>): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, `${section.id}.json`),
    JSON.stringify({ ...section, finishedAt: new Date().toISOString() }, null, 2),
  );
}

function readSections(): Section[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'run.json')
    .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as Section)
    .sort((a, b) => SECTION_ORDER.indexOf(a.id) - SECTION_ORDER.indexOf(b.id));
}

const cell = (v: unknown) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderReport(
  sections: Section[],
  run: { startedAt: string; finishedAt: string; cpus: number },
): string {
  const total = (label: string) =>
    sections.reduce((n, s) => n + (typeof s.figures[label] === 'number' ? (s.figures[label] as number) : 0), 0);
  const minutes = ((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60_000).toFixed(1);
  const failed = sections.filter((s) => s.failures.length > 0);
  const lines: string[] = [
    '# Reliability: faults and hostile input, measured',
    '',
    '<!-- Written by the fault-injection suite (`npm run test:faults`, test/faults/); do not edit by hand. -->',
    '',
    `Run of ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${minutes} min on ${run.cpus} CPU cores, against the real processes: ` +
      'Temporal dev server (SQLite), FerretDB, MailDev, and the worker, mailer and API as child processes. No mocks. ' +
      (failed.length
        ? `**${failed.length} section(s) failed: ${failed.map((s) => s.id).join(', ')}.**`
        : 'Every section passed.'),
    '',
    '| fault or input | acts accepted | acts lost | acts duplicated | emails queued | emails lost | emails duplicated | requests | result |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of sections) {
    const f = s.figures;
    const v = (k: string) => (f[k] === undefined ? '' : cell(f[k]));
    lines.push(
      `| ${cell(s.title)} | ${v('acts accepted')} | ${v('acts lost')} | ${v('acts duplicated')} | ${v('emails queued')} | ${v('emails lost')} | ${v('emails duplicated')} | ${v('requests')} | ${s.failures.length ? 'FAILED' : 'passed'} |`,
    );
  }
  lines.push(
    `| **total** | ${total('acts accepted')} | ${total('acts lost')} | ${total('acts duplicated')} | ${total('emails queued')} | ${total('emails lost')} | ${total('emails duplicated')} | ${total('requests')} | ${failed.length ? 'FAILED' : 'passed'} |`,
    '',
    'Emails are counted by notification key: the outbox `_id` (initiative, step, recipient, kind, due date, revision, sequence), ' +
      'which each email carries as its stable `Message-ID`. "Lost" counts queued emails that never reached the sink; "duplicated" keys that reached it twice or more.',
    '',
    "An act counts as lost when it is not in the audit trail, and an email when it is not in the sink, once the scenario's wait ends: when every " +
      'workflow has completed and no email is pending, or when that work has made no progress for 3 minutes (a stall), or after 20 minutes. ' +
      "A slow machine only waits longer. The processes' logs of the run are kept in .test-results/faults-logs/.",
    '',
  );
  for (const s of sections) {
    lines.push(
      `## ${s.title}`,
      '',
      `${s.failures.length ? '**FAILED**' : 'Passed'} in ${s.durationS.toFixed(0)} s.`,
      '',
      '**Injected**',
      '',
    );
    for (const i of s.injected) lines.push(`- ${i}`);
    lines.push('', '| figure | value |', '|---|---|');
    for (const [k, v] of Object.entries(s.figures)) lines.push(`| ${cell(k)} | ${cell(v)} |`);
    if (s.notes?.length) {
      lines.push('', '**Notes**', '');
      for (const n of s.notes) lines.push(`- ${n}`);
    }
    if (s.failures.length) {
      lines.push('', '**Failures in this run**', '');
      for (const f of s.failures.slice(0, 30)) lines.push(`- ${f}`);
      if (s.failures.length > 30) lines.push(`- … and ${s.failures.length - 30} more`);
    }
    lines.push('');
  }
  const missing = SECTION_ORDER.filter((id) => !sections.some((s) => s.id === id));
  if (missing.length) lines.push(`Sections not run this time: ${missing.join(', ')}.`, '');
  lines.push('## Failures found by this suite, and what was done', '');
  for (const f of FINDINGS) lines.push(`- **${f.title}** (${f.status}). ${f.detail}`);
  lines.push('');
  return lines.join('\n');
}

/** Writes docs/reliability.md from this run's sections; a partial run writes next to the results instead. */
export function writeReport(): string | undefined {
  if (!fs.existsSync(RUN_FILE)) return undefined;
  const run = JSON.parse(fs.readFileSync(RUN_FILE, 'utf8')) as { startedAt: string };
  const sections = readSections();
  if (sections.length === 0) return undefined;
  const complete = SECTION_ORDER.every((id) => sections.some((s) => s.id === id));
  const finishedAt =
    sections
      .map((s) => s.finishedAt)
      .sort()
      .pop() ?? new Date().toISOString();
  const text = renderReport(sections, { startedAt: run.startedAt, finishedAt, cpus: os.cpus().length });
  const file = complete ? REPORT_FILE : path.join(RESULTS_DIR, 'reliability.partial.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
