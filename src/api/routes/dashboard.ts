/** Dependencies between initiatives, and the Secretariat's dashboard built on them. */
import type { Router } from 'express';
import * as s from '../../app/schemas';
import type { RouteDeps } from '../deps';
import type { OperationRegistry } from '../routing';

const TAG = 'Dashboard';

export function dashboardRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  const { define } = registry.on(api, '/api');

  define(
    {
      method: 'get',
      path: '/initiatives/:id/dependencies',
      summary: 'What an initiative waits for, what waits for it, and how it fares with its chain',
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: { description: 'its dependencies both ways, and its health', schema: s.dependenciesResponse },
      errors: [404],
    },
    async ({ params }) => deps.dependencies.of(params.id),
  );

  define(
    {
      method: 'post',
      path: '/initiatives/:id/dependencies',
      summary: 'Record that an initiative (or one of its milestones) waits for another',
      description:
        'Refused (409) when it would make an initiative wait for itself, directly or down a chain; the answer names the loop.',
      tag: TAG,
      auth: 'signed-in',
      access: 'the Secretariat',
      params: s.idParams,
      body: s.dependencyBody,
      status: 201,
      success: { description: 'the dependency recorded', schema: s.dependencyResponse },
      errors: [403, 404, 409, 422],
    },
    async ({ actor, params, body }) => deps.dependencies.add(actor, params.id, body),
  );

  define(
    {
      method: 'delete',
      path: '/dependencies/:id',
      summary: 'Drop a dependency',
      tag: TAG,
      auth: 'signed-in',
      access: 'the Secretariat',
      params: s.dependencyParams,
      status: 204,
      success: { description: 'dropped' },
      errors: [403, 404],
    },
    async ({ actor, params }) => {
      await deps.dependencies.remove(actor, params.id);
    },
  );

  define(
    {
      method: 'get',
      path: '/dashboard',
      summary: 'Per state and per chairmanship year: on-time sign-off, time to decide, overdue, silence, delivery',
      description:
        'With the path to the next summit (the chains of dependencies not yet met, blockers first) and a missing next Chair in the rotation calendar.',
      tag: TAG,
      auth: 'signed-in',
      success: { description: 'the figures as of now', schema: s.dashboardResponse },
    },
    async () => deps.dashboard.figures(),
  );
}
