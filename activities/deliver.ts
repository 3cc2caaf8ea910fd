/**
 * The delivery activities: send queued emails through SMTP at most once each, and the daily digest.
 *
 * Each email is claimed before SMTP (a document in `email_claims` with its `_id`, inserted once) and
 * recorded `sent` after: the outbox's transitions are src/persistence/outbox.ts (createOutboxRepository). What a later attempt makes of an email that
 * is claimed and still pending:
 *   - the claiming attempt died between its claim and its record (a crash of the process sending
 *     mail, lost MongoDB): the SMTP server may or may not have accepted the message, and SMTP gives
 *     no way to ask. Sending again could deliver it twice, so it is marked `unconfirmed` and listed
 *     for the Secretariat instead (listFailedEmails). At most once, never twice.
 *   - a slow attempt still running (a zombie after a timeout) records `sent` when it finishes.
 * An SMTP outage (connection refused, timeouts, 4xx) releases the claim, leaves the email `pending` and throws, so
 * Temporal retries with backoff; a 5xx refusal (a rejected address) is recorded as `failed` and not
 * retried. The Message-ID is stable per notification, so a receiving system that deduplicates on it
 * would also absorb a duplicate.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { SendMailOptions } from 'nodemailer';
import { renderDigest } from '../src/email/digest';
import { icsMethod } from '../src/email/ics';
import { unsubscribeUrl, UnsubscribeTopic } from '../src/email/links';
import { mailDomain, timeZoneOf } from '../src/email/recipient';
import { emailFields } from '../src/email/render';
import { OutboxStatus, type OutboxDoc } from '../src/persistence/outbox';
import { digestItemSignal, digestWorkflowId, type DigestWorkflowArgs } from '../workflows/digest-messages';
import type { ActivityDeps, EmailDeliveryOptions } from './deps';

/** The retry policy's backoff (2 s doubling to 1 min), to show when the next attempt is expected. */
function expectedBackoffMs(attempts: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempts - 1), 60_000);
}

/** A 5xx reply (or an envelope nodemailer refuses outright) will not succeed on a retry. */
export function isPermanentSmtpFailure(err: unknown): boolean {
  const e = err as { responseCode?: unknown; code?: unknown };
  if (typeof e?.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600;
  return e?.code === 'EENVELOPE';
}

export type DeliveryOutcome = 'sent' | 'failed' | 'skipped';

export function createDeliveryActivities(deps: ActivityDeps) {
  const domain = mailDomain(deps.config.MAIL_FROM);

  function messageOf(doc: OutboxDoc): SendMailOptions {
    return {
      from: deps.config.MAIL_FROM,
      replyTo: deps.config.MAIL_REPLY_TO,
      to: doc.to,
      subject: doc.subject,
      text: doc.text,
      html: doc.html,
      messageId: doc.messageId,
      // Threads an initiative's emails together in mail clients.
      ...(doc.initiativeId && doc.kind !== 'digest'
        ? { references: `<initiative.${doc.initiativeId}@${domain}>` }
        : {}),
      ...(doc.listUnsubscribe ? { list: { unsubscribe: doc.listUnsubscribe } } : {}),
      headers: {
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        'X-Summit-Notification': doc.kind,
        ...(doc.language ? { 'Content-Language': doc.language === 'bilingual' ? 'en, ru' : doc.language } : {}),
        ...(doc.listUnsubscribe ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
      },
      attachments: doc.ics
        ? [
            {
              filename: 'deadline.ics',
              content: doc.ics,
              contentType: `text/calendar; charset=utf-8; method=${icsMethod(doc.ics)}`,
            },
          ]
        : undefined,
    };
  }

  const outbox = deps.repositories.outbox;

  /** Sends one outbox email unless it was sent, refused, deferred or claimed before. Throws on a transient SMTP failure. */
  async function sendOne(_id: string): Promise<DeliveryOutcome> {
    const doc = await outbox.get(_id);
    if (!doc) return 'skipped';
    if (doc.status === OutboxStatus.Sending) {
      await outbox.markUnconfirmed(doc);
      return 'skipped';
    }
    if (doc.status !== OutboxStatus.Pending) return 'skipped';

    const attemptId = randomUUID();
    if (!(await outbox.claim(_id, attemptId))) {
      // Claimed before: by an attempt that died inside SMTP, or one still running (a zombie after a
      // timeout) that records its outcome itself. Only a still-pending email becomes unconfirmed.
      const now = await outbox.get(_id);
      if (now?.status === OutboxStatus.Pending) await outbox.markUnconfirmed(now);
      return 'skipped';
    }

    let response: string | undefined;
    try {
      const info = (await deps.mailer.sendMail(messageOf(doc))) as { response?: string };
      response = info?.response;
    } catch (err) {
      const e = err as { responseCode?: number; message?: string };
      const now = new Date();
      const error = String(e.message ?? err);
      if (isPermanentSmtpFailure(err)) {
        await outbox.markFailed(_id, { attemptId, error, responseCode: e.responseCode, at: now });
        return 'failed';
      }
      // Not accepted: the claim is released first (a crash right after leaves a plain pending email),
      // and the email stays pending for Temporal's next attempt.
      await outbox.releaseClaim(_id);
      await outbox.recordRetry(_id, {
        error,
        responseCode: e.responseCode,
        at: now,
        nextAttemptAt: new Date(now.getTime() + expectedBackoffMs(doc.attempts + 1)),
      });
      throw err;
    }
    // Accepted by the SMTP server: from here on a lost update means `unconfirmed`, never a second send.
    await deps.email?.afterAccepted?.(doc);
    await outbox.markSent(_id, { attemptId, smtpResponse: response });
    return 'sent';
  }

  return {
    /**
     * Sends queued emails that are not sent yet, each at most once. A transient SMTP failure of any
     * of them throws after the others were tried (Temporal retries the rest); a refused address is
     * recorded as failed and does not throw.
     */
    async deliverNotifications(ids: string[]): Promise<void> {
      let transient: unknown;
      for (const _id of ids) {
        // Each email is a beat: a worker that dies is noticed within the heartbeat timeout, while a
        // long batch on a slow database may take as long as it needs.
        Context.current().heartbeat(_id);
        try {
          await sendOne(_id);
        } catch (err) {
          transient ??= err;
        }
      }
      if (transient) throw transient;
    },

    /**
     * The daily digest of one person for one local date: collects their deferred emails once (a retry
     * sends the same digest), marks them digested and sends one email. Returns how many items it lists.
     */
    async sendDigest(input: { personId: string; date: string }): Promise<{ items: number }> {
      const _id = `digest|${input.personId}|${input.date}`;
      let digest = await outbox.get(_id);
      if (!digest) {
        const person = await deps.directory.person(input.personId);
        if (!person) return { items: 0 };
        const items = await outbox.deferredOf(input.personId);
        if (items.length === 0) return { items: 0 };
        if (person.notifications?.optOut?.includes(UnsubscribeTopic.Digest)) {
          // The person unsubscribed from the digest: its items are dropped on purpose, and recorded as such.
          await outbox.suppressDeferred(items.map((i) => i._id));
          return { items: 0 };
        }
        const timeZone = await timeZoneOf(deps.directory, person, deps.config.SECRETARIAT_TIME_ZONE);
        const unsubscribe = unsubscribeUrl(deps.config.PUBLIC_URL, deps.secret, {
          personId: person._id,
          topic: UnsubscribeTopic.Digest,
        });
        const rendered = renderDigest(
          items.map((i) => ({
            initiativeId: i.initiativeId,
            initiativeTitle: i.initiativeTitle ?? i.initiativeId,
            summary: i.summary ?? i.subject,
            link: i.link ?? '',
            dueAt: i.dueAt,
          })),
          {
            recipient: { name: person.name, locale: person.locale, timeZone },
            date: input.date,
            unsubscribeUrl: unsubscribe,
          },
        );
        await outbox.queue({
          _id,
          initiativeId: '',
          kind: 'digest',
          personId: person._id,
          to: person.email,
          ...emailFields(rendered),
          listUnsubscribe: unsubscribe,
          messageId: `<digest.${input.personId}.${input.date}@${domain}>`,
          status: OutboxStatus.Pending,
          createdAt: new Date(),
          includes: items.map((i) => i._id),
        });
        digest = await outbox.get(_id);
        if (!digest) throw new Error(`digest ${_id} vanished after it was written`);
      }
      const includes = digest.includes ?? [];
      await outbox.markDigested(includes, _id);
      await sendOne(_id);
      return { items: includes.length };
    },
  };
}

/** Starts the person's digest workflow, or signals the running one, on the activity's task queue. */
export async function scheduleDigestFromActivity(personId: string, timeZone: string): Promise<void> {
  const ctx = Context.current();
  const args: DigestWorkflowArgs = { personId, timeZone };
  await ctx.client.workflow.signalWithStart('digestWorkflow', {
    workflowId: digestWorkflowId(personId),
    taskQueue: ctx.info.taskQueue,
    args: [args],
    signal: digestItemSignal,
    signalArgs: [{ timeZone }],
  });
}
