/**
 * The preview of a summit file's import (src/seed/preview.ts): what it would start and change, field by field,
 * before anything is saved; the Secretariat starts the import from here, or goes back.
 */
import { titleIn } from '../../i18n/titles';
import type { EntryChange, ImportPreview, Section } from '../../seed/preview';
import type { WebContext } from '../context';
import { csrfField, html, Html, keyField, layout } from '../layout';

function changesTable(ctx: WebContext, id: string, caption: string, changes: EntryChange[]): Html {
  const { t } = ctx;
  const rows = changes.flatMap((c) => {
    const what = html`${c.change === 'new' ? t('importNew') : t('importChanged')}${c.voidsCredentials ? html`<br><strong>${t('importVoids')}</strong>` : ''}`;
    const fields = c.change === 'new' ? [] : c.fields;
    const head = html`<th scope="row" rowspan="${Math.max(fields.length, 1)}">${c.label} <code>${c.key}</code></th><td rowspan="${Math.max(fields.length, 1)}">${what}</td>`;
    if (fields.length === 0) return [html`<tr>${head}<td colspan="3"></td></tr>`];
    return fields.map(
      (f, i) =>
        html`<tr>${i === 0 ? head : ''}<td><code>${f.field}</code></td><td>${f.before ?? '—'}</td><td>${f.after ?? '—'}</td></tr>`,
    );
  });
  return html`<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}">${caption}</caption>
<thead><tr><th scope="col">${t('importEntry')}</th><th scope="col">${t('importChange')}</th><th scope="col">${t('importField')}</th><th scope="col">${t('importBefore')}</th><th scope="col">${t('importAfter')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function sectionOf(ctx: WebContext, id: string, title: string, s: Section): Html {
  const { t } = ctx;
  const counts = t('importCounts', {
    new: s.changes.filter((c) => c.change === 'new').length,
    changed: s.changes.filter((c) => c.change === 'changed').length,
    unchanged: s.unchanged,
  });
  // Changed entries first: a first import of a large directory is thousands of new ones.
  const shown = [...s.changes].sort((a, b) => Number(a.change === 'new') - Number(b.change === 'new'));
  const more = shown.length - SHOWN_AT_MOST;
  return html`<section aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2><p>${counts}</p>${
    shown.length ? changesTable(ctx, `${id}-c`, title, shown.slice(0, SHOWN_AT_MOST)) : ''
  }${more > 0 ? html`<p>${t('importMore', { n: more })}</p>` : ''}</section>`;
}
const SHOWN_AT_MOST = 200;

export function importPreviewPage(ctx: WebContext, p: ImportPreview, pendingId: string): string {
  const { t } = ctx;
  const title = t('importPreviewTitle', { title: p.summit.title });
  const list = (items: { id: string; title: string; titleRu?: string }[]) =>
    html`<ul>${items.map((i) => html`<li>${titleIn(i, ctx.lang)} <code>${i.id}</code></li>`)}</ul>`;
  const body = html`<h1>${title}</h1>
<p>${t('importPreviewIntro')}</p>
<section aria-labelledby="imp-i-h"><h2 id="imp-i-h">${t('importInitiatives')}</h2>
<p>${t('importToStart', { n: p.initiatives.toStart.length })}</p>${p.initiatives.toStart.length ? list(p.initiatives.toStart) : ''}
<p>${t('importRunning', { n: p.initiatives.running.length })}</p>${p.initiatives.running.length ? list(p.initiatives.running) : ''}</section>
${sectionOf(ctx, 'imp-s', t('importStates'), p.states)}
${sectionOf(ctx, 'imp-r', t('importRotation'), p.rotation)}
${sectionOf(ctx, 'imp-p', t('importPeople'), p.people)}
<form method="post" action="/secretariat/import/confirm">${csrfField(ctx)}${keyField()}<input type="hidden" name="pending" value="${pendingId}">
<div class="buttons"><button type="submit">${t('importConfirm')}</button> <a href="/secretariat/import">${t('importCancel')}</a></div></form>`;
  return layout(ctx, title, body, '/secretariat/import');
}
