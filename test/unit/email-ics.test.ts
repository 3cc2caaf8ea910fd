/** The deadline event: stable UID, growing SEQUENCE, RFC 5545 escaping and folding. */
import { deadlineIcs, deadlineUid, escapeText, foldLine } from '../../src/email/ics';

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
