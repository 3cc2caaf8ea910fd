/**
 * Follow-up emails of the commitment register: when a party's part of a commitment changes, each person who
 * follows the initiative (but the one who made the change) is told. Queued once per change and person, so a
 * retry or a second start of the same notice queues nothing twice.
 */
import { createHash } from 'node:crypto';
import { PROGRESS_NOTICE_KIND, renderProgressNotice } from '../src/email/progress';
import { mailDomain, timeZoneOf } from '../src/email/recipient';
import { emailFields } from '../src/email/render';
import type { StateNames } from '../src/email/templates';
import { OutboxStatus } from '../src/persistence/outbox';
import type { ActivityDeps } from './deps';

export function createNoticeActivities(deps: ActivityDeps) {
  const { commitments, initiatives, outbox } = deps.repositories;
  return {
    /** Queues the follow-up emails of one change of a commitment; returns the outbox ids still to send. */
    async queueProgressNotices(input: { commitmentId: string; rev: number }): Promise<string[]> {
      const doc = await commitments.get(input.commitmentId);
      const change = doc?.history.find((h) => h.rev === input.rev);
      if (!doc || !change) return [];
      const view = await initiatives.view(doc.initiativeId);
      const stateNames: StateNames = {};
      const state = change.party !== 'secretariat' ? await deps.directory.state(change.party) : null;
      if (state) stateNames[change.party] = state.name;
      const domain = mailDomain(deps.config.MAIL_FROM);
      const ids: string[] = [];
      for (const personId of await commitments.follows.followersOf(doc.initiativeId)) {
        if (personId === change.by) continue;
        const person = await deps.directory.person(personId);
        if (!person?.email) continue;
        const _id = `progress|${input.commitmentId}|${input.rev}|${personId}`;
        const rendered = renderProgressNotice({
          initiative: { id: doc.initiativeId, title: view?.title ?? doc.initiativeId },
          commitment: { title: doc.title },
          change,
          recipient: {
            name: person.name,
            locale: person.locale,
            timeZone: await timeZoneOf(deps.directory, person, deps.config.SECRETARIAT_TIME_ZONE),
          },
          stateNames,
          publicUrl: deps.config.PUBLIC_URL,
        });
        const stored = await outbox.queue({
          _id,
          initiativeId: doc.initiativeId,
          kind: PROGRESS_NOTICE_KIND,
          personId,
          to: person.email,
          ...emailFields(rendered),
          initiativeTitle: view?.title,
          messageId: `<${createHash('sha256').update(_id).digest('hex').slice(0, 32)}@${domain}>`,
          status: OutboxStatus.Pending,
          createdAt: new Date(),
        });
        if (stored === OutboxStatus.Pending || stored === OutboxStatus.Sending) ids.push(_id);
      }
      await commitments.noticeQueued(input.commitmentId, input.rev);
      return ids;
    },
  };
}
