/**
 * The progress report and the handover pack from initiatives as the rules leave them: where each state stands,
 * what is late and why, and the PDF and DOCX a reader opens (their text extracted as a reader would see it).
 */
import * as rules from '../../src/domain/initiative';
import { DAY_MS } from '../../src/domain/reminders';
import { viewOf } from '../../src/domain/view';
import { handoverDocument, progressDocument, type StateNames } from '../../src/report/document';
import { renderDocx } from '../../src/report/docx';
import { renderPdf } from '../../src/report/pdf';
import { compareReports } from '../../src/report/compare';
import { handoverPack, progressReport } from '../../src/report/progress';
import { docxText } from '../support/docx-text';
import { pdfText } from '../support/pdf-text';
import { assignKyrgyzstan, initiativeInput, MEMBERS_2026, official, rep } from '../support/initiative-fixtures';

const T0 = Date.parse('2026-03-02T06:00:00Z');
const at = (days: number) => T0 + days * DAY_MS;
const STATES = MEMBERS_2026.map((m) => m.code);
const NAMES: StateNames = {
  AZ: { en: 'Azerbaijan', ru: 'Азербайджан' },
  KG: { en: 'Kyrgyzstan', ru: 'Кыргызстан' },
  KZ: { en: 'Kazakhstan', ru: 'Казахстан' },
  TJ: { en: 'Tajikistan', ru: 'Таджикистан' },
  TM: { en: 'Turkmenistan', ru: 'Туркменистан' },
  UZ: { en: 'Uzbekistan', ru: 'Узбекистан' },
};
const SUMMIT = {
  id: 'tashkent-2025',
  title: '7th Consultative Meeting of the Heads of State of Central Asia',
  date: '2025-11-16',
  city: 'Tashkent',
};

function inSignoff(id: string, title: string) {
  const { state } = rules.startInitiative(
    initiativeInput(T0, {
      id,
      title,
      source: { document: 'News.Az, 2025-11-21', quote: `The heads of state agreed on ${title}.` },
    }),
    T0,
  );
  assignKyrgyzstan(state, T0);
  rules.applySubmitDraft(state, { actor: official('KG'), title: 'Concept note', members: MEMBERS_2026 }, at(1));
  return state;
}

const decide = (state: rules.InitiativeState, code: string, decision: 'approve' | 'object', reason?: string) =>
  rules.applyDecide(state, { actor: rep(code), state: code, decision, revision: state.revision, reason }, at(2));

/**
 * One initiative adopted; one blocked by Tajikistan's objection (its clock stopped until the Secretariat acts);
 * one past its sign-off deadline with four states silent; one never assigned.
 */
function summitViews() {
  const adopted = inSignoff('digital-transit-corridor', 'Digital Transit Corridor');
  for (const code of STATES) decide(adopted, code, 'approve');
  const blocked = inSignoff('common-transport-strategy', 'Common transport strategy');
  decide(blocked, 'KZ', 'approve');
  decide(blocked, 'TJ', 'object', 'The tariff annex is not agreed');
  const waiting = inSignoff('electronic-cargo-tracking', 'Electronic cargo tracking');
  decide(waiting, 'TJ', 'approve');
  decide(waiting, 'TM', 'approve');
  const fresh = rules.startInitiative(initiativeInput(T0, { id: 'cultural-heritage', title: 'Heritage' }), T0).state;
  return [viewOf(adopted), viewOf(blocked), viewOf(waiting), viewOf(fresh)];
}

describe('the progress report for the next summit', () => {
  const asOf = new Date(at(40));
  const report = progressReport({ summit: SUMMIT, views: summitViews(), states: STATES, asOf });

  it('says where each state stands, what is late, since when, waiting on whom and why', () => {
    expect(report.totals).toMatchObject({ initiatives: 4, adopted: 1, inSignoff: 2, preparing: 1, late: 2 });
    const byId = Object.fromEntries(report.initiatives.map((i) => [i.id, i]));
    expect(byId['digital-transit-corridor']).toMatchObject({
      stage: 'adopted',
      adoptedAt: new Date(at(2)).toISOString(),
    });
    const blocked = byId['common-transport-strategy'];
    expect(blocked.positions).toMatchObject({ KZ: 'approved', TJ: 'objected', UZ: 'pending' });
    expect(blocked.objection).toMatchObject({ state: 'TJ', reason: 'The tariff annex is not agreed' });
    expect(blocked.late).toEqual([]);
    // Due 21 days after the draft of day 1, seen on day 40: 18 whole days late, on the four silent states.
    expect(byId['electronic-cargo-tracking'].late).toEqual([
      {
        step: 'signoff',
        dueAt: new Date(at(22)).toISOString(),
        daysLate: 18,
        states: ['AZ', 'KG', 'KZ', 'UZ'],
        others: [],
      },
    ]);
    // The unassigned initiative is late for the Secretariat, not for any state.
    expect(byId['cultural-heritage'].late).toEqual([
      expect.objectContaining({ step: 'assignment', states: [], others: ['secretariat'] }),
    ]);
    expect(report.byState.find((s) => s.code === 'TJ')).toMatchObject({
      approved: 2,
      objected: 1,
      pending: 0,
      late: 0,
    });
    expect(report.byState.find((s) => s.code === 'UZ')).toMatchObject({ approved: 1, pending: 2, late: 1 });
  });

  it('reads in Russian as a PDF, with the summit sentence, the states and the objection', async () => {
    const pdf = await renderPdf(progressDocument(report, 'ru', NAMES, 'Asia/Tashkent'), asOf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Доклад о ходе выполнения решений');
    expect(text).toContain('Таджикистан');
    expect(text).toContain('The heads of state agreed on Common transport strategy.');
    expect(text).toMatch(/Возражение: Таджикистан, .*The tariff annex is not agreed/);
    expect(text).toContain('Национальное согласование');
  });

  it('is the same report as an editable DOCX, in English', async () => {
    const text = docxText(await renderDocx(progressDocument(report, 'en', NAMES, 'Asia/Tashkent')));
    expect(text).toContain('Progress report on the decisions of the 7th Consultative Meeting');
    expect(text).toContain('Objection by Tajikistan');
    expect(text).toMatch(
      /National sign-off: due 24 Mar 2026, 11:00, 18 days late, waiting on Azerbaijan, Kyrgyzstan, Kazakhstan, Uzbekistan\./,
    );
  });
});

describe("the incoming Chair's handover pack", () => {
  const views = summitViews();

  it('lists the open items, the objections and the first deadlines, and the Chair by name', async () => {
    const pack = handoverPack({
      year: 2027,
      chairState: 'KZ',
      outgoingChair: 'TM',
      from: '2027-01-01',
      views,
      states: STATES,
      asOf: new Date(at(40)),
    });
    // Adopted is not done: its implementation is the next Chair's too.
    expect(pack.open.map((i) => i.id).sort()).toEqual([
      'common-transport-strategy',
      'cultural-heritage',
      'digital-transit-corridor',
      'electronic-cargo-tracking',
    ]);
    expect(pack.objections).toEqual([
      expect.objectContaining({ initiativeId: 'common-transport-strategy', state: 'TJ' }),
    ]);
    const text = await pdfText(await renderPdf(handoverDocument(pack, 'en', NAMES, 'Asia/Tashkent'), new Date(at(40))));
    expect(text).toContain('Handover to the 2027 Chair: Kazakhstan');
    expect(text).toContain('Outgoing Chair: Turkmenistan');
  });

  it('renders a year before any state was a member (no state to show) in both formats', async () => {
    const pack = handoverPack({ year: 2006, from: '2006-01-01', views, states: [], asOf: new Date(at(40)) });
    for (const lang of ['en', 'ru'] as const) {
      const doc = handoverDocument(pack, lang, NAMES, 'Asia/Tashkent');
      expect((await renderPdf(doc, new Date(at(40)))).subarray(0, 5).toString()).toBe('%PDF-');
      expect(docxText(await renderDocx(doc))).toContain('2006');
    }
  });

  it('says so when no Chair is entered for the year', async () => {
    const pack = handoverPack({
      year: 2027,
      outgoingChair: 'TM',
      from: '2027-01-01',
      views,
      states: STATES,
      asOf: new Date(at(40)),
    });
    const text = docxText(await renderDocx(handoverDocument(pack, 'ru', NAMES, 'Asia/Tashkent')));
    expect(text).toContain('Председатель на 2027 год не указан');
  });
});

describe('what changed between two reports', () => {
  it('names new initiatives, stage moves, decisions and steps fallen late or caught up', () => {
    const [adopted, blocked, waiting] = summitViews();
    const before = progressReport({
      summit: SUMMIT,
      views: [blocked, waiting],
      states: STATES,
      asOf: new Date(at(10)),
    });
    const after = progressReport({
      summit: SUMMIT,
      views: [adopted, blocked, waiting],
      states: STATES,
      asOf: new Date(at(40)),
    });
    const changes = compareReports(before, after);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ initiativeId: 'digital-transit-corridor', kind: 'new' }),
        expect.objectContaining({ initiativeId: 'electronic-cargo-tracking', kind: 'late', step: 'signoff' }),
      ]),
    );
    expect(changes.filter((c) => c.initiativeId === 'common-transport-strategy')).toEqual([]);
    // The same report against itself: nothing moved.
    expect(compareReports(after, after)).toEqual([]);
    const moved = structuredClone(before);
    moved.initiatives[1].positions.UZ = 'approved';
    moved.initiatives[1].stage = 'adopted';
    expect(compareReports(before, moved)).toEqual([
      {
        initiativeId: 'electronic-cargo-tracking',
        title: 'Electronic cargo tracking',
        kind: 'stage',
        from: 'signoff',
        to: 'adopted',
      },
      {
        initiativeId: 'electronic-cargo-tracking',
        title: 'Electronic cargo tracking',
        kind: 'position',
        state: 'UZ',
        from: 'pending',
        to: 'approved',
      },
    ]);
  });
});
