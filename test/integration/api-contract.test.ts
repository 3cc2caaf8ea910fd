/** Answers keep to the contract /openapi.json states: the documented statuses, and bodies with the documented fields only. */
import { z } from 'zod';
import * as s from '../../src/app/schemas';
import mongoose from 'mongoose';
import { addPerson, anonymous, asPerson } from '../support/api-client';
import { testStack } from '../support/stack';

const secretariat = asPerson('secretariat');
let mongo: mongoose.Connection;
beforeAll(async () => {
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await mongo?.close();
});
/** The schema as the document shows it to clients: no field beyond the declared ones. */
const exactly = <T extends z.ZodObject>(schema: T) => schema.strict();

describe('the contract of /openapi.json', () => {
  it('documents 200 and 201 for every create-or-replace, and the answer is the same shape', async () => {
    const doc = (await anonymous().get('/openapi.json')).body;
    for (const [path, method] of [
      ['/api/initiatives', 'post'],
      ['/api/directory/states/{code}', 'put'],
      ['/api/directory/people/{id}', 'put'],
      ['/api/directory/rotation/{year}', 'put'],
    ]) {
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      expect([path, Object.keys(responses).filter((c) => c.startsWith('2'))]).toEqual([path, ['200', '201']]);
    }
  });

  it('lists and shows people with the documented fields only, never their own email choices or credential times', async () => {
    const { id, email } = await addPerson({ roles: ['official'], state: 'UZ' }, 'contract');
    // The person chooses the digest (what PUT /api/me/notifications stores): kept with them, not in the directory's answers.
    await mongo
      .collection('people')
      .updateOne({ _id: id as never }, { $set: { notifications: { digest: true, optOut: [] } } });
    const self = await secretariat.put(`/api/directory/people/${id}`, {
      name: 'Contract person',
      email,
      locale: 'ru',
      roles: ['official'],
      state: 'UZ',
    });
    expect(self.status).toBe(200);
    expect(() => exactly(s.personResponse).parse(self.body)).not.toThrow();
    const list = await secretariat.get('/api/directory/people');
    expect(list.status).toBe(200);
    for (const p of list.body.items) exactly(s.personResponse).parse(p);
    const one = await secretariat.get(`/api/directory/people/${id}`);
    expect(exactly(s.personResponse).parse(one.body)).toMatchObject({ id, email, locale: 'ru' });
    await secretariat.post(`/api/directory/people/${id}/credentials/revocation`, { reason: 'contract test' });
    exactly(s.personResponse).parse((await secretariat.get(`/api/directory/people/${id}`)).body);
  });

  it('shows states and the rotation with the documented fields only', async () => {
    for (const st of (await secretariat.get('/api/directory/states')).body.items) exactly(s.stateResponse).parse(st);
    for (const r of (await secretariat.get('/api/directory/rotation')).body.items) exactly(s.rotationResponse).parse(r);
    // Kazakhstan replaced by itself (a new state would join every other test's sign-off rounds).
    const { code, ...kz } = (await secretariat.get('/api/directory/states/KZ')).body;
    const replaced = await secretariat.put(`/api/directory/states/${code}`, kz);
    expect(replaced.status).toBe(200);
    expect(exactly(s.stateResponse).parse(replaced.body)).toEqual({ code, ...kz });
  });
});
