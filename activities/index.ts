/**
 * Activities of the initiative workflow: the only place its changes touch MongoDB and SMTP.
 * Each one is idempotent, because Temporal retries it and replays never repeat a side effect.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../src/config';
import type { AuditEvent, Notification, Recipient } from '../src/domain/types';
import type { InitiativeView } from '../src/domain/view';
import { renderNotification } from '../src/email/render';
import type { Mailer } from '../src/email/mailer';
import type { Directory, PersonDoc } from '../src/persistence/directory';
import { appendEvents, EventModel } from '../src/persistence/events';
import { InitiativeModel, saveView } from '../src/persistence/initiatives';
import { OutboxModel, OutboxStatus } from '../src/persistence/outbox';
import { isDuplicateKey } from '../src/persistence/connection';

export interface ActivityDeps {
  config: Pick<Config, 'MAIL_FROM' | 'MAIL_REPLY_TO' | 'PUBLIC_URL' | 'SECRETARIAT_TIME_ZONE'>;
  initiatives: InitiativeModel;
  events: EventModel;
  outbox: OutboxModel;
  directory: Directory;
  mailer: Mailer;
  /** Today's date for rotation look-ups; injectable so tests can sit in another chairmanship year. */
  today?: () => string;
}

export interface RecordChangesInput {
  initiativeId: string;
  events: AuditEvent[];
  notifications: Notification[];
  view: InitiativeView;
}

export function createActivities(deps: ActivityDeps) {
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  async function resolve(to: Recipient): Promise<PersonDoc[]> {
    if ('person' in to) {
      const p = await deps.directory.person(to.person);
      return p ? [p] : [];
    }
    switch (to.role) {
      case 'secretariat':
        return deps.directory.withRole('secretariat');
      case 'chair': {
        const chair = await deps.directory.chairOn(today());
        return chair ? deps.directory.withRole('representative', chair.chairState) : [];
      }
      case 'representative': {
        const reps = await deps.directory.withRole('representative', to.state);
        const deputies = await deps.directory.withRole('deputy', to.state);
        return [...reps, ...deputies];
      }
      case 'official':
        return deps.directory.withRole('official', to.state);
    }
  }

  async function timeZoneOf(person: PersonDoc): Promise<string> {
    if (person.timeZone) return person.timeZone;
    const state = person.state ? await deps.directory.state(person.state) : null;
    return state?.timeZone ?? deps.config.SECRETARIAT_TIME_ZONE;
  }

  function outboxKey(initiativeId: string, n: Notification, personId: string): string {
    return [initiativeId, n.step, personId, n.kind, n.dueAt ?? '-', `r${n.revision}`, n.sequence ?? '-'].join('|');
  }

  return {
    /** Appends the audit events, stores the view, and queues each notification once per recipient. Returns the outbox ids still to send. */
    async recordChanges(input: RecordChangesInput): Promise<string[]> {
      await appendEvents(deps.events, input.initiativeId, input.events);
      await saveView(deps.initiatives, input.view);
      const ids: string[] = [];
      for (const n of input.notifications) {
        const seen = new Set<string>();
        for (const person of await resolve(n.to)) {
          if (seen.has(person._id)) continue;
          seen.add(person._id);
          const _id = outboxKey(input.initiativeId, n, person._id);
          const rendered = renderNotification(n, {
            initiative: input.view,
            recipientName: person.name,
            timeZone: await timeZoneOf(person),
            publicUrl: deps.config.PUBLIC_URL,
          });
          const messageId = `<${createHash('sha256').update(_id).digest('hex').slice(0, 32)}@summit-followup>`;
          try {
            await deps.outbox.updateOne(
              { _id },
              {
                $setOnInsert: {
                  initiativeId: input.initiativeId,
                  kind: n.kind,
                  personId: person._id,
                  to: person.email,
                  ...rendered,
                  messageId,
                  status: OutboxStatus.Pending,
                  attempts: 0,
                  createdAt: new Date(),
                },
              },
              { upsert: true },
            );
          } catch (err) {
            if (!isDuplicateKey(err)) throw err; // two retries raced to insert the same key
          }
          ids.push(_id);
        }
      }
      return ids;
    },

    /** Sends queued emails that are not sent yet. A transient SMTP failure throws (Temporal retries); a rejected address is recorded as failed. */
    async deliverNotifications(ids: string[]): Promise<void> {
      for (const _id of ids) {
        const doc = await deps.outbox.findById(_id).lean();
        if (!doc || doc.status === OutboxStatus.Sent || doc.status === OutboxStatus.Failed) continue;
        await deps.outbox.updateOne({ _id }, { $set: { status: OutboxStatus.Sending }, $inc: { attempts: 1 } });
        try {
          await deps.mailer.sendMail({
            from: deps.config.MAIL_FROM,
            replyTo: deps.config.MAIL_REPLY_TO,
            to: doc.to,
            subject: doc.subject,
            text: doc.text,
            html: doc.html,
            messageId: doc.messageId,
            headers: { 'Auto-Submitted': 'auto-generated', 'X-Summit-Notification': doc.kind },
          });
        } catch (err) {
          const e = err as { responseCode?: number; message?: string };
          const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
          await deps.outbox.updateOne(
            { _id },
            { $set: { status: permanent ? OutboxStatus.Failed : OutboxStatus.Pending, lastError: String(e.message ?? err) } },
          );
          if (permanent) continue;
          throw err;
        }
        await deps.outbox.updateOne({ _id }, { $set: { status: OutboxStatus.Sent, sentAt: new Date() } });
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
