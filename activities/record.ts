/** The recording activity: audit trail, read model and outbox, written idempotently. */
import { createHash } from 'node:crypto';
import type { AuditEvent, Notification, Recipient } from '../src/domain/types';
import type { InitiativeView } from '../src/domain/view';
import { renderNotification } from '../src/email/render';
import type { PersonDoc } from '../src/persistence/directory';
import { appendEvents } from '../src/persistence/events';
import { saveView } from '../src/persistence/initiatives';
import { OutboxStatus } from '../src/persistence/outbox';
import { isDuplicateKey } from '../src/persistence/connection';
import type { ActivityDeps } from './deps';

export interface RecordChangesInput {
  initiativeId: string;
  events: AuditEvent[];
  notifications: Notification[];
  view: InitiativeView;
}

export function createRecordActivities(deps: ActivityDeps) {
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
  };
}
