/** The first vertical slice on the real servers: the Secretariat starts an initiative; everyone can see it; its representative is told by email. */
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { apiAs, eventually, testStack, uniqueId } from '../support/stack';
import { emailsTo, listEmails, waitForEmails, type SinkEmail } from '../support/mail';

const secretariat = apiAs('secretariat');

function newInitiative(id: string) {
  return {
    id,
    title: `Joint rail freight timetable ${id}`,
    proposingState: 'KZ',
    summit: 'tashkent-2025',
    category: 'transport',
  };
}

describe('starting an initiative', () => {
  let mongo: mongoose.Connection;
  let temporal: Client;

  beforeAll(async () => {
    mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
    temporal = new Client({ connection: await Connection.connect({ address: testStack().temporalAddress }) });
  });
  afterAll(async () => {
    await mongo.close();
    await temporal.connection.close();
  });

  it('shows the new initiative as proposed, stores it in the read model and emails the proposing state', async () => {
    const id = uniqueId('rail');
    const created = await secretariat.post('/api/initiatives', newInitiative(id));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, stage: 'proposed', proposingState: 'KZ', revision: 0 });

    const fetched = await secretariat.get(`/api/initiatives/${id}`);
    expect(fetched.body).toMatchObject({ id, stage: 'proposed', title: `Joint rail freight timetable ${id}` });
    // The answer to the start is the workflow's own first view: the same rule, on the same input, at the
    // instant the start was sealed, instants included.
    expect(created.body).toEqual(fetched.body);

    const stored = await eventually('the read model document', () =>
      mongo.collection('initiatives').findOne({ _id: id as never }),
    );
    expect(stored).toMatchObject({ stage: 'proposed', proposingState: 'KZ' });

    const listed = await eventually('the initiative listed', async () => {
      const r = await apiAs('rep-tj').get(`/api/initiatives?q=${id}`);
      return r.body.total === 1 ? r : undefined;
    });
    // A list gives each initiative's summary; the whole of it is at /api/initiatives/{id}.
    expect(listed.body.items[0]).toEqual({
      id,
      title: `Joint rail freight timetable ${id}`,
      proposingState: 'KZ',
      stage: 'proposed',
      revision: 0,
      pendingStates: [],
      nextDueAt: fetched.body.nextDueAt,
      updatedAt: fetched.body.updatedAt,
      version: fetched.body.version,
    });

    const [mail] = await waitForEmails(
      'the notification to the Kazakh representative',
      (m) => m.subject.includes(id) && m.to.some((t) => t.address === 'rep-kz@example.org'),
    );
    // The Kazakh representative reads Russian (locale "ru" in the data set).
    expect(mail.subject).toBe(`Новая инициатива: Joint rail freight timetable ${id}`);
    expect(mail.text).toContain('Здравствуйте, Special Representative of Kazakhstan!');
    expect(mail.text).toContain('Выдвинута: Казахстан; встреча: tashkent-2025');
    expect(mail.text).toContain(`${testStack().apiUrl}/initiatives/${id}`);
    expect(mail.html).toContain('Открыть инициативу');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('starting the same initiative twice yields one workflow, one document and one email', async () => {
    const id = uniqueId('twice');
    const [a, b] = await Promise.all([
      secretariat.post('/api/initiatives', newInitiative(id)),
      secretariat.post('/api/initiatives', newInitiative(id)),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const again = await secretariat.post('/api/initiatives', newInitiative(id));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);

    // The representative's and the Secretariat's notices come from one recorded change: once both are in, so is any double.
    const addressedTo = (email: string) => (m: SinkEmail) =>
      m.subject.includes(id) && m.to.some((t) => t.address === email);
    await waitForEmails('the notice to the Kazakh representative', addressedTo('rep-kz@example.org'));
    await waitForEmails('the notice to the Secretariat', addressedTo('secretariat@example.org'));
    expect(await mongo.collection('initiatives').countDocuments({ _id: id as never })).toBe(1);
    const runs = [];
    for await (const wf of temporal.workflow.list({ query: `WorkflowId = 'initiative-${id}'` })) runs.push(wf);
    expect(runs).toHaveLength(1);
    const toRep = emailsTo(await listEmails(), 'rep-kz@example.org').filter((m) => m.subject.includes(id));
    expect(toRep).toHaveLength(1);
  });

  it('refuses a start by anyone but the Secretariat, without a token, or with bad fields', async () => {
    const byRep = await apiAs('rep-kz').post('/api/initiatives', newInitiative(uniqueId('rep')));
    expect(byRep.status).toBe(403);
    expect(byRep.contentType).toContain('application/problem+json');

    const anonymous = await apiAs(null).post('/api/initiatives', newInitiative(uniqueId('anon')));
    expect(anonymous.status).toBe(401);

    const invalid = await secretariat.post('/api/initiatives', {
      title: '',
      proposingState: 'Kazakhstan',
      summit: 'x',
      category: 'y',
      extra: 1,
    });
    expect(invalid.status).toBe(422);
    const fields = invalid.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'proposingState', '(body)']));

    const unknownState = await secretariat.post('/api/initiatives', {
      ...newInitiative(uniqueId('xx')),
      proposingState: 'XX',
    });
    expect(unknownState.status).toBe(422);
    expect(unknownState.body.errors[0]).toMatchObject({ field: 'proposingState' });

    const malformed = await secretariat.post('/api/initiatives', '{"title": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toMatch(/malformed-request$/);
  });
});
