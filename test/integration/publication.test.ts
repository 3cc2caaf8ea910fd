/**
 * Publication tiers on the real stack: an initiative is for the member states until the Secretariat makes it
 * public; an anonymous visitor then reads it, reduced to what the public may know, and nothing else; made
 * members-only again, it is gone from the public page as if it never existed.
 */
import { anonymous, asPerson, settled, startedInitiative } from '../support/api-client';

describe('publication tiers', () => {
  it('shows an anonymous visitor the public tier only, without names, addresses or reasons', async () => {
    const id = await startedInitiative('public', { to: 'signoff' });
    const hidden = await startedInitiative('members-only');
    const approved = await asPerson('rep-kg').post(`/api/initiatives/${id}/decisions`, {
      state: 'KG',
      decision: 'approve',
      revision: 1,
    });
    expect(approved.status).toBe(200);
    const visitor = anonymous();

    // By default, for the member states only.
    expect((await visitor.get(`/api/public/initiatives/${id}`)).status).toBe(404);
    expect((await asPerson('rep-kg').get(`/api/initiatives/${id}/publication`)).body).toEqual({ tier: 'members' });

    // Only the Secretariat publishes, and only to a tier that exists.
    expect((await asPerson('rep-kg').put(`/api/initiatives/${id}/publication`, { tier: 'public' })).status).toBe(403);
    const wrong = await asPerson('secretariat').put(`/api/initiatives/${id}/publication`, { tier: 'everyone' });
    expect([wrong.status, wrong.body.errors?.[0]?.field]).toEqual([422, 'tier']);
    expect(
      (await asPerson('secretariat').put('/api/initiatives/no-such-initiative/publication', { tier: 'public' })).status,
    ).toBe(404);

    const set = await asPerson('secretariat').put(`/api/initiatives/${id}/publication`, {
      tier: 'public',
      reason: 'Agreed at the senior officials meeting',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      tier: 'public',
      by: 'secretariat',
      reason: 'Agreed at the senior officials meeting',
    });

    // The public list shows what the worker has recorded of each public initiative.
    const ids = await settled('the initiative on the public list', async () => {
      const list = await visitor.get('/api/public/initiatives');
      const listed = list.status === 200 ? (list.body.items as { id: string }[]).map((i) => i.id) : [];
      return listed.includes(id) && listed;
    });
    expect(ids).not.toContain(hidden);

    // The public page reads the recorded view, which the worker writes after the act.
    const one = await settled("KG's approval on the public page", async () => {
      const reply = await visitor.get(`/api/public/initiatives/${id}`);
      return reply.status === 200 && reply.body.signoff?.approved?.includes('KG') && reply;
    });
    expect(Object.keys(one.body).sort()).toEqual(
      [
        'category',
        'id',
        'milestones',
        'proposingState',
        'signoff',
        'stage',
        'startedAt',
        'summit',
        'title',
        'updatedAt',
      ].sort(),
    );
    expect(one.body.signoff).toMatchObject({ revision: 1, approved: ['KG'] });
    // No person, address or link of the workspace: only the summit's decision and where it stands.
    expect(JSON.stringify(one.body)).not.toMatch(/rep-|official-|secretariat|@|example\.org\/draft/);

    // Everything else stays behind the sign-in.
    expect((await visitor.get(`/api/initiatives/${id}`)).status).toBe(401);
    expect((await visitor.get(`/api/initiatives/${id}/events`)).status).toBe(401);
    expect((await visitor.get(`/api/initiatives/${id}/evidence`)).status).toBe(401);
    expect((await visitor.get(`/api/public/initiatives/${hidden}`)).status).toBe(404);

    const back = await asPerson('secretariat').put(`/api/initiatives/${id}/publication`, { tier: 'members' });
    expect(back.body).toEqual({ tier: 'members', by: 'secretariat', at: expect.any(String) });
    expect((await visitor.get(`/api/public/initiatives/${id}`)).status).toBe(404);
    expect(
      ((await visitor.get('/api/public/initiatives')).body.items as { id: string }[]).map((i) => i.id),
    ).not.toContain(id);
  });
});
