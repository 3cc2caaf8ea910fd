/** Decision links from emails: the page changes nothing, the confirmation decides once, and every misuse is refused. */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { signDecisionToken, signUnsubscribeToken } from '../../src/email/links';
import { anonymous, asPerson, localSecret, settled, startedInitiative } from '../support/api-client';
import { waitForEmails } from '../support/mail';
import { testStack, uniqueId } from '../support/stack';

const secretariat = asPerson('secretariat');
const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
const encode = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();

function token(claims: {
  personId: string;
  state: string;
  initiativeId: string;
  revision: number;
  expiresAt?: number;
}) {
  return signDecisionToken(localSecret(), {
    expiresAt: Date.now() + 86_400_000,
    nonce: randomBytes(12).toString('base64url'),
    issuedAt: Date.now(),
    ...claims,
  });
}

async function eventCount(id: string): Promise<number> {
  return ((await secretariat.get(`/api/initiatives/${id}/events`)).body as unknown[]).length;
}

describe('decision links in emails', () => {
  it('the link in the decision request opens a page that changes nothing; confirming records the decision once', async () => {
    const id = await startedInitiative('link', { to: 'signoff' });
    // The only email the Kyrgyz representative gets about this initiative is the decision request (in Russian, their language).
    const [mail] = await waitForEmails(
      'the decision request to the Kyrgyz representative',
      (m) => m.to.some((t) => t.address === 'rep-kg@example.org') && m.subject.includes(id),
    ).catch(async (err: Error) => {
      const conn = await mongoose.createConnection(testStack().mongoUrl).asPromise();
      const queued = await conn
        .collection('outbox')
        .find({ initiativeId: id }, { projection: { personId: 1, kind: 1, status: 1, attempts: 1, lastError: 1 } })
        .toArray();
      await conn.close();
      throw new Error(`${err.message}; the outbox holds ${JSON.stringify(queued)}`);
    });
    const link = /https?:\/\/[^\s"<>]+\/act\/([A-Za-z0-9_.-]+)/.exec(mail.text ?? '');
    expect(link).not.toBeNull();
    const path = `/act/${link![1]}`;

    const eventsBefore = await settled('the sign-off round in the audit trail', async () => {
      const n = await eventCount(id);
      return n >= 4 ? n : undefined;
    });
    // A mail scanner's prefetch, then the person opening it.
    for (let i = 0; i < 2; i++) {
      const page = await anonymous().get(path, { accept: 'text/html' });
      expect(page.status).toBe(200);
      // In the holder's language (Russian), with the draft and the round's progress.
      expect(page.text).toContain('<html lang="ru">');
      expect(page.text).toContain('Решение за Кыргызстан');
      expect(page.text).toContain(`Test initiative ${id}`);
      expect(page.text).toMatch(/Решения приняли 0 из 6 государств-членов/);
      expect(page.text).toContain(`method="post" action="${path}"`);
    }
    const untouched = (await secretariat.get(`/api/initiatives/${id}`)).body;
    expect(untouched.pendingStates).toContain('KG');
    expect(await eventCount(id)).toBe(eventsBefore);

    const confirmed = await anonymous().post(path, encode({ initiative: id, revision: 1, decision: 'approve' }), form);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Решение записано');
    expect(confirmed.text).toContain('Кыргызстан: Одобрено');
    const after = (await secretariat.get(`/api/initiatives/${id}`)).body;
    expect(after.round.decisions.KG).toMatchObject({ decision: 'approve', by: 'rep-kg' });

    const replayed = await anonymous().post(
      path,
      encode({ initiative: id, revision: 1, decision: 'object', reason: 'second thoughts' }),
      { 'content-type': form['content-type'] },
    );
    expect(replayed.status).toBe(410);
    expect(replayed.body.type).toMatch(/link-unusable$/);
    expect((await anonymous().get(path)).status).toBe(410);
  });

  it('speaks the language the reader chose, and offers no form for a decision the workflow would refuse', async () => {
    const id = await startedInitiative('link-decided', { to: 'signoff' });
    const link = `/act/${token({ personId: 'rep-tj', state: 'TJ', initiativeId: id, revision: 1 })}`;
    const english = { accept: 'text/html', cookie: 'sfu_lang=en' };
    const open = await anonymous().get(link, english);
    expect(open.text).toContain('<html lang="en">');
    expect(open.text).toContain('Decision for Tajikistan');
    expect(open.text).toContain(`method="post" action="${link}"`);

    const decided = await asPerson('rep-tj').post(`/api/initiatives/${id}/decisions`, {
      state: 'TJ',
      decision: 'approve',
      revision: 1,
    });
    expect(decided.status).toBe(200);
    const after = await anonymous().get(link, english);
    expect(after.status).toBe(200);
    expect(after.text).toContain('Tajikistan has already decided on revision 1: Approved.');
    expect(after.text).not.toContain('<form');
    expect(after.text).toContain(`href="/initiatives/${id}"`);
  });

  it('refuses forged and expired links', async () => {
    // Refused before anything is asked of the workflow: the initiative need not even exist.
    const id = uniqueId('link-forged');
    const good = token({ personId: 'rep-tj', state: 'TJ', initiativeId: id, revision: 1 });
    const [payload, signature] = good.split('.');
    const otherPayload = Buffer.from(
      JSON.stringify(['rep-tj', 'TJ', id, 1, Date.now() + 86_400_000, 'my-own-nonce']),
    ).toString('base64url');
    for (const forged of [
      `${payload}.${signature.slice(0, -2)}xx`,
      `${otherPayload}.${signature}`,
      `${payload}.${signature}.extra`,
    ]) {
      const res = await anonymous().post(`/act/${forged}`, { initiative: id, revision: 1, decision: 'approve' });
      expect([forged, res.status]).toEqual([forged, 403]);
      expect((await anonymous().get(`/act/${forged}`)).status).toBe(403);
    }
    const expired = token({
      personId: 'rep-tj',
      state: 'TJ',
      initiativeId: id,
      revision: 1,
      expiresAt: Date.now() - 1000,
    });
    const res = await anonymous().post(`/act/${expired}`, { initiative: id, revision: 1, decision: 'approve' });
    expect(res.status).toBe(410);
    expect(res.body.detail).toContain('expired');
    // The genuine link reaches the workflow, which does not know this initiative.
    expect((await anonymous().post(`/act/${good}`, { initiative: id, revision: 1, decision: 'approve' })).status).toBe(
      404,
    );
  });

  it('refuses a link used for another initiative, revision or person', async () => {
    const id = await startedInitiative('link-bound', { to: 'signoff' });
    const other = await startedInitiative('link-other', { to: 'signoff' });
    const t = token({ personId: 'rep-uz', state: 'UZ', initiativeId: id, revision: 1 });

    const forOther = await anonymous().post(`/act/${t}`, { initiative: other, revision: 1, decision: 'approve' });
    expect(forOther.status).toBe(403);
    const forRevision = await anonymous().post(`/act/${t}`, { initiative: id, revision: 2, decision: 'approve' });
    expect(forRevision.status).toBe(403);
    // Opened in a browser signed in as someone else.
    const byOther = await asPerson('rep-kg').post(`/act/${t}`, { initiative: id, revision: 1, decision: 'approve' });
    expect(byOther.status).toBe(403);
    expect(byOther.body.detail).toContain('sent to someone else');
    // Sent to an official, who does not decide for the state.
    const toOfficial = token({ personId: 'official-uz', state: 'UZ', initiativeId: id, revision: 1 });
    expect(
      (await anonymous().post(`/act/${toOfficial}`, { initiative: id, revision: 1, decision: 'approve' })).status,
    ).toBe(403);
    // None of these spent the link or decided anything.
    expect((await secretariat.get(`/api/initiatives/${id}`)).body.pendingStates).toContain('UZ');

    // Once the draft goes back for changes, revision 1's link is refused by the workflow.
    const changes = await asPerson('rep-kz').post(`/api/initiatives/${id}/decisions`, {
      state: 'KZ',
      decision: 'request_changes',
      revision: 1,
      reason: 'add the customs annex',
    });
    expect(changes.status).toBe(200);
    const stale = await anonymous().post(`/act/${t}`, { initiative: id, revision: 1, decision: 'approve' });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toMatch(/act-refused$/);

    // Opened by the person it was sent to, signed in or not, it decides.
    const own = token({ personId: 'rep-uz', state: 'UZ', initiativeId: other, revision: 1 });
    const mine = await asPerson('rep-uz').post(`/act/${own}`, {
      initiative: other,
      revision: 1,
      decision: 'object',
      reason: 'the budget is missing',
    });
    expect(mine.status).toBe(200);
    expect(mine.body.initiative.round.blockedBy).toBe('UZ');
  });

  it('requires a reason to request changes or object, naming the field', async () => {
    const id = await startedInitiative('link-reason', { to: 'signoff' });
    const t = token({ personId: 'rep-tm', state: 'TM', initiativeId: id, revision: 1 });
    const res = await anonymous().post(`/act/${t}`, { initiative: id, revision: 1, decision: 'object' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    // The refusal did not spend the link.
    expect((await anonymous().post(`/act/${t}`, { initiative: id, revision: 1, decision: 'approve' })).status).toBe(
      200,
    );
  });
});

describe('unsubscribe links', () => {
  it('GET shows a button; the one-click POST unsubscribes, idempotently', async () => {
    const t = signUnsubscribeToken(localSecret(), { personId: 'official-tm', topic: 'reminder' });
    const page = await anonymous().get(`/unsubscribe/${t}`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Unsubscribe from reminder emails?');
    for (let i = 0; i < 2; i++) {
      const res = await anonymous().post(`/unsubscribe/${t}`, 'List-Unsubscribe=One-Click', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ personId: 'official-tm', unsubscribedFrom: 'reminder' });
    }
    expect(
      (
        await anonymous().post(`/unsubscribe/${t}x`, 'List-Unsubscribe=One-Click', {
          'content-type': 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(403);
  });
});
