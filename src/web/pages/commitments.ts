/**
 * The commitment register on the web: an initiative's commitments with each party's part and the forms of the
 * parts the reader may update, following the initiative, and the state × commitment matrix (/commitments).
 */
import {
  ALL_STATES,
  COMMITMENT_STATUSES,
  CSV_UPDATE_COLUMNS,
  mayUpdate,
  REGISTER_STAGES,
  SECRETARIAT,
  type Cell,
  type Commitment,
  type CommitmentMatrix,
  type Delivery,
} from '../../domain/commitments';
import { Role } from '../../domain/types';
import type { InitiativeView } from '../../domain/view';
import type { WebContext } from '../context';
import { csrfField, field, html, Html, layout, timeEl, when } from '../layout';

export interface CommitmentsData {
  items: (Commitment & { late: string[] })[];
  following: boolean;
  /** The member states today: the choices of "addressed to". */
  states: string[];
}

const partyName = (ctx: WebContext, party: string) =>
  party === SECRETARIAT ? ctx.t('commitmentToSecretariat') : ctx.stateName(party);
const statusWord = (ctx: WebContext, status: string) => ctx.t(`cs_${status}` as 'cs_delivered');

/** A part's status in words and as a bar, never by colour alone. */
function partLine(ctx: WebContext, d: Delivery, late: boolean): Html {
  return html`<span class="cs cs-${d.status}">${statusWord(ctx, d.status)}</span> <meter min="0" max="100" value="${String(d.progress)}" aria-hidden="true"></meter> ${String(d.progress)} %${late ? html` <strong class="badge badge-late">${ctx.t('commitmentLate')}</strong>` : ''}`;
}

function updateForm(ctx: WebContext, c: Commitment, party: string, d: Delivery): Html {
  const { t } = ctx;
  const form = `c-${c.id}-${party}`;
  return html`<details><summary>${t('commitmentUpdate', { party: partyName(ctx, party) })}</summary><form method="post" action="/commitments/${c.id}/parts/${party}">${csrfField(ctx)}${field(
    {
      form,
      name: 'status',
      label: t('commitmentStatus'),
      type: 'select',
      value: d.status,
      options: COMMITMENT_STATUSES.map((s) => ({ value: s, label: statusWord(ctx, s) })),
    },
  )}${field({ form, name: 'progress', label: t('commitmentProgress'), type: 'number', value: String(d.progress), attrs: 'min="0" max="100" step="1"' })}${field(
    { form, name: 'note', label: t('commitmentNote'), type: 'textarea', value: d.note ?? '' },
  )}${field({ form, name: 'evidenceUrl', label: t('commitmentEvidence'), type: 'url' })}${field({
    form,
    name: 'evidenceTitle',
    label: t('commitmentEvidenceTitle'),
  })}<div class="buttons"><button type="submit">${t('save')}</button></div></form></details>`;
}

function commitmentCard(ctx: WebContext, c: Commitment & { late: string[] }): Html {
  const { t } = ctx;
  const parties = Object.keys(c.parties).sort();
  return html`<li class="commitment" data-commitment="${c.id}"><h3>${c.title}</h3><p>${t('commitmentTo')}: ${
    c.to === ALL_STATES ? t('commitmentToAll') : partyName(ctx, c.to)
  }${c.dueAt ? html` · ${t('commitmentDueOn', { when: when(ctx, c.dueAt) })}` : ''}</p>
<div class="table-wrap" role="region" aria-label="${c.title}" tabindex="0"><table><thead><tr><th scope="col">${t('commitmentParty')}</th><th scope="col">${t('commitmentStatus')}</th><th scope="col">${t('commitmentEvidenceList')}</th></tr></thead><tbody>${parties.map(
    (p) => {
      const d = c.parties[p];
      return html`<tr data-party="${p}"><th scope="row">${partyName(ctx, p)}</th><td>${partLine(ctx, d, c.late.includes(p))}${d.note ? html`<div class="tl-detail">${d.note}</div>` : ''}${d.updatedAt ? html`<div class="tl-detail">${d.updatedByName ?? ''} ${timeEl(ctx, d.updatedAt)}</div>` : ''}${
        ctx.actor && mayUpdate(ctx.actor, p) ? updateForm(ctx, c, p, d) : ''
      }</td><td>${d.evidence.length ? html`<ul>${d.evidence.map((e) => html`<li><a href="${e.url}" rel="noopener noreferrer">${e.title ?? e.url}</a></li>`)}</ul>` : '–'}</td></tr>`;
    },
  )}</tbody></table></div></li>`;
}

/** The section of the initiative page: follow, the commitments, and the Secretariat's form to register one. */
export function commitmentsSection(ctx: WebContext, v: InitiativeView, data: CommitmentsData): Html {
  const { t } = ctx;
  const id = encodeURIComponent(v.id);
  const follow = html`<form method="post" action="/initiatives/${id}/following" class="inline-form">${csrfField(ctx)}<input type="hidden" name="follow" value="${data.following ? 'off' : 'on'}">${
    data.following ? html`<p>${t('following')}</p>` : ''
  }<button type="submit">${data.following ? t('unfollow') : t('follow')}</button></form>`;
  const adopted = REGISTER_STAGES.includes(v.stage);
  const add =
    adopted && ctx.actor?.roles.includes(Role.Secretariat)
      ? html`<details><summary>${t('commitmentAdd')}</summary><form method="post" action="/initiatives/${id}/commitments">${csrfField(ctx)}${field({ form: 'cadd', name: 'title', label: t('commitmentTitle'), required: true })}${field(
          {
            form: 'cadd',
            name: 'to',
            label: t('commitmentTo'),
            type: 'select',
            value: ALL_STATES,
            options: [
              { value: ALL_STATES, label: t('commitmentToAll') },
              ...data.states.map((s) => ({ value: s, label: ctx.stateName(s) })),
              { value: SECRETARIAT, label: t('commitmentToSecretariat') },
            ],
          },
        )}${field({ form: 'cadd', name: 'dueAt', label: t('commitmentDue'), type: 'date' })}<div class="buttons"><button type="submit">${t('commitmentAdd')}</button></div></form></details>`
      : '';
  const list = data.items.length
    ? html`<ol class="commitments">${data.items.map((c) => commitmentCard(ctx, c))}</ol>`
    : html`<p>${adopted ? t('commitmentsNone') : t('commitmentsAdoptedOnly')}</p>`;
  return html`<section aria-labelledby="commitments-h" id="commitments"><h2 id="commitments-h">${t('commitments')}</h2>${follow}${list}${add}</section>`;
}

function matrixCellHtml(ctx: WebContext, cell: Cell | undefined): Html {
  if (!cell)
    return html`<td class="cell-none"><span aria-hidden="true">–</span><span class="visually-hidden">${ctx.t('matrixNotAddressed')}</span></td>`;
  const text = `${statusWord(ctx, cell.status)} · ${cell.progress} %${cell.late ? ` · ${ctx.t('commitmentLate')}` : ''}`;
  return html`<td class="cs-cell cs-${cell.status}${cell.late ? ' cell-overdue' : ''}">${text}</td>`;
}

/** /commitments: who has delivered what, with the totals per party, and the CSV upload for focal points. */
export function commitmentMatrixPage(
  ctx: WebContext,
  m: CommitmentMatrix & { asOf: string; titles: Record<string, string> },
): string {
  const { t } = ctx;
  const table = m.rows.length
    ? html`<div class="table-wrap" role="region" aria-labelledby="cm-caption" tabindex="0"><table class="matrix"><caption id="cm-caption">${t('matrixCommitmentsTitle')}</caption>
<thead><tr><th scope="col">${t('commitments')}</th>${m.columns.map((c) => html`<th scope="col"><abbr title="${partyName(ctx, c)}">${c === SECRETARIAT ? t('commitmentToSecretariat') : c}</abbr></th>`)}</tr></thead>
<tbody>${m.rows.map(
        (r) =>
          html`<tr data-commitment="${r.commitment.id}"><th scope="row"><a href="/initiatives/${encodeURIComponent(r.commitment.initiativeId)}#commitments">${r.commitment.title}</a><div class="tl-detail">${m.titles[r.commitment.initiativeId] ?? ''}</div></th>${m.columns.map((c) => matrixCellHtml(ctx, r.cells[c]))}</tr>`,
      )}</tbody>
<tfoot><tr><th scope="row">${t('matrixDelivered')}</th>${m.columns.map((c) => html`<td>${String(m.totals[c].delivered)} / ${String(m.totals[c].addressed)}${m.totals[c].late ? html` · ${String(m.totals[c].late)} ${t('commitmentLate')}` : ''}</td>`)}</tr></tfoot></table></div>`
    : html`<p>${t('commitmentsNone')}</p>`;
  const upload = html`<section aria-labelledby="csv-h" class="card"><h2 id="csv-h">${t('csvUpload')}</h2><p id="csv-hint">${t('csvColumns')} <code>${CSV_UPDATE_COLUMNS.join(', ')}</code>. ${t('csvUploadHint')}</p><p><a href="/commitments.csv" download>${t('csvTemplate')}</a></p>
<form method="post" action="/commitments/updates" enctype="multipart/form-data">${csrfField(ctx)}${field({ name: 'file', label: t('csvFile'), type: 'file', required: true, attrs: 'accept=".csv,text/csv"' })}<div class="buttons"><button type="submit">${t('save')}</button></div></form></section>`;
  return layout(
    ctx,
    t('matrixCommitmentsTitle'),
    html`<h1>${t('matrixCommitmentsTitle')}</h1><p>${t('matrixCommitmentsIntro', { asOf: when(ctx, m.asOf) })}</p>${table}${upload}`,
    '/commitments',
  );
}
