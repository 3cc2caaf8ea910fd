/** The list of initiatives with its filters, and the sign-off matrix. */
import type { ListQuery } from '../../app/schemas';
import { isTerminal, STAGES } from '../../domain/types';
import type { InitiativeView } from '../../domain/view';
import type { StateDoc } from '../../persistence/directory';
import type { ListingEntry } from '../../persistence/listing';
import type { SnapshotSummary } from '../../service/reports';
import type { WebContext } from '../context';
import type { FieldErrors } from '../layout';
import { word, type MessageKey } from '../i18n';
import { csrfField, errorSummary, field, html, Html, layout, stageBadge, timeEl } from '../layout';
import { titleIn } from '../../i18n/titles';

const link = (id: string) => `/initiatives/${encodeURIComponent(id)}`;

/** The matrix's word for a decision other than an approval. */
const CELL_WORD: Partial<Record<string, MessageKey>> = {
  object: 'cellObjected',
  request_changes: 'cellChanges',
  abstain: 'cellAbstained',
  amend: 'cellAmended',
};

function stateOptions(ctx: WebContext, states: StateDoc[]) {
  return [{ value: '', label: ctx.t('any') }, ...states.map((s) => ({ value: s._id, label: s.name[ctx.lang] }))];
}

export interface ListPageData {
  query: Partial<ListQuery>;
  errors: FieldErrors;
  result: { items: ListingEntry[]; total: number; limit: number; offset: number };
  /**
   * The summits on record (their report ids and titles) with the reports kept of each, newest first, and the
   * chairmanship year the next handover is for. `keep`: the reader may keep a report (the Secretariat).
   */
  reports?: {
    summits: { id: string; title: string; kept: SnapshotSummary[] }[];
    handoverYear: number;
    keep: boolean;
  };
}

/** Links to the reports (GET /api/reports/…), in the reader's language, and the PDF in the other one. */
function reportsSection(ctx: WebContext, reports: NonNullable<ListPageData['reports']>): Html {
  const { t } = ctx;
  const other = ctx.lang === 'en' ? 'ru' : 'en';
  const links = (path: string, params: Record<string, string>) => {
    const url = (lang: string, format: string) =>
      `/api/reports/${path}?${new URLSearchParams({ ...params, lang, format }).toString()}`;
    return html`<a href="${url(ctx.lang, 'pdf')}" download>${t('reportPdf')}</a> · <a href="${url(ctx.lang, 'docx')}" download>${t('reportDocx')}</a> · <a href="${url(other, 'pdf')}" download hreflang="${other}">${t('reportOtherLanguage')}</a>`;
  };
  const kept = (summit: { id: string; kept: SnapshotSummary[] }) =>
    summit.kept.length === 0
      ? ''
      : html`<details><summary>${t('reportsKept', { count: summit.kept.length })}</summary><ul>${summit.kept.map(
          (k) =>
            html`<li>${timeEl(ctx, k.takenAt.toISOString())}${k.note ? html` — ${k.note}` : ''}: ${links(`progress/snapshots/${k.id}`, {})} · <a href="/api/reports/progress?${new URLSearchParams({ summit: summit.id, since: k.id, lang: ctx.lang, format: 'pdf' }).toString()}" download>${t('reportChangesSince')}</a></li>`,
        )}</ul></details>`;
  const keepForm = (summit: string) =>
    reports.keep
      ? html`<form method="post" action="/reports/snapshots" class="inline">${csrfField(ctx)}<input type="hidden" name="summit" value="${summit}">${field({ name: 'note', label: t('reportKeepNote'), type: 'text', attrs: 'maxlength="300"' }, {})}<button type="submit">${t('reportKeep')}</button></form>`
      : '';
  return html`<section aria-labelledby="reports-h"><h2 id="reports-h">${t('reportsTitle')}</h2><p>${t('reportsIntro')}</p><ul>
${reports.summits.map((s) => html`<li>${t('reportProgress', { summit: s.title })}: ${links('progress', { summit: s.id })}${kept(s)}${keepForm(s.id)}</li>`)}
<li>${t('reportHandover', { year: reports.handoverYear })}: ${links('handover', { year: String(reports.handoverYear) })}</li></ul></section>`;
}

export function listPage(ctx: WebContext, data: ListPageData): string {
  const { t } = ctx;
  const q = data.query;
  const states = [...ctx.states.values()];
  const { items, total, limit, offset } = data.result;
  const page = (o: number) => {
    const p = new URLSearchParams();
    for (const k of ['stage', 'lead', 'pending', 'overdue', 'q'] as const) if (q[k]) p.set(k, String(q[k]));
    if (o) p.set('offset', String(o));
    const s = p.toString();
    return `/initiatives${s ? `?${s}` : ''}`;
  };
  const filters = html`<form method="get" action="/initiatives" class="filters" role="search" aria-label="${t('filters')}">
${field({ name: 'stage', label: t('filterStage'), type: 'select', value: q.stage, options: [{ value: '', label: t('any') }, ...STAGES.map((s) => ({ value: s, label: word(ctx.lang, 'stage', s) }))] }, data.errors)}
${field({ name: 'lead', label: t('filterLead'), type: 'select', value: q.lead, options: stateOptions(ctx, states) }, data.errors)}
${field({ name: 'pending', label: t('filterPending'), type: 'select', value: q.pending, options: stateOptions(ctx, states) }, data.errors)}
${field({ name: 'q', label: t('filterText'), type: 'text', value: q.q, attrs: 'maxlength="200"' }, data.errors)}
${field({ name: 'overdue', label: t('filterOverdue'), type: 'checkbox', checked: q.overdue === 'true' }, data.errors)}
<div class="buttons"><button type="submit">${t('apply')}</button> <a href="/initiatives">${t('reset')}</a></div></form>`;
  const table = items.length
    ? html`<div class="table-wrap" role="region" aria-labelledby="list-caption" tabindex="0"><table class="list"><caption id="list-caption">${t('found', { count: total })}</caption>
<thead><tr><th scope="col">${t('colTitle')}</th><th scope="col">${t('colStage')}</th><th scope="col">${t('colLead')}</th><th scope="col">${t('colPending')}</th><th scope="col">${t('colNextDue')}</th></tr></thead>
<tbody>${items.map((v) => {
        const overdue = v.nextDueAt && v.nextDueAt < new Date().toISOString() && !isTerminal(v.stage);
        return html`<tr><th scope="row"><a href="${link(v.id)}">${titleIn(v, ctx.lang)}</a></th><td>${stageBadge(v.stage, word(ctx.lang, 'stage', v.stage))}</td><td>${ctx.stateName(v.lead?.state) || t('none')}</td>
<td>${v.pendingStates.map((s) => ctx.stateName(s)).join(', ') || t('none')}</td><td>${v.nextDueAt ? timeEl(ctx, v.nextDueAt) : t('none')}${overdue ? html` <strong class="overdue">${t('overdue')}</strong>` : ''}</td></tr>`;
      })}</tbody></table></div>
<nav class="pager" aria-label="${t('pageOf', { from: offset + 1, to: offset + items.length, total })}"><p>${t('pageOf', { from: offset + 1, to: offset + items.length, total })}</p>
${offset > 0 ? html`<a href="${page(Math.max(0, offset - limit))}" rel="prev">${t('previous')}</a>` : ''} ${offset + items.length < total ? html`<a href="${page(offset + limit)}" rel="next">${t('next')}</a>` : ''}</nav>`
    : html`<p>${t('noneFound')}</p>`;
  return layout(
    ctx,
    t('listTitle'),
    html`<h1>${t('listTitle')}</h1>${errorSummary(ctx, data.errors)}${filters}${table}${data.reports ? reportsSection(ctx, data.reports) : ''}`,
    '/initiatives',
  );
}

/** One cell of the matrix: what the state did (or owes) in the initiative's round, as words and a class. */
export function matrixCell(
  ctx: WebContext,
  v: InitiativeView,
  code: string,
  nowIso: string,
): { cls: string; text: string } {
  const { t } = ctx;
  const r = v.round;
  if (!r) return { cls: 'cell-none cell-empty', text: t('cellNoRound') };
  if (!r.members.includes(code)) return { cls: 'cell-none cell-empty', text: t('cellNotMember') };
  const rev = t('revisionShort', { n: r.revision });
  const d = r.decisions?.[code]; // the read model (MongoDB) drops an empty decisions object
  const roundOver = v.stage !== 'signoff' || r.revision !== v.revision;
  if (d) {
    if (d.decision === 'approve') {
      const text = d.deemed ? t('cellDeemed') : t('cellApproved');
      return roundOver && v.stage === 'drafting'
        ? { cls: 'cell-lapsed', text: `${text} (${t('cellLapsed')}) · ${rev}` }
        : { cls: 'cell-approve', text: `${text} · ${rev}` };
    }
    return {
      cls: `cell-${d.decision}`,
      text: `${CELL_WORD[d.decision] ? t(CELL_WORD[d.decision]!) : t('cellChanges')} · ${rev}`,
    };
  }
  if (v.stage === 'signoff' && !r.blockedBy) {
    return r.dueAt < nowIso
      ? { cls: 'cell-overdue', text: `${t('cellOverdue')} · ${rev}` }
      : { cls: 'cell-pending', text: `${t('cellPending')} · ${rev}` };
  }
  return { cls: 'cell-none', text: `${t('cellNone')} · ${rev}` };
}

export function matrixPage(
  ctx: WebContext,
  items: InitiativeView[],
  columns: string[],
  includeClosed: boolean,
): string {
  const { t } = ctx;
  const now = new Date().toISOString();
  const legend: [string, string][] = [
    ['cell-approve', t('cellApproved')],
    ['cell-pending', t('cellPending')],
    ['cell-overdue', t('cellOverdue')],
    ['cell-request_changes', t('cellChanges')],
    ['cell-object', t('cellObjected')],
    ['cell-lapsed', t('cellLapsed')],
  ];
  const table: Html = items.length
    ? html`<div class="table-wrap" role="region" aria-labelledby="matrix-caption" tabindex="0"><table class="matrix"><caption id="matrix-caption">${t('matrixCaption')}</caption>
<thead><tr><th scope="col">${t('initiative')}</th><th scope="col">${t('colStage')}</th>${columns.map((c) => html`<th scope="col"><abbr title="${ctx.stateName(c)}">${c}</abbr></th>`)}</tr></thead>
<tbody>${items.map(
        (v) =>
          html`<tr data-initiative="${v.id}"><th scope="row"><a href="${link(v.id)}">${titleIn(v, ctx.lang)}</a></th><td>${stageBadge(v.stage, word(ctx.lang, 'stage', v.stage))}</td>${columns.map(
            (c) => {
              const cell = matrixCell(ctx, v, c, now);
              const text = cell.cls.includes('cell-empty')
                ? html`<span aria-hidden="true">–</span><span class="visually-hidden">${cell.text}</span>`
                : cell.text;
              return html`<td class="${cell.cls}" data-state="${c}" title="${cell.text}">${text}</td>`;
            },
          )}</tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('matrixEmpty')}</p>`;
  const filter = html`<form method="get" action="/matrix" class="inline-form">${field({ name: 'closed', label: t('includeClosed'), type: 'checkbox', checked: includeClosed })}<button type="submit">${t('apply')}</button></form>`;
  return layout(
    ctx,
    t('matrixTitle'),
    html`<h1>${t('matrixTitle')}</h1><p>${t('matrixIntro')}</p>${filter}
<h2 class="visually-hidden">${t('legend')}</h2><ul class="legend" aria-label="${t('legend')}">${legend.map(([c, l]) => html`<li><span class="swatch ${c}" aria-hidden="true"></span>${l}</li>`)}</ul>${table}`,
    '/matrix',
  );
}
