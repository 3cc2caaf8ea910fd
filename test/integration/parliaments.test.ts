/**
 * The parliaments' tier on the real stack: a member of a national parliament, signed in, reads the initiatives
 * published to the parliaments (and the public ones), reduced as on the public page, and nothing else; every
 * route of the member states refuses them. An anonymous visitor still sees only the public tier.
 */
import { addPerson, anonymous, asPerson, settled, signIn, startedInitiative } from '../support/api-client';

describe('the national parliaments', () => {
  it('read what is published to them, and nothing of the member states', async () => {
    const sec = asPerson('secretariat');
    const forParliaments = await startedInitiative('for-parliaments');
    const forPublic = await startedInitiative('for-public');
    const membersOnly = await startedInitiative('members-only-p');
    // The Secretariat publishes what the read model holds: the worker records each start in the background.
    for (const id of [forParliaments, forPublic, membersOnly])
      await settled(`${id} recorded`, async () => (await sec.get(`/api/initiatives?q=${id}`)).body.total === 1);
    expect((await sec.put(`/api/initiatives/${forParliaments}/publication`, { tier: 'parliaments' })).status).toBe(200);
    expect((await sec.put(`/api/initiatives/${forPublic}/publication`, { tier: 'public' })).status).toBe(200);

    // A member of parliament belongs to a state, like a representative.
    const stateless = await sec.put('/api/directory/people/mp-nostate', {
      name: 'No state',
      email: 'mp-nostate@example.org',
      roles: ['parliament'],
    });
    expect([stateless.status, stateless.body.errors?.[0]?.field]).toEqual([422, 'state']);
    const mp = await signIn((await addPerson({ roles: ['parliament'], state: 'KG' }, 'mp-kg')).email);

    const list = (await mp.get('/api/parliaments/initiatives')).body.items.map((i: { id: string }) => i.id);
    expect(list).toEqual(expect.arrayContaining([forParliaments, forPublic]));
    expect(list).not.toContain(membersOnly);
    const one = await mp.get(`/api/parliaments/initiatives/${forParliaments}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: forParliaments, stage: 'proposed', proposingState: 'KZ' });
    expect(JSON.stringify(one.body)).not.toMatch(/@|secretariat/i);
    expect((await mp.get(`/api/parliaments/initiatives/${membersOnly}`)).status).toBe(404);

    // Every route of the member states is closed to them, reads and acts alike.
    for (const path of [
      '/api/initiatives',
      `/api/initiatives/${membersOnly}`,
      `/api/initiatives/${forParliaments}/events`,
      '/api/commitments/matrix',
      '/api/dashboard',
      '/api/directory/people',
      '/api/reports/progress?summit=tashkent-2025',
    ])
      expect([path, (await mp.get(path)).status]).toEqual([path, 403]);
    expect((await mp.put(`/api/initiatives/${membersOnly}/following`, {})).status).toBe(403);
    expect((await mp.get('/initiatives')).status).toBe(403);
    const home = await mp.get('/');
    expect([home.status, home.headers.get('location')]).toEqual([303, '/parliaments']);
    const page = await mp.get('/parliaments');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Test initiative ${forParliaments}`);
    expect(page.text).not.toContain(membersOnly);

    // The public sees the public tier only; the member states see everything as before.
    const visitor = anonymous();
    expect((await visitor.get(`/api/public/initiatives/${forParliaments}`)).status).toBe(404);
    expect((await visitor.get(`/api/public/initiatives/${forPublic}`)).status).toBe(200);
    expect((await visitor.get('/api/parliaments/initiatives')).status).toBe(401);
    expect((await asPerson('rep-kg').get(`/api/parliaments/initiatives/${forParliaments}`)).status).toBe(200);
  });
});
