/**
 * An evidence pack (src/evidence/pack.ts) for people: the same facts as its JSON, laid out as a document in
 * English or Russian (rendered by src/report/pdf.ts, which attaches the sealed JSON to the PDF). The PDF is a
 * reading of the pack, not the pack: what verifies is the attached JSON, against the deployment's public key.
 */
import type { Lang } from '../email/templates';
import { word } from '../i18n/lifecycle-words';
import type { Block, ReportDocument, StateNames } from '../report/document';
import type { EvidencePack } from './pack';
import { fill } from '../i18n/fill';
import { titleIn } from '../i18n/titles';

const WORDS = {
  en: {
    title: 'Evidence pack: {title}',
    issued: 'Issued on {date} by {url}. Sealed with the Ed25519 key {keyId}.',
    initiative: 'The initiative',
    facts: 'Summit {summit}; proposed by {state}; stage: {stage}, revision {revision}.',
    text: 'The text on record',
    textLine: 'Revision {revision}: “{title}”.',
    textLink: 'Link: {link}',
    textHash: 'SHA-256 of its text (UTF-8): {hash}',
    textBound: 'Hash of the text approved (title, link and both language versions): {hash}',
    textLanguage: '{lang} text ({status}), SHA-256: {hash}',
    authentic: 'authentic',
    working: 'working translation',
    noText: 'No text is on record yet.',
    decisions: 'Decisions of the member states',
    noDecisions: 'No decision is recorded.',
    colState: 'State',
    colDecision: 'Decision',
    colRevision: 'Rev.',
    colBy: 'By',
    colAt: 'When',
    colReason: 'Reason',
    onBehalfOf: 'for {who}',
    notifications: 'Who was told',
    colTo: 'To',
    colKind: 'Email',
    colQueued: 'Queued',
    colAccepted: 'Accepted by the mail server',
    notAccepted: 'not accepted ({status})',
    reach: 'Each state, each revision put to it: delivered, opened, acknowledged',
    colDelivered: 'Delivered',
    colOpened: 'First opened',
    colAcknowledged: 'Acknowledged',
    viaLink: 'by the email’s link',
    viaPage: 'on the initiative’s page',
    notYet: '—',
    trail: 'The audit trail',
    colSeq: 'No.',
    colEvent: 'Event',
    checkpoint: 'Checkpoint: signed on {date}, it vouches for the trail up to record {seq}.',
    noCheckpoint: 'The trail was recorded before checkpoints existed: this pack cannot be verified.',
    verify: 'How to verify',
    verifyText:
      'This PDF carries the sealed pack as an attached file, {file}. Save it and check it offline, with the deployment’s public key {key}: npm run verify-evidence -- {file} --key {key}. Any changed, removed or reordered record of the trail, or any change to the pack, fails the check.',
  },
  ru: {
    title: 'Пакет доказательств: {title}',
    issued: 'Выдан {date}, {url}. Запечатан ключом Ed25519 {keyId}.',
    initiative: 'Инициатива',
    facts: 'Саммит {summit}; предложена: {state}; этап: {stage}, редакция {revision}.',
    text: 'Текст в деле',
    textLine: 'Редакция {revision}: «{title}».',
    textLink: 'Ссылка: {link}',
    textHash: 'SHA-256 текста (UTF-8): {hash}',
    textBound: 'Хеш одобряемого текста (название, ссылка и обе языковые версии): {hash}',
    textLanguage: 'Текст на языке «{lang}» ({status}), SHA-256: {hash}',
    authentic: 'аутентичный',
    working: 'рабочий перевод',
    noText: 'Текста в деле пока нет.',
    decisions: 'Решения государств-членов',
    noDecisions: 'Решений не записано.',
    colState: 'Государство',
    colDecision: 'Решение',
    colRevision: 'Ред.',
    colBy: 'Кто',
    colAt: 'Когда',
    colReason: 'Причина',
    onBehalfOf: 'за {who}',
    notifications: 'Кому сообщено',
    colTo: 'Кому',
    colKind: 'Письмо',
    colQueued: 'Поставлено в очередь',
    colAccepted: 'Принято почтовым сервером',
    notAccepted: 'не принято ({status})',
    reach: 'Каждое государство и каждая представленная ему редакция: доставлено, открыто, получение подтверждено',
    colDelivered: 'Доставлено',
    colOpened: 'Впервые открыто',
    colAcknowledged: 'Получение подтверждено',
    viaLink: 'по ссылке из письма',
    viaPage: 'на странице инициативы',
    notYet: '—',
    trail: 'Журнал аудита',
    colSeq: '№',
    colEvent: 'Событие',
    checkpoint: 'Контрольная точка: подписана {date}, удостоверяет журнал до записи {seq}.',
    noCheckpoint: 'Журнал записан до появления контрольных точек: этот пакет проверить нельзя.',
    verify: 'Как проверить',
    verifyText:
      'К этому PDF приложен запечатанный пакет, файл {file}. Сохраните его и проверьте без подключения к системе открытым ключом развёртывания {key}: npm run verify-evidence -- {file} --key {key}. Любая изменённая, удалённая или переставленная запись журнала, как и любое изменение пакета, не пройдёт проверку.',
  },
} as const;

/** How the person proved who they were, as the decisions table says it. */
const VIA: Record<Lang, Record<string, string>> = {
  en: { 'api-token': 'API token', 'web-session': 'signed in by email link', 'email-link': 'decision link in an email' },
  ru: { 'api-token': 'API-токен', 'web-session': 'вход по ссылке из письма', 'email-link': 'ссылка решения из письма' },
};

/** The name of the JSON file a PDF pack carries. */
export const packFileName = (pack: Pick<EvidencePack, 'initiative'>) => `${pack.initiative.id}-evidence.json`;

export function evidenceDocument(pack: EvidencePack, lang: Lang, names: StateNames, timeZone: string): ReportDocument {
  const w = WORDS[lang];
  const t = (k: keyof typeof w, vars: Record<string, string | number> = {}) => fill(w[k], vars);
  const fmt = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  const when = (iso: string) => `${fmt.format(new Date(iso))}`;
  const state = (code: string | undefined) => (code ? (names[code]?.[lang] ?? code) : '—');
  const i = pack.initiative;
  const blocks: Block[] = [
    { kind: 'title', text: t('title', { title: titleIn(i, lang) }) },
    {
      kind: 'subtitle',
      text: t('issued', {
        date: `${when(pack.generatedAt)} (${timeZone})`,
        url: pack.issuer.url,
        keyId: pack.seal.keyId,
      }),
    },
    { kind: 'heading', text: w.initiative },
    {
      kind: 'para',
      text: t('facts', {
        summit: i.summit,
        state: state(i.proposingState),
        stage: word(lang, 'stage', i.stage),
        revision: i.revision,
      }),
    },
    ...(i.source ? [{ kind: 'quote' as const, text: i.source.quote, cite: i.source.document }] : []),
    { kind: 'heading', text: w.text },
    ...(i.text
      ? [
          { kind: 'para' as const, text: t('textLine', { revision: i.text.revision, title: i.text.title }) },
          ...(i.text.link ? [{ kind: 'para' as const, text: t('textLink', { link: i.text.link }) }] : []),
          ...(i.text.sha256 ? [{ kind: 'para' as const, text: t('textHash', { hash: i.text.sha256 }) }] : []),
          ...(i.text.textHash ? [{ kind: 'para' as const, text: t('textBound', { hash: i.text.textHash }) }] : []),
          ...(i.text.languages ?? []).map((l) => ({
            kind: 'para' as const,
            text: t('textLanguage', {
              lang: word(lang, 'language', l.lang),
              status: l.authentic ? w.authentic : w.working,
              hash: l.sha256,
            }),
          })),
        ]
      : [{ kind: 'para' as const, text: w.noText }]),
    { kind: 'heading', text: w.decisions },
    pack.decisions.length
      ? {
          kind: 'table',
          head: [w.colState, w.colDecision, w.colRevision, w.colBy, w.colAt, w.colReason],
          rows: pack.decisions.map((d) => [
            state(d.state),
            word(lang, 'decision', d.decision),
            String(d.revision),
            `${d.byName ?? d.by ?? '—'}${d.onBehalfOf ? ` (${t('onBehalfOf', { who: d.onBehalfOf })})` : ''}${
              d.via ? `; ${VIA[lang][d.via] ?? d.via}` : ''
            }`,
            when(d.at),
            d.reason ?? '—',
          ]),
          widths: [0.16, 0.14, 0.07, 0.24, 0.19, 0.2],
        }
      : { kind: 'para', text: w.noDecisions },
    { kind: 'heading', text: w.notifications },
    {
      kind: 'table',
      head: [w.colTo, w.colState, w.colKind, w.colQueued, w.colAccepted],
      rows: pack.notifications.map((n) => [
        n.to,
        state(n.state),
        word(lang, 'email', n.kind),
        when(n.queuedAt),
        n.sentAt ? when(n.sentAt) : t('notAccepted', { status: word(lang, 'outbox', n.status) }),
      ]),
      widths: [0.27, 0.17, 0.2, 0.18, 0.18],
    },
    ...(pack.reach.length
      ? [
          { kind: 'para' as const, text: w.reach },
          {
            kind: 'table' as const,
            head: [w.colState, w.colRevision, w.colDelivered, w.colOpened, w.colAcknowledged],
            rows: pack.reach.map((x) => [
              state(x.state),
              String(x.revision),
              x.deliveredAt ? when(x.deliveredAt) : w.notYet,
              x.openedAt ? `${when(x.openedAt)} (${x.openedVia === 'link' ? w.viaLink : w.viaPage})` : w.notYet,
              x.acknowledgedAt
                ? `${when(x.acknowledgedAt)}${x.acknowledgedBy ? ` (${x.acknowledgedBy})` : ''}`
                : w.notYet,
            ]),
            widths: [0.16, 0.07, 0.22, 0.3, 0.25],
          },
        ]
      : []),
    { kind: 'heading', text: w.trail },
    {
      kind: 'para',
      text: pack.checkpoint
        ? t('checkpoint', { date: when(pack.checkpoint.signedAt), seq: pack.checkpoint.seq })
        : w.noCheckpoint,
    },
    {
      kind: 'table',
      head: [w.colSeq, w.colEvent, w.colBy, w.colAt],
      rows: pack.trail.map((e) => [
        String(e.seq),
        word(lang, 'event', e.type),
        e.actor
          ? `${e.actor.name}${e.actor.onBehalfOf ? ` (${t('onBehalfOf', { who: e.actor.onBehalfOf })})` : ''}`
          : '—',
        when(e.at),
      ]),
      widths: [0.08, 0.3, 0.37, 0.25],
    },
    { kind: 'heading', text: w.verify },
    { kind: 'para', text: t('verifyText', { file: packFileName(pack), key: pack.issuer.publicKey }) },
  ];
  return { lang, title: t('title', { title: titleIn(i, lang) }), blocks };
}
