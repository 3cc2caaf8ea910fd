/**
 * The iCalendar (RFC 5545) feed of a person's deadlines: the same escaping, folding and UIDs as the .ics
 * attachments of deadline emails. It lists what awaits the person now (their inbox), so a step that is over or no
 * longer waits on them is simply absent: a subscribed calendar replaces the feed's events on each refresh, which
 * drops it, where the emails' .ics must send a CANCEL (activities/record.ts, src/email/calendar.ts). Every TEXT value goes through escapeText, which also neutralises line breaks
 * and control characters in titles stored before the API refused them (issue 12).
 */
import { escapeText, foldLine, uriValue } from '../email/ics';

export interface CalendarEvent {
  /** deadlineUid(initiative, step, mail domain): the UID of the email attachments, so a calendar holds one event per step. */
  uid: string;
  dueAt: Date;
  summary: string;
  description?: string;
  url?: string;
}

/** Like the email attachments: a short block ending at the due instant. */
const EVENT_MS = 30 * 60_000;
const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function renderCalendar(name: string, events: CalendarEvent[], now = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//summit-followup//deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
  ];
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART:${stamp(new Date(e.dueAt.getTime() - EVENT_MS))}`,
      `DTEND:${stamp(e.dueAt)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(uriValue(e.url) ? [`URL:${e.url}`] : []),
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(e.summary)}`,
      'TRIGGER:-P1D',
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
