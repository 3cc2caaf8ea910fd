/** The daily digest: when it goes out, and what it lists. */
import { renderDigest } from '../../src/email/digest';
import { nextDigestAt } from '../../src/domain/digest-time';
import { ZONES } from '../../src/email/samples';

describe('digest time', () => {
  it('is the next 09:00 in the person’s zone, today or tomorrow', () => {
    // 03:00 UTC is 08:00 in Tashkent: today at 09:00 local.
    expect(nextDigestAt(Date.parse('2026-12-01T03:00:00Z'), 'Asia/Tashkent')).toEqual({
      at: Date.parse('2026-12-01T04:00:00Z'),
      date: '2026-12-01',
    });
    // 04:00 UTC is exactly 09:00: the next one is tomorrow's.
    expect(nextDigestAt(Date.parse('2026-12-01T04:00:00Z'), 'Asia/Tashkent')).toEqual({
      at: Date.parse('2026-12-02T04:00:00Z'),
      date: '2026-12-02',
    });
    // 22:00 UTC on 1 Dec is already 2 Dec in Bishkek (04:00): 09:00 on 2 Dec.
    expect(nextDigestAt(Date.parse('2026-12-01T22:00:00Z'), 'Asia/Bishkek')).toEqual({
      at: Date.parse('2026-12-02T03:00:00Z'),
      date: '2026-12-02',
    });
  });

  it.each(Object.entries(ZONES))('lands on 09:00 local time in %s (%s)', (_state, zone) => {
    const { at } = nextDigestAt(Date.parse('2026-12-01T12:00:00Z'), zone);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(at));
    expect(local).toBe('09:00');
    expect(at).toBeGreaterThan(Date.parse('2026-12-01T12:00:00Z'));
  });
});

describe('digest email', () => {
  const items = [
    {
      initiativeId: 'a',
      initiativeTitle: 'Rare earths centre',
      summary: 'KG: approval — Rare earths centre',
      link: 'https://x.example/initiatives/a',
    },
    {
      initiativeId: 'b',
      initiativeTitle: 'Cargo tracking',
      summary: 'Reminder: the draft due 22 Dec — Cargo tracking',
      link: 'https://x.example/initiatives/b',
    },
    {
      initiativeId: 'a',
      initiativeTitle: 'Rare earths centre',
      summary: 'TJ: objection — Rare earths centre',
      link: 'https://x.example/initiatives/a',
    },
  ];

  it('lists the items grouped by initiative, with the count in the subject', () => {
    const mail = renderDigest(items, {
      recipient: { name: 'Secretariat duty desk', locale: 'en', timeZone: 'Asia/Tashkent' },
      date: '2026-12-02',
    });
    expect(mail.subject).toBe('Your daily summary for Wednesday, 2 December 2026: 3 items');
    const a = mail.text.indexOf('Rare earths centre\n');
    expect(a).toBeGreaterThan(-1);
    expect(mail.text.indexOf('TJ: objection')).toBeLessThan(mail.text.indexOf('Cargo tracking\n'));
    expect(mail.html).toContain('<li>KG: approval — Rare earths centre</li>');
  });

  it('speaks Russian to a Russian reader and offers the digest unsubscribe link', () => {
    const mail = renderDigest(items.slice(0, 1), {
      recipient: { name: 'Айгүл', locale: 'ru', timeZone: 'Asia/Bishkek' },
      date: '2026-12-02',
      unsubscribeUrl: 'https://x.example/unsubscribe/t.s',
    });
    expect(mail.subject).toBe('Ежедневная сводка на 2 декабря 2026 г.: 1 событие');
    expect(mail.text).toContain('Больше не присылать ежедневную сводку: https://x.example/unsubscribe/t.s');
  });

  it('shows the time of an item’s deadline in the reader’s zone, in their language', () => {
    const due = { ...items[1], dueAt: '2026-12-22T05:00:00.000Z' };
    const en = renderDigest([due], {
      recipient: { name: 'Aigul', locale: 'en', timeZone: 'Asia/Bishkek' },
      date: '2026-12-15',
    });
    const line =
      'Reminder: the draft due 22 Dec — Cargo tracking (due Tue 22 December 2026, 11:00 (Asia/Bishkek, UTC+06:00))';
    expect(en.text).toContain(`• ${line}`);
    expect(en.html).toContain(`<li>${line}</li>`);
    const ru = renderDigest([due], {
      recipient: { name: 'Айгүл', locale: 'ru', timeZone: 'Asia/Almaty' },
      date: '2026-12-15',
    });
    expect(ru.text).toContain('(срок: вт, 22 декабря 2026 г., 10:00 (Asia/Almaty, UTC+05:00))');
  });
});
