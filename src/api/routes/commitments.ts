/** The commitment register: what adopted initiatives ask of whom, each party's part, and who follows them. */
import type { Router } from 'express';
import * as s from '../../app/schemas';
import type { RouteDeps } from '../deps';
import type { OperationRegistry } from '../routing';

const TAG = 'Commitments';

export function commitmentRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  const { define } = registry.on(api, '/api');

  define(
    {
      method: 'get',
      path: '/initiatives/:id/commitments',
      summary: "An initiative's commitments, with each party's part",
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: { description: 'its commitments, oldest first, with their history', schema: s.commitmentListResponse },
      errors: [404],
    },
    async ({ params }) => ({ items: await deps.commitments.ofInitiative(params.id) }),
  );

  define(
    {
      method: 'post',
      path: '/initiatives/:id/commitments',
      summary: 'Register a commitment of an adopted initiative',
      description:
        "Addressed to one member state, to every member state (`all`: each delivers its own part) or to the Secretariat. Refused (409) before the initiative's adoption.",
      tag: TAG,
      auth: 'signed-in',
      access: 'the Secretariat',
      params: s.idParams,
      body: s.commitmentBody,
      status: 201,
      success: { description: 'the commitment registered', schema: s.commitmentResponse },
      errors: [403, 404, 409, 422],
    },
    async ({ actor, params, body }) => deps.commitments.add(actor, params.id, body),
  );

  define(
    {
      method: 'post',
      path: '/commitments/:id/parts/:party',
      summary: "Update a party's part of a commitment: status, progress, a note, evidence",
      description:
        "Only what is given changes; evidence is added to what is there. Delivered sets the progress to 100 %; blocked needs a note saying what blocks it. The initiative's followers are told by email.",
      tag: TAG,
      auth: 'signed-in',
      access: "the party's focal points (its representative, deputy and officials) or the Secretariat",
      params: s.commitmentPartParams,
      body: s.deliveryBody,
      success: { description: 'the commitment as it stands', schema: s.commitmentResponse },
      errors: [403, 404, 422],
    },
    async ({ actor, params, body }) =>
      deps.commitments.update(actor, { commitmentId: params.id, party: params.party, ...body }),
  );

  define(
    {
      method: 'post',
      path: '/commitments/updates',
      summary: "Update many parts at once (a focal point's spreadsheet)",
      description:
        'Every row is checked before anything is written: one bad row refuses the whole batch (422, naming each row), and nothing changes.',
      tag: TAG,
      auth: 'signed-in',
      access: "each row: the party's focal points or the Secretariat",
      body: s.deliveryRowsBody,
      success: { description: 'how many parts were updated', schema: s.bulkUpdateResponse },
      errors: [422],
    },
    async ({ actor, body }) => deps.commitments.updateParts(actor, body.rows),
  );

  define(
    {
      method: 'get',
      path: '/commitments/matrix',
      summary: 'The state × commitment matrix: who has delivered what',
      tag: TAG,
      auth: 'signed-in',
      query: s.matrixQuery,
      success: { description: 'a row per commitment, a column per party', schema: s.commitmentMatrixResponse },
    },
    async ({ query }) => {
      const m = await deps.commitments.matrix(query.summit);
      return {
        asOf: m.asOf,
        columns: m.columns,
        totals: m.totals,
        rows: m.rows.map((r) => ({
          commitment: r.commitment,
          initiativeTitle: m.titles[r.commitment.initiativeId] ?? r.commitment.initiativeId,
          cells: Object.fromEntries(Object.entries(r.cells).map(([k, v]) => [k, v ?? null])),
        })),
      };
    },
  );

  define(
    {
      method: 'put',
      path: '/initiatives/:id/following',
      summary: 'Follow an initiative: an email at each change of its commitments',
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: { description: 'following', schema: s.followResponse },
      errors: [404],
    },
    async ({ actor, params }) => deps.commitments.follow(actor, params.id),
  );

  define(
    {
      method: 'delete',
      path: '/initiatives/:id/following',
      summary: 'Stop following an initiative',
      tag: TAG,
      auth: 'signed-in',
      params: s.idParams,
      success: { description: 'not following', schema: s.followResponse },
      errors: [404],
    },
    async ({ actor, params }) => deps.commitments.unfollow(actor, params.id),
  );
}
