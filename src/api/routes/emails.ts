/** For the Secretariat: notification emails that did not and will not arrive by themselves (refused addresses, lost outcomes). */
import type { Router } from 'express';
import { z } from 'zod';
import { Role } from '../../domain/types';
import { listFailedEmails } from '../../persistence/outbox';
import { requireRole } from '../auth';
import type { RouteDeps } from '../deps';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';
import * as s from '../../app/schemas';

export function emailRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  registry.on(api, '/api').define(
    {
      method: 'get',
      path: '/emails/undelivered',
      summary: 'Emails that failed or whose delivery is unconfirmed, newest first',
      description:
        'An SMTP outage only delays mail (it is retried); these are the emails that need a person: a refused address, or a send whose outcome was lost.',
      tag: 'Emails',
      auth: 'signed-in',
      access: 'the Secretariat',
      query: s.undeliveredQuery,
      success: { description: 'the undelivered emails', schema: z.object({ items: z.array(s.undeliveredEmail) }) },
      errors: [503],
    },
    async ({ actor, query }) => {
      requireRole(actor, Role.Secretariat, 'see undelivered emails');
      if (!deps.outbox) throw problems.unavailable('the outbox');
      const items = await listFailedEmails(deps.outbox, { initiativeId: query.initiative, limit: query.limit });
      return {
        items: items.map((e) => ({
          ...e,
          createdAt: new Date(e.createdAt).toISOString(),
          failedAt: e.failedAt && new Date(e.failedAt).toISOString(),
        })),
      };
    },
  );
}
