/** "My settings": language, time zone, the daily digest, reminders, and the private calendar feed. */
import type { PersonDoc } from '../../persistence/directory';
import type { WebContext } from '../context';
import { csrfField, errorSummary, field, FieldErrors, html, layout, timeEl } from '../layout';

/** Every zone the runtime knows: a list to choose from, so no zone is mistyped. */
const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

export interface SettingsPageData {
  person: PersonDoc;
  /** The zone of the person's state, used when they choose none. */
  stateZone?: string;
  feed: { active: boolean; createdAt?: string; lastUsedAt?: string; url?: string };
  values?: Record<string, string>;
  errors?: FieldErrors;
}

export function settingsPage(ctx: WebContext, data: SettingsPageData): string {
  const { t } = ctx;
  const p = data.person;
  const v = data.values ?? {};
  const errors = data.errors ?? {};
  const optOut = p.notifications?.optOut ?? [];
  const form = html`<form method="post" action="/settings" novalidate class="card">${csrfField(ctx)}
<fieldset><legend>${t('settingsMail')}</legend>
${field(
  {
    name: 'locale',
    label: t('settingsLanguage'),
    type: 'select',
    value: v.locale ?? p.locale,
    options: [
      { value: 'en', label: 'English', lang: 'en' },
      { value: 'ru', label: 'Русский', lang: 'ru' },
    ],
  },
  errors,
)}
${field({ name: 'timeZone', label: t('settingsZone'), type: 'select', value: v.timeZone ?? p.timeZone ?? '', hint: t('settingsZoneHint'), options: [{ value: '', label: t('settingsZoneState', { zone: data.stateZone ?? ctx.zone }) }, ...ZONES.map((z) => ({ value: z, label: z }))] }, errors)}
${field({ name: 'digest', label: t('settingsDigest'), type: 'checkbox', checked: v.digest !== undefined ? v.digest === 'true' : Boolean(p.notifications?.digest), hint: t('settingsDigestHint') }, errors)}
${field({ name: 'reminders', label: t('settingsReminders'), type: 'checkbox', checked: v.reminders !== undefined ? v.reminders === 'true' : !optOut.includes('reminder'), hint: t('settingsRemindersHint') }, errors)}
<div class="buttons"><button type="submit">${t('save')}</button></div></fieldset></form>`;
  const feed = data.feed;
  const feedBody = html`<section aria-labelledby="feed-h" class="card"><h2 id="feed-h">${t('settingsFeed')}</h2>
<p>${t('settingsFeedIntro')}</p>
${feed.url ? html`<div id="outcome" class="flash flash-ok" role="status" tabindex="-1" autofocus><p>${t('settingsFeedCreated')}</p><p><code class="feed-url">${feed.url}</code></p></div>` : ''}
<p>${feed.active ? html`${t('settingsFeedLive')} ${timeEl(ctx, feed.createdAt)}${feed.lastUsedAt ? html` · ${t('settingsFeedUsed')} ${timeEl(ctx, feed.lastUsedAt)}` : ''}` : t('settingsFeedNone')}</p>
<form method="post" action="/settings/calendar-feed" class="inline">${csrfField(ctx)}<button type="submit">${feed.active ? t('settingsFeedReplace') : t('settingsFeedCreate')}</button></form>
${feed.active ? html` <form method="post" action="/settings/calendar-feed/revocation" class="inline">${csrfField(ctx)}<button type="submit" class="danger">${t('settingsFeedRevoke')}</button></form>` : ''}</section>`;
  return layout(
    ctx,
    t('settingsTitle'),
    html`<div class="narrow"><h1>${t('settingsTitle')}</h1>${errorSummary(ctx, errors)}${form}${feedBody}</div>`,
    '/settings',
  );
}
