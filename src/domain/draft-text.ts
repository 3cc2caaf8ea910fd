/**
 * The text a state approves: a draft's title, link and its texts in the two languages of the Organization,
 * each marked authentic or a working translation, bound together by one content hash (RFC 8785 canonical
 * JSON, SHA-256). A decision names the hash it approves and the language version approved. Pure and
 * deterministic: the workflow computes the hash when a revision is submitted.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import canonicalize from 'canonicalize';

export const TEXT_LANGUAGES = ['en', 'ru'] as const;
export type TextLanguage = (typeof TEXT_LANGUAGES)[number];

export interface LanguageText {
  text: string;
  /** Authentic: equally binding, approved as such. Otherwise a working translation, for reading only. */
  authentic: boolean;
  /** The revision this text was written for: a text carried over unchanged keeps the revision it came with. */
  revision: number;
}
export type DraftTexts = Partial<Record<TextLanguage, LanguageText>>;
/** The texts of a revision as its audit event records them. */
export type RecordedTexts = Partial<Record<TextLanguage, { text: string; authentic: boolean }>>;

/** What a submission says about the texts: the new texts given, and which languages are authentic. */
export interface SubmittedTexts {
  texts: Partial<Record<TextLanguage, string>>;
  /** Absent: every language given a text here is authentic, and a carried one keeps its marking. */
  authentic?: readonly TextLanguage[];
}

/**
 * The texts of a new revision: the ones given are written for it; a language not given is carried over from
 * the previous revision with the revision it was written for, so a translation is never silently lost.
 */
export function composeTexts(previous: DraftTexts, submitted: SubmittedTexts, revision: number): DraftTexts {
  const out: DraftTexts = {};
  for (const lang of TEXT_LANGUAGES) {
    const given = submitted.texts[lang]?.trim() ? submitted.texts[lang] : undefined;
    const before = previous[lang];
    const text = given ?? before?.text;
    if (text === undefined) continue;
    const authentic = submitted.authentic
      ? submitted.authentic.includes(lang)
      : given !== undefined || (before?.authentic ?? false);
    out[lang] = { text, authentic, revision: given !== undefined ? revision : before!.revision };
  }
  return out;
}

const LANGUAGE_NAME: Record<TextLanguage, string> = { en: 'English', ru: 'Russian' };
export const languageName = (lang: TextLanguage): string => LANGUAGE_NAME[lang];

/**
 * Why these texts may not go to sign-off as revision `revision`, in English, or undefined. Sign-off opens only
 * when every authentic text is that of the same revision: approving an English text while the equally
 * authentic Russian one still says what the previous revision said would bind states to two different texts.
 */
export function textsProblem(
  texts: DraftTexts,
  revision: number,
  authentic?: readonly TextLanguage[],
): string | undefined {
  const missing = (authentic ?? []).filter((l) => !texts[l]);
  if (missing.length)
    return `the ${missing.map(languageName).join(' and ')} text is marked authentic but none was given`;
  for (const lang of TEXT_LANGUAGES) {
    const t = texts[lang];
    if (t?.authentic && t.revision !== revision)
      return `the ${languageName(lang)} text is authentic but is still that of revision ${t.revision}: give its text for revision ${revision}, or mark it a working translation`;
  }
  if (Object.keys(texts).length > 0 && !authenticLanguages(texts).length)
    return 'at least one text must be authentic: a working translation alone cannot be approved';
  return undefined;
}

export const authenticLanguages = (texts: DraftTexts): TextLanguage[] =>
  TEXT_LANGUAGES.filter((l) => texts[l]?.authentic);

/** The content hash of what a state approves: title, link and every text with its marking. */
export function textHashOf(d: { title: string; link?: string; texts: DraftTexts }): string {
  const texts = Object.fromEntries(
    TEXT_LANGUAGES.filter((l) => d.texts[l]).map((l) => [
      l,
      { text: d.texts[l]!.text, authentic: d.texts[l]!.authentic },
    ]),
  );
  const canonical = canonicalize({ v: 1, title: d.title, link: d.link ?? null, texts });
  return bytesToHex(sha256(utf8ToBytes(canonical!)));
}

/** The texts of a draft; a draft recorded before texts had languages holds one English text. */
export function textsOf(d: { revision: number; text?: string; texts?: DraftTexts }): DraftTexts {
  if (d.texts) return d.texts;
  return d.text ? { en: { text: d.text, authentic: true, revision: d.revision } } : {};
}

/** Why a state may not approve the `named` language version of these texts, in English, or undefined. */
export function languageProblem(texts: DraftTexts, named: TextLanguage): string | undefined {
  if (!texts[named]) return `this revision has no ${languageName(named)} text`;
  if (!texts[named].authentic)
    return `the ${languageName(named)} text is a working translation: approve an authentic text (${authenticLanguages(texts).map(languageName).join(', ')})`;
  return undefined;
}

/** The language version a state approves: the one it names, or else the first authentic one (none for a link). */
export const approvedLanguage = (texts: DraftTexts, named?: TextLanguage): TextLanguage | undefined =>
  named ?? authenticLanguages(texts)[0];
