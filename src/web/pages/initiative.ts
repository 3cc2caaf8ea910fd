/** One initiative: its stage, draft, each state's decision, deadlines in the reader's zone, the audit timeline, and the forms of the acts the reader may perform. */
import type { NoticeReach } from '../../domain/notice-reach';
import { stepLabel } from '../../email/templates';
import { isTerminal, Stage, STAGES, type AuditEvent, type SignoffPolicy } from '../../domain/types';
import { policyOfDescription } from '../../domain/signoff';
import { partyOf, type InitiativeView, type Party } from '../../domain/view';
import type { PersonDoc } from '../../persistence/directory';
import { TIERS, type Tier } from '../../persistence/publications';
import type { TrailCheck } from '../../evidence/trail-check';
import { offeredActs } from '../../domain/acts';
import { TEXT_LANGUAGES, textsOf, type TextLanguage } from '../../domain/draft-text';
import { speaksForState } from '../../domain/roles';
import { basisRevision, redlinesSince, shorten, textsOfRevision } from '../../email/redline';
import { actForms } from '../act-forms';
import { commitmentsSection, type CommitmentsData } from './commitments';
import { dependenciesSection, type DependenciesData } from './dependencies';
import type { WebContext } from '../context';
import { localInputOf, type FormValues } from '../forms';
import { word } from '../i18n';
import {
  csrfField,
  errorSummary,
  field,
  FieldErrors,
  FieldSpec,
  html,
  Html,
  keyField,
  layout,
  stageBadge,
  timeEl,
  when,
} from '../layout';
import { stateDayOff, summaryIn, summitIn, titleIn } from '../../i18n/titles';

/** A form re-shown after a validation failure, with what was typed and what was wrong. */
export interface FormState {
  form: string;
  values: FormValues;
  errors: FieldErrors;
}

export interface InitiativePageData {
  view: InitiativeView;
  events: AuditEvent[];
  /** Officials and other people the Secretariat may name (assign, milestones). */
  people: PersonDoc[];
  /** Names of the people deputies acted for, by id (an id not in the directory any more shows as itself). */
  principals: Record<string, string>;
  failed?: FormState;
  /** For the Secretariat: who may see the initiative (src/service/publication.ts). */
  tier?: Tier;
  /** The stored trail checked against its signed checkpoint. */
  trail?: TrailCheck;
  /** The commitment register's part of the page (src/web/pages/commitments.ts). */
  commitments?: CommitmentsData;
  dependencies?: DependenciesData;
  /** Under the silence procedure: who was told (src/domain/notice-reach.ts). */
  reach?: NoticeReach[];
  /** A due date the extension form offers by step: the sign-off's, past the members' days off. */
  suggestedDue?: Record<string, string>;
  /** The summit the initiative came from, where the rotation calendar records it. */
  summit?: { title: string; city: string; date: string; titleRu?: string; cityRu?: string };
}

/** Whether the timeline below is the one that was recorded: said in words, with where it broke if it did. */
function trailLine(ctx: WebContext, check: TrailCheck | undefined): Html | string {
  if (!check || check.kind === 'unchained') return '';
  const { t } = ctx;
  if (check.kind === 'intact')
    return html`<p class="flash flash-ok" role="note">${t('trailIntact', { n: check.records, seq: check.signedSeq, key: check.keyId })} ${timeEl(ctx, check.signedAt)}.</p>`;
  const where =
    check.at === 'signature'
      ? t('trailBadSignature')
      : t('trailBrokenAt', { n: check.at.position, seq: String(check.at.seq ?? '?') });
  return html`<p class="flash flash-error" role="alert">${t('trailBroken')} ${where}</p>`;
}

/** The Secretariat's choice of who may see the initiative: the member states, or also the public page. */
function publicationSection(ctx: WebContext, v: InitiativeView, tier: Tier | undefined): Html | string {
  if (!tier) return '';
  const { t } = ctx;
  return html`<section aria-labelledby="publication-h" class="card"><h2 id="publication-h">${t('publication')}</h2>
<form method="post" action="/initiatives/${encodeURIComponent(v.id)}/publication">${csrfField(ctx)}${field({
    name: 'tier',
    label: t('publicationTier'),
    type: 'select',
    value: tier,
    options: TIERS.map((k) => ({ value: k, label: t(`tier_${k}`) })),
  })}<div class="buttons"><button type="submit">${t('save')}</button></div></form>${
    tier === 'public'
      ? html`<p><a href="/public/initiatives/${encodeURIComponent(v.id)}">${t('navPublic')}</a></p>`
      : ''
  }</section>`;
}

function policyText(ctx: WebContext, policy: SignoffPolicy): string {
  const rule =
    policy.rule.rule === 'consensus' ? ctx.t('policyConsensus') : ctx.t('policyQuorum', { n: policy.rule.quorum });
  return policy.silenceProcedure ? `${rule}, ${ctx.t('policySilence')}` : rule;
}

/** "state:KZ", "person:official-kz", "secretariat" in words. */
export function partyName(ctx: WebContext, party: Party): string {
  if ('state' in party) return ctx.stateName(party.state);
  if ('personId' in party) return party.name;
  return word(ctx.lang, 'role', party.role);
}

export function eventDetails(ctx: WebContext, v: InitiativeView, e: AuditEvent): string {
  const d = e.data as Record<string, unknown>;
  const s = (x: unknown) => (typeof x === 'string' ? x : '');
  const parts: string[] = [];
  switch (e.type) {
    case 'assigned':
    case 'reassigned':
      parts.push(
        `${ctx.stateName(s(d.leadState))} · ${s(d.officialName)} · ${ctx.t('draftDueAt')}: ${when(ctx, s(d.draftDueAt))}`,
      );
      break;
    case 'draft_submitted':
      parts.push(`“${s(d.title)}”${d.link ? ` · ${s(d.link)}` : ''}`);
      break;
    case 'signoff_opened':
      parts.push(
        `${((d.members as string[]) ?? []).map((m) => ctx.stateName(m)).join(', ')} · ${ctx.t('due')}: ${when(ctx, s(d.dueAt))}`,
      );
      break;
    case 'decided':
      parts.push(
        `${ctx.stateName(s(d.state))}: ${word(ctx.lang, 'decision', s(d.decision))}${d.language ? ` (${ctx.t('approvedIn', { lang: word(ctx.lang, 'language', s(d.language)) })})` : ''}${d.reason ? ` — ${s(d.reason)}` : ''}${d.statement ? ` — ${ctx.t('statement')}: ${s(d.statement)}` : ''}${d.amendment ? ` — ${ctx.t('amendment')}: ${s(d.amendment)}` : ''}${d.textHash ? ` · ${s(d.textHash).slice(0, 12)}…` : ''}`,
      );
      break;
    case 'editorial_revision':
      parts.push(
        `${ctx.t('editorialOf', { n: Number(d.from), who: e.actor?.name ?? '', reason: s(d.reason) })}${(d.carriedApprovals as string[] | undefined)?.length ? ` · ${(d.carriedApprovals as string[]).map((m) => ctx.stateName(m)).join(', ')}` : ''}`,
      );
      break;
    case 'round_blocked':
      parts.push(`${ctx.stateName(s(d.objectedBy))}${d.reason ? ` — ${s(d.reason)}` : ''}`);
      break;
    case 'deadline_extended':
      parts.push(
        `${stepLabel(ctx.lang, s(d.step), v)}: ${when(ctx, s(d.from))} → ${when(ctx, s(d.to))}${d.workingDays ? ` (${ctx.t('workingDaysEachShort', { n: Number(d.workingDays) })})` : ''} — ${s(d.reason)}`,
      );
      break;
    case 'reminder_due':
    case 'escalated':
      parts.push(`${stepLabel(ctx.lang, s(d.step), v)}${d.to ? ` · ${partyName(ctx, partyOf(v, s(d.to)))}` : ''}`);
      break;
    case 'milestone_added':
      parts.push(`“${s(d.title)}” · ${ctx.t('due')}: ${when(ctx, s(d.dueAt))}`);
      break;
    case 'silence_procedure':
      parts.push(((d.deemedApproved as string[]) ?? []).map((m) => ctx.stateName(m)).join(', '));
      break;
    case 'procedure_chosen':
      parts.push(
        `${ctx.t(d.silenceProcedure ? 'procedureSilence' : 'procedureExplicit', { n: Number(d.revision) })} — ${s(d.reason)}`,
      );
      break;
    default:
      if (d.reason) parts.push(s(d.reason));
      else if (d.note) parts.push(s(d.note));
      else if (typeof d.policy === 'string') {
        const policy = policyOfDescription(d.policy);
        parts.push(policy ? policyText(ctx, policy) : d.policy);
      }
  }
  return parts.filter(Boolean).join(' ');
}

function formErrors(data: InitiativePageData, form: string): { values: FormValues; errors: FieldErrors } {
  return data.failed?.form === form
    ? { values: data.failed.values, errors: data.failed.errors }
    : { values: {}, errors: {} };
}

function actsSection(ctx: WebContext, data: InitiativePageData): Html {
  const { view: v } = data;
  const { t } = ctx;
  const offers = offeredActs(v, ctx.actor!);
  const summary = data.failed ? errorSummary(ctx, data.failed.errors) : '';
  if (offers.length === 0)
    return html`<section aria-labelledby="acts-h" class="card"><h2 id="acts-h">${t('yourActs')}</h2>${summary}<p>${t('noActs')}</p></section>`;
  const forms = offers.flatMap((offer) =>
    actForms(ctx, v, offer, data.people, data.suggestedDue).map((spec) => {
      const { values, errors } = formErrors(data, spec.name);
      const fld = (f: FieldSpec) => field({ form: spec.name, value: values[f.name], ...f }, errors);
      return html`<form method="post" action="${spec.action}" novalidate class="act" id="act-${spec.name}">${csrfField(ctx)}${keyField()}
<fieldset><legend>${spec.legend}</legend>${spec.fields(values, fld)}<div class="buttons">${spec.submit}</div></fieldset></form>`;
    }),
  );
  return html`<section aria-labelledby="acts-h" class="card acts"><h2 id="acts-h">${t('yourActs')}</h2>${summary}${forms}</section>`;
}

function decisionsSection(ctx: WebContext, v: InitiativeView, principals: Record<string, string>): Html {
  const { t } = ctx;
  const r = v.round;
  if (!r) return html``;
  const lapsed = r.revision !== v.revision || v.stage === 'drafting';
  return html`<section aria-labelledby="dec-h"><h2 id="dec-h">${t('decisions')}</h2>
${r.blockedBy ? html`<p class="flash flash-error">${t('blockedBy', { state: ctx.stateName(r.blockedBy) })}</p>` : ''}${
    r.daysOff?.length && v.stage === Stage.Signoff
      ? html`<p class="note day-off">${t('dueOnDayOff', { list: r.daysOff.map((o) => stateDayOff(o, ctx.lang, ctx.stateName)).join('; ') })}</p>`
      : ''
  }
<div class="table-wrap" role="region" aria-labelledby="dec-h" tabindex="0"><table><caption>${t('decisionsCaption', { n: r.revision })} · ${t('due')}: ${timeEl(ctx, r.dueAt)}</caption>
<thead><tr><th scope="col">${t('state')}</th><th scope="col">${t('decision')}</th><th scope="col">${t('reason')}</th><th scope="col">${t('by')}</th><th scope="col">${t('when')}</th></tr></thead>
<tbody>${r.members.map((code) => {
    const d = r.decisions?.[code]; // the read model (MongoDB) drops an empty decisions object
    const pending = !d && v.stage === 'signoff' && !r.blockedBy;
    const overdue = pending && r.dueAt < new Date().toISOString();
    const label = d
      ? `${d.deemed ? t('cellDeemed') : word(ctx.lang, 'decision', d.decision)}${d.language ? ` (${t('approvedIn', { lang: word(ctx.lang, 'language', d.language) })})` : ''}${d.carriedFrom ? ` (${t('carriedFrom', { n: d.carriedFrom })})` : ''}${lapsed && d.decision === 'approve' ? ` (${t('cellLapsed')})` : ''}`
      : pending
        ? `${overdue ? t('cellOverdue') : t('cellPending')}${r.acknowledged?.[code] ? ` · ${t('cellAcknowledged', { when: when(ctx, r.acknowledged[code].at) })}` : ''}`
        : t('cellNone');
    const cls = d ? `cell-${d.decision}` : overdue ? 'cell-overdue' : pending ? 'cell-pending' : 'cell-none';
    return html`<tr><th scope="row">${ctx.stateName(code)}</th><td class="${cls}">${label}</td><td>${d?.reason ?? ''}${d?.statement ? html`<p class="note">${t('statement')}: ${d.statement}</p>` : ''}${d?.amendment ? html`<p class="note">${t('amendment')}: ${d.amendment}</p>` : ''}</td><td>${d?.byName ?? ''}${d?.onBehalfOf ? ` (${t('onBehalfOf', { name: principals[d.onBehalfOf] ?? d.onBehalfOf })})` : ''}</td><td>${d ? timeEl(ctx, d.at) : ''}</td></tr>`;
  })}</tbody></table></div></section>`;
}

/** For the revision now before the states: when each state's people received it, first opened it, acknowledged it. */
function reachSection(ctx: WebContext, v: InitiativeView, reach: readonly NoticeReach[]): Html {
  const { t } = ctx;
  const r = v.round;
  if (!r) return html``;
  const rows = reach.filter((x) => x.revision === r.revision);
  if (!rows.length) return html``;
  const opened = (x: NoticeReach) =>
    x.openedAt
      ? html`${timeEl(ctx, x.openedAt)} (${t(x.openedVia === 'link' ? 'reachViaLink' : 'reachViaPage')})`
      : t('reachNotYet');
  return html`<section aria-labelledby="reach-h"><h2 id="reach-h">${t('reachTitle')}</h2><p class="note">${t('reachHint')}</p>
<div class="table-wrap" role="region" aria-labelledby="reach-h" tabindex="0"><table><caption>${t('reachCaption', { n: r.revision })}</caption>
<thead><tr><th scope="col">${t('state')}</th><th scope="col">${t('reachDelivered')}</th><th scope="col">${t('reachOpened')}</th><th scope="col">${t('reachAcknowledged')}</th></tr></thead>
<tbody>${rows.map(
    (x) =>
      html`<tr><th scope="row">${ctx.stateName(x.state)}</th><td>${x.deliveredAt ? timeEl(ctx, x.deliveredAt) : t('reachNotYet')}</td><td>${opened(x)}</td><td>${x.acknowledgedAt ? html`${timeEl(ctx, x.acknowledgedAt)}${x.acknowledgedBy ? ` (${x.acknowledgedBy})` : ''}` : t('reachNotYet')}</td></tr>`,
  )}</tbody></table></div></section>`;
}

function deadlinesSection(ctx: WebContext, v: InitiativeView): Html {
  const { t } = ctx;
  const now = new Date().toISOString();
  const body = v.deadlines.length
    ? html`<div class="table-wrap" role="region" aria-labelledby="dl-h" tabindex="0"><table><thead><tr><th scope="col">${t('step')}</th><th scope="col">${t('due')}</th><th scope="col">${t('waitingOn')}</th></tr></thead><tbody>${v.deadlines.map(
        (d) =>
          html`<tr><th scope="row">${stepLabel(ctx.lang, d.step, v)}</th><td>${timeEl(ctx, d.dueAt)}${d.dueAt < now ? html` <strong class="overdue">${t('overdue')}</strong>` : ''}${d.step === 'draft' && v.draftDayOff ? html`<p class="note day-off">${t('dueOnDayOff', { list: stateDayOff(v.draftDayOff, ctx.lang, ctx.stateName) })}</p>` : ''}</td><td>${d.waitingOn.map((k) => partyName(ctx, partyOf(v, k))).join(', ')}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('noDeadlines')}</p>`;
  return html`<section aria-labelledby="dl-h"><h2 id="dl-h">${t('deadlines')}</h2>${body}</section>`;
}

/** The way through the lifecycle (a withdrawal leaves it wherever it happened). */
const PATH = STAGES.filter((stage) => stage !== Stage.Withdrawn);

/** Where the initiative is on its way, at a glance: the steps behind, this one, the ones ahead. */
function stepper(ctx: WebContext, v: InitiativeView): Html {
  if (v.stage === Stage.Withdrawn) return html``;
  const at = PATH.indexOf(v.stage);
  return html`<ol class="stepper" aria-label="${ctx.t('lifecycle')}">${PATH.map((stage, i) => {
    const name = word(ctx.lang, 'stage', stage);
    if (i < at)
      return html`<li class="step-done">${name}<span class="visually-hidden"> (${ctx.t('stepDone')})</span></li>`;
    if (i === at) return html`<li class="step-now" aria-current="step">${name}</li>`;
    return html`<li>${name}</li>`;
  })}</ol>`;
}

/** The stage, and what needs attention about it: a blocked round, a deadline passed. */
export function statusBadges(ctx: WebContext, v: InitiativeView): Html {
  const blocked = v.stage === Stage.Signoff && v.round?.blockedBy;
  const overdue = !isTerminal(v.stage) && v.nextDueAt !== undefined && v.nextDueAt < new Date().toISOString();
  return html`${stageBadge(v.stage, word(ctx.lang, 'stage', v.stage))}${blocked ? html` <span class="badge badge-blocked">${ctx.t('badgeBlocked')}</span>` : ''}${overdue ? html` <span class="badge badge-overdue">${ctx.t('badgeOverdue')}</span>` : ''}`;
}

/**
 * The draft's texts in each language, marked authentic or working translation, its hash, and what changed
 * since the revision the reader's state last saw (or the previous one).
 */
function draftTexts(ctx: WebContext, v: InitiativeView, events: readonly AuditEvent[]): Html {
  const d = v.draft!;
  const { t } = ctx;
  const texts = textsOf(d);
  const langs = TEXT_LANGUAGES.filter((l) => texts[l]);
  const mine = ctx.actor && speaksForState(ctx.actor) ? ctx.actor.state : undefined;
  const basis = basisRevision(v, mine);
  const changes = basis ? redlinesSince(textsOfRevision(events, basis), texts, basis) : [];
  const mark = (l: TextLanguage) =>
    `${texts[l]!.authentic ? t('textAuthentic') : t('textWorking')}${texts[l]!.revision !== d.revision ? ` · ${t('textOfRevision', { n: texts[l]!.revision })}` : ''}`;
  return html`${d.editorial ? html`<p class="note">${t('editorialOf', { n: d.editorial.from, who: d.editorial.byName, reason: d.editorial.reason })}</p>` : ''}${langs.map(
    (l) =>
      html`<h3>${word(ctx.lang, 'language', l)} <span class="badge">${mark(l)}</span></h3><div class="draft-text" lang="${l}">${texts[l]!.text}</div>`,
  )}${d.textHash ? html`<p class="hash">${t('textHash')}: <code>${d.textHash}</code></p>` : ''}${changes.map(
    (r) =>
      html`<h3>${basis === v.decidedRevisions?.[mine ?? ''] ? t('redlineSince', { n: r.from }) : t('redlineSincePrevious', { n: r.from })} — ${word(ctx.lang, 'language', r.lang)}</h3>
<div class="draft-text redline" lang="${r.lang}">${r.parts.map((p) =>
        p.kind === 'added'
          ? html`<ins><span class="visually-hidden">[${t('redlineAdded')}: </span>${p.text}<span class="visually-hidden">]</span></ins>`
          : p.kind === 'removed'
            ? html`<del><span class="visually-hidden">[${t('redlineRemoved')}: </span>${p.text}<span class="visually-hidden">]</span></del>`
            : shorten(p.text),
      )}</div>`,
  )}`;
}

/** "7th Consultative Meeting … (Tashkent, 16 November 2025)", in the reader's language. */
function summitLine(ctx: WebContext, s: InitiativePageData['summit']): string | undefined {
  if (!s) return undefined;
  const { title, city } = summitIn(s, ctx.lang);
  const day = new Intl.DateTimeFormat(ctx.lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' });
  return `${title} (${city}, ${day.format(new Date(`${s.date}T12:00:00Z`))})`;
}

export function initiativePage(ctx: WebContext, data: InitiativePageData): string {
  const { view: v, events } = data;
  const { t } = ctx;
  const draft = v.draft
    ? html`<p><strong>${t('revision', { n: v.draft.revision })}: ${v.draft.title}</strong> — ${t('submittedBy', { who: v.draft.submittedBy === v.lead?.officialId ? v.lead.officialName : v.draft.submittedBy, when: when(ctx, v.draft.submittedAt) })}</p>
${v.draft.link ? html`<p><a href="${/^https?:\/\//i.test(v.draft.link) ? v.draft.link : '#'}" rel="noopener noreferrer">${v.draft.link}</a></p>` : ''}${draftTexts(ctx, v, events)}`
    : html`<p>${t('noDraft')}</p>`;
  const milestones = v.milestones.length
    ? html`<section aria-labelledby="ms-h"><h2 id="ms-h">${t('milestones')}</h2><ul class="plain">${v.milestones.map(
        (m) =>
          html`<li><strong>${m.title}</strong> — ${t('milestoneOwner')}: ${m.ownerName} · ${m.completedAt ? t('done', { when: when(ctx, m.completedAt) }) : html`${t('due')}: ${timeEl(ctx, m.dueAt)}`}</li>`,
      )}</ul></section>`
    : '';
  const body = html`<p class="crumbs"><a href="/initiatives">${t('navInitiatives')}</a></p>
<h1>${titleIn(v, ctx.lang)}</h1>
<p>${statusBadges(ctx, v)}${v.revision ? html` <span class="rev">${t('revision', { n: v.revision })}</span>` : ''}</p>
${stepper(ctx, v)}
${v.closed ? html`<p>${t('closed', { when: when(ctx, v.closed.at), reason: v.closed.reason })}</p>` : ''}
<div class="columns"><div>
<dl class="meta">
<dt>${t('proposedBy')}</dt><dd>${ctx.stateName(v.proposingState)}</dd>
<dt>${t('summit')}</dt><dd>${summitLine(ctx, data.summit) ?? v.summit}</dd>
<dt>${t('category')}</dt><dd>${word(ctx.lang, 'category', v.category)}</dd>
<dt>${t('policy')}</dt><dd>${policyText(ctx, v.policy)}</dd>
<dt>${t('leadState')}</dt><dd>${v.lead ? ctx.stateName(v.lead.state) : t('notAssigned')}</dd>
<dt>${t('official')}</dt><dd>${v.lead?.officialName ?? t('notAssigned')}</dd>
</dl>
${summaryIn(v, ctx.lang) ? html`<h2>${t('summary')}</h2><p>${summaryIn(v, ctx.lang)}</p>` : ''}
${v.source ? html`<h2>${t('source')}</h2><blockquote><p>${v.source.quote}</p><footer>${v.source.document}</footer></blockquote>` : ''}
<section aria-labelledby="draft-h"><h2 id="draft-h">${t('draft')}</h2>${draft}</section>
${decisionsSection(ctx, v, data.principals)}
${data.reach ? reachSection(ctx, v, data.reach) : ''}
${deadlinesSection(ctx, v)}
${milestones}
${data.dependencies ? dependenciesSection(ctx, v, data.dependencies) : ''}
${data.commitments ? commitmentsSection(ctx, v, data.commitments) : ''}
</div><div>${actsSection(ctx, data)}${publicationSection(ctx, v, data.tier)}</div></div>
<section aria-labelledby="tl-h"><h2 id="tl-h">${t('timeline')}</h2>${trailLine(ctx, data.trail)}${events.length ? html`<p><a class="button" href="/initiatives/${encodeURIComponent(v.id)}/audit.csv" download>${t('exportCsv')}</a> <a class="button" href="/api/initiatives/${encodeURIComponent(v.id)}/evidence" download>${t('evidencePack')}</a> <a class="button" href="/api/initiatives/${encodeURIComponent(v.id)}/evidence?format=pdf&amp;lang=${ctx.lang}" download>${t('evidencePackPdf')}</a></p>` : ''}${
    events.length
      ? html`<ol class="timeline">${events.map(
          (e) =>
            html`<li><span class="tl-when">${timeEl(ctx, e.at)}</span> <strong>${word(ctx.lang, 'event', e.type)}</strong>${e.revision ? html` <span class="rev">${t('revisionShort', { n: e.revision })}</span>` : ''}${
              e.actor
                ? html` — ${e.actor.name}${e.actor.onBehalfOf ? ` (${t('onBehalfOf', { name: data.principals[e.actor.onBehalfOf] ?? e.actor.onBehalfOf })})` : ''}`
                : ''
            }<div class="tl-detail">${eventDetails(ctx, v, e)}</div></li>`,
        )}</ol>`
      : html`<p>${t('noEvents')}</p>`
  }</section>`;
  return layout(ctx, titleIn(v, ctx.lang), body, '/initiatives');
}
