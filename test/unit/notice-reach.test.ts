/** The record of who was told, from the trail, the emails sent and the openings (src/domain/notice-reach.ts). */
import { noticeReach } from '../../src/domain/notice-reach';
import type { AuditEvent } from '../../src/domain/types';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();
const rep = (state: string) => ({
  personId: `rep-${state.toLowerCase()}`,
  name: `Representative ${state}`,
  roles: ['representative' as const],
  state,
});
const trail = [
  {
    seq: 3,
    type: 'signoff_opened',
    at: at(0),
    revision: 1,
    data: { members: ['KG', 'UZ'], dueAt: at(500), policy: 'consensus' },
  },
  { seq: 4, type: 'acknowledged', at: at(20), revision: 1, actor: rep('KG'), data: { state: 'KG' } },
  {
    seq: 5,
    type: 'editorial_revision',
    at: at(30),
    revision: 2,
    data: { from: 1, revision: 2, reason: 'typo', textHash: 'h', languages: 'en', texts: {}, carriedApprovals: [] },
  },
] as unknown as AuditEvent[];

describe('who was told', () => {
  it('has a row per revision put to the states and per state asked, the editorial revision to the same states', () => {
    const rows = noticeReach(trail, [], []);
    expect(rows.map((r) => `${r.revision}:${r.state}`)).toEqual(['1:KG', '1:UZ', '2:KG', '2:UZ']);
    expect(rows[1]).toEqual({ revision: 1, state: 'UZ' });
  });

  it('counts as delivered the earliest accepted email that carries the text, and no other', () => {
    const rows = noticeReach(
      trail,
      [
        { state: 'KG', kind: 'reminder', revision: 1, sentAt: at(1) },
        { state: 'KG', kind: 'signoff_requested', revision: 1, sentAt: at(5) },
        { state: 'KG', kind: 'signoff_requested', revision: 1, sentAt: at(3) },
        { state: 'UZ', kind: 'signoff_requested', revision: 1 },
        { state: 'UZ', kind: 'editorial_revision', revision: 2, sentAt: at(31) },
      ],
      [],
    );
    expect(rows.find((r) => r.revision === 1 && r.state === 'KG')!.deliveredAt).toBe(at(3));
    expect(rows.find((r) => r.revision === 1 && r.state === 'UZ')!.deliveredAt).toBeUndefined();
    expect(rows.find((r) => r.revision === 2 && r.state === 'UZ')!.deliveredAt).toBe(at(31));
  });

  it('keeps the first opening and the acknowledgement of each revision, ignoring states not asked', () => {
    const rows = noticeReach(
      trail,
      [],
      [
        { revision: 1, state: 'UZ', at: at(12), by: 'rep-uz', via: 'page' },
        { revision: 1, state: 'UZ', at: at(10), by: 'deputy-uz', via: 'link' },
        { revision: 1, state: 'AZ', at: at(10), by: 'rep-az', via: 'page' },
      ],
    );
    expect(rows.find((r) => r.revision === 1 && r.state === 'UZ')).toEqual({
      revision: 1,
      state: 'UZ',
      openedAt: at(10),
      openedVia: 'link',
      openedBy: 'deputy-uz',
    });
    expect(rows.find((r) => r.revision === 1 && r.state === 'KG')).toMatchObject({
      acknowledgedAt: at(20),
      acknowledgedBy: 'Representative KG',
    });
    expect(rows.find((r) => r.revision === 2 && r.state === 'KG')!.acknowledgedAt).toBeUndefined();
    expect(rows.some((r) => r.state === 'AZ')).toBe(false);
  });

  it('takes the round the workflow holds now where the recorded trail has not caught up with it', () => {
    const live = {
      revision: 3,
      members: ['KG', 'UZ'],
      acknowledged: { UZ: { at: at(40), byName: 'Representative UZ' } },
    };
    const rows = noticeReach(trail, [], [], live).filter((r) => r.revision === 3);
    expect(rows).toEqual([
      { revision: 3, state: 'KG' },
      { revision: 3, state: 'UZ', acknowledgedAt: at(40), acknowledgedBy: 'Representative UZ' },
    ]);
    // A recorded acknowledgement stands; the live one only fills what the trail lacks.
    const recorded = noticeReach(trail, [], [], {
      revision: 1,
      members: ['KG', 'UZ'],
      acknowledged: { KG: { at: at(50), byName: 'Other' } },
    });
    expect(recorded.find((r) => r.revision === 1 && r.state === 'KG')).toMatchObject({ acknowledgedAt: at(20) });
    expect(recorded.filter((r) => r.revision === 1)).toHaveLength(2);
  });
});
