/**
 * Credentials follow the person, not the post (issue 12, item 6): when the Secretariat puts a new holder's
 * email on a person, or takes a role away, every credential the old holder had stops working; "sign out
 * everywhere" for oneself and by the Secretariat; API tokens that expire, and a cap on them; and the
 * directory trail of every change. Against the real API, MongoDB (FerretDB), Temporal and MailDev.
 */
import mongoose from 'mongoose';
import {
  addPerson,
  anonymous,
  asPerson,
  client,
  Client,
  Reply,
  sessionCookieOf,
  signInTokenFor,
  startedInitiative,
} from '../support/api-client';
import { emailsTo, listEmails } from '../support/mail';
import { eventually, testStack, uniqueId } from '../support/stack';
import { AUTH_CACHE_TTL_MS } from '../../src/app/credential-cache';

const secretariat = asPerson('secretariat');

let mongo: mongoose.Connection;
beforeAll(async () => {
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await mongo.close();
});

/** People this suite made deputies of a state: turned into officials at the end, so other suites' sign-off rounds do not email them. */
const deputies: { id: string; email: () => string }[] = [];
afterAll(async () => {
  for (const d of deputies)
    await secretariat.put(`/api/directory/people/${d.id}`, {
      name: 'Former deputy',
      email: d.email(),
      roles: ['official'],
      state: 'KG',
    });
});

/** Signs in by a fresh sign-in email (the address's nth), returning a cookie client with its CSRF token. */
async function signInFresh(email: string): Promise<Client & { cookie: string }> {
  const before = emailsTo(await listEmails(), email).length;
  const asked = await anonymous().post('/api/auth/magic-links', { email });
  expect(asked.status).toBe(202);
  const token = await signInTokenFor(email, before);
  const redeemed = await anonymous().post('/api/auth/session', { token });
  if (redeemed.status !== 201) throw new Error(`redeeming answered ${redeemed.status}: ${redeemed.text}`);
  const cookie = sessionCookieOf(redeemed.headers);
  return {
    ...client(`${email} (session)`, { cookie, 'x-csrf-token': redeemed.body.session.csrfToken as string }),
    cookie,
  };
}

/** A sign-in link mailed to the address and not used. */
async function unusedSignInLink(email: string): Promise<string> {
  const before = emailsTo(await listEmails(), email).length;
  expect((await anonymous().post('/api/auth/magic-links', { email })).status).toBe(202);
  return signInTokenFor(email, before);
}

const bearer = (token: string) => client('token', { authorization: `Bearer ${token}` });

async function newToken(who: Client, body: Record<string, unknown> = {}): Promise<Reply> {
  return who.post('/api/tokens', { label: `t-${uniqueId('x')}`, ...body });
}

function expectProblem(res: Reply, status: number, type?: RegExp): void {
  expect([res.status, res.contentType]).toEqual([status, expect.stringContaining('application/problem+json')]);
  if (type) expect(res.body.type).toMatch(type);
}

type Entry = Record<string, unknown> & { name?: { en: string }; chairState?: string };
interface TrailEvent {
  id: string;
  type: string;
  subject: string;
  actor: { personId: string; name: string };
  source: string;
  changed: string[];
  before: Entry | null;
  after: Entry;
  reason?: string;
}

async function trailOf(subject: string): Promise<TrailEvent[]> {
  const res = await secretariat.get(`/api/directory/events?subject=${encodeURIComponent(subject)}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('a new holder of a post', () => {
  it('voids every credential of the old holder when the Secretariat changes the email, and the old token no longer decides for the state', async () => {
    // The old holder: a deputy acting for Kyrgyzstan, with a session, an API token, a calendar feed and an unused sign-in link.
    const old = await addPerson(
      { roles: ['deputy'], state: 'KG', deputyOf: 'rep-kg', delegation: { from: '2024-01-01', to: '2099-12-31' } },
      'kg-holder',
    );
    let currentEmail = old.email;
    deputies.push({ id: old.id, email: () => currentEmail });
    const session = await signInFresh(old.email);
    const token = (await newToken(session)).body.token as string;
    const feedUrl = new URL((await session.post('/api/calendar-feed')).body.url as string);
    const link = await unusedSignInLink(old.email);

    // An initiative waiting for Kyrgyzstan's decision, which the old token can see.
    const id = await startedInitiative('cred-kg', { to: 'signoff' });
    const view = await eventually('the sign-off round', async () => {
      const v = await bearer(token).get(`/api/initiatives/${id}`);
      return v.status === 200 && v.body.stage === 'signoff' ? v.body : undefined;
    });
    expect((await bearer(token).get('/api/me')).body).toMatchObject({ person: { id: old.id }, onBehalfOf: 'rep-kg' });
    expect((await session.get('/api/me')).status).toBe(200);
    expect((await anonymous().get(feedUrl.pathname)).status).toBe(200);

    // The Secretariat puts the new holder's name and email on the post.
    const newEmail = `${uniqueId('kg-new')}@example.org`;
    const putStarted = Date.now();
    const replaced = await secretariat.put(`/api/directory/people/${old.id}`, {
      name: 'New holder',
      email: newEmail,
      roles: ['deputy'],
      state: 'KG',
      deputyOf: 'rep-kg',
      delegation: { from: '2024-01-01', to: '2099-12-31' },
    });
    expect(replaced.status).toBe(200);
    console.log(
      `email change with its revocation (1 token, 1 session, 1 feed, 1 sign-in link) answered in ${Date.now() - putStarted} ms`,
    );
    currentEmail = newEmail;
    expect(replaced.body).not.toHaveProperty('credentialsRevokedAt');

    // Each old credential now fails, at once (the change went through the API process that answers).
    expectProblem(await bearer(token).get('/api/me'), 401, /unauthenticated$/);
    const decided = await bearer(token).post(`/api/initiatives/${id}/decisions`, {
      state: 'KG',
      decision: 'object',
      reason: 'not ours',
      revision: view.revision,
    });
    expectProblem(decided, 401, /unauthenticated$/);
    expectProblem(await session.get('/api/me'), 401);
    expectProblem(await session.post('/api/tokens', { label: 'one more' }), 401);
    expect((await anonymous().get(feedUrl.pathname)).status).toBe(404);
    const redeemed = await anonymous().post('/api/auth/session', { token: link });
    expectProblem(redeemed, 401);
    expect(redeemed.headers.getSetCookie().some((c) => c.startsWith('sfu_session='))).toBe(false);

    // Nothing was recorded for Kyrgyzstan.
    const after = await secretariat.get(`/api/initiatives/${id}`);
    expect(JSON.stringify(after.body)).not.toContain('not ours');
    const events = (await secretariat.get(`/api/initiatives/${id}/events`)).body as Array<{
      type: string;
      actor?: { personId: string };
    }>;
    expect(events.filter((e) => e.actor?.personId === old.id)).toEqual([]);

    // The new holder signs in with the new address; their token listing shows the old one revoked.
    const fresh = await signInFresh(newEmail);
    expect((await fresh.get('/api/me')).body).toMatchObject({
      person: { id: old.id, email: newEmail },
      onBehalfOf: 'rep-kg',
    });
    const listed = (await fresh.get('/api/tokens')).body.items as Array<{ live: boolean; revokedAt?: string }>;
    expect(listed.length).toBeGreaterThanOrEqual(1);
    expect(listed.every((t) => !t.live && t.revokedAt)).toBe(true);
    expect((await fresh.get('/api/calendar-feed')).body).toEqual({ active: false });

    // The trail: the edit with its before and after, and the revocation it caused with what it ended.
    const trail = await trailOf(old.id);
    const edit = trail.find((e) => e.type === 'person.saved' && e.before);
    expect(edit).toMatchObject({
      actor: { personId: 'secretariat' },
      source: 'edit',
      changed: ['email', 'name'],
      before: { email: old.email, name: `Test person ${old.id}` },
      after: { email: newEmail, name: 'New holder' },
      reason: expect.stringContaining('email changed'),
    });
    const revocation = trail.find((e) => e.type === 'credentials.revoked');
    expect(revocation).toMatchObject({
      subject: old.id,
      source: 'edit',
      reason: expect.stringContaining(`email changed from ${old.email}`),
    });
    expect(revocation!.after).toMatchObject({ tokens: 1, sessions: 1, calendarFeeds: 1, signInLinks: 1 });
  });

  it('voids the credentials of a person a role is taken from, and of nobody whose edit takes nothing away', async () => {
    const p = await addPerson({ roles: ['official', 'chair'], state: 'TJ' }, 'demoted');
    const session = await signInFresh(p.email);
    const token = (await newToken(session)).body.token as string;

    // A harmless edit (a new time zone) leaves every credential working.
    const tz = await secretariat.put(`/api/directory/people/${p.id}`, {
      name: `Test person ${p.id}`,
      email: p.email,
      roles: ['official', 'chair'],
      state: 'TJ',
      timeZone: 'Asia/Dushanbe',
    });
    expect(tz.status).toBe(200);
    expect((await bearer(token).get('/api/me')).status).toBe(200);
    expect((await session.get('/api/me')).status).toBe(200);

    const demoted = await secretariat.put(`/api/directory/people/${p.id}`, {
      name: `Test person ${p.id}`,
      email: p.email,
      roles: ['official'],
      state: 'TJ',
    });
    expect(demoted.status).toBe(200);
    expectProblem(await bearer(token).get('/api/me'), 401);
    expectProblem(await session.get('/api/me'), 401);
    // The same address signs in again, with the roles left.
    expect((await (await signInFresh(p.email)).get('/api/me')).body.roles).toEqual(['official']);

    const trail = await trailOf(p.id);
    expect(trail.map((e) => e.type)).toEqual(['credentials.revoked', 'person.saved', 'person.saved', 'person.saved']);
    expect(trail[0]).toMatchObject({ reason: 'role removed: chair', after: { tokens: 1, sessions: 1 } });
    expect(trail[1]).toMatchObject({
      changed: ['roles', 'timeZone'],
      before: { roles: ['official', 'chair'], timeZone: 'Asia/Dushanbe' },
      after: { roles: ['official'] },
    });
    expect(trail[1].after).not.toHaveProperty('timeZone');
    expect(trail[2]).toMatchObject({ changed: ['timeZone'] });
    expect(trail[2]).not.toHaveProperty('reason');
    expect(trail[3]).toMatchObject({ before: null, after: { email: p.email, roles: ['official', 'chair'] } });
  });
});

describe("the one rule: a credential issued before the person's credentialsRevokedAt is void", () => {
  it('holds even where no credential document was revoked (a crash between the two writes, or a revocation made by another process)', async () => {
    const p = await addPerson({ roles: ['official'], state: 'TM' }, 'rule');
    const session = await signInFresh(p.email);
    const token = (await newToken(session)).body.token as string;
    const feed = new URL((await session.post('/api/calendar-feed')).body.url as string);
    const link = await unusedSignInLink(p.email);
    expect((await bearer(token).get('/api/me')).status).toBe(200);

    // Only the person's document says it; every credential document stays as it was.
    const revokedAt = Date.now();
    await mongo
      .collection('people')
      .updateOne({ _id: p.id as never }, { $set: { credentialsRevokedAt: new Date(revokedAt) } });
    expect(await mongo.collection('tokens').countDocuments({ personId: p.id, revokedAt: { $exists: false } })).toBe(1);
    expect(await mongo.collection('sessions').countDocuments({ personId: p.id })).toBe(1);

    // Within the auth cache's time to live (AUTH_CACHE_TTL_MS, 5 s) for the token; at once for the rest.
    await eventually('the token refused', async () => (await bearer(token).get('/api/me')).status === 401);
    const delay = Date.now() - revokedAt;
    console.log(
      `revocation written by another process: the token refused after ${delay} ms (auth cache ${AUTH_CACHE_TTL_MS} ms)`,
    );
    expect(delay).toBeLessThan(AUTH_CACHE_TTL_MS + 3_000);
    expectProblem(await session.get('/api/me'), 401);
    expect((await anonymous().get(feed.pathname)).status).toBe(404);
    expectProblem(await anonymous().post('/api/auth/session', { token: link }), 401);
    const again = await signInFresh(p.email);
    expect((await again.get('/api/me')).status).toBe(200);
    expect((await again.get('/api/tokens')).body.items).toEqual([
      expect.objectContaining({ live: false, revokedAt: expect.any(String) }),
    ]);
  });
});

describe('sign out everywhere', () => {
  it('ends every session and token of your own, says how many, and lets you sign in again', async () => {
    const p = await addPerson({ roles: ['official'], state: 'UZ' }, 'everywhere');
    const laptop = await signInFresh(p.email);
    const phone = await signInFresh(p.email);
    const token = (await newToken(laptop)).body.token as string;
    await newToken(laptop, { expiresInDays: 7 });
    const feed = new URL((await phone.post('/api/calendar-feed')).body.url as string);

    // A cross-site or CSRF-less call cannot do it for you.
    expectProblem(await client('no csrf', { cookie: laptop.cookie }).post('/api/me/sign-out-everywhere', {}), 403);
    expect((await laptop.get('/api/me')).status).toBe(200);

    const out = await laptop.post('/api/me/sign-out-everywhere', {});
    expect(out.status).toBe(200);
    expect(out.body).toEqual({
      revokedAt: expect.any(String),
      tokens: 2,
      sessions: 2,
      calendarFeeds: 1,
      signInLinks: 0,
    });
    expect(out.headers.getSetCookie().some((c) => /^sfu_session=;/.test(c))).toBe(true);

    for (const c of [laptop, phone, bearer(token)]) expectProblem(await c.get('/api/me'), 401);
    expect((await anonymous().get(feed.pathname)).status).toBe(404);

    const again = await signInFresh(p.email);
    expect((await again.get('/api/me')).status).toBe(200);
    expect(((await again.get('/api/tokens')).body.items as Array<{ live: boolean }>).map((t) => t.live)).toEqual([
      false,
      false,
    ]);

    // With a token: the token ends itself too.
    const t2 = (await newToken(again)).body.token as string;
    const byToken = await bearer(t2).post('/api/me/sign-out-everywhere', { reason: 'lost my phone' });
    expect(byToken.body).toMatchObject({ tokens: 1, sessions: 1 });
    expectProblem(await bearer(t2).get('/api/me'), 401);

    const trail = await trailOf(p.id);
    expect(
      trail.filter((e) => e.type === 'credentials.revoked').map((e) => [e.source, e.actor.personId, e.reason]),
    ).toEqual([
      ['self', p.id, 'lost my phone'],
      ['self', p.id, 'signed out everywhere'],
    ]);
  });

  it("is the Secretariat's to do for anyone, and nobody else's", async () => {
    const p = await addPerson({ roles: ['official'], state: 'AZ' }, 'lost-device');
    const other = await addPerson({ roles: ['official'], state: 'AZ' }, 'bystander');
    const session = await signInFresh(p.email);
    const token = (await newToken(session)).body.token as string;
    const link = await unusedSignInLink(p.email);
    const bystander = await signInFresh(other.email);

    // Nobody but the Secretariat: not the person themself through this route, not another official, not a representative.
    for (const who of [bearer(token), bystander, asPerson('rep-az')]) {
      expectProblem(await who.post(`/api/directory/people/${p.id}/credentials/revocation`, {}), 403, /forbidden$/);
    }
    expect((await bearer(token).get('/api/me')).status).toBe(200);

    const revoked = await secretariat.post(`/api/directory/people/${p.id}/credentials/revocation`, {
      reason: 'laptop stolen',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ tokens: 1, sessions: 1, calendarFeeds: 0, signInLinks: 1 });
    expectProblem(await bearer(token).get('/api/me'), 401);
    expectProblem(await session.get('/api/me'), 401);
    expectProblem(await anonymous().post('/api/auth/session', { token: link }), 401);
    // Someone else's credentials are untouched.
    expect((await bystander.get('/api/me')).status).toBe(200);

    expectProblem(
      await secretariat.post(`/api/directory/people/${uniqueId('nobody')}/credentials/revocation`, {}),
      404,
    );
    expect((await trailOf(p.id))[0]).toMatchObject({
      type: 'credentials.revoked',
      actor: { personId: 'secretariat' },
      source: 'edit',
      reason: 'laptop stolen',
      after: { tokens: 1, sessions: 1, signInLinks: 1 },
    });
  });
});

describe('API tokens', () => {
  it('expire when asked to, answering 401 like revoked ones, and show their expiry', async () => {
    const p = await addPerson({ roles: ['official'], state: 'KZ' }, 'expiring');
    const session = await signInFresh(p.email);
    expectProblem(await newToken(session, { expiresInDays: 0 }), 422);
    const created = await newToken(session, { expiresInDays: 30 });
    expect(created.status).toBe(201);
    const expiresAt = Date.parse(created.body.expiresAt);
    expect(Math.abs(expiresAt - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
    const token = created.body.token as string;
    expect((await bearer(token).get('/api/me')).status).toBe(200);
    expect(
      ((await session.get('/api/tokens')).body.items as Array<{ id: string; expiresAt: string; live: boolean }>)[0],
    ).toMatchObject({
      id: created.body.id,
      expiresAt: created.body.expiresAt,
      live: true,
    });

    // Thirty days pass for this token (its expiry moved into the past in MongoDB): it stops working within the auth cache's 5 s.
    const moved = await mongo
      .collection('tokens')
      .updateOne(
        { personId: p.id, expiresAt: { $exists: true } },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
    expect(moved.modifiedCount).toBe(1);
    const refused = await eventually('the expired token refused', async () => {
      const r = await bearer(token).get('/api/me');
      return r.status === 401 ? r : undefined;
    });
    expectProblem(refused, 401, /unauthenticated$/);
    expect(refused.body.detail).toContain('expired');
    expect(((await session.get('/api/tokens')).body.items as Array<{ live: boolean }>)[0].live).toBe(false);
  });

  it('are capped per person: one more than API_TOKENS_PER_PERSON live tokens is refused with 409', async () => {
    const p = await addPerson({ roles: ['official'], state: 'KZ' }, 'hoarder');
    const session = await signInFresh(p.email);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await newToken(session);
      expect(r.status).toBe(201);
      ids.push(r.body.id as string);
    }
    const refused = await newToken(session);
    expectProblem(refused, 409, /token-limit$/);
    expect(refused.body).toMatchObject({ limit: 20, detail: expect.stringContaining('API_TOKENS_PER_PERSON') });
    // A revoked token frees its place.
    expect((await session.del(`/api/tokens/${ids[0]}`)).status).toBe(200);
    expect((await newToken(session)).status).toBe(201);
    expectProblem(await newToken(session), 409);
  });
});

describe('the directory trail', () => {
  it("records every change of states, people (delegations too) and rotation with before and after, exports CSV, and is the Secretariat's alone", async () => {
    const code = 'QZ'; // admitted in 2199: never a member of any round these tests open
    const year = 2150 + Math.floor(Math.random() * 50);
    const stateBody = { name: { en: 'Testland', ru: 'Тестландия' }, timeZone: 'Asia/Almaty', admittedOn: '2199-01-01' };
    expect([200, 201]).toContain((await secretariat.put(`/api/directory/states/${code}`, stateBody)).status);
    expect(
      (
        await secretariat.put(`/api/directory/states/${code}`, {
          ...stateBody,
          name: { en: 'Testland =1+1', ru: 'Тестландия' },
        })
      ).status,
    ).toBe(200);
    // Storing the same again changes nothing and records nothing.
    expect(
      (
        await secretariat.put(`/api/directory/states/${code}`, {
          ...stateBody,
          name: { en: 'Testland =1+1', ru: 'Тестландия' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await secretariat.put(`/api/directory/rotation/${year}`, {
          chairState: 'KZ',
          from: `${year}-01-01`,
          to: `${year}-12-31`,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await secretariat.put(`/api/directory/rotation/${year}`, {
          chairState: 'UZ',
          from: `${year}-01-01`,
          to: `${year}-12-31`,
        })
      ).status,
    ).toBe(200);
    const deputy = await addPerson(
      { roles: ['deputy'], state: 'KG', deputyOf: 'rep-kg', delegation: { from: '2024-01-01', to: '2024-06-30' } },
      'trail-deputy',
    );
    deputies.push({ id: deputy.id, email: () => deputy.email });
    const extended = {
      name: `Test person ${deputy.id}`,
      email: deputy.email,
      roles: ['deputy'],
      state: 'KG',
      deputyOf: 'rep-kg',
      delegation: { from: '2024-01-01', to: '2024-12-31' },
    };
    expect((await secretariat.put(`/api/directory/people/${deputy.id}`, extended)).status).toBe(200);

    const stateTrail = await trailOf(code);
    const named = stateTrail.filter((e) => e.type === 'state.saved');
    expect(named[0]).toMatchObject({
      changed: ['name'],
      before: { name: { en: 'Testland' } },
      after: { name: { en: 'Testland =1+1' } },
    });
    expect(named.filter((e) => e.after.name?.en === 'Testland =1+1')).toHaveLength(1);
    expect(
      (await trailOf(String(year))).map((e) => [e.type, e.before?.chairState ?? null, e.after.chairState]),
    ).toEqual([
      ['rotation.saved', 'KZ', 'UZ'],
      ['rotation.saved', null, 'KZ'],
    ]);
    const delegation = (await trailOf(deputy.id))[0];
    expect(delegation).toMatchObject({
      type: 'person.saved',
      changed: ['delegation'],
      before: { delegation: { to: '2024-06-30' } },
      after: { delegation: { to: '2024-12-31' } },
    });
    // A shorter delegation takes no role away: no revocation.
    expect((await trailOf(deputy.id)).some((e) => e.type === 'credentials.revoked')).toBe(false);

    // The importer that seeded this stack went through the same edits: its entries are in the trail too.
    const seeded = await trailOf('rep-kg');
    expect(seeded[seeded.length - 1]).toMatchObject({
      type: 'person.saved',
      source: 'import',
      before: null,
      after: { roles: ['representative'], state: 'KG' },
    });

    // Newest first, paged, with ids that sort by time.
    const page = await secretariat.get('/api/directory/events?limit=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].id > page.body.items[1].id).toBe(true);
    const next = await secretariat.get(`/api/directory/events?limit=2&before=${encodeURIComponent(page.body.next)}`);
    expect(next.body.items[0].id < page.body.items[1].id).toBe(true);

    // CSV, one line per event.
    const csv = await secretariat.get(`/api/directory/events?format=csv&subject=${code}`);
    expect(csv.status).toBe(200);
    expect(csv.contentType).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('directory-events.csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,type,subject,actor,actor_name,source,changed,reason,before,after');
    expect(lines.length).toBe(named.length + 1);
    expect(lines[1]).toContain(',state.saved,QZ,secretariat,');
    expect(lines[1]).toContain('Testland =1+1');

    // Nobody else reads it, by token or by session, as JSON or CSV; anonymous callers are asked to sign in.
    const official = await signInFresh((await addPerson({ roles: ['official'], state: 'KZ' }, 'nosy')).email);
    for (const who of [
      asPerson('rep-kz'),
      asPerson('official-kz'),
      asPerson('deputy-kz'),
      asPerson('rep-tm'),
      official,
    ]) {
      expectProblem(await who.get('/api/directory/events'), 403, /forbidden$/);
      expectProblem(await who.get('/api/directory/events?format=csv'), 403);
    }
    expectProblem(await anonymous().get('/api/directory/events'), 401);
  });

  it('offers no way to change or delete an event', async () => {
    const before = (await secretariat.get('/api/directory/events?limit=1')).body.items[0];
    for (const method of ['PUT', 'DELETE', 'PATCH', 'POST']) {
      const res = await secretariat.request(
        method,
        `/api/directory/events${method === 'POST' ? '' : `/${encodeURIComponent(before.id)}`}`,
        method === 'DELETE' ? undefined : {},
      );
      expect([404, 405]).toContain(res.status);
    }
    expect((await secretariat.get('/api/directory/events?limit=1')).body.items[0].id >= before.id).toBe(true);
  });
});
