/**
 * The wording of every kind of email, in English and Russian: one template per notification kind,
 * each giving the subject and the paragraphs of the body. Layout (greeting, links, footer, HTML)
 * is in render.ts; this file holds only what the email says.
 */
import { durationInWords, formatInZone } from '../domain/time';
import type { Notification, NotificationKind } from '../domain/types';
import { partyOf, type InitiativeView } from '../domain/view';
import { isHttpUrl } from './http-url';
import type { LanguageRedline, RedlinePart } from './redline';
import { dayOffName, stateDayOff, titleIn } from '../i18n/titles';

export type Lang = 'en' | 'ru';
export const LANGS: readonly Lang[] = ['en', 'ru'];

export type StateNames = Record<string, { en: string; ru: string }>;

/** Everything a template may show, already in the reader's language and time zone. */
export interface Vars {
  lang: Lang;
  n: Notification;
  i: InitiativeView;
  details: Record<string, string | number | boolean>;
  title: string;
  /** The due date in the reader's zone, naming it. */
  due: string;
  /** Day and month of the due date in the reader's zone, for subjects. */
  dueShort: string;
  /** The step in words. */
  step: string;
  /** The reader's own state, in words. */
  myState: string;
  state(code: string | number | boolean | undefined): string;
  states(codes: readonly string[]): string;
  date(iso: string | number | boolean | undefined): string;
  /** "today", "in 2 days" for a reminder's offset. */
  when: string;
  redlines: LanguageRedline[];
}

export interface Content {
  subject: string;
  paragraphs: string[];
  /** What changed in each language version since the revision the reader last saw, under its heading. */
  redlines?: { heading: string; parts: RedlinePart[] }[];
  /** The call to action: a button in HTML, a line in text. */
  action?: { label: string; url: string };
}

type Template = Record<Lang, (v: Vars, actionUrl?: string) => Content>;

const DAY_MS = 86_400_000;

const STEP: Record<Lang, Record<string, string>> = {
  en: {
    assignment: 'assignment of the lead state',
    draft: 'the draft',
    signoff: 'national sign-off',
    objection: 'resolving the objection',
  },
  ru: {
    assignment: 'назначение ведущего государства',
    draft: 'представление проекта',
    signoff: 'национальное согласование',
    objection: 'решение по возражению',
  },
};

const DECISION: Record<Lang, Record<string, string>> = {
  en: {
    approve: 'approval',
    request_changes: 'request for changes',
    object: 'objection',
    abstain: 'abstention',
    amend: 'amendment',
  },
  ru: {
    approve: 'одобрение',
    request_changes: 'запрос изменений',
    object: 'возражение',
    abstain: 'воздержание',
    amend: 'поправка',
  },
};

export function decisionWord(lang: Lang, decision: unknown): string {
  return DECISION[lang][String(decision)] ?? String(decision);
}

export function stepLabel(lang: Lang, step: string, i: InitiativeView): string {
  if (step.startsWith('milestone:')) {
    const id = step.slice('milestone:'.length);
    const title = i.milestones.find((m) => m.id === id)?.title ?? id;
    return lang === 'ru' ? `этап «${title}»` : `milestone “${title}”`;
  }
  return STEP[lang][step] ?? step;
}

function ruPlural(n: number, one: string, few: string, many: string): string {
  const rule = new Intl.PluralRules('ru-RU').select(n);
  return rule === 'one' ? one : rule === 'few' ? few : many;
}

export function inDays(lang: Lang, days: number): string {
  if (days <= 0) return lang === 'ru' ? 'сегодня' : 'today';
  if (lang === 'ru') return days === 1 ? 'завтра' : `через ${days} ${ruPlural(days, 'день', 'дня', 'дней')}`;
  return days === 1 ? 'tomorrow' : `in ${days} days`;
}

export function shortDate(iso: string, timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
  }).format(new Date(iso));
}

export interface VarsInput {
  n: Notification;
  initiative: InitiativeView;
  timeZone: string;
  stateNames: StateNames;
  recipientState?: string;
  redlines?: LanguageRedline[];
}

export function varsFor(lang: Lang, x: VarsInput): Vars {
  const stateName = (code: unknown) => {
    const c = String(code ?? '');
    return x.stateNames[c]?.[lang] ?? c;
  };
  const date = (iso: unknown) => (typeof iso === 'string' && iso ? formatInZone(new Date(iso), x.timeZone, lang) : '');
  const dueAt = x.n.dueAt;
  return {
    lang,
    n: x.n,
    i: x.initiative,
    details: x.n.details ?? {},
    title: titleIn(x.initiative, lang),
    due: date(dueAt),
    dueShort: dueAt ? shortDate(dueAt, x.timeZone, lang) : '',
    step: stepLabel(lang, x.n.step, x.initiative),
    myState: stateName(x.recipientState),
    state: stateName,
    states: (codes) => codes.map(stateName).join(', '),
    date,
    when: inDays(lang, Math.round((x.n.kind === 'reminder' ? (x.n.sequence ?? 0) : 0) / DAY_MS)),
    redlines: x.redlines ?? [],
  };
}

function pendingLine(v: Vars): string[] {
  const pending = v.details.pending ? String(v.details.pending).split(/,\s*/) : v.i.pendingStates;
  if (!pending.length) return [];
  return [v.lang === 'ru' ? `Решение ещё не приняли: ${v.states(pending)}.` : `Still to decide: ${v.states(pending)}.`];
}

/** Who a step other than sign-off waits on, by name: the official, the milestone's owner, a state. */
function waitingLine(v: Vars): string[] {
  const keys = v.i.deadlines.find((d) => d.step === v.n.step)?.waitingOn ?? [];
  const names = keys.map((key) => {
    const party = partyOf(v.i, key);
    if ('state' in party) return v.state(party.state);
    if ('personId' in party) return party.name;
    return v.lang === 'ru' ? 'Секретариат' : 'the Secretariat';
  });
  if (!names.length) return [];
  return [v.lang === 'ru' ? `Ожидается: ${names.join(', ')}.` : `Waiting on: ${names.join(', ')}.`];
}

/**
 * How late the step was when escalated ("3 days"): the view is the one recorded with the escalation, so
 * its update time is the escalation's. Under an hour: nothing to add to "overdue".
 */
function lateBy(v: Vars): string {
  const ms = Date.parse(v.i.updatedAt) - Date.parse(v.n.dueAt ?? '');
  return ms >= 3_600_000 ? durationInWords(ms, v.lang) : '';
}

/** The text an amendment proposes. */
function amendmentLine(v: Vars): string[] {
  const text = v.details.amendment;
  if (!text) return [];
  return [v.lang === 'ru' ? `Предлагаемый текст: ${text}` : `Proposed text: ${text}`];
}

/** The statements member states attached to their approvals or abstentions, each under its state's name. */
function statementsLine(v: Vars): string[] {
  const lines = String(v.details.statements ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf(': ');
      return `${v.state(l.slice(0, at))}: ${l.slice(at + 2)}`;
    });
  if (!lines.length) return [];
  return [v.lang === 'ru' ? 'Заявления для протокола:' : 'Statements for the record:', ...lines];
}

function reasonLine(v: Vars): string[] {
  const reason = v.details.reason;
  if (!reason) return [];
  return [v.lang === 'ru' ? `Причина: ${reason}` : `Reason: ${reason}`];
}

/**
 * Said to the Secretariat when a message meant for the Chair too found no chairing state (details.noChairFor,
 * the year the rotation calendar lacks; set by the recording activity): nobody else was told.
 */
function noChairLine(v: Vars): string[] {
  const year = v.details.noChairFor;
  if (!year) return [];
  return [
    v.lang === 'ru'
      ? `В календаре ротации на ${year} год не указан Председатель, поэтому Председателю это не отправлено. Укажите председательствующее государство в справочнике.`
      : `No Chair is entered for ${year} in the rotation calendar, so no Chair was told. Enter the chairing state in the directory.`,
  ];
}

function draftLine(v: Vars): string[] {
  const d = v.i.draft;
  if (!d) return [];
  // Only an http(s) link is shown: drafts stored before the API refused other schemes may hold javascript: or data: (issue 12).
  const where = isHttpUrl(d.link) ? ` — ${d.link}` : '';
  return [
    v.lang === 'ru'
      ? `Проект (редакция ${d.revision}): «${d.title}»${where}`
      : `Draft (revision ${d.revision}): “${d.title}”${where}`,
  ];
}

const LANGUAGE: Record<Lang, Record<string, string>> = {
  en: { en: 'English', ru: 'Russian' },
  ru: { en: 'английском', ru: 'русском' },
};

/** The language versions of the draft and the hash a decision on it names. */
function textLine(v: Vars): string[] {
  const d = v.i.draft;
  const texts = d?.texts;
  if (!d?.textHash || !texts) return [];
  const langs = (['en', 'ru'] as const).filter((l) => texts[l]);
  if (v.lang === 'ru')
    return [
      `Тексты: ${langs.map((l) => `на ${LANGUAGE.ru[l]} языке (${texts[l]!.authentic ? 'аутентичный' : 'рабочий перевод'})`).join(', ')}. Хеш текста: ${d.textHash.slice(0, 16)}…`,
    ];
  return [
    `Texts: ${langs.map((l) => `${LANGUAGE.en[l]} (${texts[l]!.authentic ? 'authentic' : 'working translation'})`).join(', ')}. Text hash: ${d.textHash.slice(0, 16)}…`,
  ];
}

/**
 * The states for whom the sign-off due date is a day off (by their own calendars): to the Secretariat, all of
 * them, so the date can be moved before anyone is caught out; to a state's representative, their own.
 */
/** A draft due on a day off in the lead state: said to the lead (and whoever else is told of the date). */
function draftDayOffLine(v: Vars): string[] {
  const off = v.i.draftDayOff;
  if (!off || v.n.step !== 'draft') return [];
  return [
    v.lang === 'ru'
      ? `Обратите внимание: срок приходится на нерабочий день в государстве ${v.state(off.state)}: ${dayOffName(off, v.lang)} (${off.date}).`
      : `Note: the due date falls on a day off in ${v.state(off.state)}: ${dayOffName(off, v.lang)} (${off.date}).`,
  ];
}

function daysOffLine(v: Vars, own?: string): string[] {
  const off = (v.i.round?.daysOff ?? []).filter((o) => !own || o.state === own);
  if (!off.length) return [];
  const list = off.map((o) => stateDayOff(o, v.lang, v.state)).join('; ');
  if (own)
    return [
      v.lang === 'ru'
        ? `Обратите внимание: срок приходится на нерабочий день в вашем государстве: ${dayOffName(off[0], v.lang)} (${off[0].date}).`
        : `Note: the due date falls on a day off in your state: ${dayOffName(off[0], v.lang)} (${off[0].date}).`,
    ];
  return [
    v.lang === 'ru'
      ? `Срок приходится на нерабочий день в государствах: ${list}. Срок можно продлить.`
      : `The due date falls on a day off in: ${list}. You may extend it.`,
  ];
}

/** What changed since the revision the reader last saw, one redline per language version. */
function redlines(v: Vars): Content['redlines'] {
  return v.redlines.map((r) => ({
    heading:
      v.lang === 'ru'
        ? `Изменения по сравнению с редакцией ${r.from} — текст на ${LANGUAGE.ru[r.lang]} языке ([-удалено-] {+добавлено+}):`
        : `Changes since revision ${r.from} — ${LANGUAGE.en[r.lang]} text ([-removed-] {+added+}):`,
    parts: r.parts,
  }));
}

function decideAction(v: Vars, url?: string): Content['action'] {
  if (!url) return undefined;
  return { label: v.lang === 'ru' ? `Принять решение (${v.myState})` : `Decide for ${v.myState}`, url };
}

/** Whether the notification is addressed to a member state (its representative and deputies), not to a role or a person. */
const toAState = (n: Notification): boolean => 'role' in n.to && n.to.role === 'representative';

export const TEMPLATES: Record<NotificationKind, Template> = {
  acknowledgement_missing: {
    en: (v, url) =>
      toAState(v.n)
        ? {
            subject: `Please acknowledge: ${v.title} — silence expires ${v.dueShort}`,
            paragraphs: [
              `${v.myState} has not yet acknowledged that it received revision ${v.n.revision} of “${v.title}”, under the silence procedure until ${v.due}.`,
              'Silence counts only if every member state could object: acknowledge receipt on the initiative’s page, or decide, before the silence expires.',
            ],
            action: decideAction(v, url),
          }
        : {
            subject: `Not acknowledged: ${v.title} — silence expires ${v.dueShort}`,
            paragraphs: [
              `Not yet acknowledged, 48 hours before the silence on revision ${v.n.revision} of “${v.title}” expires (${v.due}): ${v.states(String(v.details.states ?? '').split(', '))}.`,
              'The Chair may extend the silence period; their representatives and deputies have been reminded.',
            ],
          },
    ru: (v, url) =>
      toAState(v.n)
        ? {
            subject: `Просим подтвердить получение: ${v.title} — умолчание до ${v.dueShort}`,
            paragraphs: [
              `Государство (${v.myState}) ещё не подтвердило получение редакции ${v.n.revision} проекта «${v.title}», находящейся на процедуре умолчания до ${v.due}.`,
              'Умолчание действительно, только если каждое государство-член могло возразить: подтвердите получение на странице инициативы или примите решение до истечения срока.',
            ],
            action: decideAction(v, url),
          }
        : {
            subject: `Получение не подтверждено: ${v.title} — умолчание до ${v.dueShort}`,
            paragraphs: [
              `За 48 часов до истечения срока умолчания по редакции ${v.n.revision} проекта «${v.title}» (${v.due}) получение не подтвердили: ${v.states(String(v.details.states ?? '').split(', '))}.`,
              'Председатель может продлить срок умолчания; их представителям и заместителям направлено напоминание.',
            ],
          },
  },
  silence_broken: {
    en: (v) => ({
      subject: `Silence broken, not adopted: ${v.title} (revision ${v.n.revision})`,
      paragraphs: [
        `The silence procedure on revision ${v.n.revision} of “${v.title}” was broken by ${v.state(v.details.state)}, which ${v.details.decision === 'amend' ? 'proposed an amendment' : v.details.decision === 'object' ? 'objected' : 'requested changes'}. The text is not adopted.`,
        ...reasonLine(v),
        ...amendmentLine(v),
        v.details.decision === 'object'
          ? 'The Secretariat will return the draft to drafting or withdraw the initiative.'
          : 'The lead state prepares a new revision. Its submission opens a new silence period, unless the Chair puts it to each state’s explicit decision.',
      ],
    }),
    ru: (v) => ({
      subject: `Процедура умолчания прервана, текст не принят: ${v.title} (редакция ${v.n.revision})`,
      paragraphs: [
        `Процедуру умолчания по редакции ${v.n.revision} проекта «${v.title}» прервало государство ${v.state(v.details.state)}: ${v.details.decision === 'amend' ? 'предложена поправка' : v.details.decision === 'object' ? 'возражение' : 'запрошены изменения'}. Текст не принят.`,
        ...reasonLine(v),
        ...amendmentLine(v),
        v.details.decision === 'object'
          ? 'Секретариат вернёт проект на доработку или отзовёт инициативу.'
          : 'Ведущее государство готовит новую редакцию. С её представлением открывается новый срок умолчания, если Председатель не вынесет её на явное решение каждого государства.',
      ],
    }),
  },
  editorial_revision: {
    en: (v, url) => {
      const carried = String(v.details.carried ?? '');
      return {
        subject: `Editorial correction: ${v.title} — revision ${v.n.revision} replaces revision ${v.details.from}`,
        paragraphs: [
          `The Chair marked revision ${v.n.revision} of “${v.title}” an editorial correction of revision ${v.details.from}.`,
          ...reasonLine(v),
          carried
            ? `Approvals already given are carried over to it: ${v.states(carried.split(', '))}.`
            : 'No state had decided yet.',
          ...pendingLine(v),
          ...textLine(v),
          `The decision is due ${v.due}.`,
        ],
        redlines: redlines(v),
        action: decideAction(v, url),
      };
    },
    ru: (v, url) => {
      const carried = String(v.details.carried ?? '');
      return {
        subject: `Редакционная правка: ${v.title} — редакция ${v.n.revision} вместо редакции ${v.details.from}`,
        paragraphs: [
          `Председатель признал редакцию ${v.n.revision} проекта «${v.title}» редакционной правкой редакции ${v.details.from}.`,
          ...reasonLine(v),
          carried ? `Уже данные одобрения сохраняются: ${v.states(carried.split(', '))}.` : 'Решений ещё не было.',
          ...pendingLine(v),
          ...textLine(v),
          `Срок принятия решения: ${v.due}.`,
        ],
        redlines: redlines(v),
        action: decideAction(v, url),
      };
    },
  },
  started: {
    en: (v) => ({
      subject: `New initiative: ${v.title}`,
      paragraphs: [
        `The Secretariat has opened follow-up of “${v.title}”, put forward by ${v.state(v.i.proposingState)} at ${v.i.summit}.`,
        ...(v.i.source ? [`What was said: “${v.i.source.quote}”`] : []),
        'The Secretariat will now name the lead state and the responsible official.',
      ],
    }),
    ru: (v) => ({
      subject: `Новая инициатива: ${v.title}`,
      paragraphs: [
        `Секретариат взял на контроль инициативу «${v.title}». Выдвинута: ${v.state(v.i.proposingState)}; встреча: ${v.i.summit}.`,
        ...(v.i.source ? [`Что было сказано: «${v.i.source.quote}»`] : []),
        'Далее Секретариат назначит ведущее государство и ответственное должностное лицо.',
      ],
    }),
  },
  assigned: {
    en: (v) => ({
      subject: `Lead assigned: ${v.title} — draft due ${v.dueShort}`,
      paragraphs: [
        `${v.state(v.i.lead?.state)} leads the drafting of “${v.title}”. Responsible official: ${v.i.lead?.officialName ?? ''}.`,
        `The draft is due ${v.due}.`,
        ...draftDayOffLine(v),
        'The deadline is attached as a calendar event.',
      ],
    }),
    ru: (v) => ({
      subject: `Назначено ведущее государство: ${v.title} — проект до ${v.dueShort}`,
      paragraphs: [
        `Ведущее государство по инициативе «${v.title}»: ${v.state(v.i.lead?.state)}. Ответственное должностное лицо: ${v.i.lead?.officialName ?? ''}.`,
        `Срок представления проекта: ${v.due}.`,
        ...draftDayOffLine(v),
        'Срок приложен как событие календаря.',
      ],
    }),
  },
  draft_submitted: {
    en: (v) => ({
      subject: `Draft revision ${v.n.revision} submitted: ${v.title}`,
      paragraphs: [
        `Revision ${v.n.revision} of the draft of “${v.title}” has been submitted, and national sign-off is open${v.i.round ? ` until ${v.date(v.i.round.dueAt)}` : ''}.`,
        ...daysOffLine(v),
        ...draftLine(v),
      ],
    }),
    ru: (v) => ({
      subject: `Представлена редакция ${v.n.revision} проекта: ${v.title}`,
      paragraphs: [
        `Представлена редакция ${v.n.revision} проекта по инициативе «${v.title}». Национальное согласование открыто${v.i.round ? ` до ${v.date(v.i.round.dueAt)}` : ''}.`,
        ...daysOffLine(v),
        ...draftLine(v),
      ],
    }),
  },
  signoff_requested: {
    en: (v, url) => ({
      subject: `Decision requested: ${v.title} (revision ${v.n.revision}) — due ${v.dueShort}`,
      paragraphs: [
        `Please decide for ${v.myState} on revision ${v.n.revision} of “${v.title}”: approve, request changes (with a reason) or object.`,
        ...draftLine(v),
        ...textLine(v),
        `The decision is due ${v.due}.`,
        ...daysOffLine(v, v.n.to && 'state' in v.n.to ? v.n.to.state : undefined),
      ],
      redlines: redlines(v),
      action: decideAction(v, url),
    }),
    ru: (v, url) => ({
      subject: `Требуется решение: ${v.title} (редакция ${v.n.revision}) — до ${v.dueShort}`,
      paragraphs: [
        `Просим принять решение за государство (${v.myState}) по редакции ${v.n.revision} проекта «${v.title}»: одобрить, запросить изменения (с указанием причины) или возразить.`,
        ...draftLine(v),
        ...textLine(v),
        `Срок принятия решения: ${v.due}.`,
        ...daysOffLine(v, v.n.to && 'state' in v.n.to ? v.n.to.state : undefined),
      ],
      redlines: redlines(v),
      action: decideAction(v, url),
    }),
  },
  decision_recorded: {
    en: (v) => ({
      subject: `${v.state(v.details.state)}: ${decisionWord('en', v.details.decision)} — ${v.title}`,
      paragraphs: [
        `${v.state(v.details.state)} recorded its ${decisionWord('en', v.details.decision)} of revision ${v.n.revision} of “${v.title}”.`,
        ...(v.details.by ? [`${v.details.by} recorded it on your behalf, as your deputy.`] : []),
        ...reasonLine(v),
        ...(v.details.statement ? [`Statement for the record: ${v.details.statement}`] : []),
        ...amendmentLine(v),
        ...pendingLine(v),
      ],
    }),
    ru: (v) => ({
      subject: `${v.state(v.details.state)}: ${decisionWord('ru', v.details.decision)} — ${v.title}`,
      paragraphs: [
        `Решение государства (${v.state(v.details.state)}) по редакции ${v.n.revision} проекта «${v.title}»: ${decisionWord('ru', v.details.decision)}.`,
        ...(v.details.by ? [`Решение записал(а) от вашего имени ваш заместитель: ${v.details.by}.`] : []),
        ...reasonLine(v),
        ...(v.details.statement ? [`Заявление для протокола: ${v.details.statement}`] : []),
        ...amendmentLine(v),
        ...pendingLine(v),
      ],
    }),
  },
  changes_requested: {
    en: (v) => ({
      subject: `Changes requested: ${v.title} — revision ${v.n.revision} due ${v.dueShort}`,
      paragraphs: [
        v.details.state
          ? `${v.state(v.details.state)} requested changes to the draft of “${v.title}”.`
          : `The Secretariat returned the draft of “${v.title}” to drafting.`,
        ...reasonLine(v),
        ...amendmentLine(v),
        `Revision ${v.n.revision} is due ${v.due}. Approvals of the previous revision have lapsed.`,
      ],
    }),
    ru: (v) => ({
      subject: `Запрошены изменения: ${v.title} — редакция ${v.n.revision} до ${v.dueShort}`,
      paragraphs: [
        v.details.state
          ? `Изменения в проект «${v.title}» запросило государство: ${v.state(v.details.state)}.`
          : `Секретариат вернул проект «${v.title}» на доработку.`,
        ...reasonLine(v),
        ...amendmentLine(v),
        `Срок представления редакции ${v.n.revision}: ${v.due}. Одобрения предыдущей редакции утратили силу.`,
      ],
    }),
  },
  objected: {
    en: (v) => ({
      subject: `Objection from ${v.state(v.details.state)}: ${v.title}`,
      paragraphs: [
        `${v.state(v.details.state)} objected to revision ${v.n.revision} of “${v.title}”.`,
        ...reasonLine(v),
        'Sign-off is blocked until the Secretariat returns the draft to drafting or withdraws the initiative.',
        ...noChairLine(v),
      ],
    }),
    ru: (v) => ({
      subject: `Возражение (${v.state(v.details.state)}): ${v.title}`,
      paragraphs: [
        `Государство ${v.state(v.details.state)} возразило против редакции ${v.n.revision} проекта «${v.title}».`,
        ...reasonLine(v),
        'Согласование приостановлено, пока Секретариат не вернёт проект на доработку или не отзовёт инициативу.',
        ...noChairLine(v),
      ],
    }),
  },
  adopted: {
    en: (v) => ({
      subject: `Adopted: ${v.title}`,
      paragraphs: [
        v.details.bySilence
          ? `Revision ${v.n.revision} of “${v.title}” is adopted under the silence procedure: it expired on ${v.date(v.i.round?.dueAt)} and no member state objected or proposed an amendment.`
          : `Revision ${v.n.revision} of “${v.title}” is adopted by all member states required.`,
        ...statementsLine(v),
        'Implementation milestones follow.',
      ],
    }),
    ru: (v) => ({
      subject: `Инициатива принята: ${v.title}`,
      paragraphs: [
        v.details.bySilence
          ? `Редакция ${v.n.revision} инициативы «${v.title}» принята по процедуре умолчания: срок истёк ${v.date(v.i.round?.dueAt)}, ни одно государство-член не возразило и не предложило поправку.`
          : `Редакция ${v.n.revision} инициативы «${v.title}» принята государствами-членами.`,
        ...statementsLine(v),
        'Далее — этапы реализации.',
      ],
    }),
  },
  withdrawn: {
    en: (v) => ({
      subject: `Withdrawn: ${v.title}`,
      paragraphs: [`The Secretariat withdrew “${v.title}”.`, ...reasonLine(v)],
    }),
    ru: (v) => ({
      subject: `Инициатива отозвана: ${v.title}`,
      paragraphs: [`Секретариат отозвал инициативу «${v.title}».`, ...reasonLine(v)],
    }),
  },
  completed: {
    en: (v) => ({
      subject: `Completed: ${v.title}`,
      paragraphs: [`“${v.title}” is completed: every milestone is done. Thank you to everyone involved.`],
    }),
    ru: (v) => ({
      subject: `Инициатива выполнена: ${v.title}`,
      paragraphs: [`Работа по инициативе «${v.title}» завершена: все этапы выполнены. Благодарим всех участников.`],
    }),
  },
  deadline_extended: {
    en: (v, url) => ({
      subject: `New deadline for ${v.step}: ${v.title} — due ${v.dueShort}`,
      paragraphs: [
        `The deadline for ${v.step} of “${v.title}” is now ${v.due}${v.details.from ? ` (it was ${v.date(v.details.from)})` : ''}.`,
        ...(v.details.workingDays
          ? [
              `That gives every member state ${v.details.workingDays} working days from the day it was set, each counted on its own calendar (weekends and public holidays); the deadline is the end of the last state's last working day.`,
            ]
          : []),
        ...draftDayOffLine(v),
        ...reasonLine(v),
        'The calendar event attached replaces the earlier one.',
      ],
      action: decideAction(v, url),
    }),
    ru: (v, url) => ({
      subject: `Новый срок (${v.step}): ${v.title} — до ${v.dueShort}`,
      paragraphs: [
        `Новый срок этапа «${v.step}» по инициативе «${v.title}»: ${v.due}${v.details.from ? ` (прежний срок: ${v.date(v.details.from)})` : ''}.`,
        ...(v.details.workingDays
          ? [
              `Каждое государство-член получает ${v.details.workingDays} рабочих дн. со дня установления срока, по своему календарю (выходные и государственные праздники); срок — конец последнего рабочего дня того государства, у которого он наступает позже всех.`,
            ]
          : []),
        ...draftDayOffLine(v),
        ...reasonLine(v),
        'Приложенное событие календаря заменяет прежнее.',
      ],
      action: decideAction(v, url),
    }),
  },
  milestone_added: {
    en: (v) => ({
      subject: `Milestone for you: ${v.details.title ?? v.step} — ${v.title}`,
      paragraphs: [`You own the milestone “${v.details.title ?? ''}” of “${v.title}”.`, `It is due ${v.due}.`],
    }),
    ru: (v) => ({
      subject: `Вам поручен этап: ${v.details.title ?? v.step} — ${v.title}`,
      paragraphs: [`Вы отвечаете за этап «${v.details.title ?? ''}» инициативы «${v.title}».`, `Срок: ${v.due}.`],
    }),
  },
  reminder: {
    en: (v, url) => ({
      subject: `Reminder: ${v.step} due ${v.when === 'today' ? 'today' : v.dueShort} — ${v.title}`,
      paragraphs: [
        `A reminder: ${v.step} of “${v.title}” is due ${v.when}, ${v.due}.`,
        ...(v.n.step === 'signoff' && url ? [`${v.myState} has not decided yet.`] : []),
      ],
      action: decideAction(v, url),
    }),
    ru: (v, url) => ({
      subject: `Напоминание: ${v.step} — срок ${v.when === 'сегодня' ? 'сегодня' : v.dueShort} — ${v.title}`,
      paragraphs: [
        `Напоминаем: срок этапа «${v.step}» по инициативе «${v.title}» — ${v.when}, ${v.due}.`,
        ...(v.n.step === 'signoff' && url ? [`Решение государства (${v.myState}) ещё не получено.`] : []),
      ],
      action: decideAction(v, url),
    }),
  },
  escalation: {
    en: (v) => ({
      subject: `Overdue: ${v.step} — ${v.title}`,
      paragraphs: [
        `${capitalize(v.step)} of “${v.title}” was due ${v.due}${lateBy(v) ? ` and is ${lateBy(v)} late` : ' and is now overdue'}${(v.n.sequence ?? 1) > 1 ? ` (escalation ${v.n.sequence})` : ''}.`,
        ...(v.n.step === 'signoff' ? pendingLine(v) : waitingLine(v)),
        v.myState
          ? `As the Chair (${v.myState}), you may raise it with them; the Secretariat can extend the deadline.`
          : 'You can remind them, extend the deadline on the initiative’s page, or withdraw the initiative.',
        ...noChairLine(v),
      ],
    }),
    ru: (v) => ({
      subject: `Просрочено: ${v.step} — ${v.title}`,
      paragraphs: [
        `Срок этапа «${v.step}» по инициативе «${v.title}» истёк ${v.due}${lateBy(v) ? `; просрочка — ${lateBy(v)}` : ''}${(v.n.sequence ?? 1) > 1 ? ` (эскалация ${v.n.sequence})` : ''}.`,
        ...(v.n.step === 'signoff' ? pendingLine(v) : waitingLine(v)),
        v.myState
          ? `Как Председатель (${v.myState}) вы можете обратиться к ним; продлить срок может Секретариат.`
          : 'Вы можете напомнить им, продлить срок на странице инициативы или отозвать инициативу.',
        ...noChairLine(v),
      ],
    }),
  },
  calendar_cancelled: {
    en: (v) => ({
      subject: `Removed from your calendar: ${v.step} — ${v.title}`,
      paragraphs: [
        `The deadline for ${v.step} of “${v.title}”, ${v.due}, ${CANCEL_CAUSE.en[cancelCause(v)]}.`,
        'The calendar update attached removes the event from your calendar.',
      ],
    }),
    ru: (v) => ({
      subject: `Удалено из календаря: ${v.step} — ${v.title}`,
      paragraphs: [
        `Срок этапа «${v.step}» по инициативе «${v.title}» (${v.due}) ${CANCEL_CAUSE.ru[cancelCause(v)]}.`,
        'Приложенное обновление календаря удаляет это событие из вашего календаря.',
      ],
    }),
  },
};

/**
 * Why a calendar event was withdrawn, as the email activity found it (src/email/calendar.ts): the initiative
 * withdrawn or completed, the step over, or the step still open but no longer waiting on the reader.
 */
const CANCEL_CAUSE: Record<Lang, Record<'withdrawn' | 'completed' | 'closed' | 'released', string>> = {
  en: {
    withdrawn: 'no longer applies: the initiative was withdrawn',
    completed: 'no longer applies: the initiative is completed',
    closed: 'no longer applies: this step is over',
    released: 'no longer needs anything from you',
  },
  ru: {
    withdrawn: 'больше не действует: инициатива отозвана',
    completed: 'больше не действует: работа по инициативе завершена',
    closed: 'больше не действует: этот этап завершён',
    released: 'больше не требует от вас действий',
  },
};

function cancelCause(v: Vars): keyof (typeof CANCEL_CAUSE)['en'] {
  if (v.details.cause === 'released') return 'released';
  if (v.i.stage === 'withdrawn' || v.i.stage === 'completed') return v.i.stage;
  return 'closed';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
