/** Sign-in by magic link: ask for the email, then the link's page with the button that signs in (opening a link changes nothing). */
import type { WebContext } from '../context';
import { errorSummary, field, FieldErrors, html, layout } from '../layout';

export function signInPage(
  ctx: WebContext,
  opts: { minutes: number; email?: string; errors?: FieldErrors; sent?: boolean },
): string {
  const { t } = ctx;
  const errors = opts.errors ?? {};
  const body = html`<div class="narrow"><h1>${t('signInTitle')}</h1>
${opts.sent ? html`<div class="flash flash-ok" role="status">${t('linkSent')}</div>` : ''}
${errorSummary(ctx, errors)}
<p>${t('signInIntro', { minutes: opts.minutes })}</p>
<form method="post" action="/sign-in" novalidate>${field({ name: 'email', label: t('email'), type: 'email', required: true, value: opts.email, attrs: 'autocomplete="email"' }, errors)}
<div class="buttons"><button type="submit">${t('sendLink')}</button></div></form></div>`;
  return layout(ctx, t('signInTitle'), body);
}

export function signInLinkPage(ctx: WebContext, token: string, nonce: string): string {
  const { t } = ctx;
  const body = html`<div class="narrow"><h1>${t('signInTitle')}</h1><p>${t('linkPageIntro')}</p>
<form method="post" action="/sign-in/link"><input type="hidden" name="token" value="${token}"><input type="hidden" name="nonce" value="${nonce}">
<div class="buttons"><button type="submit">${t('signInButton')}</button></div></form></div>`;
  return layout(ctx, t('signInTitle'), body);
}

/** The sign-in email in the person's language; the link is the only way in. */
export function signInEmail(ctx: Pick<WebContext, 't'>, name: string, link: string, minutes: number) {
  const { t } = ctx;
  const text = [
    t('dear', { name }),
    '',
    t('signInEmailBody'),
    link,
    '',
    t('signInEmailNote', { minutes }),
    '',
    `— ${t('appName')}`,
  ].join('\n');
  const body = html`<!doctype html><html><body style="font-family:sans-serif"><p>${t('dear', { name })}</p><p><a href="${link}">${t('signInEmailBody')}</a></p><p>${link}</p><p>${t('signInEmailNote', { minutes })}</p></body></html>`;
  return { subject: t('signInEmailSubject'), text, html: body.value };
}
