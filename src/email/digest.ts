/** The daily digest: one email listing, by initiative, what was deferred for the person since the last one. */
import { formatInZone } from '../domain/time';
import { escapeHtml, langsOf, languageOf, layout, RenderedEmail, RenderRecipient, Section, UI } from './render';
import type { Lang } from './templates';

export interface DigestItem {
  initiativeId: string;
  initiativeTitle: string;
  /** The item's one-line summary, in the reader's language when it was queued. */
  summary: string;
  /** The initiative's page. */
  link: string;
  /** The deadline the item is about (ISO UTC), shown with its time in the reader's zone. */
  dueAt?: string;
}

export interface DigestContext {
  recipient: RenderRecipient;
  /** The local date of the digest (YYYY-MM-DD in the recipient's zone). */
  date: string;
  unsubscribeUrl?: string;
}

function ruPlural(n: number, one: string, few: string, many: string): string {
  const rule = new Intl.PluralRules('ru-RU').select(n);
  return rule === 'one' ? one : rule === 'few' ? few : many;
}

function longDate(date: string, lang: Lang): string {
  const weekday = lang === 'ru' ? undefined : 'long';
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    timeZone: 'UTC',
    weekday,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}

const WORDS: Record<
  Lang,
  { subject(date: string, n: number): string; intro: string; open: string; due(when: string): string }
> = {
  en: {
    subject: (date, n) => `Your daily summary for ${date}: ${n} ${n === 1 ? 'item' : 'items'}`,
    intro:
      'Here is what happened, and what awaits you, since your last summary — one email a day instead of one per item, as you chose.',
    open: UI.en.open,
    due: (when) => `due ${when}`,
  },
  ru: {
    subject: (date, n) => `Ежедневная сводка на ${date}: ${n} ${ruPlural(n, 'событие', 'события', 'событий')}`,
    intro:
      'Что произошло и что ожидает вас со времени прошлой сводки — одно письмо в день вместо отдельного письма на каждое событие, как вы выбрали.',
    open: UI.ru.open,
    due: (when) => `срок: ${when}`,
  },
};

/** Groups items by initiative, keeping the order in which each initiative first appears. */
export function groupByInitiative(
  items: readonly DigestItem[],
): { id: string; title: string; link: string; items: DigestItem[] }[] {
  const groups = new Map<string, { id: string; title: string; link: string; items: DigestItem[] }>();
  for (const it of items) {
    let g = groups.get(it.initiativeId);
    if (!g) {
      g = { id: it.initiativeId, title: it.initiativeTitle, link: it.link, items: [] };
      groups.set(it.initiativeId, g);
    }
    g.items.push(it);
  }
  return [...groups.values()];
}

/** An item's line: its summary, and the time of its deadline where it has one (a subject names only the day). */
function itemLine(it: DigestItem, lang: Lang, timeZone: string): string {
  return it.dueAt ? `${it.summary} (${WORDS[lang].due(formatInZone(new Date(it.dueAt), timeZone, lang))})` : it.summary;
}

export function renderDigest(items: readonly DigestItem[], c: DigestContext): RenderedEmail {
  const language = languageOf(c.recipient.locale);
  const groups = groupByInitiative(items);
  const sections: Section[] = langsOf(language).map((lang) => {
    const w = WORDS[lang];
    const line = (it: DigestItem) => itemLine(it, lang, c.recipient.timeZone);
    const paragraphs = [
      w.intro,
      ...groups.map((g) =>
        [`${g.title}`, ...g.items.map((it) => `  • ${line(it)}`), `  ${w.open}: ${g.link}`].join('\n'),
      ),
    ];
    const htmlBody = [
      `<p style="margin:0 0 12px">${escapeHtml(w.intro)}</p>`,
      ...groups.map(
        (g) =>
          `<h3 style="margin:18px 0 6px;font-size:16px">${escapeHtml(g.title)}</h3>\n<ul style="margin:0 0 6px;padding-left:20px">\n${g.items
            .map((it) => `<li>${escapeHtml(line(it))}</li>`)
            .join(
              '\n',
            )}\n</ul>\n<p style="margin:0 0 12px"><a href="${escapeHtml(g.link)}">${escapeHtml(w.open)}</a></p>`,
      ),
    ].join('\n');
    return { lang, content: { subject: w.subject(longDate(c.date, lang), items.length), paragraphs }, htmlBody };
  });
  const { subject, text, html } = layout({
    sections,
    recipientName: c.recipient.name,
    timeZone: c.recipient.timeZone,
    unsubscribe: c.unsubscribeUrl ? { url: c.unsubscribeUrl, digest: true } : undefined,
  });
  return { subject, text, html, language, summary: subject };
}
