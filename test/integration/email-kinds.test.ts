/**
 * Every kind of email as it arrives at a real SMTP sink (MailDev), parsed with mailparser: recipient,
 * subject, language, both parts, local times in the six member states' zones, the .ics and the
 * action link. The real recording and delivery activities run against the test stack's FerretDB.
 */
import type { ParsedMail } from 'mailparser';
import { NotificationKind, type Notification } from '../../src/domain/types';
import { verifyDecisionToken, verifyUnsubscribeToken } from '../../src/email/links';
import { carriesCalendar } from '../../src/email/policy';
import { eventually } from '../support/stack';
import { LOCAL_DUE_TIME, SAMPLE_NOTIFICATIONS, sampleView, STATE_NAMES, ZONES } from '../../src/email/samples';
import {
  addPerson,
  ownSinkAndHarness,
  MAIL_REPLY_TO,
  PUBLIC_URL,
  LINK_SECRET,
  record,
  uniqueInitiative,
} from '../support/email-harness';

const env = ownSinkAndHarness();

async function mailTo(address: string, count = 1): Promise<ParsedMail[]> {
  const found = await eventually(`${count} email(s) to ${address}`, async () => {
    const mine = (await env.sink.list()).filter((m) => m.to.some((t) => t.address === address));
    return mine.length >= count ? mine : undefined;
  });
  return Promise.all(found.map((m) => env.sink.raw(m.id)));
}

async function send(
  person: { _id: string },
  n: Notification,
  view = sampleView({ id: uniqueInitiative() }),
): Promise<void> {
  const ids = await record(env.h, [{ ...n, to: { person: person._id } }], view);
  await env.h.direct.deliverNotifications(ids);
}

function icsOf(mail: ParsedMail): string | undefined {
  const a = mail.attachments.find((x) => x.contentType.startsWith('text/calendar'));
  return a?.content.toString('utf8').replace(/\r\n /g, '');
}

const CYRILLIC = /[А-Яа-яЁё]/;

/** A header as sent, unfolded (mailparser turns List-* headers into a structure). */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((l) => l.key === name)?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

describe('each kind of email, as received', () => {
  it.each(Object.values(NotificationKind))(
    '%s arrives in English and in Russian with both parts and the right headers',
    async (kind) => {
      const en = await addPerson(env.h, { roles: ['official'], state: 'KG', locale: 'en', name: 'Aigul Asanova' });
      const ru = await addPerson(env.h, { roles: ['official'], state: 'KG', locale: 'ru', name: 'Айгүл Асанова' });
      const view = sampleView({ id: uniqueInitiative() });
      await send(en, SAMPLE_NOTIFICATIONS[kind], view);
      await send(ru, SAMPLE_NOTIFICATIONS[kind], view);
      const [mailEn] = await mailTo(en.email);
      const [mailRu] = await mailTo(ru.email);

      for (const [mail, person, lang] of [
        [mailEn, en, 'en'],
        [mailRu, ru, 'ru'],
      ] as const) {
        expect(mail.to).toMatchObject({ value: [{ address: person.email }] });
        expect(mail.from?.value[0]).toMatchObject({
          address: 'no-reply@summit-followup.example.org',
          name: 'Summit Follow-up',
        });
        expect(mail.replyTo?.value[0].address).toBe(MAIL_REPLY_TO);
        expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
        expect(mail.headers.get('content-language')).toBe(lang);
        expect(mail.headers.get('x-summit-notification')).toBe(kind);
        expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@summit-followup\.example\.org>$/);
        expect(mail.text).toContain(`${PUBLIC_URL}/initiatives/${view.id}`);
        expect(mail.html).toContain(`<html lang="${lang}">`);
        expect(mail.html).toContain(`href="${PUBLIC_URL}/initiatives/${view.id}"`);
        const hasIcs = Boolean(icsOf(mail));
        expect(hasIcs).toBe(carriesCalendar(SAMPLE_NOTIFICATIONS[kind]));
      }
      expect(mailEn.subject).not.toMatch(CYRILLIC);
      expect(mailEn.text).toContain('Dear Aigul Asanova,');
      expect(mailRu.subject).toMatch(CYRILLIC);
      expect(mailRu.text).toContain('Здравствуйте, Айгүл Асанова!');
      expect(mailRu.html).toContain('Здравствуйте, Айгүл Асанова!');
    },
  );

  it('a person whose language is unknown gets both, English first', async () => {
    const p = await addPerson(env.h, { roles: ['secretariat'], locale: 'uz' as 'en' });
    await send(p, SAMPLE_NOTIFICATIONS.adopted);
    const [mail] = await mailTo(p.email);
    expect(mail.subject).toMatch(/^Adopted: .+ \/ Инициатива принята: /);
    expect(mail.headers.get('content-language')).toBe('en, ru');
    expect(mail.text!.indexOf('Dear ')).toBeLessThan(mail.text!.indexOf('Здравствуйте'));
  });
});

describe('sign-off requests to the six member states', () => {
  it.each(Object.keys(ZONES))(
    '%s: due time in its own zone, the .ics and a working action link, no unsubscribe',
    async (state) => {
      const rep = await addPerson(env.h, { roles: ['representative'], state, locale: state === 'AZ' ? 'en' : 'ru' });
      const view = sampleView({ id: uniqueInitiative() });
      await send(rep, SAMPLE_NOTIFICATIONS.signoff_requested, view);
      const [mail] = await mailTo(rep.email);

      if (state === 'AZ')
        expect(mail.text).toContain(`The decision is due Tue 22 December 2026, ${LOCAL_DUE_TIME[state]}.`);
      else {
        expect(mail.text).toContain(`Срок принятия решения: вт, 22 декабря 2026 г., ${LOCAL_DUE_TIME[state]}.`);
        expect(mail.text).toContain(`за государство (${STATE_NAMES[state].ru})`);
      }
      expect(rawHeader(mail, 'list-unsubscribe')).toBeUndefined();

      const link = /https:\/\/summit\.example\.org\/act\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text!);
      expect(link).not.toBeNull();
      expect(mail.html).toContain(`href="${link![0]}"`);
      const claims = verifyDecisionToken(LINK_SECRET, link![1], Date.parse('2026-12-01T00:00:00Z'));
      expect(claims).toMatchObject({ personId: rep._id, state, initiativeId: view.id, revision: 2 });

      const ics = icsOf(mail)!;
      expect(ics).toContain(`UID:${view.id}.signoff@summit-followup.example.org`);
      expect(ics).toContain('SEQUENCE:0');
      expect(ics).toContain('DTEND:20261222T050000Z');
    },
  );
});

describe('reminders, unsubscribing and calendar updates', () => {
  it('a reminder to an official carries List-Unsubscribe (one-click) with a signed URL under PUBLIC_URL', async () => {
    const official = await addPerson(env.h, { roles: ['official'], state: 'TJ' });
    await send(official, SAMPLE_NOTIFICATIONS.reminder);
    const [mail] = await mailTo(official.email);
    const header = rawHeader(mail, 'list-unsubscribe');
    const url = /https:\/\/summit\.example\.org\/unsubscribe\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(header ?? '');
    expect(url).not.toBeNull();
    expect(verifyUnsubscribeToken(LINK_SECRET, url![1])).toEqual({ personId: official._id, topic: 'reminder' });
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain('in 2 days, Tue 22 December 2026, 10:00 (Asia/Dushanbe, UTC+05:00)');
  });

  it('a sign-off reminder to a representative carries the action link and no List-Unsubscribe', async () => {
    const rep = await addPerson(env.h, { roles: ['representative'], state: 'UZ', locale: 'ru' });
    await send(rep, { ...SAMPLE_NOTIFICATIONS.reminder, step: 'signoff', revision: 2 });
    const [mail] = await mailTo(rep.email);
    expect(rawHeader(mail, 'list-unsubscribe')).toBeUndefined();
    expect(mail.text).toMatch(/Принять решение \(Узбекистан\): https:\/\/summit\.example\.org\/act\//);
  });

  it('an extended deadline keeps the event’s UID and raises its SEQUENCE', async () => {
    const official = await addPerson(env.h, { roles: ['official'], state: 'KG' });
    const view = sampleView({ id: uniqueInitiative() });
    await send(official, SAMPLE_NOTIFICATIONS.assigned, view);
    await send(
      official,
      {
        ...SAMPLE_NOTIFICATIONS.deadline_extended,
        step: 'draft',
        dueAt: '2027-01-12T05:00:00.000Z',
        details: { from: SAMPLE_NOTIFICATIONS.assigned.dueAt!, reason: 'more time' },
      },
      view,
    );
    const mails = await mailTo(official.email, 2);
    const byKind = Object.fromEntries(mails.map((m) => [m.headers.get('x-summit-notification'), icsOf(m)!]));
    const uid = (ics: string) => /UID:(.+)/.exec(ics)![1].trim();
    expect(uid(byKind.deadline_extended)).toBe(uid(byKind.assigned));
    expect(byKind.assigned).toContain('SEQUENCE:0');
    expect(byKind.deadline_extended).toContain('SEQUENCE:1');
    expect(byKind.deadline_extended).toContain('DTEND:20270112T050000Z');
  });
});
