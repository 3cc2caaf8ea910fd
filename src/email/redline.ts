/**
 * What changed in a text since the revision a reader last saw, word by word (the `diff` library's word diff),
 * for the signing page and the decision-request email. The texts of every revision are in the audit trail:
 * each draft_submitted and editorial_revision event records them.
 */
import { diffWords } from 'diff';
import type { RecordedTexts, TextLanguage } from '../domain/draft-text';
import type { AuditEvent } from '../domain/types';
import type { InitiativeView } from '../domain/view';

export interface RedlinePart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * Words as Intl.Segmenter finds them: the library's own tokenizer knows Latin letters only, and would cut a
 * Russian word into letters.
 */
const WORDS = new Intl.Segmenter('und', { granularity: 'word' });

export function redline(before: string, after: string): RedlinePart[] {
  return diffWords(before, after, { intlSegmenter: WORDS }).map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
}

/** Unchanged stretches longer than this are shortened to their ends: the reader looks for what changed. */
const CONTEXT_CHARS = 80;

export function shorten(text: string): string {
  if (text.length <= CONTEXT_CHARS * 2 + 5) return text;
  return `${text.slice(0, CONTEXT_CHARS)} … ${text.slice(-CONTEXT_CHARS)}`;
}

/** For plain text (the email's text part): [-removed-] {+added+}. */
export function redlineText(parts: readonly RedlinePart[]): string {
  return parts
    .map((p) => (p.kind === 'added' ? `{+${p.text}+}` : p.kind === 'removed' ? `[-${p.text}-]` : shorten(p.text)))
    .join('');
}

/** The texts of one revision, as its event in the trail recorded them. */
export function textsOfRevision(events: readonly AuditEvent[], revision: number): RecordedTexts | undefined {
  for (const e of events) {
    if (e.type === 'draft_submitted' && e.revision === revision) return e.data.texts;
    if (e.type === 'editorial_revision' && e.data.revision === revision) return e.data.texts;
  }
  return undefined;
}

/**
 * The revision a state's reader last saw: the last one their state decided on, else the one before the
 * current. Undefined for a first revision nobody has decided on.
 */
export function basisRevision(
  v: Pick<InitiativeView, 'revision' | 'decidedRevisions'>,
  state?: string,
): number | undefined {
  const decided = state ? v.decidedRevisions?.[state] : undefined;
  if (decided !== undefined && decided < v.revision) return decided;
  return v.revision > 1 ? v.revision - 1 : undefined;
}

export interface LanguageRedline {
  lang: TextLanguage;
  from: number;
  parts: RedlinePart[];
}

/** The changes of each language version of the current revision since revision `from` (its texts `before`). */
export function redlinesSince(
  before: RecordedTexts | undefined,
  current: RecordedTexts,
  from: number,
): LanguageRedline[] {
  if (!before) return [];
  return (['en', 'ru'] as const).flatMap((lang) => {
    const a = before[lang]?.text ?? '';
    const b = current[lang]?.text ?? '';
    if (a === b) return [];
    return [{ lang, from, parts: redline(a, b) }];
  });
}
