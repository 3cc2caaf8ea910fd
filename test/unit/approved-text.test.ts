/**
 * Approvals bound to the text: each revision carries its English and Russian texts, marked authentic or working
 * translation, under one hash; a decision names the hash and the language version it approves; the Chair's
 * editorial correction carries approvals over, and says so.
 */
import { validateAct } from '../../src/domain/acts';
import { composeTexts, textHashOf, textsProblem } from '../../src/domain/draft-text';
import * as rules from '../../src/domain/initiative';
import type { Actor } from '../../src/domain/types';
import { redline, redlineText } from '../../src/email/redline';
import {
  assignKyrgyzstan,
  initiativeInput,
  MEMBERS_2026,
  official,
  rep,
  secretariat,
} from '../support/initiative-fixtures';

const T0 = Date.parse('2026-01-10T06:00:00Z');
const EN1 = 'Article 4. The Parties shall exchange customs data within 30 days.';
const RU1 = 'Статья 4. Стороны обмениваются таможенными данными в течение 30 дней.';

function refusal(fn: () => unknown): rules.Refusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof rules.Refusal) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

function underSignoff(): rules.InitiativeState {
  const { state } = rules.startInitiative(initiativeInput(T0), T0);
  assignKyrgyzstan(state, T0);
  const draft = { actor: official('KG'), title: 'Corridor agreement', text: EN1, textRu: RU1, members: MEMBERS_2026 };
  rules.validateSubmitDraft(state, draft, T0);
  rules.applySubmitDraft(state, draft, T0);
  return state;
}

const approve = (state: rules.InitiativeState, code: string, extra: Partial<rules.DecideInput> = {}) => {
  const input = { actor: rep(code), state: code, decision: 'approve' as const, revision: state.revision, ...extra };
  rules.validateDecide(state, input, T0 + 1000);
  return rules.applyDecide(state, input, T0 + 1000);
};

describe('the texts of a revision', () => {
  it('hashes title, link and each text with its marking: changing any of them changes the hash', () => {
    const texts = composeTexts({}, { texts: { en: EN1, ru: RU1 } }, 1);
    const base = textHashOf({ title: 'T', texts });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(textHashOf({ title: 'T', texts })).toBe(base);
    expect(textHashOf({ title: 'T2', texts })).not.toBe(base);
    expect(textHashOf({ title: 'T', link: 'https://example.org/x', texts })).not.toBe(base);
    expect(textHashOf({ title: 'T', texts: { ...texts, ru: { ...texts.ru!, authentic: false } } })).not.toBe(base);
    expect(textHashOf({ title: 'T', texts: { ...texts, en: { ...texts.en!, text: `${EN1} ` } } })).not.toBe(base);
  });

  it('carries a language not given from the previous revision, with the revision it was written for', () => {
    const r1 = composeTexts({}, { texts: { en: EN1, ru: RU1 } }, 1);
    const r2 = composeTexts(r1, { texts: { en: 'Article 4, amended.' } }, 2);
    expect(r2.en).toEqual({ text: 'Article 4, amended.', authentic: true, revision: 2 });
    expect(r2.ru).toEqual({ text: RU1, authentic: true, revision: 1 });
    expect(textsProblem(r2, 2)).toBe(
      'the Russian text is authentic but is still that of revision 1: give its text for revision 2, or mark it a working translation',
    );
    const marked = composeTexts(r1, { texts: { en: 'Article 4, amended.' }, authentic: ['en'] }, 2);
    expect(marked.ru).toEqual({ text: RU1, authentic: false, revision: 1 });
    expect(textsProblem(marked, 2)).toBeUndefined();
  });

  it('refuses a language marked authentic without a text, and texts of which none is authentic', () => {
    expect(textsProblem(composeTexts({}, { texts: { en: EN1 }, authentic: ['en', 'ru'] }, 1), 1, ['en', 'ru'])).toBe(
      'the Russian text is marked authentic but none was given',
    );
    expect(textsProblem(composeTexts({}, { texts: { en: EN1 }, authentic: ['ru'] }, 1), 1, ['ru'])).toBe(
      'the Russian text is marked authentic but none was given',
    );
  });
});

describe('sign-off bound to the text', () => {
  it('opens on a revision whose authentic texts are its own, and records the hash with the round', () => {
    const state = underSignoff();
    expect(state.draft!.texts).toEqual({
      en: { text: EN1, authentic: true, revision: 1 },
      ru: { text: RU1, authentic: true, revision: 1 },
    });
    expect(state.round!.textHash).toBe(state.draft!.textHash);
    expect(state.revisions).toEqual([
      expect.objectContaining({ revision: 1, textHash: state.draft!.textHash, languages: expect.any(Array) }),
    ]);
  });

  it('refuses a resubmission that changes the English and leaves the authentic Russian behind', () => {
    const state = underSignoff();
    rules.applyDecide(
      state,
      { actor: rep('KZ'), state: 'KZ', decision: 'request_changes', revision: 1, reason: 'name the data fields' },
      T0,
    );
    const input = {
      actor: official('KG'),
      title: 'Corridor agreement',
      text: 'Article 4. The fields of Annex 1.',
      members: MEMBERS_2026,
    };
    expect(refusal(() => rules.validateSubmitDraft(state, input, T0)).message).toContain(
      'the Russian text is authentic but is still that of revision 1',
    );
    expect(state.revision).toBe(1);
  });

  it('records the hash and the language version each state approved', () => {
    const state = underSignoff();
    approve(state, 'KZ', { language: 'ru', textHash: state.round!.textHash });
    approve(state, 'UZ');
    expect(state.round!.decisions.KZ).toMatchObject({ textHash: state.draft!.textHash, language: 'ru' });
    expect(state.round!.decisions.UZ).toMatchObject({ textHash: state.draft!.textHash, language: 'en' });
    expect(state.decidedRevisions).toEqual({ KZ: 1, UZ: 1 });
  });

  it('refuses a decision on another text than the one under sign-off, and an approval of a working translation', () => {
    const state = underSignoff();
    const stale = refusal(() =>
      rules.validateDecide(
        state,
        { actor: rep('KZ'), state: 'KZ', decision: 'approve', revision: 1, textHash: 'a'.repeat(64) },
        T0,
      ),
    );
    expect(stale.code).toBe('stale_revision');
    expect(stale.message).toContain('is not the text under sign-off (revision 1');

    const { state: s2 } = rules.startInitiative(initiativeInput(T0), T0);
    assignKyrgyzstan(s2, T0);
    rules.applySubmitDraft(
      s2,
      { actor: official('KG'), title: 'T', text: EN1, textRu: RU1, authentic: ['en'], members: MEMBERS_2026 },
      T0,
    );
    const working = refusal(() =>
      rules.validateDecide(s2, { actor: rep('KZ'), state: 'KZ', decision: 'approve', revision: 1, language: 'ru' }, T0),
    );
    expect(working.message).toBe('the Russian text is a working translation: approve an authentic text (English)');
  });
});

describe("the Chair's editorial correction", () => {
  const chair: Actor = { ...rep('UZ'), roles: ['representative', 'chair'] };

  it('becomes the next revision, carries the approvals given (each naming the hash it approved), and tells everyone', () => {
    const state = underSignoff();
    const first = state.draft!.textHash!;
    approve(state, 'KZ');
    const input = {
      actor: chair,
      textRu: `${RU1.slice(0, -1)} со дня вступления в силу.`,
      reason: 'the Russian brought in line',
    };
    validateAct('reviseEditorially', state, input, T0 + 2000);
    const changes = rules.applyEditorial(state, input, T0 + 2000);
    expect(state.revision).toBe(2);
    expect(state.round!.revision).toBe(2);
    expect(state.round!.textHash).not.toBe(first);
    expect(state.round!.decisions.KZ).toMatchObject({ decision: 'approve', textHash: first, carriedFrom: 1 });
    expect(state.draft!.editorial).toEqual({
      from: 1,
      reason: 'the Russian brought in line',
      by: chair.personId,
      byName: chair.name,
    });
    expect(state.draft!.texts!.en).toEqual({ text: EN1, authentic: true, revision: 2 });
    expect(changes.events[0]).toMatchObject({
      type: 'editorial_revision',
      data: { from: 1, revision: 2, carriedApprovals: ['KZ'], languages: 'en (authentic), ru (authentic)' },
    });
    expect(changes.notifications.map((n) => n.to)).toContainEqual({ role: 'representative', state: 'TJ' });
    // The others decide on revision 2; KZ is not asked twice.
    approve(state, 'UZ');
    expect(state.round!.decisions.UZ.textHash).toBe(state.draft!.textHash);
    expect(refusal(() => approve(state, 'KZ')).message).toBe('KZ already decided approve on revision 1');
  });

  it('is refused to a representative who is not the Chair, when nothing changed, and on a blocked round', () => {
    const state = underSignoff();
    const notChair = refusal(() =>
      validateAct('reviseEditorially', state, { actor: rep('KZ'), text: 'x', reason: 'typo' }, T0),
    );
    expect(notChair.code).toBe('not_entitled');
    expect(
      refusal(() => validateAct('reviseEditorially', state, { actor: secretariat, text: EN1, reason: 'typo' }, T0))
        .message,
    ).toBe('nothing differs from revision 1');
    rules.applyDecide(state, { actor: rep('TJ'), state: 'TJ', decision: 'object', revision: 1, reason: 'no' }, T0);
    expect(
      refusal(() => validateAct('reviseEditorially', state, { actor: chair, text: 'x', reason: 'typo' }, T0)).code,
    ).toBe('round_blocked');
  });
});

describe('the redline', () => {
  it('marks words removed and added, and shortens long unchanged stretches', () => {
    const parts = redline('within 30 days of entry', 'within 60 days of entry');
    expect(redlineText(parts)).toBe('within [-30-]{+60+} days of entry');
    const long = `${'x '.repeat(200)}end`;
    expect(redlineText(redline(`${long} A`, `${long} B`))).toMatch(/^x x .* … .*end \[-A-\]\{\+B\+\}$/);
  });
});

describe('the redline of a Russian text', () => {
  it('compares whole words, not letters', () => {
    const before = 'Стороны обмениваются таможенными данными в течение 30 дней.';
    const after = 'Стороны обмениваются таможенными данными, перечисленными в Приложении 1, в течение 60 дней.';
    const parts = redline(before, after);
    // The word diff keeps the new text's spacing: the old text comes back word for word, spaces aside.
    const squash = (t: string) => t.replace(/\s+/g, '');
    const old = parts.filter((p) => p.kind !== 'added').map((p) => p.text);
    expect(squash(old.join(''))).toBe(squash(before));
    expect(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(after);
    const words = new Set(`${before} ${after}`.split(/[\s,.]+/));
    const changed = parts.filter((p) => p.kind !== 'same').flatMap((p) => p.text.split(/[\s,.]+/).filter(Boolean));
    expect(changed.filter((w) => !words.has(w))).toEqual([]);
    expect(changed).toEqual(expect.arrayContaining(['перечисленными', 'Приложении', '30', '60']));
  });
});
