/** A delegation's dates are calendar days where the deputy is. */
import { dayOf, delegationCovers } from '../../src/domain/delegation';
import { actorOf } from '../../src/service/initiatives';

const deputy = {
  _id: 'deputy-uz',
  name: 'Deputy UZ',
  roles: ['deputy' as const],
  state: 'UZ',
  deputyOf: 'rep-uz',
  delegation: { from: '2026-06-01', to: '2026-12-31' },
};

describe('delegation dates', () => {
  it('end at midnight in the deputy zone: 20:00 UTC on the last day is already the next day in Tashkent', () => {
    const evening = new Date('2026-12-31T20:00:00Z');
    expect(dayOf(evening, 'Asia/Tashkent')).toBe('2027-01-01');
    expect(actorOf(deputy, dayOf(evening, 'Asia/Tashkent')).roles).toEqual([]);
    expect(actorOf(deputy, dayOf(new Date('2026-12-31T18:59:59Z'), 'Asia/Tashkent'))).toMatchObject({
      roles: ['deputy'],
      onBehalfOf: 'rep-uz',
    });
  });

  it('begin at midnight in the deputy zone: 19:00 UTC the day before is the first day in Tashkent', () => {
    expect(delegationCovers(deputy, dayOf(new Date('2026-05-31T19:00:00Z'), 'Asia/Tashkent'))).toBe(true);
    expect(delegationCovers(deputy, dayOf(new Date('2026-05-31T18:59:59Z'), 'Asia/Tashkent'))).toBe(false);
    expect(delegationCovers({}, '1999-01-01')).toBe(true);
  });
});
