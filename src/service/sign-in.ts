/** Sign-in by email, shared by the API and the web pages: issue a single-use link and mail it to the person the address belongs to. */
import type { Config } from '../config';
import type { Mailer } from '../email/mailer';
import { logger } from '../logger';
import { problems } from '../api/problem';
import type { Directory, PersonDoc } from '../persistence/directory';
import { issueMagicLink, MagicLinkModel } from '../persistence/magic-links';

export interface SignInDeps {
  directory: Directory;
  magicLinks: MagicLinkModel;
  mailer: Pick<Mailer, 'sendMail'>;
  config: Pick<Config, 'MAIL_FROM' | 'MAIL_REPLY_TO' | 'MAGIC_LINK_TTL_MS'>;
  /** Counts each email by outcome (the API's metrics). */
  counted?: (outcome: 'sent' | 'failed') => void;
}

export interface SignInEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Mails a sign-in link when the address belongs to someone in the directory, and does nothing otherwise:
 * the caller answers the same either way. `compose` writes the email around the token (the API and the
 * web pages link to different pages). Throws a 503 problem when the mail server cannot take it.
 */
export async function emailSignInLink(deps: SignInDeps, email: string, compose: (person: PersonDoc, token: string, minutes: number) => SignInEmail): Promise<void> {
  const person = await deps.directory.personByEmail(email);
  if (!person) {
    logger.info('sign-in link asked for an address not in the directory');
    return;
  }
  const { token } = await issueMagicLink(deps.magicLinks, person._id, deps.config.MAGIC_LINK_TTL_MS);
  try {
    await deps.mailer.sendMail({
      from: deps.config.MAIL_FROM,
      replyTo: deps.config.MAIL_REPLY_TO,
      to: person.email,
      ...compose(person, token, Math.round(deps.config.MAGIC_LINK_TTL_MS / 60_000)),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Summit-Notification': 'sign_in' },
    });
    deps.counted?.('sent');
  } catch (err) {
    deps.counted?.('failed');
    logger.warn({ err: (err as Error).message, personId: person._id }, 'sign-in email not sent');
    throw problems.unavailable('the mail server');
  }
}
