/**
 * The Secretariat's dashboard figures as an officer reads them: who decides on time and who is late, what the
 * silence procedure settled (counted apart from the states' own decisions), how long states take, what is overdue,
 * which chairmanship year a round belongs to, and how many commitments were delivered; and the charts drawn from them.
 */
import * as rules from '../../src/domain/initiative';
import { DAY_MS } from '../../src/domain/reminders';
import type { ChairPeriod } from '../../src/domain/rotation';
import { Stage } from '../../src/domain/types';
import { viewOf, type InitiativeView } from '../../src/domain/view';
import { dashboard, type CommitmentCell, type StateFigures } from '../../src/report/dashboard';
import { barChart, stackedBar } from '../../src/report/plot';
import { assignKyrgyzstan, initiativeInput, MEMBERS_2026, official, rep } from '../support/initiative-fixtures';

const STATES = ['KZ', 'KG', 'UZ', 'TJ'];
const MEMBERS = ['KZ', 'KG', 'UZ'];
const PERIODS: ChairPeriod[] = [
  { year: 2025, chairState: 'UZ', from: '2025-01-01', to: '2025-12-31' },
  { year: 2026, chairState: 'KZ', from: '2026-01-01', to: '2026-12-31' },
];
const ASOF = '2026-06-01T00:00:00.000Z';

type Decisions = NonNullable<InitiativeView['round']>['decisions'];
const approve = (at: string, deemed?: boolean) => ({ decision: 'approve' as const, at, ...(deemed ? { deemed } : {}) });

/** A view as the read model stores it, with only what the dashboard reads filled in. */
function view(
  id: string,
  stage: Stage,
  round?: { openedAt: string; dueAt: string; decisions: Decisions },
  more: Partial<InitiativeView> = {},
): InitiativeView {
  return {
    id,
    title: id,
    proposingState: 'KG',
    summit: 'tashkent-2025',
    category: 'transport',
    stage,
    revision: 1,
    policy: { rule: { rule: 'consensus' }, silenceProcedure: false },
    ...(round ? { round: { revision: 1, members: MEMBERS, ...round } } : {}),
    pendingStates: [],
    deadlines: [],
    milestones: [],
    startedAt: '2025-11-20T00:00:00.000Z',
    updatedAt: ASOF,
    version: 1,
    ...more,
  };
}

/**
 * F adopted by quorum without UZ; A adopted, UZ deciding three days late; B settled by silence for KG and UZ;
 * C past due waiting on KG and UZ; E opened on New Year's Eve in UTC (New Year's Day in Tashkent), not yet due,
 * its draft overdue on KG; W withdrawn with a deadline past due on KZ, which nobody counts.
 */
const VIEWS: InitiativeView[] = [
  view('F', Stage.Adopted, {
    openedAt: '2026-02-01T00:00:00Z',
    dueAt: '2026-02-22T00:00:00Z',
    decisions: { KZ: approve('2026-02-01T06:00:00Z'), KG: approve('2026-02-02T06:00:00Z') },
  }),
  view('A', Stage.Implementing, {
    openedAt: '2026-03-01T00:00:00Z',
    dueAt: '2026-03-22T00:00:00Z',
    decisions: {
      KZ: approve('2026-03-02T00:00:00Z'),
      KG: approve('2026-03-03T00:00:00Z'),
      UZ: approve('2026-03-25T00:00:00Z'),
    },
  }),
  view('B', Stage.Adopted, {
    openedAt: '2026-04-01T00:00:00Z',
    dueAt: '2026-04-22T00:00:00Z',
    decisions: {
      KZ: approve('2026-04-04T00:00:00Z'),
      KG: approve('2026-04-22T00:00:00Z', true),
      UZ: approve('2026-04-22T00:00:00Z', true),
    },
  }),
  view(
    'C',
    Stage.Signoff,
    {
      openedAt: '2026-05-01T00:00:00Z',
      dueAt: '2026-05-22T00:00:00Z',
      decisions: { KZ: approve('2026-05-01T12:00:00Z') },
    },
    {
      pendingStates: ['KG', 'UZ'],
      deadlines: [{ step: 'signoff', dueAt: '2026-05-22T00:00:00Z', waitingOn: ['state:KG', 'state:UZ'] }],
    },
  ),
  view(
    'E',
    Stage.Signoff,
    { openedAt: '2025-12-31T20:00:00Z', dueAt: '2026-06-10T00:00:00Z', decisions: {} },
    {
      pendingStates: MEMBERS,
      deadlines: [
        { step: 'draft', dueAt: '2026-05-28T00:00:00Z', waitingOn: ['state:KG'] },
        { step: 'signoff', dueAt: '2026-06-10T00:00:00Z', waitingOn: ['state:KZ', 'state:KG', 'state:UZ'] },
      ],
    },
  ),
  view('W', Stage.Withdrawn, undefined, {
    deadlines: [{ step: 'draft', dueAt: '2026-04-01T00:00:00Z', waitingOn: ['state:KZ'] }],
    closed: { at: '2026-04-10T00:00:00Z', reason: 'overtaken', by: 'secretariat' },
  }),
];

const COMMITMENTS: CommitmentCell[] = [
  { party: 'KZ', status: 'delivered', dueAt: '2025-11-30', deliveredAt: '2025-11-28' },
  { party: 'KZ', status: 'delivered' },
  { party: 'KZ', status: 'in_progress', dueAt: '2026-05-31' },
  { party: 'KG', status: 'not_started', dueAt: '2026-06-01' },
  { party: 'KG', status: 'blocked', dueAt: '2026-03-01T00:00:00Z' },
  { party: 'secretariat', status: 'delivered' },
];

const board = dashboard({ views: VIEWS, states: STATES, periods: PERIODS, commitments: COMMITMENTS, asOf: ASOF });
const of = (code: string): StateFigures => board.byState.find((s) => s.state === code)!;
const year = (b: typeof board, y: number) => b.byYear.find((p) => p.year === y)!;

describe('dashboard figures per member state', () => {
  it('counts decisions made by the due date as on time, and a late one as late', () => {
    expect(board.byState.map((s) => s.state)).toEqual(STATES);
    expect(of('KZ')).toMatchObject({ decided: 4, onTime: 4, counted: 4, onTimeRate: 1, deemed: 0 });
    // UZ decided A three days after its due date: decided, but not on time.
    expect(of('UZ')).toMatchObject({ decided: 1, onTime: 0 });
  });

  it('counts silence apart from decisions, and holds silence and a past-due wait against the rate', () => {
    // KG: A and F on time, B deemed, C past due still waiting: 2 of 4. F's missing UZ decision is not held against UZ.
    expect(of('KG')).toMatchObject({ decided: 2, deemed: 1, onTime: 2, counted: 4, onTimeRate: 0.5 });
    expect(of('UZ')).toMatchObject({ deemed: 1, counted: 3, onTimeRate: 0 });
  });

  it('takes the median of the hours to decide over own decisions only', () => {
    expect(of('KZ').medianHoursToDecide).toBe(18); // 6, 12, 24, 72
    expect(of('KG').medianHoursToDecide).toBe(39); // 30, 48; the deemed approval at 504 h is left out
    expect(of('UZ').medianHoursToDecide).toBe(576);
  });

  it('leaves the rate and the median undefined for a state nothing was asked of', () => {
    expect(of('TJ')).toMatchObject({ decided: 0, counted: 0, deemed: 0, overdue: 0 });
    expect(of('TJ').onTimeRate).toBeUndefined();
    expect(of('TJ').medianHoursToDecide).toBeUndefined();
  });

  it('counts overdue items per state, not those of a withdrawn initiative nor those not yet due', () => {
    expect(board.byState.map((s) => [s.state, s.overdue])).toEqual([
      ['KZ', 0],
      ['KG', 2],
      ['UZ', 1],
      ['TJ', 0],
    ]);
  });

  it('counts commitments delivered out of those addressed, and the late ones (a day-only due date runs to its end)', () => {
    expect(of('KZ').commitments).toEqual({
      total: 3,
      delivered: 2,
      inProgress: 1,
      notStarted: 0,
      blocked: 0,
      late: 1,
      deliveredRate: 2 / 3,
    });
    expect(of('KG').commitments).toMatchObject({ total: 2, delivered: 0, late: 1, deliveredRate: 0 });
    expect(of('TJ').commitments.deliveredRate).toBeUndefined();
    expect(board.secretariat).toMatchObject({ total: 1, delivered: 1 });
  });
});

describe('dashboard figures per chair year', () => {
  it('places a round in the year it opened in, adoptions in the year they were completed', () => {
    expect(year(board, 2026)).toMatchObject({
      chairState: 'KZ',
      rounds: 4,
      adopted: 3,
      endedBySilence: 1,
      decided: 7,
      onTime: 6,
      counted: 11,
      deemed: 2,
      overdue: 3,
      medianHoursToDecide: 30,
    });
    expect(year(board, 2026).onTimeRate).toBeCloseTo(6 / 11);
    expect(year(board, 2025)).toMatchObject({ chairState: 'UZ', rounds: 1, adopted: 0, decided: 0, counted: 0 });
    expect(year(board, 2025).onTimeRate).toBeUndefined();
  });

  it('reads the day in the Secretariat’s time zone when given one', () => {
    const tashkent = dashboard({
      views: VIEWS,
      states: STATES,
      periods: PERIODS,
      commitments: COMMITMENTS,
      asOf: ASOF,
      timeZone: 'Asia/Tashkent',
    });
    // 2025-12-31T20:00Z is 01:00 on New Year's Day in Tashkent.
    expect(year(tashkent, 2025).rounds).toBe(0);
    expect(year(tashkent, 2026).rounds).toBe(5);
  });

  it('places commitments in the year they fall due', () => {
    expect(year(board, 2025).commitments).toMatchObject({ total: 1, delivered: 1 });
    expect(year(board, 2026).commitments).toMatchObject({ total: 3, delivered: 0, late: 2 });
  });
});

describe('dashboard from the rules themselves', () => {
  it('counts the silence procedure as deemed approvals and a round ended by silence', () => {
    const T0 = Date.parse('2026-03-02T06:00:00Z');
    const { state } = rules.startInitiative(
      initiativeInput(T0, { policy: { rule: { rule: 'consensus' }, silenceProcedure: true } }),
      T0,
    );
    assignKyrgyzstan(state, T0);
    rules.applySubmitDraft(state, { actor: official('KG'), title: 'Concept note', members: MEMBERS_2026 }, T0 + DAY_MS);
    rules.applyDecide(
      state,
      { actor: rep('KZ'), state: 'KZ', decision: 'approve', revision: state.revision },
      T0 + 2 * DAY_MS,
    );
    const silence = rules.openDuties(state).find((d) => d.kind === 'silence')!;
    rules.performDuty(state, silence, Date.parse(silence.at));
    const v = viewOf(state);
    expect(v.stage).toBe(Stage.Adopted);

    const d = dashboard({
      views: [v],
      states: MEMBERS_2026.map((m) => m.code),
      periods: PERIODS,
      commitments: [],
      asOf: new Date(T0 + 40 * DAY_MS).toISOString(),
    });
    expect(d.byState.find((s) => s.state === 'KZ')).toMatchObject({ decided: 1, onTime: 1, deemed: 0 });
    expect(d.byState.find((s) => s.state === 'UZ')).toMatchObject({ decided: 0, deemed: 1, onTimeRate: 0 });
    expect(year(d, 2026)).toMatchObject({ rounds: 1, adopted: 1, endedBySilence: 1, deemed: 5, decided: 1 });
  });
});

describe('dashboard charts', () => {
  const bars = [
    { label: 'KZ', value: 100, note: '4 of 4' },
    { label: 'KG', value: 50 },
    { label: 'T<J>', value: undefined },
  ];
  const svg = barChart({ title: 'On time <&> "late"', bars, unit: '%' });

  it('escapes the title and names the image by it', () => {
    expect(svg).toContain('<title>On time &lt;&amp;&gt; &quot;late&quot;</title>');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="On time &lt;&amp;&gt; &quot;late&quot;"');
    expect(svg).not.toContain('<&>');
    expect(svg).not.toContain('T<J>');
  });

  it('prints every label and value as text, and scales the bars', () => {
    for (const text of ['>KZ<', '>100% (4 of 4)<', '>KG<', '>50%<', '>T&lt;J&gt;<', '>n/a<'])
      expect(svg).toContain(text);
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    expect(widths[0]).toBeGreaterThan(0);
    expect(widths[1]).toBe(Math.round(widths[0] / 2));
    expect(widths[2]).toBe(0);
  });

  it('names the parts of a stacked bar in text, in order', () => {
    const stacked = stackedBar({
      title: 'Commitments',
      keys: ['Delivered', 'In progress', 'Not started'],
      rows: [
        { label: 'KZ', values: [2, 1, 0] },
        { label: 'KG', values: [0, 0, 2] },
      ],
    });
    for (const text of ['1. Delivered', '2. In progress', '3. Not started', '>KZ<', '>2 / 1 / 0<', '>0 / 0 / 2<'])
      expect(stacked).toContain(text);
    expect(stacked).toContain('<title>KZ: Delivered 2 · In progress 1 · Not started 0</title>');
  });
});
