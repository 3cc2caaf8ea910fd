/** Which year of the rotation calendar the Secretariat must fill in, and from when it is told. */
import { rotationGap, type ChairPeriod } from '../../src/domain/rotation';

const TASHKENT: ChairPeriod[] = [
  { year: 2025, chairState: 'UZ', from: '2025-01-01', to: '2025-12-31' },
  { year: 2026, chairState: 'TM', from: '2026-01-01', to: '2026-12-31' },
];

describe('a gap in the rotation calendar', () => {
  it('is announced 90 days before the rotation date when the next year has no Chair, with the days left', () => {
    expect(rotationGap(TASHKENT, '2026-10-02')).toBeUndefined();
    expect(rotationGap(TASHKENT, '2026-10-03')).toEqual({ year: 2027, from: '2027-01-01', daysLeft: 90 });
    expect(rotationGap(TASHKENT, '2026-12-03')).toEqual({ year: 2027, from: '2027-01-01', daysLeft: 29 });
    expect(rotationGap(TASHKENT, '2026-12-31')).toEqual({ year: 2027, from: '2027-01-01', daysLeft: 1 });
  });

  it('is a gap today once the calendar has run out, or for a day no period covers', () => {
    expect(rotationGap(TASHKENT, '2027-01-01')).toEqual({ year: 2027, from: '2027-01-01', daysLeft: 0 });
    expect(rotationGap([], '2026-05-05')).toEqual({ year: 2026, from: '2026-05-05', daysLeft: 0 });
  });

  it('is none once the next period is entered, even one that starts mid-year', () => {
    const entered = [...TASHKENT, { year: 2027, chairState: 'AZ', from: '2027-01-01', to: '2027-06-30' }];
    expect(rotationGap(entered, '2026-12-03')).toBeUndefined();
    expect(rotationGap(entered, '2027-05-01')).toEqual({ year: 2027, from: '2027-07-01', daysLeft: 61 });
  });
});
