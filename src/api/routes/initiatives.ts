/** Initiatives: start, list, read, the audit trail (JSON or CSV), and the acts of the workflow as POSTs. */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { ACT_NAMES, ACTS, WHO_MAY } from '../../domain/acts';
import { ACT_BODIES, actParamsOf, actRequestOf } from '../../app/act-bodies';
import { toCsv } from '../csv';
import type { RouteDeps } from '../deps';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';
import * as s from '../../app/schemas';
import { clientKey, type ActKey } from '../../service/initiatives';

const TAG = 'Initiatives';

/** The Idempotency-Key header: a retry of the same request by the same person returns the first result (src/service/initiatives.ts). */
export function idempotencyKey(req: Request): ActKey | undefined {
  const k = req.get('idempotency-key');
  if (k !== undefined && !/^[A-Za-z0-9_.:-]{8,128}$/.test(k))
    throw problems.invalid([{ field: 'Idempotency-Key', message: '8 to 128 letters, digits or _.:-' }]);
  return clientKey(k);
}

export function initiativeRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  const { define } = registry.on(api, '/api');
  const initiative = { description: 'the initiative with its live state', schema: s.initiativeResponse };

  define(
    {
      method: 'post',
      path: '/initiatives',
      summary: 'Start an initiative',
      description:
        "Starts the initiative's workflow; its id (from `id` or the title) makes a second start return the first (200) instead of creating another (201).",
      tag: TAG,
      auth: 'signed-in',
      access: 'the Secretariat',
      body: s.startInitiativeBody,
      status: 201,
      createsOr200: true,
      success: initiative,
      errors: [429],
      before: [deps.limits.acts],
    },
    async ({ actor, body, res }) => {
      const { created, initiative: view } = await deps.service.start(actor, body);
      deps.metrics.workflowStarts.inc({ outcome: created ? 'created' : 'existing' });
      res
        .status(created ? 201 : 200)
        .location(`/api/initiatives/${view.id}`)
        .json(view);
    },
  );

  define(
    {
      method: 'get',
      path: '/initiatives',
      summary: 'List initiatives',
      description:
        'From the read model, soonest due first; filter by stage, lead state, pending state, overdue and title text. Each item is a summary (stage, lead, pending states, next due date); `GET /api/initiatives/{id}` gives the whole initiative.',
      tag: TAG,
      auth: 'signed-in',
      query: s.listQuery,
      success: { description: 'a page of initiatives', schema: s.initiativeList },
    },
    ({ query }) => deps.readModel.list(query),
  );

  define(
    {
      method: 'get',
      path: '/initiatives/:id',
      summary: 'Read one initiative with its live state',
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: initiative,
      errors: [404],
    },
    async ({ params }) => {
      const view = await deps.service.get(params.id);
      if (!view) throw problems.notFound(`initiative ${params.id}`);
      return view;
    },
  );

  define(
    {
      method: 'get',
      path: '/initiatives/:id/events',
      summary: 'The audit trail of an initiative',
      description:
        "Every event in order: who, as whom (a deputy's `onBehalfOf`), what, when and which revision. `?format=csv` (or `Accept: text/csv`) gives CSV.",
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      query: s.eventsQuery,
      success: { description: 'the events, as JSON (or CSV)', schema: z.array(s.eventResponse), also: ['text/csv'] },
      errors: [404],
    },
    async ({ params, query, req, res }) => {
      const events = await deps.readModel.events(params.id);
      if (events.length === 0 && !(await deps.readModel.exists(params.id)) && !(await deps.service.get(params.id)))
        throw problems.notFound(`initiative ${params.id}`);
      const csv =
        query.format === 'csv' ||
        (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (!csv) return events;
      const rows = events.map((e) => [
        e.seq,
        e.at,
        e.type,
        e.revision,
        e.actor?.personId,
        e.actor?.name,
        e.actor?.onBehalfOf,
        e.actor?.state,
        e.data,
      ]);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`${params.id}-events.csv`)
        .send(
          toCsv(['seq', 'at', 'type', 'revision', 'actor', 'actor_name', 'on_behalf_of', 'actor_state', 'data'], rows),
        );
      return undefined;
    },
  );

  /** The acts of the catalogue, as POSTs: rate-limited and idempotent under Idempotency-Key; the service gates and counts them. */
  for (const name of ACT_NAMES) {
    const def = ACTS[name];
    define(
      {
        method: 'post',
        path: `/initiatives/:id/${def.path}`,
        summary: def.summary,
        description:
          "A refused act answers 409 with the workflow's reason and code. A retry of the same request with the same Idempotency-Key returns the first result and changes nothing; the key is yours alone: used before by someone else, or by you for another request, it answers 422 (idempotency-key-reused).",
        tag: 'Acts',
        auth: 'signed-in',
        access: WHO_MAY[def.who],
        params: actParamsOf(name),
        body: ACT_BODIES[def.body],
        idempotent: true,
        success: { description: 'the initiative after the act', schema: s.initiativeResponse },
        errors: [404, 409, 429],
        before: [deps.limits.acts],
      },
      ({ actor, body, params, req }) => {
        const target = params as { id: string; milestoneId?: string };
        const request = actRequestOf(name, body as object, target);
        return deps.service.perform(name, target.id, actor, request, idempotencyKey(req));
      },
    );
  }
}
