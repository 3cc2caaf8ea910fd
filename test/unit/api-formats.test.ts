/** The API's pure pieces: CSV cells, the iCalendar feed, access-log redaction and the inbox rules. */
import { redactUrl } from '../../src/api/access-log';
import { csvCell, toCsv } from '../../src/api/csv';
import { renderCalendar } from '../../src/api/ical';
import type { InitiativeView } from '../../src/domain/view';
import { byDueDate, inboxItemsOf } from '../../src/service/read-model';

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(toCsv(['h1', 'h2'], [[1, 'x\ny']])).toBe('h1,h2\r\n1,"x\ny"\r\n');
  });
});

describe('the iCalendar feed', () => {
  it('writes CRLF lines of at most 75 octets, escaped text, and a block ending at the due instant', () => {
    const text = renderCalendar(
      'Summit Follow-up: Фокусное лицо',
      [
        {
          uid: 'x.draft@example.org',
          dueAt: new Date('2026-12-20T04:00:00Z'),
          summary: 'Due: submit the draft; "Цифровой транзитный коридор", with a very long title that needs folding',
          url: 'https://e.org/i/x',
        },
      ],
      new Date('2026-11-28T10:00:00Z'),
    );
    const lines = text.split('\r\n');
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('DTSTART:20261220T033000Z\r\nDTEND:20261220T040000Z');
    expect(unfolded).toContain('SUMMARY:Due: submit the draft\\; "Цифровой транзитный коридор"\\, with a very');
    expect(unfolded).toContain('DTSTAMP:20261128T100000Z');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});

describe('access-log redaction', () => {
  it('hides the credentials that travel in URLs', () => {
    expect(redactUrl('/calendar/sfc_abcdefghijklmnopqrstuvwx.ics')).toBe('/calendar/[redacted]');
    expect(redactUrl('/act/eyJhbGci.sig')).toBe('/act/[redacted]');
    expect(redactUrl('/auth/sign-in?token=sfm_secret&x=1')).toBe('/auth/sign-in?token=[redacted]&x=1');
    expect(redactUrl('/api/initiatives?stage=signoff')).toBe('/api/initiatives?stage=signoff');
    expect(redactUrl('/anything/sfu_leakedtoken123')).toBe('/anything/[redacted]');
  });
});

describe('the inbox', () => {
  const base: InitiativeView = {
    id: 'dtc',
    title: 'Digital Transit Corridor',
    proposingState: 'KG',
    summit: 'tashkent-2025',
    category: 'transport',
    stage: 'signoff',
    revision: 2,
    policy: { rule: { rule: 'consensus' }, silenceProcedure: false },
    lead: { state: 'KG', timeZone: 'Asia/Bishkek', officialId: 'official-kg', officialName: 'Focal point' },
    round: {
      revision: 2,
      openedAt: '2026-11-01T00:00:00Z',
      dueAt: '2026-11-20T00:00:00.000Z',
      members: ['KG', 'KZ'],
      decisions: {},
    },
    pendingStates: ['KG', 'KZ'],
    deadlines: [{ step: 'signoff', dueAt: '2026-11-20T00:00:00.000Z', waitingOn: ['state:KG', 'state:KZ'] }],
    milestones: [],
    startedAt: '2026-10-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    version: 9,
  };
  const now = '2026-11-28T00:00:00.000Z';

  it('gives a representative and an active deputy the decision, overdue when past due; others nothing', () => {
    const rep = { personId: 'rep-kz', name: 'Rep', roles: ['representative' as const], state: 'KZ' };
    expect(inboxItemsOf(base, rep, now)).toEqual([
      expect.objectContaining({
        kind: 'decision',
        step: 'signoff',
        state: 'KZ',
        revision: 2,
        dueAt: '2026-11-20T00:00:00.000Z',
        overdue: true,
      }),
    ]);
    expect(inboxItemsOf(base, { ...rep, personId: 'dep', roles: ['deputy'] }, now)).toHaveLength(1);
    expect(inboxItemsOf(base, { ...rep, roles: [] }, now)).toEqual([]); // a deputy outside the delegation dates
    expect(inboxItemsOf(base, { personId: 'official-kz', name: 'O', roles: ['official'], state: 'KZ' }, now)).toEqual(
      [],
    );
    expect(inboxItemsOf({ ...base, pendingStates: ['KG'] }, rep, now)).toEqual([]);
  });

  it('gives the lead official the draft, owners their open milestones, the Secretariat assignments and objections', () => {
    const drafting = {
      ...base,
      stage: 'drafting' as const,
      pendingStates: [],
      deadlines: [{ step: 'draft', dueAt: '2026-12-01T00:00:00.000Z', waitingOn: [] }],
    };
    expect(
      inboxItemsOf(drafting, { personId: 'official-kg', name: 'O', roles: ['official'], state: 'KG' }, now),
    ).toEqual([
      expect.objectContaining({
        kind: 'draft',
        step: 'draft',
        dueAt: '2026-12-01T00:00:00.000Z',
        overdue: false,
        what: 'submit the draft (revision 3)',
      }),
    ]);
    const implementing = {
      ...base,
      stage: 'implementing' as const,
      milestones: [
        {
          id: 'm1',
          title: 'Pilot',
          ownerId: 'official-kz',
          ownerName: 'O',
          ownerState: 'KZ',
          dueAt: '2027-01-01T00:00:00.000Z',
        },
        {
          id: 'm2',
          title: 'Done',
          ownerId: 'official-kz',
          ownerName: 'O',
          ownerState: 'KZ',
          dueAt: '2026-12-01T00:00:00.000Z',
          completedAt: '2026-11-02T00:00:00Z',
        },
      ],
    };
    expect(
      inboxItemsOf(implementing, { personId: 'official-kz', name: 'O', roles: ['official'], state: 'KZ' }, now).map(
        (i) => i.step,
      ),
    ).toEqual(['milestone:m1']);
    const sec = { personId: 'secretariat', name: 'S', roles: ['secretariat' as const] };
    expect(
      inboxItemsOf(
        {
          ...base,
          stage: 'proposed',
          deadlines: [{ step: 'assignment', dueAt: '2026-12-05T00:00:00.000Z', waitingOn: [] }],
        },
        sec,
        now,
      )[0],
    ).toMatchObject({ kind: 'assignment' });
    expect(inboxItemsOf({ ...base, round: { ...base.round!, blockedBy: 'KZ' } }, sec, now)[0]).toMatchObject({
      kind: 'objection',
      what: expect.stringContaining('KZ objected'),
    });
  });

  it("gives the Secretariat and the Chair's representative every overdue step of others, naming who is late", () => {
    const sec = { personId: 'sec', name: 'S', roles: ['secretariat' as const] };
    const chairRep = { personId: 'rep-tm', name: 'R', roles: ['representative' as const], state: 'TM' };
    const drafting = {
      ...base,
      stage: 'drafting' as const,
      pendingStates: [],
      deadlines: [{ step: 'draft', dueAt: '2026-11-27T00:00:00.000Z', waitingOn: ['person:official-kg'] }],
    };
    const escalation = expect.objectContaining({
      kind: 'escalation',
      step: 'draft',
      overdue: true,
      waitingOn: [{ personId: 'official-kg', name: 'Focal point' }],
    });
    expect(inboxItemsOf(drafting, sec, now)).toEqual([escalation]);
    expect(inboxItemsOf(drafting, chairRep, now, true)).toEqual([escalation]);
    // Not the Chair: nothing; not yet due, closed, or the Secretariat's own step: no escalation.
    expect(inboxItemsOf(drafting, chairRep, now, false)).toEqual([]);
    expect(inboxItemsOf(drafting, sec, '2026-11-26T00:00:00.000Z')).toEqual([]);
    expect(inboxItemsOf({ ...drafting, stage: 'withdrawn' }, sec, now)).toEqual([]);
    const proposed = {
      ...base,
      stage: 'proposed' as const,
      deadlines: [{ step: 'assignment', dueAt: '2026-11-27T00:00:00.000Z', waitingOn: ['secretariat'] }],
    };
    expect(inboxItemsOf(proposed, sec, now).map((i) => i.kind)).toEqual(['assignment']);
  });

  it('sorts soonest due first, undated items last', () => {
    const item = (initiativeId: string, dueAt?: string) => ({
      kind: 'draft' as const,
      step: 'draft',
      initiativeId,
      title: '',
      stage: 'drafting',
      revision: 0,
      overdue: false,
      what: '',
      dueAt,
    });
    const sorted = [item('c'), item('b', '2026-12-02'), item('a', '2026-12-01'), item('d', '2026-12-01')].sort(
      byDueDate,
    );
    expect(sorted.map((i) => i.initiativeId)).toEqual(['a', 'd', 'b', 'c']);
  });
});
