/** What awaits the signed-in person, and the same deadlines as a private iCalendar feed. */
import type { Router } from 'express';
import { deadlineUid } from '../../email/ics';
import { mailDomain } from '../../email/recipient';
import { createFeed, liveFeed, liveFeedOf, revokeFeeds } from '../../persistence/calendar-feeds';
import { credentialStillValid } from '../../persistence/directory';
import { actorNow } from '../../app/credential-cache';
import type { RouteDeps } from '../deps';
import { renderCalendar } from '../ical';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';
import * as s from '../../app/schemas';

type FeedDeps = Pick<RouteDeps, 'calendarFeeds' | 'directory' | 'config'>;

/** Whether the person's calendar feed is live: a feed voided by a revocation of all their credentials is not. */
export async function calendarFeedStatus(
  deps: FeedDeps,
  personId: string,
): Promise<{ active: boolean; createdAt?: string; lastUsedAt?: string }> {
  const feed = await liveFeedOf(deps.calendarFeeds, personId);
  const person = feed && (await deps.directory.person(personId));
  return feed && person && credentialStillValid(person, feed.createdAt)
    ? { active: true, createdAt: feed.createdAt.toISOString(), lastUsedAt: feed.lastUsedAt?.toISOString() }
    : { active: false };
}

/** A new private feed address for the person (replacing any previous one): shown once, never stored in clear. */
export async function newCalendarFeed(
  deps: FeedDeps,
  personId: string,
): Promise<{ active: true; url: string; createdAt: string }> {
  const { token, createdAt } = await createFeed(deps.calendarFeeds, personId);
  const base = deps.config.PUBLIC_URL.replace(/\/$/, '');
  return { active: true, url: `${base}/calendar/${token}.ics`, createdAt: createdAt.toISOString() };
}

export function inboxRoutes(registry: OperationRegistry, app: Router, api: Router, deps: RouteDeps): void {
  const onApi = registry.on(api, '/api').define;
  const base = deps.config.PUBLIC_URL.replace(/\/$/, '');
  const domain = mailDomain(deps.config.MAIL_FROM);

  onApi(
    {
      method: 'get',
      path: '/inbox',
      summary: 'What awaits you, soonest due first',
      description:
        'Decisions pending for your state (representatives, and deputies within their delegation), drafts you lead, milestones you own, and for the Secretariat initiatives to assign and rounds blocked by an objection.',
      tag: 'Inbox',
      auth: 'signed-in',
      success: { description: 'your open items', schema: s.inboxResponse },
    },
    async ({ actor }) => ({ items: await deps.readModel.inbox(actor) }),
  );

  onApi(
    {
      method: 'get',
      path: '/calendar-feed',
      summary: 'Your calendar feed: whether one is live',
      tag: 'Calendar',
      auth: 'signed-in',
      success: { description: 'the feed (its URL is shown only when created)', schema: s.calendarFeedResponse },
    },
    ({ actor }) => calendarFeedStatus(deps, actor.personId),
  );
  onApi(
    {
      method: 'post',
      path: '/calendar-feed',
      summary: 'Create your private calendar feed URL (replacing any previous one)',
      tag: 'Calendar',
      auth: 'signed-in',
      status: 201,
      success: { description: 'the feed with its private URL', schema: s.calendarFeedResponse },
    },
    async ({ actor, res }) => {
      res.status(201).set('Cache-Control', 'no-store');
      return newCalendarFeed(deps, actor.personId);
    },
  );
  onApi(
    {
      method: 'delete',
      path: '/calendar-feed',
      summary: 'Revoke your calendar feed URL',
      tag: 'Calendar',
      auth: 'signed-in',
      status: 204,
      success: { description: 'revoked' },
      errors: [404],
    },
    async ({ actor }) => {
      if ((await revokeFeeds(deps.calendarFeeds, actor.personId)) === 0)
        throw problems.notFound(`a live calendar feed of ${actor.personId}`);
      return undefined;
    },
  );

  registry.on(app).define(
    {
      method: 'get',
      path: '/calendar/:file',
      summary: "A person's deadlines as iCalendar (the private feed URL)",
      description:
        "The URL itself is the credential; revoking it (DELETE /api/calendar-feed), signing out everywhere, or the Secretariat changing the person's email, state or roles makes it answer 404.",
      tag: 'Calendar',
      auth: 'public',
      params: s.calendarParams,
      success: { description: 'text/calendar (RFC 5545)', contentType: 'text/calendar' },
      errors: [404],
    },
    async ({ params, res }) => {
      const feed = await liveFeed(deps.calendarFeeds, params.file.replace(/\.ics$/, ''));
      const person = feed ? await deps.directory.person(feed.personId) : null;
      if (!feed || !person || !credentialStillValid(person, feed.createdAt))
        throw problems.notFound('this calendar feed');
      const items = await deps.readModel.inbox(
        await actorNow(deps.tokens, deps.directory, person, deps.config.SECRETARIAT_TIME_ZONE),
      );
      // The person's own deadlines: someone else's overdue step is no event in their calendar.
      const events = items
        .filter((i) => i.dueAt && i.kind !== 'escalation')
        .map((i) => ({
          uid: deadlineUid(i.initiativeId, i.step, domain),
          dueAt: new Date(i.dueAt!),
          summary: `Due: ${i.what} — ${i.title}`,
          description: `${i.title}: ${i.what}.`,
          url: `${base}/initiatives/${encodeURIComponent(i.initiativeId)}`,
        }));
      res
        .set('Cache-Control', 'private, no-store')
        .type('text/calendar; charset=utf-8')
        .send(renderCalendar(`Summit Follow-up: ${person.name}`, events));
      return undefined;
    },
  );
}
