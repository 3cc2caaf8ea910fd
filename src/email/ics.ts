/**
 * The iCalendar (RFC 5545) attachment of deadline emails: one event per initiative step, ending at
 * the due instant. Its UID is stable per initiative and step, and SEQUENCE grows with each new due
 * date of that step, so a calendar that already holds the event moves it instead of adding one.
 *
 * Kept as a small renderer rather than ical-generator: the output is two fixed shapes (this attachment and the
 * feed in src/api/ical.ts) whose UIDs and SEQUENCE calendars already hold, and that library escapes CR and LF
 * but passes the other control characters into TEXT, so it would need this escaping in front of it anyway.
 */
import { isHttpUrl } from './http-url';

export interface DeadlineEvent {
  initiativeId: string;
  step: string;
  /** The due instant (ISO UTC). */
  dueAt: string;
  /** 0 for the first due date of the step, +1 for each later one (extension, new round). */
  sequence: number;
  summary: string;
  description: string;
  url: string;
  /** DTSTAMP: when this version was produced. */
  stamp: Date;
  /** The domain of UIDs (the sender's mail domain). */
  domain: string;
}

/** The event's length before the due instant: it shows as a short block ending at the deadline. */
const EVENT_MS = 30 * 60_000;

/** The stable UID of a step's deadline event. */
export function deadlineUid(initiativeId: string, step: string, domain: string): string {
  return `${initiativeId}.${step.replace(/[^A-Za-z0-9._-]/g, '-')}@${domain}`;
}

function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma are backslash-escaped, and every
 * line break (CRLF, a CR alone, LF) becomes the two characters \n. Other control characters but TAB have no
 * place in TEXT (§3.3.11 TSAFE-CHAR excludes CONTROL) and are dropped. A bare CR matters most: calendar
 * clients end a content line at it, so a title holding one could add properties or whole events (issue 12).
 * Validation refuses such text at the door; this is the guarantee for values stored before that.
 */
export function escapeText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A URI value (URL property): written only when it is an http(s) address, which by isHttpUrl holds no space or
 * control character that could end the line; otherwise the property is left out.
 */
export function uriValue(url: string | undefined): string | undefined {
  return isHttpUrl(url) ? url : undefined;
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * One event of a step in a calendar object of the given iTIP method, CRLF line ends: the UID, SEQUENCE and times
 * every version of the step's event shares, then the version's own properties.
 */
function stepCalendar(method: 'PUBLISH' | 'CANCEL', e: Omit<DeadlineEvent, 'url'>, own: string[]): string {
  const due = new Date(e.dueAt);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//summit-followup//deadlines//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(deadlineUid(e.initiativeId, e.step, e.domain))}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${utcStamp(e.stamp)}`,
    `DTSTART:${utcStamp(new Date(due.getTime() - EVENT_MS))}`,
    `DTEND:${utcStamp(due)}`,
    ...own,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** The step's event as a deadline email publishes it (METHOD:PUBLISH). */
export function deadlineIcs(e: DeadlineEvent): string {
  return stepCalendar('PUBLISH', e, [
    `SUMMARY:${escapeText(e.summary)}`,
    `DESCRIPTION:${escapeText(e.description)}`,
    ...(uriValue(e.url) ? [`URL:${e.url}`] : []),
    'STATUS:CONFIRMED',
    'TRANSP:TRANSPARENT',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'TRIGGER:-P1D',
    `DESCRIPTION:${escapeText(e.summary)}`,
    'END:VALARM',
  ]);
}

/** A step's event withdrawn from one calendar: the UID it was sent with, and a SEQUENCE above every earlier one. */
export interface CancelledEvent extends Omit<DeadlineEvent, 'url'> {
  /** The sender's address: RFC 5546 requires an ORGANIZER on a CANCEL. */
  organizer: string;
  /** The person whose calendar holds the event. */
  attendee: string;
}

/**
 * The CANCEL of a deadline event (RFC 5546 §3.2.5): METHOD:CANCEL, and STATUS:CANCELLED on the event too, so a
 * client that imports the file instead of processing it as iTIP still shows the event as cancelled.
 */
export function cancelledIcs(e: CancelledEvent): string {
  return stepCalendar('CANCEL', e, [
    `ORGANIZER:${mailtoValue(e.organizer)}`,
    `ATTENDEE:${mailtoValue(e.attendee)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    `DESCRIPTION:${escapeText(e.description)}`,
    'STATUS:CANCELLED',
  ]);
}

/** A CAL-ADDRESS from an email address: only the characters of an address's atoms, so nothing can end the line. */
export function mailtoValue(address: string): string {
  return `mailto:${address.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]/g, '')}`;
}

/** The iTIP method of a calendar object (PUBLISH or CANCEL): the attachment's Content-Type names it. */
export function icsMethod(ics: string): string {
  return /^METHOD:([A-Z-]+)\r?$/m.exec(ics)?.[1] ?? 'PUBLISH';
}
