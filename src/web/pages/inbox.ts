/**
 * The inbox as a work queue: what is late first, then what is blocked, then others' late work the reader
 * must chase (the Secretariat's escalations, the Chair's), then the week ahead, then later; each group
 * counted, one compact row per task, and a filter by kind of task that the page remembers.
 */
import { durationInWords } from '../../domain/time';
import type { RotationGap } from '../../domain/rotation';
import type { InboxItem } from '../../service/read-model';
import type { WebContext } from '../context';
import { actTitle, word } from '../i18n';
import { field, html, Html, layout, stageBadge, timeEl } from '../layout';
import { partyName } from './initiative';
import { titleIn } from '../../i18n/titles';

export const INBOX_KINDS = ['decision', 'draft', 'milestone', 'assignment', 'objection', 'escalation'] as const;
export type InboxFilter = (typeof INBOX_KINDS)[number] | 'all';
export const isInboxFilter = (v: unknown): v is InboxFilter =>
  v === 'all' || (INBOX_KINDS as readonly unknown[]).includes(v);

const GROUPS = ['overdue', 'blocked', 'escalated', 'week', 'later'] as const;
type Group = (typeof GROUPS)[number];
const WEEK_MS = 7 * 86_400_000;

export function groupOf(i: InboxItem, nowMs: number): Group {
  if (i.kind === 'escalation') return 'escalated';
  if (i.kind === 'objection') return 'blocked';
  if (i.overdue) return 'overdue';
  return i.dueAt && Date.parse(i.dueAt) - nowMs <= WEEK_MS ? 'week' : 'later';
}

const link = (id: string) => `/initiatives/${encodeURIComponent(id)}`;

/** What awaits, in the reader's language (the read model words it in English). */
function inboxWhat(ctx: WebContext, i: InboxItem): string {
  const { t } = ctx;
  switch (i.kind) {
    case 'decision':
      return actTitle(ctx.lang, 'decide', { state: ctx.stateName(i.state), n: i.revision });
    case 'draft':
      return `${actTitle(ctx.lang, 'submitDraft')} (${t('revision', { n: i.revision + 1 })})`;
    case 'assignment':
      return t('assignWhat');
    case 'milestone':
      return t('inboxMilestone', { title: i.milestoneTitle ?? i.milestoneId ?? '' });
    case 'objection':
      return t('inboxObjection', { state: ctx.stateName(i.state) });
    case 'escalation':
      return t('inboxEscalation', { who: (i.waitingOn ?? []).map((p) => partyName(ctx, p)).join(', ') });
  }
}

function row(ctx: WebContext, i: InboxItem, nowMs: number): Html {
  const { t } = ctx;
  const due = i.dueAt
    ? html`${timeEl(ctx, i.dueAt)}${i.overdue ? html` <strong class="badge badge-overdue">${t('overdueBy', { by: durationInWords(nowMs - Date.parse(i.dueAt), ctx.lang) })}</strong>` : ''}`
    : t('noDue');
  return html`<li class="task task-${i.kind}${i.overdue ? ' is-overdue' : ''}">
<p class="task-title"><a href="${link(i.initiativeId)}#acts-h">${titleIn(i, ctx.lang)}</a></p>
<p class="task-what"><span class="kind">${word(ctx.lang, 'kind', i.kind)}:</span> ${inboxWhat(ctx, i)}</p>
<p class="task-meta">${stageBadge(i.stage, word(ctx.lang, 'stage', i.stage))} · ${t('due')}: ${due}</p></li>`;
}

export interface InboxPageData {
  items: InboxItem[];
  filter: InboxFilter;
  /** The reader represents the chairing state (their escalations are the Chair's). */
  chairs: boolean;
  /** For the Secretariat: a year of the rotation calendar without a Chair, now or at the coming rotation date. */
  rotationGap?: RotationGap;
}

/** The Secretariat's warning that a year has no Chair entered, with the directory to fix it. */
function rotationWarning(ctx: WebContext, gap: RotationGap | undefined): Html | string {
  if (!gap) return '';
  const date = new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${gap.from}T00:00:00Z`),
  );
  const text =
    gap.daysLeft === 0
      ? ctx.t('noChairNow', { year: String(gap.year) })
      : ctx.t('noChairNext', {
          year: String(gap.year),
          date,
          days: durationInWords(gap.daysLeft * 86_400_000, ctx.lang),
        });
  return html`<p class="flash flash-error" role="note"><a href="/secretariat/directory/rotation">${text}</a></p>`;
}

export function inboxPage(ctx: WebContext, data: InboxPageData): string {
  const { t } = ctx;
  const nowMs = Date.now();
  const shown = data.filter === 'all' ? data.items : data.items.filter((i) => i.kind === data.filter);
  const groups = new Map<Group, InboxItem[]>(GROUPS.map((g) => [g, []]));
  for (const i of shown) groups.get(groupOf(i, nowMs))!.push(i);
  const heading = (g: Group) => (g === 'escalated' && data.chairs ? t('groupChair') : t(`group_${g}`));
  const present = GROUPS.filter((g) => groups.get(g)!.length > 0);
  const counts = present.length
    ? html`<ul class="counts" aria-label="${t('inboxCounts')}">${present.map(
        (g) => html`<li><a href="#group-${g}"><strong>${groups.get(g)!.length}</strong> ${heading(g)}</a></li>`,
      )}</ul>`
    : '';
  const filter = html`<form method="get" action="/" class="inline-form">${field({
    name: 'show',
    label: t('inboxShow'),
    type: 'select',
    value: data.filter,
    options: [
      { value: 'all', label: t('inboxShowAll') },
      ...INBOX_KINDS.map((k) => ({ value: k, label: word(ctx.lang, 'kind', k) })),
    ],
  })}<button type="submit">${t('apply')}</button></form>`;
  const body = present.length
    ? present.map(
        (g) =>
          html`<section aria-labelledby="group-${g}" class="group group-${g}"><h2 id="group-${g}">${heading(g)} <span class="count">(${groups.get(g)!.length})</span></h2>
<ul class="queue">${groups.get(g)!.map((i) => row(ctx, i, nowMs))}</ul></section>`,
      )
    : html`<p>${data.filter === 'all' ? t('inboxEmpty') : t('inboxNoneOfKind')}</p>`;
  return layout(
    ctx,
    t('inboxTitle'),
    html`<h1>${t('inboxTitle')}</h1>${rotationWarning(ctx, data.rotationGap)}<p>${t('inboxIntro')}</p>${filter}${counts}${body}`,
    '/',
  );
}
