/** Each error status a client can meet, provoked for real, always as problem+json; and idempotent retries. */
import { addPerson, anonymous, asPerson, signIn, startedInitiative } from '../support/api-client';
import { uniqueId } from '../support/stack';

const secretariat = asPerson('secretariat');
const PROBLEM = 'application/problem+json; charset=utf-8';

describe('errors are problem+json, never a 500', () => {
  it('400 for malformed JSON or a missing body, 413 for an oversized body, 415 for a body that is not JSON', async () => {
    const malformed = await secretariat.post('/api/initiatives', '{"title": ', { 'content-type': 'application/json' });
    expect([malformed.status, malformed.contentType, malformed.body.type]).toEqual([
      400,
      PROBLEM,
      expect.stringMatching(/malformed-request$/),
    ]);

    const huge = await secretariat.post('/api/initiatives', { title: 'x', summary: 'y'.repeat(300 * 1024) });
    expect([huge.status, huge.contentType, huge.body.type]).toEqual([
      413,
      PROBLEM,
      expect.stringMatching(/body-too-large$/),
    ]);

    const text = await secretariat.post('/api/initiatives', 'title=x', { 'content-type': 'text/plain' });
    expect([text.status, text.contentType]).toEqual([415, PROBLEM]);

    // A body whose every field is optional must still be sent: a forgotten body would clear the state's edits.
    const calendar = '/api/directory/states/TM/calendar?year=2026';
    const before = (await secretariat.get(calendar)).body;
    const noBody = await secretariat.put('/api/directory/states/TM/calendar');
    expect([noBody.status, noBody.contentType, noBody.body.detail]).toEqual([
      400,
      PROBLEM,
      'send the request body as JSON (`{}` if every field is left out)',
    ]);
    expect((await secretariat.get(calendar)).body).toEqual(before);
  });

  it('405 with Allow for a method a known path does not take (whatever the case of the path); 404 for an unknown path', async () => {
    const del = await secretariat.del('/api/initiatives');
    expect([del.status, del.contentType, del.headers.get('allow'), del.body.type]).toEqual([
      405,
      PROBLEM,
      'GET, HEAD, POST',
      expect.stringMatching(/method-not-allowed$/),
    ]);
    const put = await secretariat.put(`/API/Initiatives/${uniqueId('any')}`, {});
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await secretariat.del(`/api/${uniqueId('nothing-here')}`)).status).toBe(404);
  });

  it('422 for operator injection in a body, a query or a sign-in, naming the field', async () => {
    const inBody = await secretariat.post('/api/initiatives', {
      title: 'x',
      proposingState: { $ne: null },
      summit: 's',
      category: 'c',
    });
    expect(inBody.status).toBe(422);
    expect(inBody.body.errors).toEqual(
      expect.arrayContaining([{ field: 'proposingState.$ne', message: expect.any(String) }]),
    );

    const inQuery = await asPerson('rep-kz').get('/api/initiatives?q[$regex]=.*');
    expect(inQuery.status).toBe(422);
    expect(inQuery.body.errors[0].field).toBe('q[$regex]');

    const signInProbe = await anonymous().post('/api/auth/magic-links', { email: { $gt: '' } });
    expect(signInProbe.status).toBe(422);
    const dotted = await secretariat.put('/api/directory/people/x1', {
      name: 'X',
      email: 'x1@example.org',
      roles: ['secretariat'],
      'notifications.digest': true,
    });
    expect(dotted.status).toBe(422);
    expect(dotted.body.errors[0].field).toBe('notifications.digest');

    const repeated = await asPerson('rep-kz').get('/api/initiatives?stage=signoff&stage=adopted');
    expect(repeated.status).toBe(422);
    expect(repeated.body.errors[0].field).toBe('stage');
  });

  it('401 without credentials, 403 for the wrong role, 404 for what does not exist', async () => {
    const none = await anonymous().get('/api/inbox');
    expect([none.status, none.contentType]).toEqual([401, PROBLEM]);
    const wrong = await asPerson('official-kz').post('/api/initiatives', {
      title: 'x',
      proposingState: 'KZ',
      summit: 's',
      category: 'c',
    });
    expect([wrong.status, wrong.body.type]).toEqual([403, expect.stringMatching(/forbidden$/)]);
    const missing = await secretariat.get(`/api/initiatives/${uniqueId('missing')}`);
    expect([missing.status, missing.contentType]).toEqual([404, PROBLEM]);
    const act = await secretariat.post(`/api/initiatives/${uniqueId('missing')}/withdrawal`, { reason: 'gone' });
    expect(act.status).toBe(404);
    const route = await secretariat.get('/api/nothing-here');
    expect([route.status, route.contentType]).toEqual([404, PROBLEM]);
  });

  it('409 for an act the workflow refuses, with its reason and code', async () => {
    const id = await startedInitiative('refused');
    const res = await secretariat.post(`/api/initiatives/${id}/completion`, {});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/act-refused$/),
      code: 'wrong_stage',
      detail: expect.stringContaining('proposed'),
    });
    const past = await secretariat.post(`/api/initiatives/${id}/assignment`, {
      leadState: 'KZ',
      officialId: 'official-kz',
      draftDueAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(409);
    expect(past.body.code).toBe('due_in_past');
  });

  it('429 when one person acts too often, with Retry-After', async () => {
    const { email } = await addPerson({ roles: ['official'], state: 'KG' }, 'busy');
    const busy = await signIn(email);
    const id = await startedInitiative('busy');
    // In concurrent batches, so the requests fall within one window even on a loaded machine.
    let limited: Awaited<ReturnType<typeof busy.post>> | undefined;
    for (let batch = 0; batch < 20 && !limited; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 25 }, () => busy.post(`/api/initiatives/${id}/drafts`, { title: '' })),
      );
      for (const r of replies) {
        if (r.status === 429) limited ??= r;
        else expect(r.status).toBe(422);
      }
    }
    expect(limited).toBeDefined();
    expect(limited!.contentType).toBe(PROBLEM);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Others are not held back.
    expect((await asPerson('official-kg').post(`/api/initiatives/${id}/drafts`, { title: '' })).status).toBe(422);
  });
});

describe('idempotent retries', () => {
  it('a retried act with the same Idempotency-Key returns the first result and changes nothing', async () => {
    const id = await startedInitiative('retry', { to: 'signoff' });
    const decide = (key: string) =>
      asPerson('rep-tj').post(
        `/api/initiatives/${id}/decisions`,
        { state: 'TJ', decision: 'approve', revision: 1 },
        { 'idempotency-key': key },
      );
    const first = await decide('decide-tj-0001');
    expect(first.status).toBe(200);
    expect(first.body.round.decisions.TJ).toMatchObject({ decision: 'approve', by: 'rep-tj' });
    const retried = await decide('decide-tj-0001');
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(first.body);
    // The workflow's own event count (the view's version) did not grow.
    expect((await secretariat.get(`/api/initiatives/${id}`)).body.version).toBe(first.body.version);
    // A new key is a new act, refused because the state has decided.
    const again = await decide('decide-tj-0002');
    expect([again.status, again.body.code]).toEqual([409, 'already_decided']);
    const badKey = await decide('no spaces allowed');
    expect([badKey.status, badKey.body.errors[0].field]).toEqual([422, 'Idempotency-Key']);
  });
});
