/**
 * The dashboard (/dashboard): per member state and per chairmanship year, how sign-off and delivery fare, drawn
 * where people would rather look than read (src/report/plot.ts) and given in tables for those who read; the path
 * to the next summit; and a missing next Chair, said ahead of the rotation date.
 */
import type { Health } from '../../domain/dependencies';
import { barChart, stackedBar } from '../../report/plot';
import type { DashboardService } from '../../service/dashboard';
import type { WebContext } from '../context';
import { word } from '../i18n';
import { html, Html, layout, when } from '../layout';
import { summitIn, titleIn } from '../../i18n/titles';

export type DashboardData = Awaited<ReturnType<DashboardService['figures']>>;

const pct = (r: number | undefined) => (r === undefined ? '–' : `${Math.round(r * 100)} %`);
const hours = (h: number | undefined) => (h === undefined ? '–' : `${h}`);

export function healthBadge(ctx: WebContext, health: Health): Html {
  return html`<span class="badge health-${health}">${ctx.t(`health_${health}` as 'health_late')}</span>`;
}

/** An SVG of our own making (src/report/plot.ts escapes every text), in a figure that scales to the screen. */
const chart = (svg: string) => html`<figure class="chart">${new Html(svg)}</figure>`;

function pathSection(ctx: WebContext, d: DashboardData): Html {
  const { t } = ctx;
  if (!d.path) return html``;
  // The summit is a day: no time, no zone.
  const day = new Intl.DateTimeFormat(ctx.lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' });
  const date = day.format(new Date(`${d.path.summitDate.slice(0, 10)}T00:00:00Z`));
  const next = d.nextSummit && summitIn(d.nextSummit, ctx.lang);
  const title = next ? `${next.title}, ${next.city}, ${date}` : t('pathYearEnd', { date });
  const steps = d.path.steps;
  const titleOf = (id: string) => {
    const step = steps.find((x) => x.initiativeId === id);
    return step ? titleIn(step, ctx.lang) : id;
  };
  return html`<section aria-labelledby="path-h"><h2 id="path-h">${t('pathTitle', { summit: title })}</h2>${
    steps.length
      ? html`<ol class="path">${steps.map(
          (s) =>
            html`<li><a href="/initiatives/${encodeURIComponent(s.initiativeId)}">${titleIn(s, ctx.lang)}</a> ${healthBadge(ctx, s.health)} · ${word(ctx.lang, 'stage', s.stage)}${
              s.waitsFor.length
                ? html` · ${t('pathWaitsFor', { ids: s.waitsFor.map((w) => titleOf(w.blockedBy)).join(', ') })}`
                : ''
            } · ${s.never ? t('pathNever') : s.earliest ? t('pathEarliest', { when: when(ctx, s.earliest) }) : t('pathNoDate')}${
              s.afterSummit ? html` <strong class="badge health-late">${t('pathAfterSummit')}</strong>` : ''
            }</li>`,
        )}</ol>`
      : html`<p>${t('pathNone')}</p>`
  }</section>`;
}

export function dashboardPage(ctx: WebContext, d: DashboardData): string {
  const { t } = ctx;
  const gap = d.rotationGap
    ? html`<p class="flash flash-error" role="alert">${t('rotationGapDashboard', { year: d.rotationGap.year, from: d.rotationGap.from, days: d.rotationGap.daysLeft })} <a href="/rotation">${t('navRotation')}</a></p>`
    : '';
  const states = d.byState;
  const name = (code: string) => ctx.stateName(code);
  const plots = html`<div class="charts">${chart(
    barChart({
      title: t('dashOnTimeTitle'),
      bars: states.map((s) => ({
        label: name(s.state),
        value: s.onTimeRate === undefined ? undefined : Math.round(s.onTimeRate * 100),
        note: `${s.onTime}/${s.counted}`,
      })),
      max: 100,
      unit: ' %',
      none: '–',
    }),
  )}${chart(
    barChart({
      title: t('dashMedianTitle'),
      bars: states.map((s) => ({ label: name(s.state), value: s.medianHoursToDecide })),
      unit: ` ${t('hoursShort')}`,
      none: '–',
    }),
  )}${chart(
    stackedBar({
      title: t('dashCommitmentsTitle'),
      keys: [t('cs_delivered'), t('cs_in_progress'), t('cs_not_started'), t('cs_blocked')],
      rows: [
        ...states.map((s) => ({
          label: name(s.state),
          values: [s.commitments.delivered, s.commitments.inProgress, s.commitments.notStarted, s.commitments.blocked],
        })),
        {
          label: t('commitmentToSecretariat'),
          values: [d.secretariat.delivered, d.secretariat.inProgress, d.secretariat.notStarted, d.secretariat.blocked],
        },
      ],
    }),
  )}</div>`;
  const stateTable = html`<div class="table-wrap" role="region" aria-labelledby="dash-states" tabindex="0"><table><caption id="dash-states">${t('dashByState')}</caption>
<thead><tr><th scope="col">${t('dashState')}</th><th scope="col">${t('dashOnTime')}</th><th scope="col">${t('dashMedian')}</th><th scope="col">${t('dashOverdue')}</th><th scope="col">${t('dashDeemed')}</th><th scope="col">${t('dashDelivered')}</th></tr></thead>
<tbody>${states.map(
    (s) =>
      html`<tr data-state="${s.state}"><th scope="row">${name(s.state)}</th><td>${pct(s.onTimeRate)} (${String(s.onTime)}/${String(s.counted)})</td><td>${hours(s.medianHoursToDecide)}</td><td>${String(s.overdue)}</td><td>${String(s.deemed)}</td><td>${String(s.commitments.delivered)}/${String(s.commitments.total)}${s.commitments.late ? html` · ${String(s.commitments.late)} ${t('commitmentLate')}` : ''}</td></tr>`,
  )}</tbody></table></div>`;
  const yearTable = html`<div class="table-wrap" role="region" aria-labelledby="dash-years" tabindex="0"><table><caption id="dash-years">${t('dashByYear')}</caption>
<thead><tr><th scope="col">${t('dashYear')}</th><th scope="col">${t('dashRounds')}</th><th scope="col">${t('dashAdopted')}</th><th scope="col">${t('dashSilence')}</th><th scope="col">${t('dashOnTime')}</th><th scope="col">${t('dashMedian')}</th><th scope="col">${t('dashOverdue')}</th><th scope="col">${t('dashDelivered')}</th></tr></thead>
<tbody>${d.byYear.map(
    (y) =>
      html`<tr data-year="${String(y.year)}"><th scope="row">${String(y.year)} · ${name(y.chairState)}</th><td>${String(y.rounds)}</td><td>${String(y.adopted)}</td><td>${String(y.endedBySilence)}</td><td>${pct(y.onTimeRate)}</td><td>${hours(y.medianHoursToDecide)}</td><td>${String(y.overdue)}</td><td>${String(y.commitments.delivered)}/${String(y.commitments.total)}</td></tr>`,
  )}</tbody></table></div>`;
  return layout(
    ctx,
    t('dashTitle'),
    html`<h1>${t('dashTitle')}</h1>${gap}<p>${t('dashIntro', { asOf: when(ctx, d.asOf) })}</p>${plots}${stateTable}${yearTable}${pathSection(ctx, d)}`,
    '/dashboard',
  );
}
