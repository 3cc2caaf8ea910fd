/** The Secretariat's pages: start an initiative, import a summit file, and the directory with its edit forms. */
import { Role } from '../../domain/types';
import type { PersonDoc, RotationDoc, StateDoc } from '../../persistence/directory';
import type { WebContext } from '../context';
import type { FormValues } from '../forms';
import { word } from '../i18n';
import { csrfField, errorSummary, field, FieldErrors, html, Html, keyField, layout } from '../layout';

const ROLES = Object.values(Role);

function stateSelect(
  ctx: WebContext,
  name: string,
  label: string,
  value: string | undefined,
  errors: FieldErrors,
  withNone = false,
): Html {
  const options = [...ctx.states.values()].map((s) => ({ value: s._id, label: `${s.name[ctx.lang]} (${s._id})` }));
  return field(
    {
      name,
      label,
      type: 'select',
      value,
      options: withNone ? [{ value: '', label: ctx.t('none') }, ...options] : options,
    },
    errors,
  );
}

function formPage(
  ctx: WebContext,
  title: string,
  action: string,
  errors: FieldErrors,
  fields: Html,
  submit: string,
  active: string,
  enctype?: string,
  intro?: string,
): string {
  const body = html`<div class="narrow"><h1>${title}</h1>${intro ? html`<p>${intro}</p>` : ''}${errorSummary(ctx, errors)}
<form method="post" action="${action}" novalidate${enctype ? new Html(` enctype="${enctype}"`) : ''}>${csrfField(ctx)}${keyField()}${fields}
<div class="buttons"><button type="submit">${submit}</button></div></form></div>`;
  return layout(ctx, title, body, active);
}

export function startPage(ctx: WebContext, values: FormValues = {}, errors: FieldErrors = {}): string {
  const { t } = ctx;
  const fields = html`${field({ name: 'title', label: t('title'), required: true, value: values.title, attrs: 'maxlength="300"' }, errors)}
${field({ name: 'id', label: t('slug'), value: values.id, hint: t('slugHint'), attrs: 'pattern="[a-z0-9][a-z0-9-]{1,78}[a-z0-9]"' }, errors)}
${stateSelect(ctx, 'proposingState', t('proposingState'), values.proposingState, errors)}
${field({ name: 'summit', label: t('summit'), required: true, value: values.summit, attrs: 'maxlength="100"' }, errors)}
${field({ name: 'category', label: t('category'), required: true, value: values.category, attrs: 'maxlength="100"' }, errors)}
${field({ name: 'summary', label: t('summaryField'), type: 'textarea', value: values.summary }, errors)}
${field({ name: 'titleRu', label: t('titleRuField'), value: values.titleRu, attrs: 'maxlength="300" lang="ru"' }, errors)}
${field({ name: 'summaryRu', label: t('summaryRuField'), type: 'textarea', value: values.summaryRu, attrs: 'lang="ru"' }, errors)}
${field({ name: 'rule', label: t('policyRule'), type: 'select', value: values.rule ?? 'consensus', options: ['consensus', 'quorum'].map((r) => ({ value: r, label: word(ctx.lang, 'rule', r) })) }, errors)}
${field({ name: 'quorum', label: t('quorum'), type: 'number', value: values.quorum, attrs: 'min="1" max="50"' }, errors)}
${field({ name: 'silenceProcedure', label: t('silenceField'), type: 'checkbox', checked: values.silenceProcedure === 'true' }, errors)}
${field({ name: 'assignmentDueAt', label: t('assignmentDueAt'), type: 'datetime-local', value: values.assignmentDueAt, hint: t('dueHint', { zone: ctx.zone }) }, errors)}`;
  return formPage(ctx, t('startTitle'), '/secretariat/start', errors, fields, t('startButton'), '/secretariat/start');
}

export function importPage(
  ctx: WebContext,
  maxBytes: number,
  errors: FieldErrors = {},
  problems: string[] = [],
): string {
  const { t } = ctx;
  const size = `${Math.round(maxBytes / 1024 / 1024)} MB`;
  const fields = html`${field({ name: 'file', label: t('file'), type: 'file', required: true, attrs: 'accept=".json,application/json"' }, errors)}
${problems.length ? html`<ul class="problems">${problems.map((p) => html`<li><code>${p}</code></li>`)}</ul>` : ''}`;
  return formPage(
    ctx,
    t('importTitle'),
    '/secretariat/import',
    errors,
    fields,
    t('importButton'),
    '/secretariat/import',
    'multipart/form-data',
    t('importIntro', { size }),
  );
}

export function directoryPage(ctx: WebContext, people: PersonDoc[], rotation: RotationDoc[]): string {
  const { t } = ctx;
  const edit = (href: string, what: string) =>
    html`<a href="${href}">${t('edit')}<span class="visually-hidden"> ${what}</span></a>`;
  const states = [...ctx.states.values()];
  const names = new Map(people.map((p) => [p._id, p.name] as const));
  const nameOf = (id: string) => names.get(id) ?? id;
  const body = html`<h1>${t('directoryTitle')}</h1>
<section aria-labelledby="st-h"><h2 id="st-h">${t('states')}</h2><p><a class="button" href="/secretariat/directory/state">${t('newState')}</a></p>
<div class="table-wrap" role="region" aria-labelledby="st-h" tabindex="0"><table><thead><tr><th scope="col">${t('code')}</th><th scope="col">${t('name')}</th><th scope="col">${t('timeZone')}</th><th scope="col">${t('admittedOn')}</th><th scope="col">${t('leftOn')}</th><td></td></tr></thead>
<tbody>${states.map((s) => html`<tr><th scope="row">${s._id}</th><td>${s.name[ctx.lang]}</td><td>${s.timeZone}</td><td>${s.admittedOn}</td><td>${s.leftOn ?? ''}</td><td>${edit(`/secretariat/directory/state?code=${s._id}`, s.name[ctx.lang])}</td></tr>`)}</tbody></table></div></section>
<section aria-labelledby="pp-h"><h2 id="pp-h">${t('people')}</h2><p><a class="button" href="/secretariat/directory/person">${t('newPerson')}</a></p>
<div class="table-wrap" role="region" aria-labelledby="pp-h" tabindex="0"><table><thead><tr><th scope="col">${t('name')}</th><th scope="col">${t('email')}</th><th scope="col">${t('roles')}</th><th scope="col">${t('state')}</th><th scope="col">${t('locale')}</th><td></td></tr></thead>
<tbody>${people.map(
    (p) =>
      html`<tr><th scope="row">${p.name}<br><small>${p._id}</small></th><td>${p.email}</td><td>${p.roles.map((r) => word(ctx.lang, 'role', r)).join(', ')}${p.deputyOf ? ` (${t('onBehalfOf', { name: nameOf(p.deputyOf) })}${p.delegation ? `, ${p.delegation.from} – ${p.delegation.to}` : ''})` : ''}</td><td>${ctx.stateName(p.state)}</td><td>${p.locale}</td><td>${edit(`/secretariat/directory/person?id=${encodeURIComponent(p._id)}`, p.name)}</td></tr>`,
  )}</tbody></table></div></section>
<section aria-labelledby="rt-h"><h2 id="rt-h">${t('rotation')}</h2><p><a class="button" href="/secretariat/directory/rotation">${t('newRotation')}</a></p>
<div class="table-wrap" role="region" aria-labelledby="rt-h" tabindex="0"><table><thead><tr><th scope="col">${t('year')}</th><th scope="col">${t('chair')}</th><th scope="col">${t('from')}</th><th scope="col">${t('to')}</th><th scope="col">${t('summit')}</th><td></td></tr></thead>
<tbody>${rotation.map((r) => html`<tr><th scope="row">${r._id}</th><td>${ctx.stateName(r.chairState)}</td><td>${r.from}</td><td>${r.to}</td><td>${r.summit ? `${r.summit.date}, ${r.summit.city}: ${r.summit.title}` : ''}</td><td>${edit(`/secretariat/directory/rotation?year=${r._id}`, String(r._id))}</td></tr>`)}</tbody></table></div></section>`;
  return layout(ctx, t('directoryTitle'), body, '/secretariat/directory');
}

export function stateFormValues(s: StateDoc | null): FormValues {
  return s
    ? {
        code: s._id,
        nameEn: s.name.en,
        nameRu: s.name.ru,
        timeZone: s.timeZone,
        admittedOn: s.admittedOn,
        leftOn: s.leftOn ?? '',
      }
    : {};
}

export function stateEditPage(
  ctx: WebContext,
  existing: boolean,
  values: FormValues,
  errors: FieldErrors = {},
): string {
  const { t } = ctx;
  const fields = html`${field({ name: 'code', label: t('code'), required: true, value: values.code, attrs: `pattern="[A-Z]{2}" maxlength="2"${existing ? ' readonly' : ''}` }, errors)}
${field({ name: 'nameEn', label: t('nameEn'), required: true, value: values.nameEn }, errors)}
${field({ name: 'nameRu', label: t('nameRu'), required: true, value: values.nameRu, attrs: 'lang="ru"' }, errors)}
${field({ name: 'timeZone', label: t('timeZone'), required: true, value: values.timeZone, hint: t('timeZoneHint') }, errors)}
${field({ name: 'admittedOn', label: t('admittedOn'), type: 'date', required: true, value: values.admittedOn }, errors)}
${field({ name: 'leftOn', label: t('leftOn'), type: 'date', value: values.leftOn }, errors)}`;
  const title = existing ? t('editState', { name: values.nameEn ?? values.code ?? '' }) : t('newState');
  return formPage(ctx, title, '/secretariat/directory/state', errors, fields, t('save'), '/secretariat/directory');
}

export function personFormValues(p: PersonDoc | null): FormValues {
  return p
    ? {
        id: p._id,
        name: p.name,
        email: p.email,
        roles: p.roles.join(','),
        state: p.state ?? '',
        deputyOf: p.deputyOf ?? '',
        delegationFrom: p.delegation?.from ?? '',
        delegationTo: p.delegation?.to ?? '',
        locale: p.locale,
        timeZone: p.timeZone ?? '',
      }
    : { locale: 'en' };
}

export function personEditPage(
  ctx: WebContext,
  existing: boolean,
  values: FormValues,
  representatives: PersonDoc[],
  errors: FieldErrors = {},
): string {
  const { t } = ctx;
  const roles = (values.roles ?? '').split(',');
  const fields = html`${field({ name: 'id', label: t('personId'), required: true, value: values.id, attrs: `pattern="[a-z0-9][a-z0-9._-]{0,79}"${existing ? ' readonly' : ''}` }, errors)}
${field({ name: 'name', label: t('name'), required: true, value: values.name }, errors)}
${field({ name: 'email', label: t('email'), type: 'email', required: true, value: values.email }, errors)}
<fieldset class="field${errors.roles ? ' has-error' : ''}"><legend>${t('roles')}</legend>${ROLES.map(
    (r) =>
      html`<div class="check"><input type="checkbox" name="roles" value="${r}" id="f-role-${r}"${roles.includes(r) ? new Html(' checked') : ''}><label for="f-role-${r}">${word(ctx.lang, 'role', r)}</label></div>`,
  )}${errors.roles ? html`<span class="field-error">${errors.roles}</span>` : ''}</fieldset>
${stateSelect(ctx, 'state', t('personState'), values.state, errors, true)}
${field({ name: 'deputyOf', label: t('deputyOf'), type: 'select', value: values.deputyOf, options: [{ value: '', label: t('none') }, ...representatives.map((p) => ({ value: p._id, label: `${p.name} (${p._id})` }))] }, errors)}
${field({ name: 'delegationFrom', label: t('delegationFrom'), type: 'date', value: values.delegationFrom }, errors)}
${field({ name: 'delegationTo', label: t('delegationTo'), type: 'date', value: values.delegationTo }, errors)}
${field(
  {
    name: 'locale',
    label: t('locale'),
    type: 'select',
    value: values.locale,
    options: [
      { value: 'en', label: 'English' },
      { value: 'ru', label: 'Русский' },
    ],
  },
  errors,
)}
${field({ name: 'timeZone', label: t('personTimeZone'), value: values.timeZone, hint: t('timeZoneHint') }, errors)}`;
  const title = existing ? t('editPerson', { name: values.name ?? values.id ?? '' }) : t('newPerson');
  return formPage(ctx, title, '/secretariat/directory/person', errors, fields, t('save'), '/secretariat/directory');
}

export function rotationFormValues(r: RotationDoc | null): FormValues {
  return r
    ? {
        year: String(r._id),
        chairState: r.chairState,
        from: r.from,
        to: r.to,
        summitDate: r.summit?.date ?? '',
        summitCity: r.summit?.city ?? '',
        summitTitle: r.summit?.title ?? '',
        summitCityRu: r.summit?.cityRu ?? '',
        summitTitleRu: r.summit?.titleRu ?? '',
      }
    : {};
}

export function rotationEditPage(
  ctx: WebContext,
  existing: boolean,
  values: FormValues,
  errors: FieldErrors = {},
): string {
  const { t } = ctx;
  const fields = html`${field({ name: 'year', label: t('year'), type: 'number', required: true, value: values.year, attrs: `min="2000" max="2200"${existing ? ' readonly' : ''}` }, errors)}
${stateSelect(ctx, 'chairState', t('chair'), values.chairState, errors)}
${field({ name: 'from', label: t('from'), type: 'date', required: true, value: values.from }, errors)}
${field({ name: 'to', label: t('to'), type: 'date', required: true, value: values.to }, errors)}
${field({ name: 'summitDate', label: t('summitDate'), type: 'date', value: values.summitDate }, errors)}
${field({ name: 'summitCity', label: t('summitCity'), value: values.summitCity }, errors)}
${field({ name: 'summitTitle', label: t('summitTitle'), value: values.summitTitle }, errors)}
${field({ name: 'summitCityRu', label: t('summitCityRu'), value: values.summitCityRu, attrs: 'lang="ru"' }, errors)}
${field({ name: 'summitTitleRu', label: t('summitTitleRu'), value: values.summitTitleRu, attrs: 'lang="ru"' }, errors)}`;
  const title = existing ? t('editRotation', { year: values.year ?? '' }) : t('newRotation');
  return formPage(ctx, title, '/secretariat/directory/rotation', errors, fields, t('save'), '/secretariat/directory');
}
