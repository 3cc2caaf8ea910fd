/** Reads the emails that reached the SMTP sink (MailDev's REST API) and parses them with mailparser. */
import { simpleParser, ParsedMail } from 'mailparser';
import { WORKER_WAIT_MS } from './poll';
import { eventually, testStack } from './stack';

export interface SinkEmail {
  id: string;
  subject: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

export async function listEmails(): Promise<SinkEmail[]> {
  const res = await fetch(`${testStack().mailUrl}/api/email`);
  if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
  return (await res.json()) as SinkEmail[];
}

export function emailsTo(all: SinkEmail[], address: string): SinkEmail[] {
  return all.filter((m) => m.to.some((t) => t.address === address));
}

/**
 * Waits for the emails matching the filter to reach the given count, and returns them parsed from their raw source.
 * An email passes through the worker and the mailer: it waits as long as they can take (WORKER_WAIT_MS).
 */
export async function waitForEmails(
  what: string,
  filter: (m: SinkEmail) => boolean,
  count = 1,
  timeoutMs = WORKER_WAIT_MS,
): Promise<ParsedMail[]> {
  const found = await eventually(
    what,
    async () => {
      const matching = (await listEmails()).filter(filter);
      return matching.length >= count ? matching : undefined;
    },
    timeoutMs,
  );
  return Promise.all(found.map((m) => rawEmail(m.id)));
}

/** An email's raw source, parsed. MailDev can list an email a moment before its source is downloadable, so this waits for it. */
export async function rawEmailAt(mailUrl: string, id: string): Promise<ParsedMail> {
  return eventually(
    `the source of email ${id}`,
    async () => {
      const res = await fetch(`${mailUrl}/api/email/${id}/download`);
      if (!res.ok) return undefined;
      const mail = await simpleParser(Buffer.from(await res.arrayBuffer()));
      return mail.to ? mail : undefined;
    },
    10_000,
  );
}

export function rawEmail(id: string): Promise<ParsedMail> {
  return rawEmailAt(testStack().mailUrl, id);
}
