/** Publication tiers: the Secretariat chooses what is public; anyone reads the public tier without signing in. */
import type { Router } from 'express';
import * as s from '../../app/schemas';
import type { RouteDeps } from '../deps';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';

const TAG = 'Publication';

const out = (p: { tier: string; by?: string; at?: Date; reason?: string }) => ({
  tier: p.tier,
  ...(p.by ? { by: p.by } : {}),
  ...(p.at ? { at: new Date(p.at).toISOString() } : {}),
  ...(p.reason ? { reason: p.reason } : {}),
});

export function publicationRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  const { define } = registry.on(api, '/api');

  define(
    {
      method: 'get',
      path: '/initiatives/:id/publication',
      summary: 'Who may see an initiative: the member states, or also the public',
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: { description: 'its tier and who set it', schema: s.publicationResponse },
      errors: [404],
    },
    async ({ params }) => {
      // An initiative started a moment ago exists before the worker has recorded it.
      if (!(await deps.readModel.exists(params.id)) && !(await deps.service.get(params.id)))
        throw problems.notFound(`initiative ${params.id}`);
      return out(await deps.publication.tierOf(params.id));
    },
  );

  define(
    {
      method: 'put',
      path: '/initiatives/:id/publication',
      summary: 'Set who may see an initiative',
      description:
        'parliaments: also the members of the national parliaments (`GET /api/parliaments/initiatives`, the web page /parliaments); public: also on the public accountability page (`GET /api/public/initiatives`, the web page /public), without signing in, reduced to the summit decision, its stage, the sign-off round (which states approved; no names or reasons) and the milestones. Every change is kept with who made it and when.',
      tag: TAG,
      auth: 'signed-in',
      access: 'the Secretariat',
      params: s.idParams,
      body: s.publicationBody,
      success: { description: 'the tier now', schema: s.publicationResponse },
      errors: [403, 404],
    },
    async ({ actor, params, body }) => out(await deps.publication.setTier(actor, params.id, body.tier, body.reason)),
  );

  define(
    {
      method: 'get',
      path: '/parliaments/initiatives',
      summary: "The national parliaments' page: initiatives in the parliaments' tier or the public one",
      description:
        'Each reduced as on the public page. The only initiatives a person whose only role is parliament can read.',
      tag: TAG,
      auth: 'signed-in',
      success: { description: 'the initiatives published to the parliaments', schema: s.publicInitiativeList },
    },
    async () => ({ items: await deps.publication.parliamentList() }),
  );

  define(
    {
      method: 'get',
      path: '/parliaments/initiatives/:id',
      summary: 'One initiative published to the parliaments',
      description: 'Answers 404 for one that is for the member states only, as for one that does not exist.',
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: { description: 'what the parliaments may read of it', schema: s.publicInitiativeResponse },
      errors: [404],
    },
    async ({ params }) => {
      const one = await deps.publication.parliamentOne(params.id);
      if (!one) throw problems.notFound(`initiative ${params.id} published to the parliaments`);
      return one;
    },
  );

  define(
    {
      method: 'get',
      path: '/public/initiatives',
      summary: 'The public accountability page: initiatives in the public tier',
      tag: TAG,
      auth: 'public',
      success: { description: 'the public initiatives, most recently changed first', schema: s.publicInitiativeList },
    },
    async () => ({ items: await deps.publication.publicList() }),
  );

  define(
    {
      method: 'get',
      path: '/public/initiatives/:id',
      summary: 'One initiative of the public tier',
      description: 'Answers 404 for an initiative that is not public, as for one that does not exist.',
      tag: TAG,
      auth: 'public',
      params: s.idParams,
      success: { description: 'what the public may read of it', schema: s.publicInitiativeResponse },
      errors: [404],
    },
    async ({ params }) => {
      const one = await deps.publication.publicOne(params.id);
      if (!one) throw problems.notFound(`public initiative ${params.id}`);
      return one;
    },
  );
}
