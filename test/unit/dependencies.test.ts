/**
 * Dependencies between initiatives: how "at risk" travels down a chain to what waits, a withdrawn blocker that can
 * never be waited out, the cycles refused when recorded, and the path to the next summit, blockers first.
 */
import {
  dependencyHealth,
  healthOf,
  pathToSummit,
  refuseCycle,
  satisfied,
  wouldCycle,
  type Dependency,
} from '../../src/domain/dependencies';
import { Refusal } from '../../src/domain/initiative';
import type { Stage } from '../../src/domain/types';
import type { InitiativeView } from '../../src/domain/view';
import { sampleView } from '../../src/email/samples';

const DAY_MS = 86_400_000;
const ASOF = '2026-06-01T06:00:00.000Z';
const day = (n: number) => new Date(Date.parse(ASOF) + n * DAY_MS).toISOString();

/** An initiative in `stage` whose open deadlines fall on the given days from ASOF (negative: past due). */
function initiative(id: string, stage: Stage, dueDays: number[], over: Partial<InitiativeView> = {}): InitiativeView {
  const deadlines = dueDays
    .map((n) => ({ step: stage === 'signoff' ? 'signoff' : 'draft', dueAt: day(n), waitingOn: ['person:official-kg'] }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return sampleView({
    id,
    title: id.charAt(0).toUpperCase() + id.slice(1),
    stage,
    round: undefined,
    deadlines,
    nextDueAt: deadlines[0]?.dueAt,
    milestones: [],
    ...over,
  });
}

let seq = 0;
function dep(initiativeId: string, blockedBy: string, over: Partial<Dependency> = {}): Dependency {
  seq += 1;
  return {
    id: `dep-${seq}`,
    initiativeId,
    blockedBy,
    until: 'adopted',
    by: 'secretariat-1',
    at: '2026-05-01T00:00:00.000Z',
    ...over,
  };
}

describe('one initiative alone', () => {
  it('is late past an open due date, at risk a week before a draft is due, on track otherwise, done when finished', () => {
    expect(healthOf(initiative('a', 'drafting', [-1, 20]), ASOF)).toBe('late');
    expect(healthOf(initiative('a', 'drafting', [7]), ASOF)).toBe('at_risk');
    expect(healthOf(initiative('a', 'drafting', [8]), ASOF)).toBe('on_track');
    // A sign-off due in three days is the states' to decide on the day: not a risk by itself...
    expect(healthOf(initiative('a', 'signoff', [3]), ASOF)).toBe('on_track');
    // ...but a round stopped by an objection is.
    const blocked = initiative('a', 'signoff', [], {
      round: { revision: 1, openedAt: day(-5), dueAt: day(10), members: ['KZ'], decisions: {}, blockedBy: 'KZ' },
    });
    expect(healthOf(blocked, ASOF)).toBe('at_risk');
    expect(healthOf(initiative('a', 'completed', [-30]), ASOF)).toBe('done');
    expect(healthOf(initiative('a', 'withdrawn', []), ASOF)).toBe('done');
  });

  it('meets an adoption from adoption on, a completion only on completion, and never once withdrawn', () => {
    const stages: Stage[] = ['drafting', 'signoff', 'adopted', 'implementing', 'completed', 'withdrawn'];
    expect(stages.filter((stage) => satisfied({ until: 'adopted' }, { stage }))).toEqual([
      'adopted',
      'implementing',
      'completed',
    ]);
    expect(stages.filter((stage) => satisfied({ until: 'completed' }, { stage }))).toEqual(['completed']);
  });
});

describe('the Secretariat waits for the Charter', () => {
  const secretariat = initiative('secretariat', 'drafting', [30]);
  const establishment = dep('secretariat', 'charter', { reason: 'established by the Charter' });

  it('is at risk while the late Charter is not adopted, and the Charter is named as the cause', () => {
    const charter = initiative('charter', 'drafting', [-3]);
    const health = dependencyHealth([secretariat, charter], [establishment], ASOF);
    expect(health.get('charter')).toEqual({ health: 'late', own: 'late', because: [] });
    expect(health.get('secretariat')).toEqual({
      health: 'at_risk',
      own: 'on_track',
      because: [
        {
          initiativeId: 'charter',
          title: 'Charter',
          health: 'late',
          why: 'late',
          path: ['secretariat', 'charter'],
          dependencyId: establishment.id,
          until: 'adopted',
        },
      ],
    });
  });

  it('names the cause in Russian too where the Charter has a Russian title', () => {
    const charter = { ...initiative('charter', 'drafting', [-3]), titleRu: 'Устав' };
    const [cause] = dependencyHealth([secretariat, charter], [establishment], ASOF).get('secretariat')!.because;
    expect(cause).toMatchObject({ title: 'Charter', titleRu: 'Устав' });
  });

  it('is on track again once the Charter is adopted, even with the Charter late on a milestone', () => {
    const adopted = initiative('charter', 'adopted', [-3]);
    expect(healthOf(adopted, ASOF)).toBe('late');
    const health = dependencyHealth([secretariat, adopted], [establishment], ASOF);
    expect(health.get('secretariat')).toEqual({ health: 'on_track', own: 'on_track', because: [] });
    // Waiting for its completion instead, the late milestone still counts.
    const untilDone = { ...establishment, until: 'completed' as const };
    expect(dependencyHealth([secretariat, adopted], [untilDone], ASOF).get('secretariat')?.health).toBe('at_risk');
  });

  it('leaves the Secretariat alone while the Charter, not adopted yet, is on track: waiting is not a risk', () => {
    const charter = initiative('charter', 'signoff', [20]);
    expect(dependencyHealth([secretariat, charter], [establishment], ASOF).get('secretariat')).toEqual({
      health: 'on_track',
      own: 'on_track',
      because: [],
    });
  });

  it('keeps its own worse health: late stays late, with the Charter still named', () => {
    const lateSecretariat = initiative('secretariat', 'drafting', [-1]);
    const charter = initiative('charter', 'drafting', [2]);
    const h = dependencyHealth([lateSecretariat, charter], [establishment], ASOF).get('secretariat')!;
    expect(h).toMatchObject({ health: 'late', own: 'late' });
    expect(h.because.map((c) => [c.initiativeId, c.health])).toEqual([['charter', 'at_risk']]);
  });

  it('carries the risk to the initiative when only its milestone waits, naming the milestone, until it is completed', () => {
    const premises = {
      id: 'premises',
      title: 'Premises in Almaty',
      ownerId: 'official-kz',
      ownerName: 'Focal point',
      ownerState: 'KZ',
      dueAt: day(40),
    };
    const implementing = initiative('secretariat', 'implementing', [40], { milestones: [premises] });
    const charter = initiative('charter', 'drafting', [-3]);
    const onMilestone = dep('secretariat', 'charter', { milestoneId: 'premises' });
    const h = dependencyHealth([implementing, charter], [onMilestone], ASOF).get('secretariat')!;
    expect(h.health).toBe('at_risk');
    expect(h.because).toEqual([
      expect.objectContaining({ initiativeId: 'charter', milestone: { id: 'premises', title: 'Premises in Almaty' } }),
    ]);

    const completed = { ...implementing, milestones: [{ ...premises, completedAt: day(-1) }] };
    expect(dependencyHealth([completed, charter], [onMilestone], ASOF).get('secretariat')?.health).toBe('on_track');
  });
});

describe('a chain of three', () => {
  // The budget waits for the Secretariat, which waits for the Charter.
  const deps = [dep('budget', 'secretariat'), dep('secretariat', 'charter')];

  it('carries the Charter being late two hops down, with the whole path', () => {
    const views = [
      initiative('budget', 'drafting', [60]),
      initiative('secretariat', 'drafting', [30]),
      initiative('charter', 'drafting', [-3]),
    ];
    const health = dependencyHealth(views, deps, ASOF);
    expect(health.get('budget')).toMatchObject({ health: 'at_risk', own: 'on_track' });
    expect(health.get('budget')?.because).toEqual([
      expect.objectContaining({ initiativeId: 'charter', health: 'late', path: ['budget', 'secretariat', 'charter'] }),
    ]);
    // Both the Secretariat (late itself) and the Charter further down are named, each once.
    const late = [initiative('budget', 'drafting', [60]), initiative('secretariat', 'drafting', [-1]), views[2]];
    expect(
      dependencyHealth(late, deps, ASOF)
        .get('budget')
        ?.because.map((c) => c.path),
    ).toEqual([
      ['budget', 'secretariat'],
      ['budget', 'secretariat', 'charter'],
    ]);
  });

  it('stops where a link is met: the Secretariat adopted shields the budget from the Charter', () => {
    const views = [
      initiative('budget', 'drafting', [60]),
      initiative('secretariat', 'adopted', [90]),
      initiative('charter', 'drafting', [-3]),
    ];
    expect(dependencyHealth(views, deps, ASOF).get('budget')).toEqual({
      health: 'on_track',
      own: 'on_track',
      because: [],
    });
  });

  it('blocks the dependent of a withdrawn initiative, and puts what waits further down at risk', () => {
    const views = [
      initiative('budget', 'drafting', [60]),
      initiative('secretariat', 'drafting', [30]),
      initiative('charter', 'withdrawn', [], { closed: { at: day(-2), reason: 'superseded', by: 'sec' } }),
    ];
    const health = dependencyHealth(views, deps, ASOF);
    expect(health.get('charter')?.health).toBe('done');
    expect(health.get('secretariat')).toMatchObject({
      health: 'blocked',
      because: [{ initiativeId: 'charter', health: 'blocked', why: 'withdrawn', path: ['secretariat', 'charter'] }],
    });
    expect(health.get('budget')).toMatchObject({
      health: 'at_risk',
      because: [{ initiativeId: 'charter', why: 'withdrawn', path: ['budget', 'secretariat', 'charter'] }],
    });
  });

  it('does not hold back a dependent that is finished', () => {
    const views = [initiative('budget', 'completed', []), initiative('secretariat', 'drafting', [-5])];
    expect(dependencyHealth(views, deps, ASOF).get('budget')).toEqual({ health: 'done', own: 'done', because: [] });
  });
});

describe('cycles', () => {
  it('refuses a→b over b→a, and a→a', () => {
    const ab = [dep('a', 'b')];
    expect(wouldCycle(ab, { initiativeId: 'b', blockedBy: 'a' })).toBe(true);
    expect(wouldCycle([], { initiativeId: 'a', blockedBy: 'a' })).toBe(true);
    expect(() => refuseCycle(ab, { initiativeId: 'b', blockedBy: 'a' })).toThrow(Refusal);
    expect(() => refuseCycle(ab, { initiativeId: 'b', blockedBy: 'a' })).toThrow('b → a → b');
    expect(() => refuseCycle([], { initiativeId: 'a', blockedBy: 'a' })).toThrow('a cannot wait for itself');
  });

  it('finds a loop down a longer chain, milestones included, and allows a diamond', () => {
    const chain = [dep('a', 'b'), dep('b', 'c', { milestoneId: 'm1' })];
    expect(wouldCycle(chain, { initiativeId: 'c', blockedBy: 'a' })).toBe(true);
    expect(() => refuseCycle(chain, { initiativeId: 'c', blockedBy: 'a' })).toThrow('c → a → b → c');
    // a waits for b and c, both wait for d: no loop.
    const diamond = [dep('a', 'b'), dep('a', 'c'), dep('b', 'd')];
    expect(wouldCycle(diamond, { initiativeId: 'c', blockedBy: 'd' })).toBe(false);
    expect(wouldCycle(chain, { initiativeId: 'a', blockedBy: 'c' })).toBe(false);
    expect(() => refuseCycle(diamond, { initiativeId: 'c', blockedBy: 'd' })).not.toThrow();
  });
});

describe('the path to the next summit', () => {
  const SUMMIT = '2026-08-15';

  it('puts blockers before dependents, each with the earliest date it can be met and whether it misses the summit', () => {
    const views = [
      initiative('budget', 'drafting', [20]),
      initiative('secretariat', 'drafting', [10]),
      initiative('unrelated', 'drafting', [5]),
      initiative('charter', 'signoff', [80]),
      initiative('visa', 'signoff', [40]),
      initiative('permits', 'drafting', [30]),
      initiative('adopted', 'adopted', [100]),
    ];
    const deps = [
      dep('budget', 'secretariat'),
      dep('secretariat', 'charter'),
      dep('permits', 'visa'),
      // Met: no longer on the path.
      dep('visa', 'adopted'),
    ];
    const path = pathToSummit(views, deps, { summitDate: SUMMIT, asOf: ASOF });
    // Only the initiatives in a chain not yet met: blockers first, the chain that can be met earlier first.
    const order = path.map((s) => s.initiativeId);
    expect(order).toEqual(['visa', 'permits', 'charter', 'secretariat', 'budget']);
    const byId = Object.fromEntries(path.map((s) => [s.initiativeId, s]));
    expect(byId.visa).toMatchObject({ earliest: day(40), afterSummit: false, waitsFor: [] });
    // Permits is due earlier than the visa regime it waits for: the later date wins.
    expect(byId.permits).toMatchObject({ nextDueAt: day(30), earliest: day(40), afterSummit: false });
    expect(byId.charter).toMatchObject({ earliest: day(80), afterSummit: true });
    expect(byId.budget).toMatchObject({
      earliest: day(80),
      afterSummit: true,
      waitsFor: [expect.objectContaining({ blockedBy: 'secretariat', until: 'adopted' })],
    });
  });

  it('does not date a late blocker in the past, and marks a chain ending in a withdrawn initiative as never', () => {
    const late = pathToSummit(
      [initiative('secretariat', 'drafting', [10]), initiative('charter', 'drafting', [-3])],
      [dep('secretariat', 'charter')],
      { summitDate: SUMMIT, asOf: ASOF },
    );
    expect(late.map((s) => [s.initiativeId, s.earliest, s.health])).toEqual([
      ['charter', ASOF, 'late'],
      ['secretariat', day(10), 'at_risk'],
    ]);

    const withdrawn = pathToSummit(
      [
        initiative('budget', 'drafting', [1]),
        initiative('secretariat', 'drafting', [1]),
        initiative('charter', 'withdrawn', []),
      ],
      [dep('budget', 'secretariat'), dep('secretariat', 'charter')],
      { summitDate: SUMMIT, asOf: ASOF },
    );
    expect(withdrawn.map((s) => [s.initiativeId, s.never, s.afterSummit, s.earliest])).toEqual([
      ['charter', true, true, undefined],
      ['secretariat', true, true, undefined],
      ['budget', true, true, undefined],
    ]);
  });

  it('counts what is due on the summit day itself as after the summit', () => {
    const onTheDay = initiative('charter', 'signoff', [], {
      deadlines: [{ step: 'signoff', dueAt: '2026-08-15T05:00:00.000Z', waitingOn: [] }],
      nextDueAt: '2026-08-15T05:00:00.000Z',
    });
    const path = pathToSummit(
      [initiative('secretariat', 'drafting', [10]), onTheDay],
      [dep('secretariat', 'charter')],
      {
        summitDate: SUMMIT,
        asOf: ASOF,
      },
    );
    expect(path.map((s) => s.afterSummit)).toEqual([true, true]);
    const dayBefore = pathToSummit(
      [initiative('secretariat', 'drafting', [10]), initiative('charter', 'signoff', [74])],
      [dep('secretariat', 'charter')],
      { summitDate: SUMMIT, asOf: ASOF },
    );
    expect(dayBefore.map((s) => [s.earliest, s.afterSummit])).toEqual([
      ['2026-08-14T06:00:00.000Z', false],
      ['2026-08-14T06:00:00.000Z', false],
    ]);
  });
});
