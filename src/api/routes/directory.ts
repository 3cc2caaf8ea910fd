/**
 * The directory: states with time zones and membership dates, people with roles and deputies, the rotation.
 * Everyone signed in reads; the Secretariat edits, revokes a person's credentials, and alone reads the
 * trail of all of it (who may act for whom is itself sensitive).
 */
import type { Response, Router } from 'express';
import { z } from 'zod';
import { Actor, Role } from '../../domain/types';
import type { DirectoryEventDoc } from '../../persistence/directory-events';
import { personOut, rotationOut, Saved, stateOut } from '../../service/directory-edits';
import { calendarOf } from '../../calendar/holidays';
import { toCsv } from '../csv';
import { requireRole } from '../auth';
import { forgetPerson } from '../../app/credential-cache';
import type { RouteDeps } from '../deps';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';
import * as s from '../../app/schemas';

const TAG = 'Directory';

const editor = (actor: Actor) => requireRole(actor, Role.Secretariat, 'edit the directory');

const eventOut = ({ _id, at, ...e }: DirectoryEventDoc) => ({ id: _id, at: at.toISOString(), ...e });

/** 201 for a new entry, 200 for a replaced one; the stored entry is the body. */
function saved<T>(res: Response, result: Saved<T>): T {
  res.status(result.created ? 201 : 200);
  return result.value;
}

export function directoryRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  const { define } = registry.on(api, '/api');
  const edit = { auth: 'signed-in' as const, access: 'the Secretariat', tag: TAG, errors: [422] };

  define(
    {
      method: 'get',
      path: '/directory/states',
      summary: 'Member states',
      description: 'All states ever admitted, or with `memberOn=YYYY-MM-DD` those that were members that day.',
      tag: TAG,
      auth: 'signed-in',
      query: s.statesQuery,
      success: { description: 'states by code', schema: z.object({ items: z.array(s.stateResponse) }) },
    },
    async ({ query }) => {
      const docs = query.memberOn ? await deps.directory.membersOn(query.memberOn) : await deps.directory.states();
      return { items: docs.map(stateOut) };
    },
  );
  define(
    {
      method: 'get',
      path: '/directory/states/:code',
      summary: 'One state',
      tag: TAG,
      auth: 'signed-in',
      params: s.stateParams,
      success: { description: 'the state', schema: s.stateResponse },
      errors: [404],
    },
    async ({ params }) => {
      const doc = await deps.directory.state(params.code);
      if (!doc) throw problems.notFound(`state ${params.code}`);
      return stateOut(doc);
    },
  );
  define(
    {
      ...edit,
      method: 'put',
      path: '/directory/states/:code',
      summary: 'Create or replace a state',
      params: s.stateParams,
      body: s.stateBody,
      createsOr200: true,
      success: { description: 'the state as stored', schema: s.stateResponse },
    },
    async ({ actor, params, body, res }) =>
      saved(res, await deps.directoryEdits.putState(editor(actor), params.code, body)),
  );

  define(
    {
      method: 'get',
      path: '/directory/states/:code/calendar',
      summary: "A state's working calendar for a year",
      description:
        "Its weekend, its public holidays (each naming its source: a law, a decree, the date-holidays library or the Secretariat) and the weekend days declared working, with the Secretariat's edits applied; `edits` shows those edits.",
      tag: TAG,
      auth: 'signed-in',
      params: s.stateParams,
      query: s.calendarQuery,
      success: { description: 'the calendar', schema: s.calendarResponse },
      errors: [404],
    },
    async ({ params, query }) => {
      const doc = await deps.directory.state(params.code);
      if (!doc) throw problems.notFound(`state ${params.code}`);
      const year = query.year ?? new Date().getUTCFullYear();
      const cal = calendarOf(doc._id, doc.timeZone, [year], doc.calendar);
      return { ...cal, year, ...(doc.calendar ? { edits: doc.calendar } : {}) };
    },
  );
  define(
    {
      ...edit,
      method: 'put',
      path: '/directory/states/:code/calendar',
      summary: "Edit a state's working calendar",
      description:
        'Replaces the edits: the weekend, holidays added (with their source) or removed, weekend days declared working. Every edit is checked before any is saved.',
      params: s.stateParams,
      body: s.calendarBody,
      success: { description: 'the state as stored', schema: s.stateResponse },
      errors: [404, 422],
    },
    async ({ actor, params, body }) => deps.directoryEdits.putCalendar(editor(actor), params.code, body),
  );

  define(
    {
      method: 'get',
      path: '/directory/people',
      summary: 'People, their roles and deputies',
      tag: TAG,
      auth: 'signed-in',
      query: s.peopleQuery,
      success: { description: 'people by id', schema: z.object({ items: z.array(s.personResponse) }) },
    },
    async ({ query }) => {
      const docs = await deps.directory.people({ state: query.state, role: query.role }, 10_000);
      return { items: docs.map(personOut) };
    },
  );
  define(
    {
      method: 'get',
      path: '/directory/people/:id',
      summary: 'One person',
      tag: TAG,
      auth: 'signed-in',
      params: s.personParams,
      success: { description: 'the person', schema: s.personResponse },
      errors: [404],
    },
    async ({ params }) => {
      const doc = await deps.directory.person(params.id);
      if (!doc) throw problems.notFound(`person ${params.id}`);
      return personOut(doc);
    },
  );
  define(
    {
      ...edit,
      method: 'put',
      path: '/directory/people/:id',
      summary: 'Create or replace a person',
      description:
        'Representatives, deputies and officials belong to a state; a deputy names their representative (of the same state) and the delegation dates.',
      params: s.personParams,
      body: s.personBody,
      createsOr200: true,
      success: { description: 'the person as stored', schema: s.personResponse },
    },
    async ({ actor, params, body, res }) => {
      const result = await deps.directoryEdits.putPerson(editor(actor), params.id, body);
      forgetPerson(deps.tokens, params.id);
      return saved(res, result);
    },
  );

  define(
    {
      ...edit,
      method: 'post',
      path: '/directory/people/:id/credentials/revocation',
      summary: 'Sign a person out everywhere: void every credential they hold',
      description:
        "Every API token, session, calendar feed URL, unused sign-in link and emailed decision link the person was issued until now stops working (for a lost device, or a new holder of the post under the same address). Changing a person's email or state, or taking a role away, does the same by itself. Recorded in the directory trail.",
      params: s.personParams,
      body: s.revocationBody,
      success: { description: 'how many credentials were ended', schema: s.revocationResponse },
      errors: [404, 422],
    },
    async ({ actor, params, body }) =>
      deps.directoryEdits.revokeCredentials(
        editor(actor),
        params.id,
        body.reason ?? 'revoked by the Secretariat',
        'edit',
      ),
  );

  define(
    {
      method: 'get',
      path: '/directory/events',
      summary: 'The directory trail: every change of states, people, rotation and credentials',
      description:
        "Newest first: who changed what, when, through what (`edit` by the Secretariat, `import` of a summit file, `self` for a person's own sign-out everywhere), the fields changed and the entry before and after. Append-only. Pages of `limit`; the next page is `before=<next>`. `?format=csv` (or `Accept: text/csv`) gives CSV.",
      tag: TAG,
      auth: 'signed-in',
      access: 'the Secretariat',
      query: s.directoryEventsQuery,
      success: {
        description: 'the events, as JSON (or CSV)',
        schema: z.object({ items: z.array(s.directoryEventResponse), next: z.string().optional() }),
        also: ['text/csv'],
      },
      errors: [403],
    },
    async ({ actor, query, req, res }) => {
      requireRole(actor, Role.Secretariat, 'read the directory trail');
      const docs = await deps.directory.events({
        limit: query.limit,
        before: query.before,
        subject: query.subject,
      });
      const items = docs.map(eventOut);
      const next = docs.length === query.limit ? docs[docs.length - 1]._id : undefined;
      res.set('Cache-Control', 'no-store');
      const csv =
        query.format === 'csv' ||
        (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (!csv) return { items, ...(next ? { next } : {}) };
      const rows = items.map((e) => [
        e.id,
        e.at,
        e.type,
        e.subject,
        e.actor.personId,
        e.actor.name,
        e.source,
        e.changed.join(' '),
        e.reason,
        e.before,
        e.after,
      ]);
      res
        .type('text/csv; charset=utf-8')
        .attachment('directory-events.csv')
        .send(
          toCsv(
            ['id', 'at', 'type', 'subject', 'actor', 'actor_name', 'source', 'changed', 'reason', 'before', 'after'],
            rows,
          ),
        );
      return undefined;
    },
  );

  define(
    {
      method: 'get',
      path: '/directory/rotation',
      summary: 'The rotation calendar: who chairs when',
      tag: TAG,
      auth: 'signed-in',
      success: {
        description: 'chairmanship periods by year',
        schema: z.object({ items: z.array(s.rotationResponse) }),
      },
    },
    async () => ({ items: (await deps.directory.rotation()).map(rotationOut) }),
  );
  define(
    {
      ...edit,
      method: 'put',
      path: '/directory/rotation/:year',
      summary: 'Create or replace a chairmanship period',
      description:
        'Periods may not overlap; escalations look the Chair up when they are sent, so running workflows follow the change.',
      params: s.yearParams,
      body: s.rotationBody,
      createsOr200: true,
      success: { description: 'the period as stored', schema: s.rotationResponse },
    },
    async ({ actor, params, body, res }) =>
      saved(res, await deps.directoryEdits.putRotation(editor(actor), params.year, body)),
  );
}
