/**
 * Sign-in by email, shared by the API and the web pages. Asking for a link only queues the request (one
 * insert, src/persistence/sign-in-requests.ts) and the caller answers 202 at once: the same answer, in the
 * same time, whether or not the address belongs to anyone and whether or not the mail server is up. A loop
 * in the API process answers the queue apart from any request: it looks the address up, issues a single-use
 * link and mails it, and retries while SMTP is down.
 *
 * When the process dies: a request queued but not yet taken is answered by the next loop to run (this process
 * restarted, or another API process on the same database); one taken but not finished is taken again when
 * its lease ends (CLAIM_MS), so an email whose send had succeeded just before the death goes twice (both links
 * work, once each). A request still unanswered after MAGIC_LINK_TTL_MS (a long SMTP outage) is dropped: the
 * person has asked again, or moved on.
 */
import type { Config } from '../config';
import type { Mailer } from '../email/mailer';
import { outageOf } from '../app/errors';
import { logger } from '../logger';
import type { Directory, PersonDoc } from '../persistence/directory';
import { issueMagicLink, MagicLinkModel } from '../persistence/magic-links';
import {
  claimSignInRequest,
  dueSignInRequests,
  enqueueSignInRequest,
  removeSignInRequest,
  retrySignInRequestLater,
  SignInRequestModel,
  SignInVia,
} from '../persistence/sign-in-requests';

export type { SignInVia } from '../persistence/sign-in-requests';

export interface SignInEmail {
  subject: string;
  text: string;
  html: string;
}

/** Writes the email around the token; the API and the web pages link to different pages. */
export type SignInComposer = (
  person: PersonDoc,
  token: string,
  minutes: number,
  lang: string | undefined,
) => SignInEmail;

export type SignInOutcome = 'sent' | 'failed' | 'unknown' | 'dropped';

export interface SignInDeps {
  requests: SignInRequestModel;
  directory: Directory;
  magicLinks: MagicLinkModel;
  mailer: Pick<Mailer, 'sendMail'>;
  config: Pick<Config, 'MAIL_FROM' | 'MAIL_REPLY_TO' | 'MAGIC_LINK_TTL_MS'>;
  composers: Record<SignInVia, SignInComposer>;
  /** Counts each answered request by outcome (the API's metrics, which only operators read). */
  counted?: (outcome: SignInOutcome) => void;
  /** How often the loop looks for requests left by a dead process or due for a retry; default POLL_MS. */
  pollMs?: number;
}

/** A sweep for retries and for requests other processes left; new requests in this process wake the loop at once. */
const POLL_MS = 2_000;
/** How long a loop holds a request it took; a send that takes longer (SMTP timeouts are shorter) could go twice. */
const CLAIM_MS = 2 * 60_000;
/** How long after queueing a request the loop takes it: well past the moment the caller has its answer. */
const ANSWER_FIRST_MS = 500;
/** Requests answered per pass: a flood waits in MongoDB, not in memory. */
const BATCH = 20;
/** After the nth failed send, wait min(2^n s, a minute). */
const retryDelayMs = (attempts: number) => Math.min(60_000, 1000 * 2 ** attempts);

export interface SignInQueue {
  /** Queues a sign-in email for the address (if it belongs to someone): one insert, nothing else. */
  request(request: { email: string; via: SignInVia; lang?: string }): Promise<void>;
  /** Starts the loop (an unref'd timer: it never keeps the process alive). */
  start(): void;
  /** Stops the loop and waits for its pass in progress. */
  stop(): Promise<void>;
}

export function createSignInQueue(deps: SignInDeps): SignInQueue {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  async function answer(doc: Awaited<ReturnType<typeof dueSignInRequests>>[number]): Promise<void> {
    const now = Date.now();
    if (!(await claimSignInRequest(deps.requests, doc, new Date(now + CLAIM_MS)))) return; // another loop has it
    if (now - doc.createdAt.getTime() > deps.config.MAGIC_LINK_TTL_MS) {
      await removeSignInRequest(deps.requests, doc._id);
      deps.counted?.('dropped');
      logger.warn(
        { attempts: doc.attempts, lastError: doc.lastError },
        'sign-in request dropped: not sent within the link lifetime',
      );
      return;
    }
    const person = await deps.directory.personByEmail(doc.email);
    if (!person) {
      await removeSignInRequest(deps.requests, doc._id);
      deps.counted?.('unknown');
      logger.info('sign-in link asked for an address not in the directory');
      return;
    }
    const minutes = Math.round(deps.config.MAGIC_LINK_TTL_MS / 60_000);
    const { token } = await issueMagicLink(deps.magicLinks, person._id, deps.config.MAGIC_LINK_TTL_MS);
    try {
      await deps.mailer.sendMail({
        from: deps.config.MAIL_FROM,
        replyTo: deps.config.MAIL_REPLY_TO,
        to: person.email,
        ...deps.composers[doc.via](person, token, minutes, doc.lang),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Summit-Notification': 'sign_in' },
      });
    } catch (err) {
      // The link just issued is never mailed; it expires unused. The next attempt issues another.
      const attempts = doc.attempts + 1;
      await retrySignInRequestLater(
        deps.requests,
        doc._id,
        attempts,
        new Date(Date.now() + retryDelayMs(attempts)),
        (err as Error).message,
      );
      deps.counted?.('failed');
      logger.warn(
        { err: (err as Error).message, personId: person._id, attempts },
        'sign-in email not sent; will retry',
      );
      return;
    }
    await removeSignInRequest(deps.requests, doc._id);
    deps.counted?.('sent');
  }

  async function pass(): Promise<void> {
    do {
      again = false;
      const due = await dueSignInRequests(deps.requests, new Date(), BATCH);
      for (const doc of due) {
        if (stopped) return;
        await answer(doc).catch((err: unknown) =>
          logger.warn({ err: (err as Error).message }, 'sign-in request not answered; will retry'),
        );
      }
      if (due.length === BATCH) again = true;
    } while (again && !stopped);
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      // During a MongoDB outage this repeats every sweep; the outage itself is reported elsewhere (readiness, requests).
      .catch((err: unknown) =>
        logger[outageOf(err) ? 'debug' : 'warn'](
          { err: (err as Error).message },
          'sign-in queue unreadable; will retry',
        ),
      )
      .finally(() => (running = undefined));
  }

  return {
    async request(request) {
      await enqueueSignInRequest(deps.requests, request);
      // Once the answer has reached the caller: the pass must not slow it. On a busy machine the work a known
      // address costs (a link, an email, the sink's reception) overlapping its own answer made that answer
      // slower than an unknown address's, a measurable tell.
      setTimeout(wake, ANSWER_FIRST_MS).unref();
    },
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(wake, deps.pollMs ?? POLL_MS);
      timer.unref();
      wake();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
