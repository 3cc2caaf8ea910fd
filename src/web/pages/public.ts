/** The public accountability page: what the Secretariat published of the summits' decisions, without signing in. */
import type { WebContext } from '../context';
import { html, Html, layout, stageBadge, timeEl } from '../layout';
import { word } from '../i18n';
import type { PublicInitiative } from '../../service/publication';
import { titleIn } from '../../i18n/titles';

function progress(ctx: WebContext, p: PublicInitiative): Html | string {
  if (!p.signoff) return '';
  const { approved, members } = p.signoff;
  const names = approved.map((s) => ctx.stateName(s)).join(', ');
  return html`<p>${ctx.t('publicApproved', { n: approved.length, total: members.length })}${names ? `: ${names}` : ''}.</p>`;
}

/** The two audiences of these pages: anyone (/public), and the members of the national parliaments (/parliaments). */
export type Audience = 'public' | 'parliaments';
const PAGE: Record<Audience, { title: 'publicTitle' | 'parliamentsTitle'; intro: 'publicIntro' | 'parliamentsIntro' }> =
  {
    public: { title: 'publicTitle', intro: 'publicIntro' },
    parliaments: { title: 'parliamentsTitle', intro: 'parliamentsIntro' },
  };

function card(ctx: WebContext, p: PublicInitiative, linked: Audience | false): Html {
  const { t } = ctx;
  // In the list each is a section under the page's heading; alone, its title is the page's heading.
  const title = linked
    ? html`<h2><a href="/${linked}/initiatives/${encodeURIComponent(p.id)}">${titleIn(p, ctx.lang)}</a></h2>`
    : html`<h1>${titleIn(p, ctx.lang)}</h1>`;
  return html`<article class="card">${title}
<p>${stageBadge(p.stage, word(ctx.lang, 'stage', p.stage))} ${t('publicProposedBy', { state: ctx.stateName(p.proposingState) })}</p>
${p.source ? html`<blockquote><p>${p.source.quote}</p><footer>${p.source.document}</footer></blockquote>` : ''}
${progress(ctx, p)}
${p.milestones.length ? html`<p><strong>${t('milestones')}</strong></p><ul>${p.milestones.map((m) => html`<li>${m.title} — ${m.completedAt ? html`${t('publicDone')} ${timeEl(ctx, m.completedAt)}` : html`${t('publicDue')} ${timeEl(ctx, m.dueAt)}`}</li>`)}</ul>` : ''}
<p class="hint">${t('publicUpdated')} ${timeEl(ctx, p.updatedAt)}</p></article>`;
}

export function publicListPage(ctx: WebContext, items: PublicInitiative[], audience: Audience = 'public'): string {
  const { t } = ctx;
  const page = PAGE[audience];
  const body = html`<h1>${t(page.title)}</h1><p>${t(page.intro)}</p>${
    items.length
      ? html`<div class="cards">${items.map((p) => card(ctx, p, audience))}</div>`
      : html`<p>${t('publicNone')}</p>`
  }`;
  return layout(ctx, t(page.title), body, `/${audience}`);
}

export function publicInitiativePage(ctx: WebContext, p: PublicInitiative, audience: Audience = 'public'): string {
  const body = html`<p class="crumbs"><a href="/${audience}">${ctx.t(PAGE[audience].title)}</a></p>${card(ctx, p, false)}`;
  return layout(ctx, titleIn(p, ctx.lang), body, `/${audience}`);
}
