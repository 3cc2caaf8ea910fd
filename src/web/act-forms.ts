/**
 * The forms of the acts (src/domain/acts.ts) on an initiative's page: what each kind of body's form asks,
 * and what its values become. A page shows a form only for what offeredActs returns, by the same stages
 * and roles the workflow and the service apply, so nothing is offered that would be refused for them.
 */
import { ACTS, ActBody, type ActName, type Offer } from '../domain/acts';
import type { InitiativeView } from '../domain/view';
import type { PersonDoc } from '../persistence/directory';
import { stepLabel } from '../email/templates';
import type { WebContext } from './context';
import { instantFrom, localInputOf, opt, type FormValues } from './forms';
import { word } from '../i18n/lifecycle-words';
import { actTitle } from './i18n';
import { FieldSpec, html, Html } from './layout';

/** The path an act's form posts to: the act's path in the API, under the page's initiative. */
export function actPath(id: string, act: ActName, target?: string): string {
  const path = ACTS[act].path.replace(':milestoneId', encodeURIComponent(target ?? ''));
  return `/initiatives/${encodeURIComponent(id)}/${path}`;
}

/** An act's form's name: its id, its fields' id prefix, and how a failed submission finds it again. */
export const formNameOf = (act: ActName, target?: string): string => (target === undefined ? act : `${act}-${target}`);

/** The box a person ticks to say they mean an act that cannot be undone (a withdrawal): no slip ends an initiative. */
export const CONFIRM_FIELD = 'confirm';

/** What a form's values become: the body its act takes (validated by the act's schema after this). */
export const FORM_BODIES: Record<ActBody, (v: FormValues, ctx: WebContext) => unknown> = {
  assignment: (v, ctx) => ({
    leadState: v.leadState,
    officialId: v.officialId,
    draftDueAt: instantFrom(v.draftDueAt, ctx.zone),
  }),
  draft: (v) => ({ title: v.title, link: opt(v.link), ...textsFrom(v) }),
  editorial: (v) => ({ title: opt(v.title), ...textsFrom(v), reason: v.reason }),
  acknowledgement: (_v, ctx) => ({ state: ctx.actor?.state ?? '' }),
  decision: (v, ctx) => ({
    state: ctx.actor?.state ?? '',
    decision: v.decision,
    revision: Number(v.revision),
    reason: opt(v.reason),
    statement: opt(v.statement),
    amendment: opt(v.amendment),
    textHash: opt(v.textHash),
    language: opt(v.language),
  }),
  // Working days, when given, win over the date the field was prefilled with.
  deadline: (v, ctx) =>
    opt(v.workingDays)
      ? { step: v.step, workingDays: Number(v.workingDays), reason: v.reason }
      : { step: v.step, dueAt: instantFrom(v.dueAt, ctx.zone), reason: v.reason },
  reason: (v) => ({ reason: v.reason }),
  procedure: (v) => ({ silenceProcedure: v.silenceProcedure === 'true', reason: v.reason }),
  milestone: (v, ctx) => ({ title: v.title, ownerId: v.ownerId, dueAt: instantFrom(v.dueAt, ctx.zone) }),
  note: (v) => ({ note: opt(v.note) }),
};

/** The authentic-texts choice of a form, as the API's list: "en,ru" → ["en", "ru"]. */
function textsFrom(v: FormValues) {
  return {
    text: opt(v.text),
    textRu: opt(v.textRu),
    authentic: v.authentic ? v.authentic.split(',') : undefined,
  };
}

/** The fields of a revision's texts: both languages, and which are authentic (preset from the current draft). */
function textFields(
  ctx: WebContext,
  view: InitiativeView,
  values: FormValues,
  fld: (spec: FieldSpec) => Html,
  prefill = false,
): Html {
  const texts = view.draft?.texts;
  const preset = (lang: 'en' | 'ru') => (prefill ? texts?.[lang]?.text : undefined);
  const current = texts ? (['en', 'ru'] as const).filter((l) => texts[l]?.authentic).join(',') : 'en,ru';
  return html`${fld({ name: 'text', label: ctx.t('draftTextEn'), type: 'textarea', hint: ctx.t('draftTextsHint'), attrs: 'lang="en"', value: values.text ?? preset('en') })}
${fld({ name: 'textRu', label: ctx.t('draftTextRu'), type: 'textarea', attrs: 'lang="ru"', value: values.textRu ?? preset('ru') })}
${fld({ name: 'authentic', label: ctx.t('authentic'), type: 'select', value: values.authentic ?? (current || 'en,ru'), options: AUTHENTIC_CHOICES.map((c) => ({ value: c.value, label: ctx.t(c.label) })) })}`;
}

const AUTHENTIC_CHOICES = [
  { value: 'en,ru', label: 'authenticBoth' },
  { value: 'en', label: 'authenticEn' },
  { value: 'ru', label: 'authenticRu' },
] as const;

/** One form of an act: on what (a target), under which legend, with which fields and buttons. */
export interface ActFormSpec {
  target?: string;
  legend: string;
  fields: (values: FormValues, fld: (spec: FieldSpec) => Html) => Html;
  submit: Html;
}

interface FormInput {
  ctx: WebContext;
  view: InitiativeView;
  offer: Offer;
  people: PersonDoc[];
  /** A due date to offer by step: past the days off of the states that must act by it (src/web/routes.ts). */
  suggestedDue?: Record<string, string>;
  /** The act's title, filled with `vars`. */
  title: (vars?: Record<string, string | number>) => string;
}

const button = (label: string, cls = '') =>
  html`<button type="submit"${cls ? new Html(` class="${cls}"`) : ''}>${label}</button>`;

/** People to choose from, grouped by their state (the lead state's first, when one is given), the Secretariat last. */
function personOptions(ctx: WebContext, people: PersonDoc[], firstState?: string) {
  const groupOf = (p: PersonDoc) => (p.state ? ctx.stateName(p.state) : ctx.t('noState'));
  const rank = (p: PersonDoc) => (p.state === firstState ? 0 : p.state ? 1 : 2);
  const sorted = [...people].sort(
    (a, b) =>
      rank(a) - rank(b) || groupOf(a).localeCompare(groupOf(b), ctx.lang) || a.name.localeCompare(b.name, ctx.lang),
  );
  return [
    { value: '', label: ctx.t('chooseOne') },
    ...sorted.map((p) => ({ value: p._id, label: p.name, group: groupOf(p) })),
  ];
}

/** What each kind of body's form asks. */
const FORMS: Record<ActBody, (input: FormInput) => ActFormSpec[]> = {
  decision: ({ ctx, view, offer, title }) => {
    const state = offer.targets![0];
    const revision = view.round!.revision;
    const texts = view.draft?.texts ?? {};
    const authentic = (['en', 'ru'] as const).filter((l) => texts[l]?.authentic);
    const preferred = authentic.includes(ctx.lang) ? ctx.lang : authentic[0];
    return [
      {
        legend: title({ state: ctx.stateName(state), n: revision }),
        fields: (values, fld) =>
          html`<input type="hidden" name="revision" value="${revision}">${view.round?.textHash ? html`<input type="hidden" name="textHash" value="${view.round.textHash}">` : ''}${
            authentic.length > 1
              ? fld({
                  name: 'language',
                  label: ctx.t('languageApproved'),
                  type: 'select',
                  hint: ctx.t('languageApprovedHint'),
                  value: values.language ?? preferred,
                  options: authentic.map((l) => ({ value: l, label: word(ctx.lang, 'language', l) })),
                })
              : ''
          }${fld({ name: 'reason', label: ctx.t('reason'), type: 'textarea', hint: ctx.t('reasonHint') })}
${fld({ name: 'statement', label: ctx.t('statement'), type: 'textarea', hint: ctx.t('statementHint') })}
${fld({ name: 'amendment', label: ctx.t('amendment'), type: 'textarea', hint: ctx.t('amendmentHint') })}`,
        submit: html`<button type="submit" name="decision" value="approve" class="ok">${ctx.t('approve')}</button>
<button type="submit" name="decision" value="abstain">${ctx.t('abstain')}</button>
<button type="submit" name="decision" value="request_changes">${ctx.t('requestChanges')}</button>
<button type="submit" name="decision" value="amend">${ctx.t('proposeAmendment')}</button>
<button type="submit" name="decision" value="object" class="danger">${ctx.t('object')}</button>`,
      },
    ];
  },
  draft: ({ ctx, view, title }) => [
    {
      legend: `${title()} (${ctx.t('revision', { n: view.revision + 1 })})`,
      fields: (values, fld) => html`${fld({ name: 'title', label: ctx.t('draftTitle'), required: true })}
${fld({ name: 'link', label: ctx.t('draftLink'), type: 'url', hint: ctx.t('draftHint') })}
${textFields(ctx, view, values, fld)}`,
      submit: button(title()),
    },
  ],
  acknowledgement: ({ ctx, view, offer, title }) => [
    {
      legend: title({ state: ctx.stateName(offer.targets![0]) }),
      fields: () => html`<p class="hint">${ctx.t('acknowledgeHint', { n: view.round!.revision })}</p>`,
      submit: button(title({ state: ctx.stateName(offer.targets![0]) })),
    },
  ],
  editorial: ({ ctx, view, title }) => [
    {
      legend: `${title()} (${ctx.t('revision', { n: view.revision + 1 })})`,
      fields: (values, fld) => html`<p class="hint">${ctx.t('editorialHint')}</p>
${fld({ name: 'title', label: ctx.t('draftTitle'), value: values.title ?? view.draft?.title })}
${textFields(ctx, view, values, fld, true)}
${fld({ name: 'reason', label: ctx.t('editorialReason'), required: true })}`,
      submit: button(title()),
    },
  ],
  assignment: ({ ctx, view, people, title }) => {
    const states = [...ctx.states.values()]
      .filter((s) => !s.leftOn)
      .map((s) => ({ value: s._id, label: s.name[ctx.lang] }));
    const label = view.lead ? ctx.t('actReassign') : title();
    const officials = people.filter((p) => p.roles.includes('official'));
    return [
      {
        legend: label,
        fields: (
          values,
          fld,
        ) => html`${fld({ name: 'leadState', label: ctx.t('leadState'), type: 'select', required: true, value: values.leadState ?? view.lead?.state ?? view.proposingState, options: states })}
${fld({ name: 'officialId', label: ctx.t('official'), type: 'select', required: true, value: values.officialId ?? view.lead?.officialId, options: personOptions(ctx, officials, values.leadState ?? view.lead?.state ?? view.proposingState) })}
${fld({ name: 'draftDueAt', label: ctx.t('draftDueAt'), type: 'datetime-local', required: true, hint: ctx.t('dueHint', { zone: ctx.zone }) })}`,
        submit: button(label),
      },
    ];
  },
  note: ({ ctx, view, offer, title }) =>
    (offer.targets ?? [undefined]).map((target) => ({
      target,
      legend: target ? `${ctx.t('milestoneTitle')}: ${view.milestones.find((m) => m.id === target)?.title}` : title(),
      fields: (_v, fld) => fld({ name: 'note', label: ctx.t('note') }),
      submit: button(title()),
    })),
  deadline: ({ ctx, view, offer, title, suggestedDue }) => [
    {
      legend: title(),
      fields: (values, fld) => {
        const steps = offer.targets ?? [];
        const step = values.step ?? steps[0];
        const offered = suggestedDue?.[step];
        const due = offered ?? view.deadlines.find((d) => d.step === step)?.dueAt;
        const hint = offered
          ? `${ctx.t('dueOverDaysOff', { when: localInputOf(offered, ctx.zone).replace('T', ' ') })} ${ctx.t('dueHint', { zone: ctx.zone })}`
          : ctx.t('dueHint', { zone: ctx.zone });
        return html`${fld({ name: 'step', label: ctx.t('step'), type: 'select', value: step, options: steps.map((s) => ({ value: s, label: stepLabel(ctx.lang, s, view) })) })}
${fld({ name: 'dueAt', label: ctx.t('newDue'), type: 'datetime-local', required: !steps.includes('signoff'), value: values.dueAt ?? localInputOf(due, ctx.zone), hint })}
${steps.includes('signoff') ? fld({ name: 'workingDays', label: ctx.t('workingDaysEach'), type: 'number', attrs: 'min="1" max="366" inputmode="numeric"', value: values.workingDays, hint: ctx.t('workingDaysEachHint') }) : ''}
${fld({ name: 'reason', label: ctx.t('reason'), required: true })}`;
      },
      submit: button(title()),
    },
  ],
  milestone: ({ ctx, people, title }) => [
    {
      legend: title(),
      fields: (_v, fld) => html`${fld({ name: 'title', label: ctx.t('milestoneTitle'), required: true })}
${fld({ name: 'ownerId', label: ctx.t('milestoneOwner'), type: 'select', required: true, options: personOptions(ctx, people) })}
${fld({ name: 'dueAt', label: ctx.t('dueAt'), type: 'datetime-local', required: true, hint: ctx.t('dueHint', { zone: ctx.zone }) })}`,
      submit: button(title()),
    },
  ],
  // Offered the other procedure than the one the next revision would run now (choosing the same is refused).
  procedure: ({ ctx, view, title }) => [
    {
      legend: `${title()} (${ctx.t('revision', { n: view.revision + 1 })})`,
      fields: (values, fld) =>
        html`${fld({
          name: 'silenceProcedure',
          label: ctx.t('procedureField'),
          type: 'select',
          required: true,
          hint: ctx.t(view.policy.silenceProcedure ? 'procedureNowSilence' : 'procedureNowExplicit'),
          value: values.silenceProcedure ?? String(!view.policy.silenceProcedure),
          options: [true, false].map((silence) => ({
            value: String(silence),
            label: ctx.t(silence ? 'procedureOptionSilence' : 'procedureOptionExplicit'),
          })),
        })}${fld({ name: 'reason', label: ctx.t('reason'), required: true })}`,
      submit: button(title()),
    },
  ],
  reason: ({ ctx, offer, title }) => [
    {
      legend: title(),
      fields: (_v, fld) =>
        html`${fld({ name: 'reason', label: ctx.t('reason'), required: true })}${ACTS[offer.act].destructive ? fld({ name: CONFIRM_FIELD, label: ctx.t('confirmDestructive'), type: 'checkbox', required: true }) : ''}`,
      submit: button(title(), ACTS[offer.act].destructive ? 'danger' : ''),
    },
  ],
};

/** The forms for an offered act, each with the name its fields and a failed submission go by. */
export function actForms(
  ctx: WebContext,
  view: InitiativeView,
  offer: Offer,
  people: PersonDoc[],
  suggestedDue?: Record<string, string>,
): (ActFormSpec & { name: string; action: string })[] {
  const title = (vars?: Record<string, string | number>) => actTitle(ctx.lang, offer.act, vars);
  return FORMS[ACTS[offer.act].body]({ ctx, view, offer, people, title, suggestedDue }).map((spec) => ({
    ...spec,
    name: formNameOf(offer.act, spec.target),
    action: actPath(view.id, offer.act, spec.target),
  }));
}
