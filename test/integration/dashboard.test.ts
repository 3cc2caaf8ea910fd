/**
 * Dependencies and the dashboard on the real stack: the Secretariat makes one initiative wait for another, a loop
 * is refused naming it, "at risk" travels to the dependent while the blocker is late, the path to the next summit
 * lists the blocker first, and the dashboard counts a state's decisions and commitments.
 */
import { adoptedInitiative, asPerson, settled, startedInitiative } from '../support/api-client';

const sec = asPerson('secretariat');

describe('dependencies between initiatives', () => {
  it('are recorded by the Secretariat only, refused when they would loop, and carry the risk down the chain', async () => {
    // The Charter will be late: its draft is due seconds after assignment and never comes in.
    const charter = await startedInitiative('charter', { to: 'assigned', draftDueDays: 0.0001 });
    const secretariatBody = await startedInitiative('secretariat-body');
    const premises = await startedInitiative('premises');

    const byRep = await asPerson('rep-kg').post(`/api/initiatives/${secretariatBody}/dependencies`, {
      blockedBy: charter,
      until: 'adopted',
    });
    expect(byRep.status).toBe(403);

    const first = await sec.post(`/api/initiatives/${secretariatBody}/dependencies`, {
      blockedBy: charter,
      until: 'adopted',
      reason: 'The Secretariat is established by the Charter.',
    });
    expect(first.status).toBe(201);
    expect(
      (await sec.post(`/api/initiatives/${premises}/dependencies`, { blockedBy: secretariatBody, until: 'completed' }))
        .status,
    ).toBe(201);

    const loop = await sec.post(`/api/initiatives/${charter}/dependencies`, { blockedBy: premises, until: 'adopted' });
    expect(loop.status).toBe(409);
    expect(loop.body.detail).toContain(`${charter} → ${premises} → ${secretariatBody} → ${charter}`);
    const self = await sec.post(`/api/initiatives/${charter}/dependencies`, { blockedBy: charter, until: 'adopted' });
    expect(self.status).toBe(409);

    // Two hops down from the late Charter, the premises are at risk because of it.
    const premisesDeps = await settled('the Charter late, and the premises at risk', async () => {
      const body = (await sec.get(`/api/initiatives/${premises}/dependencies`)).body;
      return body.health?.because[0]?.health === 'late' ? body : undefined;
    });
    expect(premisesDeps.health.health).toBe('at_risk');
    expect(premisesDeps.health.because).toEqual([
      expect.objectContaining({ initiativeId: charter, health: 'late', path: [premises, secretariatBody, charter] }),
    ]);
    const charterDeps = (await sec.get(`/api/initiatives/${charter}/dependencies`)).body;
    expect(charterDeps.waitedBy.map((d: { initiativeId: string }) => d.initiativeId)).toEqual([secretariatBody]);

    const dash = (await asPerson('rep-kg').get('/api/dashboard')).body;
    const order = dash.path.steps.map((st: { initiativeId: string }) => st.initiativeId);
    expect(order.indexOf(charter)).toBeLessThan(order.indexOf(secretariatBody));
    expect(order.indexOf(secretariatBody)).toBeLessThan(order.indexOf(premises));

    // Dropping the first link ends the risk for both.
    expect((await sec.del(`/api/dependencies/${first.body.id}`)).status).toBe(204);
    expect((await sec.get(`/api/initiatives/${premises}/dependencies`)).body.health.health).toBe('on_track');
  });

  it('dashboard: counts each state the round asked, and the commitments addressed to it', async () => {
    const before = (await sec.get('/api/dashboard')).body;
    const id = await adoptedInitiative('dash');
    const c = (await sec.post(`/api/initiatives/${id}/commitments`, { title: 'Ratify', to: 'all' })).body;
    await asPerson('rep-kg').post(`/api/commitments/${c.id}/parts/KG`, { status: 'delivered' });
    const kg = (d: { byState: { state: string }[] }) => d.byState.find((s) => s.state === 'KG') as Record<string, any>;
    // The dashboard reads the recorded views: it counts the commitment once the worker has recorded the start.
    const after = await settled('the commitment on the dashboard', async () => {
      const d = (await sec.get('/api/dashboard')).body;
      return kg(d).commitments.total > kg(before).commitments.total && d;
    });
    // The read model records the decisions in the background: the adoption may not be counted yet, the commitment is.
    expect(kg(after).commitments.total).toBe(kg(before).commitments.total + 1);
    expect(kg(after).commitments.delivered).toBe(kg(before).commitments.delivered + 1);
    expect(after.byYear.length).toBeGreaterThan(0);
  });
});
