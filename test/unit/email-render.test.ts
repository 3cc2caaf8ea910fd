/** Every kind of email renders in English, Russian and both, in the reader's zone, with its links. */
import { NotificationKind } from '../../src/domain/types';
import { languageOf, renderNotification, RenderContext } from '../../src/email/render';
import { inDays } from '../../src/email/templates';
import { LOCAL_DUE_TIME, SAMPLE_NOTIFICATIONS, sampleView, STATE_NAMES, ZONES } from '../../src/email/samples';

const KINDS = Object.values(NotificationKind);

function ctx(over: Partial<RenderContext['recipient']> = {}, extra: Partial<RenderContext> = {}): RenderContext {
  return {
    initiative: sampleView(),
    recipient: {
      name: 'Special Representative of Kazakhstan',
      locale: 'en',
      timeZone: 'Asia/Almaty',
      state: 'KZ',
      ...over,
    },
    stateNames: STATE_NAMES,
    publicUrl: 'https://summit.example.org/',
    ...extra,
  };
}

const CYRILLIC = /[А-Яа-яЁё]/;

describe('every kind of email', () => {
  it.each(KINDS)('%s renders a one-line subject, a text and an HTML part in English', (kind) => {
    const mail = renderNotification(SAMPLE_NOTIFICATIONS[kind], ctx());
    expect(mail.language).toBe('en');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).not.toMatch(CYRILLIC);
    expect(mail.text).toContain('Dear Special Representative of Kazakhstan,');
    expect(mail.text).toContain('https://summit.example.org/initiatives/digital-transit-corridor');
    expect(mail.text).not.toMatch(/undefined|\[object/);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain('href="https://summit.example.org/initiatives/digital-transit-corridor"');
    expect(mail.html).not.toMatch(/undefined|\[object/);
  });

  it.each(KINDS)('%s renders in Russian for a Russian reader, Cyrillic in subject and body', (kind) => {
    const mail = renderNotification(SAMPLE_NOTIFICATIONS[kind], ctx({ locale: 'ru' }));
    expect(mail.language).toBe('ru');
    expect(mail.subject).toMatch(CYRILLIC);
    expect(mail.text).toContain('Здравствуйте, Special Representative of Kazakhstan!');
    expect(mail.text).toContain('Открыть инициативу: https://summit.example.org/initiatives/digital-transit-corridor');
    expect(mail.text).not.toContain('Dear ');
    expect(mail.html).toContain('<html lang="ru">');
    expect(mail.html).not.toMatch(/undefined|\[object/);
  });

  it.each(KINDS)('%s renders in both languages when the preference is unknown', (kind) => {
    const mail = renderNotification(SAMPLE_NOTIFICATIONS[kind], ctx({ locale: 'uz' }));
    expect(mail.language).toBe('bilingual');
    expect(mail.subject).toContain(' / ');
    expect(mail.subject).toMatch(CYRILLIC);
    expect(mail.text.indexOf('Dear ')).toBeLessThan(mail.text.indexOf('Здравствуйте'));
    expect(mail.html).toContain('<div lang="en">');
    expect(mail.html).toContain('<div lang="ru">');
  });
});

describe('language choice', () => {
  it('takes en and ru as they are and anything else as bilingual', () => {
    expect(languageOf('en')).toBe('en');
    expect(languageOf('ru')).toBe('ru');
    expect(languageOf(undefined)).toBe('bilingual');
    expect(languageOf('kk')).toBe('bilingual');
  });

  it('says "today", "tomorrow" and "in n days" with Russian plural forms', () => {
    expect([0, 1, 2, 5, 7].map((d) => inDays('en', d))).toEqual([
      'today',
      'tomorrow',
      'in 2 days',
      'in 5 days',
      'in 7 days',
    ]);
    expect([0, 1, 2, 5, 21, 22].map((d) => inDays('ru', d))).toEqual([
      'сегодня',
      'завтра',
      'через 2 дня',
      'через 5 дней',
      'через 21 день',
      'через 22 дня',
    ]);
  });
});

describe('dates in the reader’s own time zone', () => {
  it.each(Object.keys(ZONES))('a sign-off request to %s shows the due time in its zone, naming it', (state) => {
    const en = renderNotification(SAMPLE_NOTIFICATIONS.signoff_requested, ctx({ timeZone: ZONES[state], state }));
    expect(en.text).toContain(`The decision is due Tue 22 December 2026, ${LOCAL_DUE_TIME[state]}.`);
    expect(en.text).toContain(`Times are shown in your time zone, ${ZONES[state]}.`);
    const ru = renderNotification(
      SAMPLE_NOTIFICATIONS.signoff_requested,
      ctx({ timeZone: ZONES[state], state, locale: 'ru' }),
    );
    expect(ru.text).toContain(`Срок принятия решения: вт, 22 декабря 2026 г., ${LOCAL_DUE_TIME[state]}.`);
    expect(ru.text).toContain(`Просим принять решение за государство (${STATE_NAMES[state].ru})`);
  });
});

describe('links and safety', () => {
  it('puts the action link on a decision request as a button and a text line', () => {
    const actionUrl = 'https://summit.example.org/act/abc.def';
    const mail = renderNotification(SAMPLE_NOTIFICATIONS.signoff_requested, ctx({}, { actionUrl }));
    expect(mail.text).toContain(`Decide for Kazakhstan: ${actionUrl}`);
    expect(mail.html).toMatch(/<a href="https:\/\/summit\.example\.org\/act\/abc\.def" style="display:inline-block/);
    const ru = renderNotification(SAMPLE_NOTIFICATIONS.signoff_requested, ctx({ locale: 'ru' }, { actionUrl }));
    expect(ru.text).toContain(`Принять решение (Казахстан): ${actionUrl}`);
  });

  it('shows the unsubscribe link in the footer only when given', () => {
    const url = 'https://summit.example.org/unsubscribe/x.y';
    expect(renderNotification(SAMPLE_NOTIFICATIONS.reminder, ctx({}, { unsubscribeUrl: url })).text).toContain(
      `Stop reminders like this one: ${url}`,
    );
    expect(renderNotification(SAMPLE_NOTIFICATIONS.reminder, ctx()).text).not.toContain('Stop reminders');
  });

  it('escapes HTML and keeps subjects on one line whatever the title holds', () => {
    const view = sampleView({ title: 'Rail <script>alert(1)</script> & "ports"\r\nBcc: x@evil.example' });
    const mail = renderNotification(SAMPLE_NOTIFICATIONS.started, ctx({}, { initiative: view }));
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Rail &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;ports&quot;');
  });

  it('names states in the reader’s language and renders reasons and pending states', () => {
    const ru = renderNotification(SAMPLE_NOTIFICATIONS.escalation, ctx({ locale: 'ru' }));
    expect(ru.text).toContain('Решение ещё не приняли: Казахстан, Туркменистан.');
    const en = renderNotification(SAMPLE_NOTIFICATIONS.changes_requested, ctx());
    expect(en.text).toContain('Tajikistan requested changes');
    expect(en.text).toContain('Reason: Article 4 must name the customs data fields');
    expect(en.subject).toBe(
      'Changes requested: Digital Transit Corridor: shared customs data and single-window permits — revision 3 due 5 Jan',
    );
  });

  it('says in an escalation who is late, by how much, and what the reader can do as Secretariat or as Chair', () => {
    const late = sampleView({
      stage: 'drafting',
      updatedAt: '2026-12-25T05:00:00.000Z',
      deadlines: [{ step: 'draft', dueAt: '2026-12-22T05:00:00.000Z', waitingOn: ['person:official-kg'] }],
    });
    const n = { ...SAMPLE_NOTIFICATIONS.escalation, step: 'draft', details: {} };
    const secretariat = renderNotification(n, ctx({ state: undefined }, { initiative: late }));
    expect(secretariat.text).toContain(
      'was due Tue 22 December 2026, 10:00 (Asia/Almaty, UTC+05:00) and is 3 days late.',
    );
    expect(secretariat.text).toContain(`Waiting on: ${late.lead!.officialName}.`);
    expect(secretariat.text).toContain(
      'You can remind them, extend the deadline on the initiative’s page, or withdraw',
    );
    const chair = renderNotification(n, ctx({ locale: 'ru', state: 'TM' }, { initiative: late }));
    expect(chair.text).toContain('просрочка — 3 дня');
    expect(chair.text).toContain('Как Председатель (Туркменистан) вы можете обратиться к ним');
  });

  it('tells a representative, in their language, that their deputy decided in their name', () => {
    const n = {
      ...SAMPLE_NOTIFICATIONS.decision_recorded,
      to: { person: 'rep-kz' },
      details: { state: 'KZ', decision: 'approve', by: 'Ерлан Сапаров' },
    };
    expect(renderNotification(n, ctx({ locale: 'ru' })).text).toContain(
      'Решение записал(а) от вашего имени ваш заместитель: Ерлан Сапаров.',
    );
    expect(renderNotification(n, ctx()).text).toContain('Ерлан Сапаров recorded it on your behalf, as your deputy.');
  });

  it('writes a reminder’s distance to the due date in words', () => {
    const en = renderNotification(SAMPLE_NOTIFICATIONS.reminder, ctx({ timeZone: 'Asia/Bishkek' }));
    expect(en.subject).toBe(
      'Reminder: the draft due 22 Dec — Digital Transit Corridor: shared customs data and single-window permits',
    );
    expect(en.text).toContain(
      'A reminder: the draft of “Digital Transit Corridor: shared customs data and single-window permits” is due in 2 days, Tue 22 December 2026, 11:00 (Asia/Bishkek, UTC+06:00).',
    );
    const today = renderNotification({ ...SAMPLE_NOTIFICATIONS.reminder, sequence: 0 }, ctx({ locale: 'ru' }));
    expect(today.subject).toContain('срок сегодня');
  });
});

/** Issue 12: a draft stored before the API refused other schemes must not reach a mail client as a link. */
describe('only http(s) links in emails', () => {
  const KINDS_WITH_DRAFT = KINDS.filter((k) =>
    renderNotification(SAMPLE_NOTIFICATIONS[k], ctx()).text.includes('https://docs.example.org/corridor-r2'),
  );

  it('the sample draft link shows in the emails that name the draft', () => {
    expect(KINDS_WITH_DRAFT.length).toBeGreaterThan(0);
  });

  it.each([
    'javascript:alert(document.cookie)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
  ])('a stored draft link %j appears in no email, text or HTML', (link) => {
    const initiative = sampleView({ draft: { ...sampleView().draft!, link } });
    for (const kind of KINDS_WITH_DRAFT) {
      for (const locale of ['en', 'ru', undefined]) {
        const mail = renderNotification(SAMPLE_NOTIFICATIONS[kind], ctx({ locale }, { initiative }));
        const scheme = link.slice(0, link.indexOf(':') + 1);
        expect([kind, mail.text.includes(scheme), mail.html.includes(scheme)]).toEqual([kind, false, false]);
        expect(mail.text).toContain('Corridor agreement, draft 2');
      }
    }
  });

  it('an action or unsubscribe URL that is not http(s) is never an href', () => {
    const kind = KINDS.find((k) =>
      renderNotification(
        SAMPLE_NOTIFICATIONS[k],
        ctx({}, { actionUrl: 'https://summit.example.org/act/x.y' }),
      ).html.includes('/act/x.y'),
    )!;
    const mail = renderNotification(
      SAMPLE_NOTIFICATIONS[kind],
      ctx({}, { actionUrl: 'javascript:alert(1)', unsubscribeUrl: 'data:text/html,x' }),
    );
    expect(mail.html).not.toMatch(/href="(javascript|data):/);
    expect(mail.text).not.toMatch(/javascript:|data:text/);
  });
});
