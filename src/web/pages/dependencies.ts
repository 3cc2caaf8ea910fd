/**
 * An initiative's dependencies on its page: what it waits for and what waits for it, how it fares once its chain
 * is counted (and because of what), and the Secretariat's forms to record or drop a dependency.
 */
import type { Dependencies } from '../../service/dependencies';
import { Role } from '../../domain/types';
import type { InitiativeView } from '../../domain/view';
import type { WebContext } from '../context';
import { word } from '../i18n';
import { csrfField, field, html, Html } from '../layout';
import { healthBadge } from './dashboard';
import { titleIn } from '../../i18n/titles';

export interface DependenciesData {
  of: Awaited<ReturnType<Dependencies['of']>>;
  /** For the Secretariat: the initiatives it may make this one wait for. */
  choices: { id: string; title: string }[];
}

export function dependenciesSection(ctx: WebContext, v: InitiativeView, d: DependenciesData): Html {
  const { t } = ctx;
  const secretariat = Boolean(ctx.actor?.roles.includes(Role.Secretariat));
  const drop = (id: string) =>
    secretariat
      ? html` <form method="post" action="/dependencies/${id}/removal" class="inline-form">${csrfField(ctx)}<button type="submit" class="link-button">${t('dependencyDrop')}</button></form>`
      : '';
  const health = d.of.health;
  const because = health?.because.length
    ? html`<ul>${health.because.map(
        (c) =>
          html`<li>${t('dependencyBecause', { title: titleIn(c, ctx.lang), path: c.path.join(' → ') })} ${healthBadge(ctx, c.health)}${c.milestone ? html` · ${t('dependencyMilestone', { title: c.milestone.title })}` : ''}</li>`,
      )}</ul>`
    : '';
  const waits = d.of.waitsFor.length
    ? html`<h3>${t('dependencyWaitsFor')}</h3><ul>${d.of.waitsFor.map(
        (x) =>
          html`<li><a href="/initiatives/${encodeURIComponent(x.blockedBy)}">${titleIn(x, ctx.lang)}</a> · ${t(x.until === 'adopted' ? 'untilAdopted' : 'untilCompleted')}${x.stage ? html` · ${word(ctx.lang, 'stage', x.stage)}` : ''}${x.reason ? html` · ${x.reason}` : ''}${drop(x.id)}</li>`,
      )}</ul>`
    : '';
  const waitedBy = d.of.waitedBy.length
    ? html`<h3>${t('dependencyWaitedBy')}</h3><ul>${d.of.waitedBy.map(
        (x) =>
          html`<li><a href="/initiatives/${encodeURIComponent(x.initiativeId)}">${titleIn(x, ctx.lang)}</a>${drop(x.id)}</li>`,
      )}</ul>`
    : '';
  const add =
    secretariat && d.choices.length
      ? html`<details><summary>${t('dependencyAdd')}</summary><form method="post" action="/initiatives/${encodeURIComponent(v.id)}/dependencies">${csrfField(ctx)}${field(
          {
            form: 'dep',
            name: 'blockedBy',
            label: t('dependencyBlockedBy'),
            type: 'select',
            required: true,
            options: d.choices.map((c) => ({ value: c.id, label: c.title })),
          },
        )}${field({
          form: 'dep',
          name: 'until',
          label: t('dependencyUntil'),
          type: 'select',
          value: 'adopted',
          options: [
            { value: 'adopted', label: t('untilAdopted') },
            { value: 'completed', label: t('untilCompleted') },
          ],
        })}${field({ form: 'dep', name: 'reason', label: t('dependencyReason') })}<div class="buttons"><button type="submit">${t('dependencyAdd')}</button></div></form></details>`
      : '';
  if (!waits && !waitedBy && !add) return html``;
  return html`<section aria-labelledby="deps-h" id="dependencies"><h2 id="deps-h">${t('dependencies')}</h2>${
    health && d.of.waitsFor.length
      ? html`<p>${t('dependencyHealth')} ${healthBadge(ctx, health.health)}</p>${because}`
      : ''
  }${waits}${waitedBy}${add}</section>`;
}
