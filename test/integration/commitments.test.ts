/**
 * The commitment register on the real stack: the Secretariat registers what an adopted initiative asks of whom,
 * each state's focal points update their own part (and no other), a spreadsheet's rows apply all or nothing,
 * followers are told by email, and the matrix shows who has delivered what.
 */
import mongoose from 'mongoose';
import { adoptedInitiative, asPerson, settled, startedInitiative } from '../support/api-client';
import { waitForEmails } from '../support/mail';
import { eventually, testStack } from '../support/stack';

const sec = asPerson('secretariat');

describe('the commitment register', () => {
  let id: string;
  let members: string[];
  let mongo: mongoose.Connection;
  afterAll(async () => {
    await mongo.close();
  });
  beforeAll(async () => {
    mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
    id = await adoptedInitiative('register');
    members = (await sec.get(`/api/initiatives/${id}`)).body.round.members;
  });

  it('is opened only by the Secretariat, and only once the initiative is adopted', async () => {
    const early = await startedInitiative('register-early');
    const refused = await sec.post(`/api/initiatives/${early}/commitments`, { title: 'Too early', to: 'all' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/once the initiative is adopted/);

    const byRep = await asPerson('rep-kg').post(`/api/initiatives/${id}/commitments`, { title: 'Mine', to: 'KG' });
    expect(byRep.status).toBe(403);

    const unknownParty = await sec.post(`/api/initiatives/${id}/commitments`, { title: 'Nobody', to: 'FR' });
    expect(unknownParty.status).toBe(422);
    expect((await sec.get(`/api/initiatives/${id}/commitments`)).body.items).toEqual([]);
  });

  it("lets each state's focal points update their own part, never another state's", async () => {
    const made = await sec.post(`/api/initiatives/${id}/commitments`, {
      title: 'Designate the national contact point',
      to: 'all',
      dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(made.status).toBe(201);
    const c = made.body;
    expect(Object.keys(c.parties).sort()).toEqual([...members].sort());
    expect(c.parties.KG).toMatchObject({ status: 'not_started', progress: 0, evidence: [] });

    const mine = await asPerson('rep-kg').post(`/api/commitments/${c.id}/parts/KG`, {
      status: 'in_progress',
      progress: 40,
      evidence: [{ url: 'https://gov.kg/decree-17', title: 'Decree 17' }],
    });
    expect(mine.status).toBe(200);
    expect(mine.body.parties.KG).toMatchObject({
      status: 'in_progress',
      progress: 40,
      updatedBy: 'rep-kg',
      evidence: [{ url: 'https://gov.kg/decree-17', title: 'Decree 17', addedBy: 'rep-kg' }],
    });

    const theirs = await asPerson('rep-kg').post(`/api/commitments/${c.id}/parts/UZ`, { status: 'delivered' });
    expect(theirs.status).toBe(403);
    const badLink = await asPerson('rep-uz').post(`/api/commitments/${c.id}/parts/UZ`, {
      evidence: [{ url: 'javascript:alert(1)' }],
    });
    expect(badLink.status).toBe(422);
    const blockedWithoutWhy = await asPerson('rep-uz').post(`/api/commitments/${c.id}/parts/UZ`, {
      status: 'blocked',
    });
    expect(blockedWithoutWhy.status).toBe(422);
    expect(blockedWithoutWhy.body.errors?.[0]?.field ?? blockedWithoutWhy.body.detail).toMatch(/note/);

    const delivered = await asPerson('rep-uz').post(`/api/commitments/${c.id}/parts/UZ`, { status: 'delivered' });
    expect(delivered.body.parties.UZ).toMatchObject({ status: 'delivered', progress: 100 });
    expect(delivered.body.parties.KG).toMatchObject({ status: 'in_progress', progress: 40 });

    const listed = (await asPerson('rep-tj').get(`/api/initiatives/${id}/commitments`)).body.items;
    const stored = listed.find((x: { id: string }) => x.id === c.id);
    expect(stored.history.map((h: { party: string; status: string }) => `${h.party}:${h.status}`)).toEqual([
      'KG:in_progress',
      'UZ:delivered',
    ]);
  });

  it('applies a spreadsheet of updates all or nothing', async () => {
    const c = (
      await sec.post(`/api/initiatives/${id}/commitments`, { title: 'Publish the transit tariffs', to: 'all' })
    ).body;
    const one = (await sec.post(`/api/initiatives/${id}/commitments`, { title: 'Host the centre', to: 'KZ' })).body;
    const rejected = await sec.post('/api/commitments/updates', {
      rows: [
        { commitmentId: c.id, party: 'KG', progress: 50, status: 'in_progress' },
        { commitmentId: c.id, party: 'UZ', status: 'blocked' },
        { commitmentId: one.id, party: 'KG', status: 'delivered' },
      ],
    });
    expect(rejected.status).toBe(422);
    expect(rejected.body.errors).toEqual([
      { field: 'rows.1.note', message: 'say what blocks the commitment' },
      { field: 'rows.2.party', message: 'the commitment is not addressed to KG' },
    ]);
    const notTheirs = await asPerson('rep-kg').post('/api/commitments/updates', {
      rows: [
        { commitmentId: c.id, party: 'KG', progress: 10, status: 'in_progress' },
        { commitmentId: one.id, party: 'KZ', status: 'delivered' },
      ],
    });
    expect(notTheirs.status).toBe(422);
    expect(notTheirs.body.errors.map((e: { field: string }) => e.field)).toEqual(['rows.1.party']);
    const after = (await sec.get(`/api/initiatives/${id}/commitments`)).body.items.find(
      (x: { id: string }) => x.id === c.id,
    );
    expect(after.parties.KG).toMatchObject({ status: 'not_started', progress: 0 });

    const ok = await sec.post('/api/commitments/updates', {
      rows: [
        { commitmentId: c.id, party: 'KG', progress: 50, status: 'in_progress' },
        { commitmentId: one.id, party: 'KZ', status: 'delivered' },
      ],
    });
    expect(ok.body).toEqual({ updated: 2, unchanged: 0 });
  });

  it('tells the followers of the initiative, but not the one who acted, and shows the matrix', async () => {
    const follower = (await sec.get('/api/directory/people/rep-tj')).body;
    expect((await asPerson('rep-tj').put(`/api/initiatives/${id}/following`, {})).body).toEqual({ following: true });
    await asPerson('rep-kg').put(`/api/initiatives/${id}/following`, {});
    const c = (
      await sec.post(`/api/initiatives/${id}/commitments`, { title: 'Open the border crossing 24/7', to: 'KG' })
    ).body;
    await asPerson('rep-kg').post(`/api/commitments/${c.id}/parts/KG`, {
      status: 'in_progress',
      progress: 70,
      note: 'Two of three posts open.',
    });
    const [mail] = await waitForEmails(
      'the follower told of KG progress',
      (m) => m.subject.includes('Open the border crossing 24/7') && m.to.some((t) => t.address === follower.email),
      1,
      150_000,
    );
    expect(mail.text).toContain('70 %');
    expect(mail.text).toContain('Two of three posts open.');
    // The emails of one change are all queued before any is sent: the one who acted is not among them.
    const queued = await mongo
      .collection('outbox')
      .find({ _id: { $regex: `^progress\\|${c.id}\\|` } } as never)
      .toArray();
    expect(queued.map((d) => d.personId)).toEqual(['rep-tj']);

    // The matrix lists the initiatives the worker has recorded.
    const { matrix, row } = await settled('the commitment in the matrix', async () => {
      const m = (await sec.get('/api/commitments/matrix?summit=tashkent-2025')).body;
      const r = m.rows.find((x: { commitment: { id: string } }) => x.commitment.id === c.id);
      return r && { matrix: m, row: r };
    });
    expect(row.cells.KG).toEqual({ status: 'in_progress', progress: 70, late: false });
    expect(row.cells.UZ).toBeNull();
    expect(matrix.columns).toContain('KG');

    await asPerson('rep-tj').del(`/api/initiatives/${id}/following`);
    expect((await sec.get(`/api/initiatives/${id}/commitments`)).status).toBe(200);
  });

  it('follows once however many times the button is pressed at once', async () => {
    // Concurrent first follows race to insert the same document: without the retry, one in a few hundred lost
    // with a 500 (FerretDB answers the loser with a duplicate key).
    const uz = asPerson('rep-uz');
    const answers: number[] = [];
    for (let round = 0; round < 30; round++) {
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => uz.put(`/api/initiatives/${id}/following`, {})),
      );
      answers.push(...replies.map((a) => a.status));
      await uz.del(`/api/initiatives/${id}/following`);
    }
    expect(answers.filter((status) => status !== 200)).toEqual([]);
    expect(answers).toHaveLength(180);
    expect(await mongo.collection('follows').countDocuments({ initiativeId: id, personId: 'rep-uz' })).toBe(0);
    expect((await uz.put(`/api/initiatives/${id}/following`, {})).body).toEqual({ following: true });
    expect(await mongo.collection('follows').countDocuments({ initiativeId: id, personId: 'rep-uz' })).toBe(1);
    await uz.del(`/api/initiatives/${id}/following`);
  });
});
