/** Sign-in by magic link, browser sessions with CSRF protection, and API tokens, against the real API, MongoDB and MailDev. */
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { emailsTo, listEmails } from '../support/mail';
import {
  addPerson,
  anonymous,
  asPerson,
  client,
  sessionCookieOf,
  settled,
  signIn,
  signInTokenFor,
} from '../support/api-client';
import { eventually, testStack } from '../support/stack';
import { AUTH_CACHE_TTL_MS } from '../../src/app/credential-cache';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let mongo: mongoose.Connection;
beforeAll(async () => {
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await mongo.close();
});

describe('magic-link sign-in', () => {
  it('emails a link whose page changes nothing, and whose button signs the browser in with an HTTP-only session cookie', async () => {
    const { id, email } = await addPerson({ roles: ['official'], state: 'TJ' }, 'signin');
    const asked = await anonymous().post('/api/auth/magic-links', { email: email.toUpperCase() });
    expect(asked.status).toBe(202);
    const token = await signInTokenFor(email);

    // Only the hash is stored.
    expect(await mongo.collection('magic_links').countDocuments({ _id: sha256(token) as never })).toBe(1);
    expect(JSON.stringify(await mongo.collection('magic_links').find({ personId: id }).toArray())).not.toContain(token);

    // A mail scanner's GET (twice) signs nobody in and spends nothing.
    const page1 = await anonymous().get(`/auth/sign-in?token=${token}`);
    const page = await anonymous().get(`/auth/sign-in?token=${token}`);
    expect(page1.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(page.headers.getSetCookie().some((c) => c.startsWith('sfu_session='))).toBe(false);
    const nonce = /name="nonce" value="([^"]+)"/.exec(page.text)![1];
    const nonceCookie = page.headers
      .getSetCookie()
      .find((c) => c.startsWith('sfu_signin_nonce='))!
      .split(';')[0];

    // The form posted without the page's cookie is refused (no sign-in by a form from elsewhere).
    const form = (t: string, n: string) => new URLSearchParams({ token: t, nonce: n }).toString();
    const formType = { 'content-type': 'application/x-www-form-urlencoded' };
    const foreign = await anonymous().post('/auth/sign-in', form(token, nonce), formType);
    expect(foreign.status).toBe(403);

    const signedIn = await anonymous().post('/auth/sign-in', form(token, nonce), { ...formType, cookie: nonceCookie });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');
    const setCookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('sfu_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i); // PUBLIC_URL is http in the tests; https makes it Secure and __Host-

    const browser = client('browser', { cookie: sessionCookieOf(signedIn.headers) });
    const me = await browser.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ person: { id, email, state: 'TJ' }, roles: ['official'], via: 'session' });
    expect(me.body.session.csrfToken).toEqual(expect.any(String));

    // The link works once.
    const again = await anonymous().post('/auth/sign-in', form(token, nonce), { ...formType, cookie: nonceCookie });
    expect(again.status).toBe(401);
    expect(again.text).toContain('already used');
  });

  it('refuses forged, replayed and expired links', async () => {
    const { email } = await addPerson({ roles: ['official'], state: 'AZ' }, 'links');
    const forged = await anonymous().post('/api/auth/session', { token: `sfm_${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
    expect(forged.body.type).toMatch(/unauthenticated$/);
    const malformed = await anonymous().post('/api/auth/session', { token: 'not-a-token' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0].field).toBe('token');

    await anonymous().post('/api/auth/magic-links', { email });
    const first = await signInTokenFor(email);
    expect((await anonymous().post('/api/auth/session', { token: first })).status).toBe(201);
    const replayed = await anonymous().post('/api/auth/session', { token: first });
    expect(replayed.status).toBe(401);
    expect(replayed.body.detail).toContain('already used');

    await anonymous().post('/api/auth/magic-links', { email });
    const second = await signInTokenFor(email, 1);
    // Fifteen minutes later: the stored link is past its expiry.
    await mongo
      .collection('magic_links')
      .updateOne({ _id: sha256(second) as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await anonymous().post('/api/auth/session', { token: second });
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toContain('expired');
  });

  it('answers an unknown address exactly as a known one, and sends nothing', async () => {
    const email = `nobody-${Date.now()}@example.org`;
    const res = await anonymous().post('/api/auth/magic-links', { email });
    expect(res.status).toBe(202);
    expect(res.body.message).toContain('if this address belongs to someone');
    // The request is queued and answered apart from the HTTP request: once answered (gone from the queue), nothing went out.
    await eventually(
      'the sign-in queue to answer the request',
      async () => (await mongo.collection('sign_in_requests').countDocuments({ email })) === 0,
    );
    expect(emailsTo(await listEmails(), email)).toHaveLength(0);
  });

  it('limits sign-in emails to one address with 429 problem+json and Retry-After', async () => {
    const email = `flood-${Date.now()}@example.org`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await anonymous().post('/api/auth/magic-links', { email })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await anonymous().post('/api/auth/magic-links', { email });
    expect(limited.status).toBe(429);
    expect(limited.contentType).toContain('application/problem+json');
    expect(limited.body.type).toMatch(/rate-limited$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('sessions and CSRF', () => {
  it('needs the CSRF token for cookie-authenticated changes, not for reads or bearer tokens, and signs out', async () => {
    const { email } = await addPerson({ roles: ['official'], state: 'KG' }, 'csrf');
    const session = await signIn(email);
    const cookieOnly = client('cookie only', { cookie: session.cookie });

    expect((await cookieOnly.get('/api/tokens')).status).toBe(200);
    const noCsrf = await cookieOnly.post('/api/tokens', { label: 'from a forged form' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.type).toMatch(/csrf-failed$/);
    const wrongCsrf = await cookieOnly.post('/api/tokens', { label: 'x' }, { 'x-csrf-token': 'wrong-token-value' });
    expect(wrongCsrf.status).toBe(403);
    const crossOrigin = await session.post('/api/tokens', { label: 'x' }, { origin: 'https://evil.example' });
    expect(crossOrigin.status).toBe(403);
    const ok = await session.post('/api/tokens', { label: 'made in the browser' });
    expect(ok.status).toBe(201);

    // A bearer token needs no CSRF token.
    const byToken = client('token', { authorization: `Bearer ${ok.body.token}` });
    expect((await byToken.post('/api/tokens', { label: 'made by a script' })).status).toBe(201);

    expect((await session.del('/api/auth/session')).status).toBe(204);
    expect((await cookieOnly.get('/api/me')).status).toBe(401);
  });
});

describe('API tokens', () => {
  it('are created once in clear, listed with their last use, stored hashed, and revoked for good', async () => {
    const rep = asPerson('rep-tj');
    const created = await rep.post('/api/tokens', { label: 'reporting script' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      label: 'reporting script',
      token: expect.stringMatching(/^sfu_/),
    });
    const token: string = created.body.token;
    expect(await mongo.collection('tokens').countDocuments({ _id: sha256(token) as never })).toBe(1);

    const script = client('script', { authorization: `Bearer ${token}` });
    expect((await script.get('/api/me')).body.person.id).toBe('rep-tj');
    const listed = await rep.get('/api/tokens');
    const entry = listed.body.items.find((t: { id: string }) => t.id === created.body.id);
    expect(entry).toMatchObject({ label: 'reporting script', lastUsedAt: expect.any(String) });
    expect(listed.text).not.toContain(token);

    // Someone else cannot revoke it.
    expect((await asPerson('rep-kg').del(`/api/tokens/${created.body.id}`)).status).toBe(404);

    const revoked = await rep.del(`/api/tokens/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const after = await script.get('/api/me');
    expect(after.status).toBe(401);
    expect(after.body.detail).toContain('revoked');
    await settled('the listing shows the revocation', async () =>
      (await rep.get('/api/tokens')).body.items.find(
        (t: { id: string; revokedAt?: string }) => t.id === created.body.id && t.revokedAt,
      ),
    );
  });

  it('stop working within the documented delay when revoked by another API process', async () => {
    const rep = asPerson('rep-uz');
    const created = await rep.post('/api/tokens', { label: 'revoked elsewhere' });
    const script = client('elsewhere', { authorization: `Bearer ${created.body.token}` });
    expect((await script.get('/api/me')).status).toBe(200);

    // What DELETE /api/tokens/{id} stores, written as a second API process behind the same database would.
    await mongo
      .collection('tokens')
      .updateOne({ _id: sha256(created.body.token) as never }, { $set: { revokedAt: new Date() } });
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < AUTH_CACHE_TTL_MS + 3_000) {
      status = (await script.get('/api/me')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 250));
    }
    // The README promises that a revocation made elsewhere takes effect within AUTH_CACHE_TTL_MS (3 s allowed for the requests themselves).
    expect(status).toBe(401);
  });

  it('answer 401 to a malformed Authorization header, never falling back to a cookie', async () => {
    const res = await client('odd', { authorization: 'Basic dXNlcjpwYXNz' }).get('/api/me');
    expect(res.status).toBe(401);
    expect(res.contentType).toContain('application/problem+json');
  });
});
