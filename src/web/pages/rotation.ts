/** The rotation year: chairmanship periods as a band across the year, then month by month the summits, deadlines and milestones, each with the chair of its day. */
import { stepLabel } from '../../email/templates';
import { localDateOf } from '../../domain/time';
import type { InitiativeView } from '../../domain/view';
import type { RotationDoc } from '../../persistence/directory';
import type { WebContext } from '../context';
import { html, Html, layout, timeEl } from '../layout';
import { summitIn, titleIn } from '../../i18n/titles';

interface Entry {
  /** Local date in the reader's zone (YYYY-MM-DD) for grouping and order. */
  day: string;
  sortKey: string;
  kind: 'summit' | 'deadline' | 'milestone';
  content: Html;
}

const DAY_MS = 86_400_000;

function dayOfYear(day: string, year: number): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.UTC(year, 0, 1)) / DAY_MS);
}

function chairOn(periods: RotationDoc[], day: string): RotationDoc | undefined {
  return periods.find((p) => p.from <= day && day <= p.to);
}

export function rotationPage(
  ctx: WebContext,
  year: number,
  periods: RotationDoc[],
  initiatives: InitiativeView[],
): string {
  const { t } = ctx;
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const inYear = periods
    .filter((p) => p.to >= yearStart && p.from <= yearEnd)
    .sort((a, b) => a.from.localeCompare(b.from));
  const daysInYear = dayOfYear(`${year + 1}-01-01`, year);

  const entries: Entry[] = [];
  for (const p of periods) {
    if (p.summit && p.summit.date.startsWith(`${year}-`)) {
      entries.push({
        day: p.summit.date,
        sortKey: `${p.summit.date}T00`,
        kind: 'summit',
        content: html`<strong>${t('summitOn', { city: summitIn(p.summit, ctx.lang).city })}</strong>: ${summitIn(p.summit, ctx.lang).title} (<time datetime="${p.summit.date}">${p.summit.date}</time>)`,
      });
    }
  }
  for (const v of initiatives) {
    const link = `/initiatives/${encodeURIComponent(v.id)}`;
    for (const d of v.deadlines) {
      if (d.step.startsWith('milestone:')) continue;
      const day = localDateOf(new Date(d.dueAt), ctx.zone);
      if (!day.startsWith(`${year}-`)) continue;
      entries.push({
        day,
        sortKey: d.dueAt,
        kind: 'deadline',
        content: html`${t('deadlineOf', { step: stepLabel(ctx.lang, d.step, v) })} — <a href="${link}">${titleIn(v, ctx.lang)}</a> · ${timeEl(ctx, d.dueAt)}`,
      });
    }
    for (const m of v.milestones) {
      const day = localDateOf(new Date(m.dueAt), ctx.zone);
      if (!day.startsWith(`${year}-`)) continue;
      entries.push({
        day,
        sortKey: m.dueAt,
        kind: 'milestone',
        content: html`${t('milestoneOf', { title: m.title })} — <a href="${link}">${v.title}</a> · ${timeEl(ctx, m.dueAt)}${m.completedAt ? ` ✓` : ''}`,
      });
    }
  }
  entries.sort((a, b) => a.sortKey.localeCompare(b.sortKey));

  const monthName = new Intl.DateTimeFormat(ctx.lang === 'ru' ? 'ru-RU' : 'en-GB', { month: 'long', timeZone: 'UTC' });
  const band = html`<div class="band" aria-hidden="true">${inYear.map((p) => {
    const from = Math.max(0, dayOfYear(p.from, year));
    const to = Math.min(daysInYear - 1, dayOfYear(p.to, year));
    const left = ((from / daysInYear) * 100).toFixed(2);
    const width = (((to - from + 1) / daysInYear) * 100).toFixed(2);
    return html`<span class="band-period" style="${`left:${left}%;width:${width}%`}">${ctx.stateName(p.chairState)}</span>`;
  })}${entries.map((e) => html`<span class="band-mark band-${e.kind}" style="${`left:${((dayOfYear(e.day, year) / daysInYear) * 100).toFixed(2)}%`}"></span>`)}</div>
<ol class="band-months" aria-hidden="true">${Array.from({ length: 12 }, (_, m) => html`<li>${monthName.format(new Date(Date.UTC(year, m, 1))).slice(0, 3)}</li>`)}</ol>`;

  const months = Array.from({ length: 12 }, (_, m) => {
    const prefix = `${year}-${String(m + 1).padStart(2, '0')}`;
    const chair = chairOn(periods, `${prefix}-15`) ?? chairOn(periods, `${prefix}-01`);
    const own = entries.filter((e) => e.day.startsWith(prefix));
    return html`<li class="month"><h3>${monthName.format(new Date(Date.UTC(year, m, 1)))} ${year}</h3>
<p class="chair">${chair ? t('chairOfPeriod', { state: ctx.stateName(chair.chairState) }) : t('noChair')}</p>
${own.length ? html`<ul class="plain">${own.map((e) => html`<li class="entry entry-${e.kind}">${e.content}</li>`)}</ul>` : html`<p class="quiet">${t('nothingThisMonth')}</p>`}</li>`;
  });

  const body = html`<h1>${t('rotationTitle', { year })}</h1><p>${t('rotationIntro')}</p>
<nav class="pager" aria-label="${t('year')}"><a href="/rotation?year=${year - 1}" rel="prev">← ${t('prevYear')} (${year - 1})</a> <a href="/rotation?year=${year + 1}" rel="next">${t('nextYear')} (${year + 1}) →</a></nav>
<section aria-labelledby="periods-h"><h2 id="periods-h">${t('chairPeriods')}</h2>${band}
${inYear.length ? html`<ul class="plain">${inYear.map((p) => html`<li><time datetime="${p.from}">${p.from}</time> – <time datetime="${p.to}">${p.to}</time>: <strong>${t('chairOfPeriod', { state: ctx.stateName(p.chairState) })}</strong></li>`)}</ul>` : html`<p>${t('noChair')}</p>`}</section>
<section aria-labelledby="months-h"><h2 id="months-h">${t('monthByMonth')}</h2><ol class="months">${months}</ol></section>`;
  return layout(ctx, t('rotationTitle', { year }), body, '/rotation');
}
