/** A person chooses the daily digest for themselves. */
import mongoose from 'mongoose';
import { apiAs, testStack } from '../support/stack';

describe('choosing the daily digest', () => {
  let mongo: mongoose.Connection;
  beforeAll(async () => {
    mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
  });
  afterAll(async () => {
    await apiAs('deputy-tj').put('/api/me/notifications', { digest: false });
    await mongo.close();
  });

  it('turns the digest on and off for the signed-in person only', async () => {
    const on = await apiAs('deputy-tj').put('/api/me/notifications', { digest: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ digest: true });
    const people = mongo.collection('people');
    expect((await people.findOne({ _id: 'deputy-tj' as never }))?.notifications).toMatchObject({ digest: true });
    expect((await people.findOne({ _id: 'rep-tj' as never }))?.notifications?.digest).not.toBe(true);

    const off = await apiAs('deputy-tj').put('/api/me/notifications', { digest: false });
    expect(off.body).toEqual({ digest: false });
    expect((await people.findOne({ _id: 'deputy-tj' as never }))?.notifications).toMatchObject({ digest: false });
  });

  it('names a bad field and needs a sign-in', async () => {
    const bad = await apiAs('deputy-tj').put('/api/me/notifications', { digest: 'yes', extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['digest']));
    expect((await apiAs(null).put('/api/me/notifications', { digest: true })).status).toBe(401);
  });
});
