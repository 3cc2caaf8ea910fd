/** The deadline event: stable UID, growing SEQUENCE, RFC 5545 escaping and folding. */
import { renderCalendar } from '../../src/api/ical';
import { deadlineIcs, deadlineUid, escapeText, foldLine } from '../../src/email/ics';
import { calendarEventText } from '../../src/email/render';
import { SAMPLE_NOTIFICATIONS, sampleView, STATE_NAMES } from '../../src/email/samples';

const base = {
  initiativeId: 'digital-transit-corridor',
  step: 'milestone:pilot',
  dueAt: '2026-12-22T05:00:00.000Z',
  sequence: 0,
  summary: 'Срок: национальное согласование — Цифровой транзитный коридор',
  description: 'Line one; with, commas\nline two \\ backslash',
  url: 'https://summit.example.org/initiatives/digital-transit-corridor',
  stamp: new Date('2026-12-01T05:00:00.000Z'),
  domain: 'summit.example.org',
};

function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n');
}

describe('deadline calendar event', () => {
  it('ends at the due instant and keeps one UID per initiative and step', () => {
    const ics = deadlineIcs(base);
    const lines = unfold(ics);
    expect(lines).toContain('UID:digital-transit-corridor.milestone-pilot@summit.example.org');
    expect(lines).toContain('SEQUENCE:0');
    expect(lines).toContain('DTSTART:20261222T043000Z');
    expect(lines).toContain('DTEND:20261222T050000Z');
    expect(lines).toContain('DTSTAMP:20261201T050000Z');
    expect(lines).toContain('METHOD:PUBLISH');
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    expect(deadlineUid('x', 'signoff', 'd.example')).toBe('x.signoff@d.example');
  });

  it('an extension keeps the UID and raises SEQUENCE, so calendars move the event', () => {
    const first = unfold(deadlineIcs(base));
    const moved = unfold(deadlineIcs({ ...base, dueAt: '2026-12-29T05:00:00.000Z', sequence: 1 }));
    const uid = (ls: string[]) => ls.find((l) => l.startsWith('UID:'));
    expect(uid(moved)).toBe(uid(first));
    expect(moved).toContain('SEQUENCE:1');
    expect(moved).toContain('DTEND:20261229T050000Z');
  });

  it('escapes text and folds long lines without splitting a Cyrillic letter', () => {
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    const long = `SUMMARY:${'Ж'.repeat(100)}`;
    const folded = foldLine(long);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const lines = unfold(deadlineIcs(base));
    expect(lines).toContain('DESCRIPTION:Line one\\; with\\, commas\\nline two \\\\ backslash');
    expect(lines).toContain(`SUMMARY:${base.summary}`);
  });
});

/**
 * Issue 12: a title stored before validation refused CR (or any text reaching a calendar) must not add lines,
 * properties or events. The output is parsed as a calendar client would: CRLF, a CR alone and LF each end a
 * content line (clients are lenient), folded lines joined first.
 */
describe('no injection into iCalendar', () => {
  const INJECTION =
    'Corridor\rEND:VEVENT\rBEGIN:VEVENT\rUID:evil@attacker.example\rSUMMARY:Pay here\nURL:https://attacker.example\r\nATTACH:x';
  const NASTY = `${INJECTION}\u0000\u0007\u000b\u000c\u001b[2J\u007f\u0085;,\\\t`;

  /** Content lines as a lenient client reads them: unfold, then break at any CR or LF. */
  function contentLines(ics: string): string[] {
    return ics
      .replace(/\r\n[ \t]/g, '')
      .split(/\r\n|\r|\n/)
      .filter((l) => l !== '');
  }
  const names = (ics: string) => contentLines(ics).map((l) => /^[A-Z-]+/.exec(l)?.[0] ?? `(no name) ${l}`);

  it('escapes a bare CR like a line break and drops other control characters', () => {
    expect(escapeText('a\rb')).toBe('a\\nb');
    expect(escapeText('a\r\nb\nc')).toBe('a\\nb\\nc');
    expect(escapeText('a\u0000b\u001b[2Jc\u007fd\u0085e\u000bf\u000cg')).toBe('ab[2Jcdefg');
    expect(escapeText('tab\tstays')).toBe('tab\tstays');
    expect(escapeText(NASTY)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
  });

  it('an attachment whose title holds CRs keeps exactly the properties of a clean one', () => {
    const clean = deadlineIcs(base);
    const hostile = deadlineIcs({ ...base, summary: NASTY, description: NASTY });
    expect(names(hostile)).toEqual(names(clean));
    const lines = contentLines(hostile);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('UID:'))).toEqual([
      'UID:digital-transit-corridor.milestone-pilot@summit.example.org',
    ]);
    expect(lines.filter((l) => l.startsWith('URL:'))).toEqual([`URL:${base.url}`]);
    expect(lines.find((l) => l.startsWith('SUMMARY:'))).toBe(
      'SUMMARY:Corridor\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil@attacker.example\\nSUMMARY:Pay here\\nURL:https://attacker.example\\nATTACH:x[2J\\;\\,\\\\\t',
    );
    // Every CR in the raw output belongs to a CRLF line end, and no physical line is longer than 75 octets.
    expect(hostile.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(hostile.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
  });

  it('a deadline email built from an initiative whose stored title holds CRs attaches one clean event', () => {
    // The same composition as activities/record.ts: the email's words for the event, then deadlineIcs.
    const initiative = sampleView({ title: 'Corridor\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected\u0000' });
    for (const locale of ['en', 'ru', undefined]) {
      const text = calendarEventText(SAMPLE_NOTIFICATIONS.signoff_requested, {
        initiative,
        recipient: { name: 'Rep', locale, timeZone: 'Asia/Almaty', state: 'KZ' },
        stateNames: STATE_NAMES,
        publicUrl: 'https://summit.example.org/',
      });
      const ics = deadlineIcs({ ...base, ...text });
      expect(names(ics)).toEqual(names(deadlineIcs(base)));
      expect(contentLines(ics).some((l) => l.startsWith('SUMMARY:Injected'))).toBe(false);
      expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n\u0000]/);
    }
  });

  it('a URL that is not http(s) is left out of the event', () => {
    const lines = contentLines(deadlineIcs({ ...base, url: 'javascript:alert(1)\r\nATTACH:x' }));
    expect(lines.some((l) => l.startsWith('URL') || l.startsWith('ATTACH'))).toBe(false);
  });

  it('folds at 75 octets without splitting a UTF-8 sequence, for 1- to 4-byte characters at every offset', () => {
    for (const ch of ['a', 'Ж', '€', '🇰🇿', '👨‍👩‍👧']) {
      for (let pad = 0; pad < 4; pad += 1) {
        const line = `SUMMARY:${'x'.repeat(pad)}${ch.repeat(60)}`;
        const folded = foldLine(line);
        const physical = folded.split('\r\n');
        expect(physical.every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
        expect(physical.slice(1).every((l) => l.startsWith(' '))).toBe(true);
        // A split surrogate pair would leave a lone surrogate, which UTF-8 cannot carry.
        expect(
          physical.every((l) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(l)),
        ).toBe(true);
        expect(folded.replace(/\r\n /g, '')).toBe(line);
      }
    }
  });

  it('keeps the output of a clean event as it was: UID, SEQUENCE, METHOD and line order', () => {
    expect(names(deadlineIcs({ ...base, sequence: 3 }))).toEqual([
      'BEGIN',
      'VERSION',
      'PRODID',
      'CALSCALE',
      'METHOD',
      'BEGIN',
      'UID',
      'SEQUENCE',
      'DTSTAMP',
      'DTSTART',
      'DTEND',
      'SUMMARY',
      'DESCRIPTION',
      'URL',
      'STATUS',
      'TRANSP',
      'BEGIN',
      'ACTION',
      'TRIGGER',
      'DESCRIPTION',
      'END',
      'END',
      'END',
    ]);
    expect(contentLines(deadlineIcs({ ...base, sequence: 3 }))).toEqual(
      expect.arrayContaining([
        'METHOD:PUBLISH',
        'SEQUENCE:3',
        'UID:digital-transit-corridor.milestone-pilot@summit.example.org',
      ]),
    );
  });
});

describe('no injection into the calendar feed', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  const event = (summary: string, url?: string) => ({
    uid: 'x.draft@example.org',
    dueAt: new Date('2026-12-20T04:00:00Z'),
    summary,
    description: `${summary}: submit the draft.`,
    url,
  });
  const contentLines = (ics: string) =>
    ics
      .replace(/\r\n[ \t]/g, '')
      .split(/\r\n|\r|\n/)
      .filter((l) => l !== '');

  it('a stored title holding CRs renders as one event with one SUMMARY, and the feed name cannot add lines either', () => {
    const clean = renderCalendar(
      'Summit Follow-up: Ada',
      [event('Due: submit the draft — Corridor', 'https://e.org/i/x')],
      now,
    );
    const hostile = renderCalendar(
      'Summit Follow-up: Ada\rX-EVIL:1',
      [
        event(
          'Due: submit the draft — Corridor\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected\u0000',
          'https://e.org/i/x',
        ),
      ],
      now,
    );
    expect(contentLines(hostile)).toHaveLength(contentLines(clean).length);
    expect(contentLines(hostile).filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(contentLines(hostile).filter((l) => l.startsWith('SUMMARY:'))).toEqual([
      'SUMMARY:Due: submit the draft — Corridor\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:Injected',
    ]);
    expect(contentLines(hostile).some((l) => l.startsWith('X-EVIL'))).toBe(false);
    expect(hostile.replace(/\r\n/g, '')).not.toMatch(/[\r\n\u0000]/);
  });

  it('writes a URL only when it is http(s)', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'https://e.org/x\rATTACH:y']) {
      expect(
        contentLines(renderCalendar('n', [event('s', url)], now)).some(
          (l) => l.startsWith('URL') || l.startsWith('ATTACH'),
        ),
      ).toBe(false);
    }
    expect(contentLines(renderCalendar('n', [event('s', 'https://e.org/i/x')], now))).toContain(
      'URL:https://e.org/i/x',
    );
  });
});
