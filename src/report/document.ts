/**
 * The progress report and the handover pack as a document: headings, paragraphs, quotes and tables in the
 * reader's language, with every time in the Secretariat's zone. One layout, two renderers (src/report/pdf.ts and
 * src/report/docx.ts), so the PDF people read and the DOCX they edit say the same.
 */
import type { Lang } from '../email/templates';
import { word } from '../i18n/lifecycle-words';
import type { ReportChange } from './compare';
import type { HandoverPack, LateItem, ProgressReport, ReportedInitiative, StatePosition } from './progress';
import { fill } from '../i18n/fill';
import { summitIn, titleIn } from '../i18n/titles';

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'subtitle'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'quote'; text: string; cite: string }
  | { kind: 'table'; head: string[]; rows: string[][]; widths: number[] };

export interface ReportDocument {
  lang: Lang;
  /** The document's title, also its file's metadata. */
  title: string;
  blocks: Block[];
}

/** State names by code, in both languages (the directory's). */
export type StateNames = Record<string, { en: string; ru: string }>;

const en = {
  reportTitle: 'Progress report on the decisions of the {summit}',
  reportFor: 'For the next Consultative Meeting of the Heads of State. Situation on {date}.',
  handoverTitle: 'Handover to the {year} Chair: {chair}',
  handoverNoChair: 'Handover for the {year} chairmanship: no Chair is entered for {year}',
  handoverFor: 'Open items on the rotation date, {from}, as they stood on {date}. Outgoing Chair: {outgoing}.',
  handoverNoChairLine:
    'The rotation calendar names no chairing state for {year}: the Secretariat enters it (Directory, Rotation year) before {from}, or reminders meant for the Chair reach the Secretariat only.',
  summary: 'Summary',
  totalInitiatives: 'Initiatives',
  totalAdopted: 'Adopted by the member states',
  totalSignoff: 'In national sign-off',
  totalPreparing: 'Being prepared (assignment or draft)',
  totalCompleted: 'Completed',
  totalWithdrawn: 'Withdrawn',
  totalLate: 'With a step past its deadline',
  byState: 'By member state',
  colState: 'State',
  colApproved: 'Approved',
  colPending: 'To decide',
  colObjected: 'Objections',
  colChanges: 'Changes asked',
  colLate: 'Late steps',
  initiatives: 'Initiatives, one by one',
  proposedBy: 'Proposed by {state}; {category}. Started {started}.',
  leadBy: 'Lead state: {state}.',
  stageLine: 'Stage: {stage} (revision {revision}).',
  adoptedOn: 'Adopted on {date}.',
  closedOn: 'Closed on {date}: {reason}.',
  lateLine: '{step}: due {due}, {days} late, waiting on {who}.',
  lateWhy: 'Reason recorded: {why}',
  objectionLine: 'Objection by {state} on {date}: {reason}',
  noReason: 'no reason given',
  colCommitment: 'Commitment',
  colDelivered: 'Delivered',
  colLateParties: 'Late',
  commitmentAll: 'every member state',
  commitmentSecretariat: 'the Secretariat',
  colMilestone: 'Milestone',
  colOwner: 'State',
  colDue: 'Due',
  colDone: 'Done',
  openItems: 'Open initiatives',
  firstDeadlines: 'Deadlines until {until} (the first 90 days), the late ones first',
  colInitiative: 'Initiative',
  colStep: 'Step',
  colWaiting: 'Waiting on',
  colStage: 'Stage',
  colNext: 'Next deadline',
  objections: 'Pending objections',
  noObjections: 'No objection blocks a round.',
  noDeadlines: 'No deadline falls before then.',
  noOpen: 'Nothing is open.',
  chairNone: 'none entered',
  secretariat: 'the Secretariat',
  stepObjection: "The Secretariat's answer to the objection",
  changesSince: 'What changed since the report kept on {date}',
  noChanges: 'Nothing changed since then.',
  colChange: 'What changed',
  changeNew: 'new in the report',
  changeStage: '{from} → {to}',
  changePosition: '{state}: {from} → {to}',
  changeLate: '{step}: due {due}, now late',
  changeCaughtUp: '{step}: no longer late',
};
type Words = typeof en;
const ru: Words = {
  reportTitle: 'Доклад о ходе выполнения решений: {summit}',
  reportFor: 'К следующему Консультативному совещанию глав государств. Положение на {date}.',
  handoverTitle: 'Передача дел Председателю {year} года: {chair}',
  handoverNoChair: 'Передача дел на {year} год: Председатель на {year} год не указан',
  handoverFor: 'Открытые вопросы на дату ротации, {from}, по состоянию на {date}. Уходящий Председатель: {outgoing}.',
  handoverNoChairLine:
    'В календаре ротации нет председательствующего государства на {year} год: Секретариат вносит его (Справочник, Год ротации) до {from}, иначе напоминания для Председателя получает только Секретариат.',
  summary: 'Итоги',
  totalInitiatives: 'Инициативы',
  totalAdopted: 'Приняты государствами-участниками',
  totalSignoff: 'На национальном согласовании',
  totalPreparing: 'В подготовке (назначение или проект)',
  totalCompleted: 'Завершены',
  totalWithdrawn: 'Отозваны',
  totalLate: 'С просроченным шагом',
  byState: 'По государствам-участникам',
  colState: 'Государство',
  colApproved: 'Одобрено',
  colPending: 'Ожидает решения',
  colObjected: 'Возражения',
  colChanges: 'Запрошены изменения',
  colLate: 'Просрочено',
  initiatives: 'Инициативы по отдельности',
  proposedBy: 'Предложена: {state}; {category}. Начата {started}.',
  leadBy: 'Ведущее государство: {state}.',
  stageLine: 'Этап: {stage} (редакция {revision}).',
  adoptedOn: 'Принята {date}.',
  closedOn: 'Закрыта {date}: {reason}.',
  lateLine: '{step}: срок {due}, просрочено на {days}, ожидается: {who}.',
  lateWhy: 'Указанная причина: {why}',
  objectionLine: 'Возражение: {state}, {date}: {reason}',
  noReason: 'причина не указана',
  colCommitment: 'Обязательство',
  colDelivered: 'Выполнено',
  colLateParties: 'Просрочено',
  commitmentAll: 'все государства-члены',
  commitmentSecretariat: 'Секретариат',
  colMilestone: 'Этап',
  colOwner: 'Государство',
  colDue: 'Срок',
  colDone: 'Выполнен',
  openItems: 'Открытые инициативы',
  firstDeadlines: 'Сроки до {until} (первые 90 дней), начиная с просроченных',
  colInitiative: 'Инициатива',
  colStep: 'Шаг',
  colWaiting: 'Ожидается',
  colStage: 'Этап',
  colNext: 'Ближайший срок',
  objections: 'Неснятые возражения',
  noObjections: 'Ни один раунд не заблокирован возражением.',
  noDeadlines: 'До этой даты сроков нет.',
  noOpen: 'Открытых инициатив нет.',
  chairNone: 'не указан',
  secretariat: 'Секретариат',
  stepObjection: 'Ответ Секретариата на возражение',
  changesSince: 'Что изменилось после доклада, сохранённого {date}',
  noChanges: 'С тех пор ничего не изменилось.',
  colChange: 'Что изменилось',
  changeNew: 'новая в докладе',
  changeStage: '{from} → {to}',
  changePosition: '{state}: {from} → {to}',
  changeLate: '{step}: срок {due}, теперь просрочено',
  changeCaughtUp: '{step}: просрочка устранена',
};
const WORDS: Record<Lang, Words> = { en, ru };

const POSITION: Record<Lang, Record<StatePosition, string>> = {
  en: {
    approved: 'approved',
    deemed: 'approved by silence',
    abstained: 'abstained',
    changes: 'asked for changes',
    objected: 'objected',
    pending: 'to decide',
    not_asked: 'not yet asked',
  },
  ru: {
    approved: 'одобрено',
    deemed: 'одобрено по умолчанию',
    abstained: 'воздержалось',
    changes: 'запрошены изменения',
    objected: 'возражение',
    pending: 'ожидает решения',
    not_asked: 'ещё не запрошено',
  },
};

function writer(lang: Lang, names: StateNames, timeZone: string) {
  const w = WORDS[lang];
  const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
  const day = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const when = new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const state = (code: string) => names[code]?.[lang] ?? code;
  const step = (s: string) =>
    s === 'signoff'
      ? word(lang, 'stage', 'signoff')
      : s === 'objection'
        ? w.stepObjection
        : s.startsWith('milestone:')
          ? word(lang, 'kind', 'milestone')
          : word(lang, 'kind', s);
  const who = (l: Pick<LateItem, 'states' | 'others'>) =>
    [...l.states.map(state), ...l.others.map((o) => (o === 'secretariat' ? w.secretariat : o))].join(', ');
  return {
    w,
    // A Russian date ends in "г.": a sentence closing after it keeps one full stop.
    t: (key: keyof Words, vars: Record<string, string | number> = {}) => fill(w[key], vars).replace(/\.\./g, '.'),
    day: (iso: string) => day.format(new Date(iso)),
    when: (iso: string) => `${when.format(new Date(iso))}`,
    state,
    step,
    who,
    stage: (s: string) => word(lang, 'stage', s),
    category: (c: string) => word(lang, 'category', c),
    /** "1 day", "3 days"; "1 дн." reads for every number in a table. */
    days: (n: number) => (lang === 'ru' ? `${n} дн.` : `${n} ${n === 1 ? 'day' : 'days'}`),
    position: (p: StatePosition) => POSITION[lang][p],
    /** An initiative's title in the report's language. */
    title: (i: { title: string; titleRu?: string }) => titleIn(i, lang),
  };
}

function initiativeBlocks(i: ReportedInitiative, states: readonly string[], x: ReturnType<typeof writer>): Block[] {
  const blocks: Block[] = [{ kind: 'subheading', text: x.title(i) }];
  if (i.source) blocks.push({ kind: 'quote', text: i.source.quote, cite: i.source.document });
  const facts = [
    x.t('proposedBy', {
      state: x.state(i.proposingState),
      category: x.category(i.category),
      started: x.day(i.startedAt),
    }),
    ...(i.leadState ? [x.t('leadBy', { state: x.state(i.leadState) })] : []),
    x.t('stageLine', { stage: x.stage(i.stage), revision: i.revision }),
    ...(i.adoptedAt ? [x.t('adoptedOn', { date: x.day(i.adoptedAt) })] : []),
    ...(i.closed ? [x.t('closedOn', { date: x.day(i.closed.at), reason: i.closed.reason })] : []),
  ];
  blocks.push({ kind: 'para', text: facts.join(' ') });
  // One row across the states: where each stands, read left to right (none before any state was a member).
  if (states.length > 0)
    blocks.push({
      kind: 'table',
      head: states.map(x.state),
      rows: [states.map((s) => x.position(i.positions[s]))],
      widths: states.map(() => 1 / states.length),
    });
  if (i.objection)
    blocks.push({
      kind: 'para',
      text: x.t('objectionLine', {
        state: x.state(i.objection.state),
        date: x.day(i.objection.at),
        reason: i.objection.reason ?? x.w.noReason,
      }),
    });
  for (const l of i.late) {
    blocks.push({
      kind: 'para',
      text: x.t('lateLine', { step: x.step(l.step), due: x.when(l.dueAt), days: x.days(l.daysLate), who: x.who(l) }),
    });
    // The objection's reason is on its own line above.
    if (l.why && l.why !== i.objection?.reason) blocks.push({ kind: 'para', text: x.t('lateWhy', { why: l.why }) });
  }
  if (i.milestones.length > 0)
    blocks.push({
      kind: 'table',
      head: [x.w.colMilestone, x.w.colOwner, x.w.colDue, x.w.colDone],
      rows: i.milestones.map((m) => [
        m.title,
        x.state(m.ownerState),
        x.day(m.dueAt),
        m.completedAt ? x.day(m.completedAt) : '—',
      ]),
      widths: [0.4, 0.2, 0.2, 0.2],
    });
  if (i.commitments?.length) {
    const party = (p: string) => (p === 'secretariat' ? x.w.commitmentSecretariat : x.state(p));
    blocks.push({
      kind: 'table',
      head: [x.w.colCommitment, x.w.colDue, x.w.colDelivered, x.w.colLateParties],
      rows: i.commitments.map((c) => {
        const parties = Object.entries(c.parties);
        const delivered = parties.filter(([, d]) => d.status === 'delivered').map(([p]) => p);
        return [
          `${c.title} (${c.to === 'all' ? x.w.commitmentAll : party(c.to)})`,
          c.dueAt ? x.day(c.dueAt) : '—',
          parties.length === 1
            ? delivered.length
              ? '✓'
              : `${parties[0][1].progress} %`
            : `${delivered.length} / ${parties.length}`,
          c.late.length ? c.late.map(party).join(', ') : '—',
        ];
      }),
      widths: [0.45, 0.15, 0.15, 0.25],
    });
  }
  return blocks;
}

function changeText(c: ReportChange, x: ReturnType<typeof writer>): string {
  switch (c.kind) {
    case 'new':
      return x.w.changeNew;
    case 'stage':
      return x.t('changeStage', { from: x.stage(c.from), to: x.stage(c.to) });
    case 'position':
      return x.t('changePosition', { state: x.state(c.state), from: x.position(c.from), to: x.position(c.to) });
    case 'late':
      return x.t('changeLate', { step: x.step(c.step), due: x.when(c.dueAt) });
    case 'caught_up':
      return x.t('changeCaughtUp', { step: x.step(c.step) });
  }
}

function changesBlocks(since: { at: string; changes: ReportChange[] }, x: ReturnType<typeof writer>): Block[] {
  return [
    { kind: 'heading', text: x.t('changesSince', { date: x.when(since.at) }) },
    since.changes.length === 0
      ? { kind: 'para', text: x.w.noChanges }
      : {
          kind: 'table',
          head: [x.w.colInitiative, x.w.colChange],
          rows: since.changes.map((c) => [c.title, changeText(c, x)]),
          widths: [0.45, 0.55],
        },
  ];
}

/** The progress report for the next summit, in `lang`; with `since`, first what changed after a kept report. */
export function progressDocument(
  r: ProgressReport,
  lang: Lang,
  names: StateNames,
  timeZone: string,
  since?: { at: string; changes: ReportChange[] },
): ReportDocument {
  const x = writer(lang, names, timeZone);
  const { title: summitTitle, city } = summitIn(
    { ...r.summit, title: r.summit.title ?? '', city: r.summit.city ?? '' },
    lang,
  );
  const summit = summitTitle
    ? `${summitTitle}${city && r.summit.date ? ` (${city}, ${x.day(`${r.summit.date}T12:00:00Z`)})` : ''}`
    : r.summit.id;
  const title = x.t('reportTitle', { summit });
  const blocks: Block[] = [
    { kind: 'title', text: title },
    { kind: 'subtitle', text: x.t('reportFor', { date: x.when(r.asOf) }) },
    { kind: 'heading', text: x.w.summary },
    {
      kind: 'table',
      head: ['', ''],
      rows: [
        [x.w.totalInitiatives, String(r.totals.initiatives)],
        [x.w.totalAdopted, String(r.totals.adopted)],
        [x.w.totalSignoff, String(r.totals.inSignoff)],
        [x.w.totalPreparing, String(r.totals.preparing)],
        [x.w.totalCompleted, String(r.totals.completed)],
        [x.w.totalWithdrawn, String(r.totals.withdrawn)],
        [x.w.totalLate, String(r.totals.late)],
      ],
      widths: [0.8, 0.2],
    },
    ...(since ? changesBlocks(since, x) : []),
    { kind: 'heading', text: x.w.byState },
    {
      kind: 'table',
      head: [x.w.colState, x.w.colApproved, x.w.colPending, x.w.colObjected, x.w.colChanges, x.w.colLate],
      rows: r.byState.map((s) => [
        x.state(s.code),
        String(s.approved),
        String(s.pending),
        String(s.objected),
        String(s.changes),
        String(s.late),
      ]),
      widths: [0.22, 0.156, 0.156, 0.156, 0.156, 0.156],
    },
    { kind: 'heading', text: x.w.initiatives },
    ...r.initiatives.flatMap((i) => initiativeBlocks(i, r.states, x)),
  ];
  return { lang, title, blocks };
}

/** The handover pack for the incoming Chair, in `lang`. */
export function handoverDocument(h: HandoverPack, lang: Lang, names: StateNames, timeZone: string): ReportDocument {
  const x = writer(lang, names, timeZone);
  const title = h.chairState
    ? x.t('handoverTitle', { year: h.year, chair: x.state(h.chairState) })
    : x.t('handoverNoChair', { year: h.year });
  const from = x.day(`${h.from}T12:00:00Z`);
  const blocks: Block[] = [
    { kind: 'title', text: title },
    {
      kind: 'subtitle',
      text: x.t('handoverFor', {
        from,
        date: x.when(h.asOf),
        outgoing: h.outgoingChair ? x.state(h.outgoingChair) : x.w.chairNone,
      }),
    },
    ...(h.chairState ? [] : [{ kind: 'para' as const, text: x.t('handoverNoChairLine', { year: h.year, from }) }]),
    { kind: 'heading', text: x.w.openItems },
    h.open.length === 0
      ? { kind: 'para', text: x.w.noOpen }
      : {
          kind: 'table',
          head: [x.w.colInitiative, x.w.colStage, x.w.colNext, x.w.colWaiting],
          rows: h.open.map((i) => [
            x.title(i),
            x.stage(i.stage),
            i.next ? x.when(i.next.dueAt) : '—',
            i.next ? x.who(i.next) : '—',
          ]),
          widths: [0.4, 0.2, 0.2, 0.2],
        },
    { kind: 'heading', text: x.t('firstDeadlines', { until: x.day(`${h.until}T12:00:00Z`) }) },
    h.deadlines.length === 0
      ? { kind: 'para', text: x.w.noDeadlines }
      : {
          kind: 'table',
          head: [x.w.colInitiative, x.w.colStep, x.w.colDue, x.w.colWaiting],
          rows: h.deadlines.map((d) => [x.title(d), x.step(d.step), x.when(d.dueAt), x.who(d)]),
          widths: [0.4, 0.2, 0.2, 0.2],
        },
    { kind: 'heading', text: x.w.objections },
    ...(h.objections.length === 0
      ? [{ kind: 'para' as const, text: x.w.noObjections }]
      : h.objections.map((o) => ({
          kind: 'para' as const,
          text: `${x.title(o)}. ${x.t('objectionLine', { state: x.state(o.state), date: x.day(o.at), reason: o.reason ?? x.w.noReason })}`,
        }))),
    { kind: 'heading', text: x.w.initiatives },
    ...h.open.flatMap((i) => initiativeBlocks(i, Object.keys(i.positions), x)),
  ];
  return { lang, title, blocks };
}
