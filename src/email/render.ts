/**
 * Renders a notification into one email for one person: subject, plain text and HTML, in the
 * person's language (English, Russian, or both when the preference is unknown) and time zone.
 * The wording lives in templates.ts; this file is the layout shared by every kind and the digest.
 */
import type { Notification } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import { isHttpUrl } from './http-url';
import { redlineText, shorten, type LanguageRedline, type RedlinePart } from './redline';
import { Content, Lang, LANGS, StateNames, stepLabel, TEMPLATES, varsFor } from './templates';
import { titleIn } from '../i18n/titles';

/** 'bilingual' when the person's locale is neither English nor Russian (or unknown): English first, then Russian. */
export type LanguageChoice = Lang | 'bilingual';

export function languageOf(locale: unknown): LanguageChoice {
  return locale === 'en' || locale === 'ru' ? locale : 'bilingual';
}

export function langsOf(choice: LanguageChoice): Lang[] {
  return choice === 'bilingual' ? [...LANGS] : [choice];
}

export interface RenderRecipient {
  name: string;
  locale?: string;
  timeZone: string;
  /** The state the person acts for: named in decision requests. */
  state?: string;
}

export interface RenderContext {
  initiative: InitiativeView;
  recipient: RenderRecipient;
  stateNames: StateNames;
  publicUrl: string;
  /** For decision requests: the signed action link. */
  actionUrl?: string;
  /** For emails the person may opt out of: the List-Unsubscribe URL, also shown in the footer. */
  unsubscribeUrl?: string;
  /** For decision requests on a revision after the first: what changed since the one the reader last saw. */
  redlines?: LanguageRedline[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  language: LanguageChoice;
  /** One line for the daily digest: the subject in the reader's language. */
  summary: string;
}

/** The parts of a rendered email the outbox stores. */
export function emailFields(
  r: RenderedEmail,
): Pick<RenderedEmail, 'subject' | 'text' | 'html' | 'language' | 'summary'> {
  return { subject: r.subject, text: r.text, html: r.html, language: r.language, summary: r.summary };
}

/** The words of the frame around every email. */
export const UI: Record<
  Lang,
  {
    greeting(name: string): string;
    open: string;
    signature: string;
    auto: string;
    zone(tz: string): string;
    unsubscribe: string;
    unsubscribeDigest: string;
  }
> = {
  en: {
    greeting: (name) => `Dear ${name},`,
    open: 'Open the initiative',
    signature: '— Summit Follow-up, on behalf of the Secretariat',
    auto: 'This message was sent automatically; a reply reaches the Secretariat.',
    zone: (tz) => `Times are shown in your time zone, ${tz}.`,
    unsubscribe: 'Stop reminders like this one',
    unsubscribeDigest: 'Stop the daily summary',
  },
  ru: {
    greeting: (name) => `Здравствуйте, ${name}!`,
    open: 'Открыть инициативу',
    signature: '— Summit Follow-up, от имени Секретариата',
    auto: 'Письмо отправлено автоматически; ответ на него получит Секретариат.',
    zone: (tz) => `Время указано в вашем часовом поясе: ${tz}.`,
    unsubscribe: 'Больше не присылать такие напоминания',
    unsubscribeDigest: 'Больше не присылать ежедневную сводку',
  },
};

export function initiativeUrl(publicUrl: string, initiativeId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/initiatives/${encodeURIComponent(initiativeId)}`;
}

/**
 * An anchor only for an http(s) address, else the label alone. Every link laid out here is the app's own
 * (initiative pages, action and unsubscribe links), but this is the last place before a mail client: a
 * javascript: or data: href must never get through, whatever a caller passes (issue 12).
 */
export function anchorHtml(url: string, labelHtml: string, style?: string): string {
  return isHttpUrl(url)
    ? `<a href="${escapeHtml(url)}"${style ? ` style="${style}"` : ''}>${labelHtml}</a>`
    : labelHtml;
}

/** The text part's "label: URL" line; an address that is not http(s) is left out. */
function textLink(label: string, url: string): string {
  return isHttpUrl(url) ? `${label}: ${url}` : label;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Subjects are one line whatever the data holds: no header injection through a title. */
export function oneLine(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** One language's part of an email, before layout. */
export interface Section {
  lang: Lang;
  content: Content;
  /** Extra HTML in place of the paragraphs (the digest's list); the text part uses the paragraphs. */
  htmlBody?: string;
  link?: { label: string; url: string };
}

export interface LayoutInput {
  sections: Section[];
  recipientName: string;
  timeZone: string;
  unsubscribe?: { url: string; digest: boolean };
}

/** Lays out one or two language sections as text and HTML with the shared greeting, links and footer. */
export function layout(x: LayoutInput): { subject: string; text: string; html: string } {
  const subject = oneLine(x.sections.map((s) => s.content.subject).join(' / '));
  const textParts = x.sections.map((s) => {
    const ui = UI[s.lang];
    return [
      ui.greeting(x.recipientName),
      '',
      ...s.content.paragraphs.flatMap((p) => [p, '']),
      ...(s.content.redlines ?? []).flatMap((r) => [r.heading, redlineText(r.parts), '']),
      ...(s.content.action ? [textLink(s.content.action.label, s.content.action.url), ''] : []),
      ...(s.link ? [textLink(s.link.label, s.link.url), ''] : []),
      ui.zone(x.timeZone),
      ui.signature,
    ].join('\n');
  });
  const footer = x.sections
    .map((s) => {
      const ui = UI[s.lang];
      const unsub = x.unsubscribe
        ? `\n${textLink(x.unsubscribe.digest ? ui.unsubscribeDigest : ui.unsubscribe, x.unsubscribe.url)}`
        : '';
      return `${ui.auto}${unsub}`;
    })
    .join('\n');
  const text = `${textParts.join('\n\n————————————————\n\n')}\n\n--\n${footer}\n`;

  const htmlSections = x.sections.map((s) => {
    const ui = UI[s.lang];
    const body =
      s.htmlBody ??
      [
        ...s.content.paragraphs.map((p) => `<p style="margin:0 0 12px">${escapeHtml(p)}</p>`),
        ...(s.content.redlines ?? []).map(
          (r) =>
            `<p style="margin:0 0 4px;font-weight:bold">${escapeHtml(r.heading)}</p>\n<p style="margin:0 0 12px;white-space:pre-wrap">${redlineHtml(r.parts)}</p>`,
        ),
      ].join('\n');
    const action = s.content.action
      ? `<p style="margin:20px 0">${anchorHtml(s.content.action.url, escapeHtml(s.content.action.label), 'display:inline-block;padding:10px 18px;background:#1a5fb4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold')}</p>`
      : '';
    const link = s.link ? `<p style="margin:0 0 12px">${anchorHtml(s.link.url, escapeHtml(s.link.label))}</p>` : '';
    return [
      `<div lang="${s.lang}">`,
      `<p style="margin:0 0 12px">${escapeHtml(ui.greeting(x.recipientName))}</p>`,
      body,
      action,
      link,
      `<p style="margin:0 0 12px;color:#555555;font-size:13px">${escapeHtml(ui.zone(x.timeZone))}</p>`,
      `<p style="margin:0 0 12px">${escapeHtml(ui.signature)}</p>`,
      '</div>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  const htmlFooter = x.sections
    .map((s) => {
      const ui = UI[s.lang];
      const unsub = x.unsubscribe
        ? ` ${anchorHtml(x.unsubscribe.url, escapeHtml(x.unsubscribe.digest ? ui.unsubscribeDigest : ui.unsubscribe), 'color:#777777')}`
        : '';
      return `<p lang="${s.lang}" style="margin:0 0 6px">${escapeHtml(ui.auto)}${unsub}</p>`;
    })
    .join('\n');
  const htmlLang = x.sections.length === 1 ? x.sections[0].lang : 'en';
  const html = [
    '<!doctype html>',
    `<html lang="${htmlLang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.45;color:#1d1d1d;background:#ffffff">',
    htmlSections.join('\n<hr style="border:none;border-top:1px solid #cccccc;margin:24px 0">\n'),
    `<div style="margin-top:24px;padding-top:12px;border-top:1px solid #e0e0e0;color:#777777;font-size:12px">\n${htmlFooter}\n</div>`,
    '</body>',
    '</html>',
  ].join('\n');
  return { subject, text, html };
}

/** A redline for HTML: <del> and <ins>, which screen readers announce, struck through and underlined for the eye. */
function redlineHtml(parts: readonly RedlinePart[]): string {
  return parts
    .map((p) =>
      p.kind === 'added'
        ? `<ins style="background:#e6f4ea;text-decoration:underline">${escapeHtml(p.text)}</ins>`
        : p.kind === 'removed'
          ? `<del style="background:#fce8e6;text-decoration:line-through">${escapeHtml(p.text)}</del>`
          : escapeHtml(shorten(p.text)),
    )
    .join('');
}

/** Renders one notification for one person. */
export function renderNotification(n: Notification, c: RenderContext): RenderedEmail {
  const language = languageOf(c.recipient.locale);
  const link = initiativeUrl(c.publicUrl, c.initiative.id);
  const sections: Section[] = langsOf(language).map((lang) => {
    const v = varsFor(lang, {
      n,
      initiative: c.initiative,
      timeZone: c.recipient.timeZone,
      stateNames: c.stateNames,
      recipientState: c.recipient.state,
      redlines: c.redlines,
    });
    const content = TEMPLATES[n.kind][lang](v, c.actionUrl);
    return { lang, content, link: { label: UI[lang].open, url: link } };
  });
  const { subject, text, html } = layout({
    sections,
    recipientName: c.recipient.name,
    timeZone: c.recipient.timeZone,
    unsubscribe: c.unsubscribeUrl ? { url: c.unsubscribeUrl, digest: false } : undefined,
  });
  return { subject, text, html, language, summary: subject };
}

const CALENDAR_SUMMARY: Record<Lang, (step: string, title: string) => string> = {
  en: (step, title) => `Deadline: ${step} — ${title}`,
  ru: (step, title) => `Срок: ${step} — ${title}`,
};

/** The summary and description of a deadline email's calendar event, in the reader's language(s). */
export function calendarEventText(n: Notification, c: RenderContext): { summary: string; description: string } {
  const parts = langsOf(languageOf(c.recipient.locale)).map((lang) => {
    const v = varsFor(lang, {
      n,
      initiative: c.initiative,
      timeZone: c.recipient.timeZone,
      stateNames: c.stateNames,
      recipientState: c.recipient.state,
      redlines: c.redlines,
    });
    const content = TEMPLATES[n.kind][lang](v, c.actionUrl);
    return {
      summary: CALENDAR_SUMMARY[lang](stepLabel(lang, n.step, c.initiative), titleIn(c.initiative, lang)),
      description: [...content.paragraphs, `${UI[lang].open}: ${initiativeUrl(c.publicUrl, c.initiative.id)}`].join(
        '\n',
      ),
    };
  });
  return {
    summary: oneLine(parts.map((p) => p.summary).join(' / ')),
    description: parts.map((p) => p.description).join('\n\n'),
  };
}
