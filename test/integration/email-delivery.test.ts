/**
 * The outbox against real SMTP servers: an outage delays mail and loses none, a crash after the SMTP
 * server accepted a message never sends it twice, a rejected address is recorded and not retried,
 * and the daily digest sends one email for what was deferred. MailDev is the test's own, so it can
 * be stopped and started; FerretDB is the test stack's.
 */
import { SMTPServer } from 'smtp-server';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createOutboxRepository,
  listFailedEmails,
  oldestPendingAgeMs,
  OutboxStatus,
  outboxCounts,
  pendingEmailCount,
} from '../../src/persistence/outbox';
import { applyUnsubscribe } from '../../src/email/preferences';
import { verifyUnsubscribeToken } from '../../src/email/links';
import { freePort } from '../../src/stack/ports';
import { SAMPLE_NOTIFICATIONS } from '../../src/email/samples';
import { addPerson, emailHarness, ownSinkAndHarness, LINK_SECRET, record } from '../support/email-harness';
import { eventually } from '../support/stack';

const env = ownSinkAndHarness();

async function countTo(address: string): Promise<number> {
  return (await env.sink.list()).filter((m) => m.to.some((t) => t.address === address)).length;
}

function reminder(personId: string, offsetDays: number) {
  return { ...SAMPLE_NOTIFICATIONS.reminder, to: { person: personId }, sequence: offsetDays * 86_400_000 };
}

describe('an SMTP outage', () => {
  it('keeps due reminders pending (visible in the counts) and delivers each exactly once when the server is back', async () => {
    const people = await Promise.all([1, 2, 3].map(() => addPerson(env.h, { roles: ['official'], state: 'KZ' })));
    const ids = await record(
      env.h,
      people.flatMap((p) => [reminder(p._id, 7), reminder(p._id, 2)]),
    );
    expect(ids).toHaveLength(6);

    await env.sink.stop();
    await expect(env.h.direct.deliverNotifications(ids)).rejects.toThrow(/ECONNREFUSED|connect/i);
    const during = await env.h.outbox.find({ _id: { $in: ids } }).lean();
    expect(during.map((d) => d.status)).toEqual(Array(6).fill('pending'));
    expect(
      during.every((d) => d.attempts === 1 && /ECONNREFUSED|connect/i.test(d.lastError ?? '') && d.nextAttemptAt),
    ).toBe(true);
    expect(await pendingEmailCount(env.h.outbox)).toBeGreaterThanOrEqual(6);
    expect((await outboxCounts(env.h.outbox)).pending).toBeGreaterThanOrEqual(6);
    expect(await oldestPendingAgeMs(env.h.outbox)).toBeGreaterThan(0);
    // Temporal retries while the server is down: still nothing sent, nothing lost.
    await expect(env.h.direct.deliverNotifications(ids)).rejects.toThrow();

    await env.sink.start();
    await env.h.direct.deliverNotifications(ids); // the retry after the outage
    await env.h.direct.deliverNotifications(ids); // and a replay of the same delivery
    for (const p of people) {
      await eventually(`two reminders to ${p.email}`, async () => (await countTo(p.email)) === 2);
    }
    await env.sink.drained();
    for (const p of people) expect(await countTo(p.email)).toBe(2);
    const after = await env.h.outbox.find({ _id: { $in: ids } }).lean();
    expect(after.map((d) => d.status)).toEqual(Array(6).fill('sent'));
    expect(after.every((d) => d.attempts === 3)).toBe(true);
  });
});

describe('a crash between the SMTP server’s acceptance and the outbox update', () => {
  it('does not send the email again; it is marked unconfirmed and listed for the Secretariat', async () => {
    let crashes = 1;
    const crashing = await emailHarness(env.sink.smtp, {
      afterAccepted: () => {
        if (crashes-- > 0) throw new Error('worker crashed after the SMTP server accepted the message');
      },
    });
    try {
      const p = await addPerson(env.h, { roles: ['official'], state: 'TM' });
      const ids = await record(crashing, [reminder(p._id, 2)]);
      await expect(crashing.direct.deliverNotifications(ids)).rejects.toThrow(/worker crashed/);
      await eventually('the accepted email', async () => (await countTo(p.email)) === 1);
      // Claimed by the crashed attempt and not recorded: still pending as far as the outbox knows.
      expect((await env.h.outbox.findById(ids[0]).lean())?.status).toBe('pending');

      await crashing.direct.deliverNotifications(ids); // Temporal's retry of the activity
      await crashing.direct.deliverNotifications(ids); // and another
      await env.sink.drained();
      expect(await countTo(p.email)).toBe(1);
      const doc = await env.h.outbox.findById(ids[0]).lean();
      expect(doc).toMatchObject({ status: 'unconfirmed', attempts: 1 });
      const listed = await listFailedEmails(env.h.outbox, { initiativeId: doc!.initiativeId });
      expect(listed).toEqual([expect.objectContaining({ id: ids[0], status: 'unconfirmed', to: p.email })]);
    } finally {
      await crashing.close();
    }
  });
});

describe('a rejected address', () => {
  it('is recorded as failed with the SMTP reply, shown to the Secretariat, and never retried', async () => {
    const rcpts: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, cb) {
        rcpts.push(address.address);
        if (address.address.startsWith('gone-'))
          return cb(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        cb();
      },
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const strict = await emailHarness({ host: '127.0.0.1', port });
    try {
      const gone = await addPerson(env.h, { roles: ['official'], state: 'TJ', _id: `gone-${Date.now().toString(36)}` });
      const fine = await addPerson(env.h, { roles: ['official'], state: 'TJ' });
      const ids = await record(strict, [reminder(gone._id, 2), reminder(fine._id, 2)]);
      await strict.direct.deliverNotifications(ids); // does not throw: nothing to retry
      await strict.direct.deliverNotifications(ids);
      expect(rcpts.filter((r) => r === gone.email)).toHaveLength(1);
      expect(rcpts.filter((r) => r === fine.email)).toHaveLength(1);
      const failed = await env.h.outbox.findById(ids[0]).lean();
      expect(failed).toMatchObject({ status: 'failed', responseCode: 550, attempts: 1 });
      expect(failed?.lastError).toMatch(/mailbox unavailable/);
      expect((await env.h.outbox.findById(ids[1]).lean())?.status).toBe('sent');
      const listed = await listFailedEmails(env.h.outbox);
      expect(listed.find((e) => e.id === ids[0])).toMatchObject({
        status: 'failed',
        responseCode: 550,
        to: gone.email,
        kind: 'reminder',
      });
    } finally {
      await strict.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the daily digest', () => {
  it('defers what a digest person may wait for, sends one email listing it, and never sends it twice', async () => {
    // An official: addressed only by name, so other suites' initiatives never reach this digest.
    const p = await addPerson(env.h, {
      roles: ['official'],
      locale: 'ru',
      notifications: { digest: true, optOut: [] },
    });
    const to = { person: p._id };
    const ids = await record(env.h, [
      { ...SAMPLE_NOTIFICATIONS.decision_recorded, to },
      { ...SAMPLE_NOTIFICATIONS.draft_submitted, to },
      { ...SAMPLE_NOTIFICATIONS.escalation, to },
    ]);
    expect(ids).toHaveLength(1); // the escalation goes at once
    expect(env.h.digestWakeups).toContainEqual({ personId: p._id, timeZone: 'Asia/Tashkent' }); // no state: the Secretariat's zone
    await env.h.direct.deliverNotifications(ids);
    await eventually('the escalation', async () => (await countTo(p.email)) === 1);

    const first = await env.h.direct.sendDigest({ personId: p._id, date: '2026-12-02' });
    expect(first).toEqual({ items: 2 });
    expect(await env.h.direct.sendDigest({ personId: p._id, date: '2026-12-02' })).toEqual({ items: 2 }); // a retry: same digest
    expect(await env.h.direct.sendDigest({ personId: p._id, date: '2026-12-03' })).toEqual({ items: 0 }); // nothing new
    await eventually('the digest', async () => (await countTo(p.email)) === 2);
    await env.sink.drained();
    expect(await countTo(p.email)).toBe(2);

    const listed = (await env.sink.list()).find(
      (m) => m.to.some((t) => t.address === p.email) && m.subject.startsWith('Ежедневная сводка'),
    );
    const mail = await env.sink.raw(listed!.id);
    expect(mail.subject).toBe('Ежедневная сводка на 2 декабря 2026 г.: 2 события');
    expect(mail.text).toContain('Кыргызстан: одобрение');
    expect(mail.text).toContain('Представлена редакция 2 проекта');
    expect(mail.html).toContain('<li>');
    const header = mail.headerLines.find((l) => l.key === 'list-unsubscribe')!.line;
    const token = /\/unsubscribe\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(header.replace(/\r?\n[ \t]+/g, ''))![1];
    expect(verifyUnsubscribeToken(LINK_SECRET, token)).toEqual({ personId: p._id, topic: 'digest' });
    expect(await env.h.outbox.countDocuments({ personId: p._id, status: 'digested' })).toBe(2);
  });

  it('after unsubscribing from reminders, reminders are recorded as suppressed and not sent', async () => {
    const p = await addPerson(env.h, { roles: ['official'], state: 'AZ' });
    expect(await applyUnsubscribe(env.h.directory, { personId: p._id, topic: 'reminder' })).toBe(true);
    const ids = await record(env.h, [reminder(p._id, 7), { ...SAMPLE_NOTIFICATIONS.assigned, to: { person: p._id } }]);
    expect(ids).toHaveLength(1);
    await env.h.direct.deliverNotifications(ids);
    await eventually('the assignment', async () => (await countTo(p.email)) === 1);
    expect(await env.h.outbox.countDocuments({ personId: p._id, status: 'suppressed', kind: 'reminder' })).toBe(1);
  });
});

describe('the delivery activity and the outbox repository', () => {
  it('heartbeats once per email, so a worker that dies is noticed within the heartbeat timeout', async () => {
    const p = await addPerson(env.h, { roles: ['official'], state: 'KZ' });
    const ids = await record(env.h, [reminder(p._id, 7), reminder(p._id, 2)]);
    const activity = new MockActivityEnvironment();
    const beats: unknown[] = [];
    activity.on('heartbeat', (d: unknown) => beats.push(d));
    await activity.run(env.h.activities.deliverNotifications, ids);
    expect(beats).toEqual(ids);
  });

  it('moves an email only from the statuses a transition starts from', async () => {
    const outbox = createOutboxRepository(env.h.outbox);
    const p = await addPerson(env.h, { roles: ['official'], notifications: { digest: true, optOut: [] } });
    await record(env.h, [{ ...SAMPLE_NOTIFICATIONS.decision_recorded, to: { person: p._id } }]);
    const [deferred] = (await outbox.deferredOf(p._id)).map((d) => d._id);
    expect(await outbox.markSent(deferred, { attemptId: 'test' })).toBe(false);
    expect(await outbox.markFailed(deferred, { attemptId: 'test', error: 'x', at: new Date() })).toBe(false);
    expect((await outbox.get(deferred))?.status).toBe(OutboxStatus.Deferred);
    await outbox.markDigested([deferred], 'digest|test');
    expect(await outbox.get(deferred)).toMatchObject({ status: OutboxStatus.Digested, digestId: 'digest|test' });
    await outbox.suppressDeferred([deferred]); // no longer deferred: stays digested
    expect((await outbox.get(deferred))?.status).toBe(OutboxStatus.Digested);
    expect(await outbox.markUnconfirmed((await outbox.get(deferred))!)).toBe(false);
  });
});
