/**
 * The page shell and the pieces every page uses: navigation, language switch, flash, form fields with
 * their errors, and times in the reader's zone. Everything goes through `html`, which escapes.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml, Html, html } from '../api/html';
import { formatInZone } from '../domain/time';
import { parliamentOnly } from '../api/parliament-gate';
import { Role } from '../domain/types';
import type { WebContext } from './context';
import { WEB_LANGS } from './i18n';

export { html, Html };

/** Errors by field name, shown next to their fields. */
export type FieldErrors = Record<string, string>;

const LANG_NAMES = { en: 'English', ru: 'Русский' } as const;

function nav(ctx: WebContext, active: string): Html {
  if (!ctx.actor) return html``;
  const { t } = ctx;
  // A member of parliament reads their own page only (src/api/parliament-gate.ts).
  const links: [string, string][] = parliamentOnly(ctx.actor)
    ? [['/parliaments', t('navParliaments')]]
    : [
        ['/', t('navInbox')],
        ['/initiatives', t('navInitiatives')],
        ['/matrix', t('navMatrix')],
        ['/commitments', t('navCommitments')],
        ['/dashboard', t('navDashboard')],
        ['/rotation', t('navRotation')],
      ];
  if (ctx.actor.roles.includes(Role.Secretariat)) {
    links.push(
      ['/secretariat/start', t('navStart')],
      ['/secretariat/import', t('navImport')],
      ['/secretariat/directory', t('navDirectory')],
    );
  }
  return html`<nav aria-label="${t('mainNav')}"><ul class="nav">${links.map(
    ([href, label]) =>
      html`<li><a href="${href}"${href === active ? new Html(' aria-current="page"') : ''}>${label}</a></li>`,
  )}</ul></nav>`;
}

function langSwitch(ctx: WebContext): Html {
  return html`<div class="langs" role="group" aria-label="${ctx.t('language')}">${WEB_LANGS.map((l) =>
    l === ctx.lang
      ? html`<span lang="${l}" aria-current="true">${LANG_NAMES[l]}</span>`
      : html`<a lang="${l}" hreflang="${l}" href="/lang/${l}?next=${encodeURIComponent(ctx.here)}">${LANG_NAMES[l]}</a>`,
  )}</div>`;
}

function account(ctx: WebContext): Html {
  if (!ctx.actor) return html``;
  return html`<div class="account"><span>${ctx.t('signedInAs', { name: ctx.actor.name })}</span> <a href="/settings">${ctx.t('navSettings')}</a>
<form method="post" action="/sign-out" class="inline">${csrfField(ctx)}<button type="submit" class="link">${ctx.t('signOut')}</button></form></div>`;
}

/**
 * The outcome of the last POST, first in the page and focused when it loads (the redirect also names it
 * as the fragment): read out by screen readers and in view on a phone, however long the page.
 */
export function flashBox(ctx: WebContext): Html {
  if (!ctx.flash) return html``;
  const error = ctx.flash.kind === 'error';
  return html`<div id="outcome" class="flash ${error ? 'flash-error' : 'flash-ok'}" role="${error ? 'alert' : 'status'}" tabindex="-1" autofocus>${ctx.flash.text}</div>`;
}

/** A path with the outcome box as its fragment: where a POST's redirect sends the reader. */
export const toOutcome = (path: string): string => `${path.split('#')[0]}#outcome`;

/** A whole page: lang attribute, skip link, header with navigation, main content, footer naming the time zone. */
export function layout(ctx: WebContext, title: string, body: Html, active = ''): string {
  const { t } = ctx;
  return (
    `<!doctype html>\n` +
    html`<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · ${t('appName')}</title><link rel="stylesheet" href="/assets/web.css"></head>
<body><a class="skip" href="#main">${t('skip')}</a>
<header class="top"><div class="bar"><a class="brand" href="/">${t('appName')}</a>${langSwitch(ctx)}${account(ctx)}</div>${nav(ctx, active)}</header>
<main id="main" tabindex="-1">${flashBox(ctx)}${body}</main>
<footer class="foot"><p>${t('timeZoneNote', { zone: ctx.zone })}</p><p><a href="/public">${t('navPublic')}</a></p></footer>
</body></html>`.value
  );
}

export function csrfField(ctx: WebContext): Html {
  return ctx.csrf ? html`<input type="hidden" name="_csrf" value="${ctx.csrf}">` : html``;
}

/** A fresh key per rendered form, from the CSPRNG: the act's idempotency key, so a double submit acts once. */
export function keyField(): Html {
  return html`<input type="hidden" name="_key" value="${`web-${randomBytes(16).toString('base64url')}`}">`;
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'url' | 'number' | 'date' | 'datetime-local' | 'textarea' | 'select' | 'checkbox' | 'file';
  value?: string;
  required?: boolean;
  hint?: string;
  /** For selects; options with a `group` are shown under it (an <optgroup>), in the order given. */
  /** `lang`: an option named in its own language (a language list). */
  options?: { value: string; label: string; group?: string; lang?: string }[];
  /** For checkboxes: checked. */
  checked?: boolean;
  attrs?: string;
  /** Prefix of the control's id, when a page has several forms with the same field names. */
  form?: string;
}

/** A labelled control with its hint and its error (tied by aria-describedby, marked aria-invalid). */
export function field(spec: FieldSpec, errors: FieldErrors = {}): Html {
  const id = `${spec.form ? `${spec.form}-` : ''}f-${spec.name}`;
  const error = errors[spec.name];
  const described = [spec.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = new Html(
    `id="${escapeHtml(id)}" name="${escapeHtml(spec.name)}"${spec.required ? ' required' : ''}${described ? ` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''}${spec.attrs ? ` ${spec.attrs}` : ''}`,
  );
  const hint = spec.hint ? html`<span class="hint" id="${id}-hint">${spec.hint}</span>` : '';
  const err = error ? html`<span class="field-error" id="${id}-error">${error}</span>` : '';
  let control: Html;
  switch (spec.type) {
    case 'textarea':
      control = html`<textarea ${common} rows="4">${spec.value ?? ''}</textarea>`;
      break;
    case 'select': {
      type Option = { value: string; label: string; lang?: string };
      const option = (o: Option) =>
        html`<option value="${o.value}"${o.lang ? html` lang="${o.lang}"` : ''}${o.value === (spec.value ?? '') ? new Html(' selected') : ''}>${o.label}</option>`;
      const runs: { group?: string; options: Option[] }[] = [];
      for (const o of spec.options ?? []) {
        const last = runs[runs.length - 1];
        if (last && last.group === o.group) last.options.push(o);
        else runs.push({ group: o.group, options: [o] });
      }
      control = html`<select ${common}>${runs.map((r) =>
        r.group === undefined
          ? r.options.map(option)
          : html`<optgroup label="${r.group}">${r.options.map(option)}</optgroup>`,
      )}</select>`;
      break;
    }
    case 'checkbox':
      return html`<div class="field check"><input type="checkbox" value="true" ${common}${spec.checked ? new Html(' checked') : ''}><label for="${id}">${spec.label}</label>${hint}${err}</div>`;
    default:
      control = html`<input type="${spec.type ?? 'text'}" ${common}${spec.type === 'file' ? '' : new Html(` value="${escapeHtml(spec.value ?? '')}"`)}>`;
  }
  return html`<div class="field${error ? ' has-error' : ''}"><label for="${id}">${spec.label}</label>${hint}${control}${err}</div>`;
}

/**
 * The summary at the top of a form shown again: focused on load, beside the form and its kept values.
 * A refusal of the whole form (`_form` alone) is said as it is, without asking to correct fields.
 */
export function errorSummary(ctx: WebContext, errors: FieldErrors): Html {
  const fields = Object.keys(errors).filter((k) => k !== '_form');
  if (!fields.length && !errors._form) return html``;
  const general = errors._form ? html`<p>${errors._form}</p>` : '';
  return html`<div id="outcome" class="flash flash-error" role="alert" tabindex="-1" autofocus>${fields.length ? html`<p>${ctx.t('fixErrors')}</p>` : ''}${general}</div>`;
}

/** An instant in the reader's zone, naming the zone: "Mon 7 December 2026, 09:00 (Asia/Almaty, UTC+05:00)". */
export function when(ctx: WebContext, iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? formatInZone(d, ctx.zone, ctx.lang) : iso;
}

/** A <time> element with the UTC instant as its datetime and the reader's local rendering as its text. */
export function timeEl(ctx: WebContext, iso: string | undefined): Html {
  return iso ? html`<time datetime="${iso}">${when(ctx, iso)}</time>` : html``;
}

export function stageBadge(stage: string, label: string): Html {
  return html`<span class="stage stage-${stage}">${label}</span>`;
}
