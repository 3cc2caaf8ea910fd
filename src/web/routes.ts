/**
 * The web interface's routes: server-rendered pages over the same services, rules and sessions as the
 * API. Every change is a form POST carrying the session's CSRF token, answered by a redirect with a
 * flash message (POST/redirect/GET); a form with invalid fields is shown again with each error beside
 * its field; a refused act shows the workflow's reason.
 */
import type { ZodType } from 'zod';
import express, { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireActor, requireRole } from '../api/auth';
import { forgetPerson } from '../app/credential-cache';
import { dayOf } from '../domain/delegation';
import { rotationGap } from '../domain/rotation';
import { auditSignerOf } from '../evidence/signing';
import { trailCheck } from '../evidence/trail-check';
import { publicInitiativePage, publicListPage } from './pages/public';
import type { RouteDeps } from '../api/deps';
import { noteOpened, reachOf } from '../service/notice-reach';
import { notificationRecordOf } from '../persistence/outbox';
import { memberWithCalendar } from '../service/initiatives';
import { commonWorkingInstant } from '../domain/working-calendar';
import { appErrors, outageOf } from '../app/errors';
import { ApiError, asProblem, problems } from '../api/problem';
import * as s from '../app/schemas';
import type { Config } from '../config';
import { Step, type RefusalCode } from '../domain/initiative';
import { ACT_NAMES, ACTS } from '../domain/acts';
import { ACT_BODIES, actParamsOf, actRequestOf } from '../app/act-bodies';
import { STAGES, Actor, Role, Stage, isTerminal } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import { clientKey, type ActKey } from '../service/initiatives';
import { summitsOnRecord } from '../service/reports';
import { MAX_SUMMIT_FILE_BYTES, summitFile } from '../seed/summit-file';
import { loadSummit } from '../seed/load';
import { redeemMagicLink } from '../persistence/magic-links';
import { CONFIRM_FIELD, FORM_BODIES, formNameOf } from './act-forms';
import { contextOf, rememberChoice, safeLocalPath, setFlash, setLangCookie, WebContext } from './context';
import {
  fieldErrorsOf,
  formKey,
  formList,
  FormValues,
  formValues,
  instantFrom,
  isInvalid,
  parseForm,
  localInputOf,
  opt,
} from './forms';
import { isLang, MessageKey, translator, word } from './i18n';
import { titleIn } from '../i18n/titles';
import { html, layout, toOutcome } from './layout';
import { actOutcome } from './outcome';
import { eventDetails, initiativePage, InitiativePageData } from './pages/initiative';
import { toCsv } from '../api/csv';
import { inboxPage, isInboxFilter } from './pages/inbox';
import { listPage, matrixPage } from './pages/lists';
import { rotationPage } from './pages/rotation';
import {
  directoryPage,
  importPage,
  personEditPage,
  personFormValues,
  rotationEditPage,
  rotationFormValues,
  startPage,
  stateEditPage,
  stateFormValues,
} from './pages/secretariat';
import { signInLinkPage, signInPage } from './pages/sign-in';
import { settingsPage, SettingsPageData } from './pages/settings';
import { calendarFeedStatus, newCalendarFeed } from '../api/routes/inbox';
import { revokeFeeds } from '../persistence/calendar-feeds';
import { UnsubscribeTopic } from '../email/links';

const STATIC = path.join(__dirname, 'static');
const NONCE_COOKIE = 'sfu_web_nonce';
const NEXT_COOKIE = 'sfu_web_next';
const INBOX_FILTER_COOKIE = 'sfu_inbox';

type Handler = (ctx: WebContext, req: Request, res: Response) => Promise<void> | void;

/** Runs an express middleware (a rate limit) inside a handler: resolves when it calls next, rejects with its error. */
export function runMiddleware(mw: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void mw(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

export function errorPage(ctx: WebContext, status: number, title: string, detail: string): string {
  void status;
  return layout(
    ctx,
    title,
    html`<div class="narrow"><h1>${title}</h1><p>${detail}</p><p><a href="/">${ctx.t('back')}</a></p></div>`,
  );
}

/** The Secretariat's time zone for readers without one of their own (the full config carries it; tests may pass less). */
export function fallbackZone(deps: RouteDeps): string {
  return (deps.config as Partial<Pick<Config, 'SECRETARIAT_TIME_ZONE'>>).SECRETARIAT_TIME_ZONE ?? 'UTC';
}

/** A page handler: builds the reader's context, and turns errors into localized pages (401 into the sign-in page). */
export function webHandler(deps: RouteDeps, fn: Handler) {
  return async (req: Request, res: Response, next: NextFunction) => {
    let ctx: WebContext | undefined;
    try {
      ctx = await contextOf(req, res, deps, fallbackZone(deps));
      // Forms must send their real Origin (helmet's no-referrer makes browsers send "null", which the CSRF check refuses).
      res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'same-origin');
      await fn(ctx, req, res);
    } catch (raw) {
      const err = asProblem(raw);
      if (!ctx || res.headersSent) return next(err);
      const { t } = ctx;
      if (err instanceof ApiError) {
        if (err.status === 401)
          return res.redirect(303, `/sign-in?next=${encodeURIComponent(req.method === 'GET' ? ctx.here : '/')}`);
        if (err.status === 404)
          return void res
            .status(404)
            .type('html')
            .send(errorPage(ctx, 404, t('notFoundTitle'), err.detail ?? ''));
        if (err.status === 403)
          return void res
            .status(403)
            .type('html')
            .send(errorPage(ctx, 403, t('forbiddenTitle'), err.detail ?? ''));
        if (err.status === 429)
          return void res
            .status(429)
            .set('Retry-After', String(err.retryAfter ?? 60))
            .type('html')
            .send(errorPage(ctx, 429, err.title, t('tooMany')));
        if (err.status === 503)
          return void res
            .status(503)
            .type('html')
            .send(errorPage(ctx, 503, err.title, t('unavailable')));
      }
      if (outageOf(err))
        return void res
          .status(503)
          .type('html')
          .send(errorPage(ctx, 503, 'Service unavailable', t('unavailable')));
      next(err);
    }
  };
}

/** The signed-in reader of a page; anyone else is sent to sign in and brought back. */
export function reader(ctx: WebContext): Actor {
  if (!ctx.actor) throw problems.unauthenticated();
  return ctx.actor;
}

/** POST/redirect/GET with the outcome: the next page shows it first, scrolled to and focused. */
export function redirectWith(res: Response, deps: RouteDeps, to: string, kind: 'ok' | 'error', text: string): void {
  setFlash(res, { kind, text }, deps.sessionSupport.secure);
  res.redirect(303, toOutcome(to));
}

function sameNonce(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The initiatives the Secretariat may pick from when it makes one wait for another: the open ones come first. */
const MAX_DEPENDENCY_CHOICES = 200;

/** Every initiative in the given stages from the read model (at most 200 a stage), soonest due first. */
async function viewsIn(deps: RouteDeps, stages: readonly Stage[]): Promise<InitiativeView[]> {
  const pages = await Promise.all(stages.map((stage) => deps.readModel.views(stage, 200)));
  return pages.flat();
}

/**
 * The reader's words for why an act was refused, by the workflow's refusal code: typed by the domain's codes,
 * so a new code does not compile until both languages say it. The API's problem detail stays in English.
 */
const REFUSAL_WORDS: Record<RefusalCode, MessageKey> = {
  wrong_stage: 'refusedWrongStage',
  already_decided: 'refusedAlreadyDecided',
  stale_revision: 'refusedStaleRevision',
  not_a_member: 'refusedNotAMember',
  not_entitled: 'refusedNotEntitled',
  due_in_past: 'refusedDueInPast',
  round_blocked: 'refusedRoundBlocked',
  invalid: 'refusedInvalid',
  unsealed: 'refusedUnsealed',
  idempotency_key_reused: 'refusedKeyReused',
};

function refusalWords(err: ApiError): MessageKey {
  if (err.type === 'idempotency-key-reused') return REFUSAL_WORDS.idempotency_key_reused;
  if (err.status === 403) return REFUSAL_WORDS.not_entitled;
  const code = err.extra.code;
  return typeof code === 'string' && code in REFUSAL_WORDS ? REFUSAL_WORDS[code as RefusalCode] : REFUSAL_WORDS.invalid;
}

export function webRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const page = (fn: Handler) => webHandler(deps, fn);
  const auditKey = auditSignerOf(deps.secret).publicKey;
  const minutes = Math.round(deps.config.MAGIC_LINK_TTL_MS / 60_000);
  const secure = deps.sessionSupport.secure;
  const css = fs.readFileSync(path.join(STATIC, 'web.css'), 'utf8');

  router.get('/assets/web.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=300').send(css);
  });

  router.get('/lang/:lang', (req, res) => {
    const lang = req.params.lang;
    if (isLang(lang)) setLangCookie(res, lang, secure);
    res.redirect(303, safeLocalPath(req.query.next));
  });

  // ---- sign-in -----------------------------------------------------------------------------------

  router.get(
    '/sign-in',
    page((ctx, req, res) => {
      const next = safeLocalPath(req.query.next);
      if (ctx.actor) return res.redirect(303, next);
      if (typeof req.query.next === 'string')
        res.cookie(NEXT_COOKIE, next, {
          httpOnly: true,
          secure,
          sameSite: 'lax',
          path: '/sign-in',
          maxAge: 30 * 60_000,
        });
      res.type('html').send(signInPage(ctx, { minutes, sent: req.query.sent === '1' }));
    }),
  );

  router.post(
    '/sign-in',
    page(async (ctx, req, res) => {
      const email = formValues(req.body).email ?? '';
      const parsed = s.magicLinkBody.safeParse({ email: email.trim() });
      if (!parsed.success) {
        res
          .status(422)
          .type('html')
          .send(signInPage(ctx, { minutes, email, errors: { email: parsed.error.issues[0].message } }));
        return;
      }
      await runMiddleware(deps.limits.signInByIp, req, res);
      await runMiddleware(deps.limits.signInByEmail, req, res);
      // Queued, whoever the address belongs to (src/service/sign-in.ts): the answer tells nobody who exists.
      await deps.signIn.request({ email: parsed.data.email, via: 'web', lang: ctx.lang });
      res.redirect(303, '/sign-in?sent=1');
    }),
  );

  // The link in the email opens a page whose button signs in: a mail scanner's GET signs nobody in.
  router.get(
    '/sign-in/link',
    page((ctx, req, res) => {
      const token = s.redeemBody.shape.token.safeParse(req.query.token);
      if (!token.success) {
        res
          .status(400)
          .type('html')
          .send(signInPage(ctx, { minutes, errors: { email: ctx.t('linkUnknown') } }));
        return;
      }
      const nonce = randomBytes(18).toString('base64url');
      res.cookie(NONCE_COOKIE, nonce, {
        httpOnly: true,
        secure,
        sameSite: 'strict',
        path: '/sign-in/',
        maxAge: 30 * 60_000,
      });
      res
        .set('Referrer-Policy', 'no-referrer')
        .type('html')
        .send(signInLinkPage(ctx, token.data, nonce));
    }),
  );

  router.post(
    '/sign-in/link',
    page(async (ctx, req, res) => {
      await runMiddleware(deps.limits.signInByIp, req, res);
      const form = s.signInForm.safeParse(formValues(req.body));
      const cookies = req.cookies as Record<string, unknown>;
      const refuse = (key: MessageKey) =>
        void res
          .status(401)
          .type('html')
          .send(signInPage(ctx, { minutes, errors: { email: ctx.t(key) } }));
      if (!form.success) return refuse('linkUnknown');
      if (!sameNonce(form.data.nonce, cookies[NONCE_COOKIE])) return refuse('linkNonce');
      const result = await redeemMagicLink(deps.magicLinks, form.data.token, deps.directory);
      if (!result.ok)
        return refuse(({ unknown: 'linkUnknown', expired: 'linkExpired', used: 'linkUsed' } as const)[result.reason]);
      const person = await deps.directory.person(result.personId);
      if (!person) return refuse('linkUnknown');
      await deps.sessionSupport.start(res, person._id);
      res.clearCookie(NONCE_COOKIE, { httpOnly: true, secure, sameSite: 'strict', path: '/sign-in/' });
      res.clearCookie(NEXT_COOKIE, { httpOnly: true, secure, sameSite: 'lax', path: '/sign-in' });
      const t = translator(isLang(person.locale) && !isLang(cookies.sfu_lang) ? person.locale : ctx.lang);
      redirectWith(res, deps, safeLocalPath(cookies[NEXT_COOKIE]), 'ok', t('signedIn', { name: person.name }));
    }),
  );

  router.post(
    '/sign-out',
    page(async (ctx, req, res) => {
      requireActor(req);
      await deps.sessionSupport.end(req, res);
      redirectWith(res, deps, '/sign-in', 'ok', ctx.t('signedOut'));
    }),
  );

  // ---- reading -------------------------------------------------------------------------------------

  router.get(
    '/',
    page(async (ctx, req, res) => {
      const actor = reader(ctx);
      // The filter chosen stays chosen: kept in a cookie until another is applied.
      const asked = req.query.show;
      const kept = (req.cookies as Record<string, unknown> | undefined)?.[INBOX_FILTER_COOKIE];
      const filter = isInboxFilter(asked) ? asked : isInboxFilter(kept) ? kept : 'all';
      if (isInboxFilter(asked)) rememberChoice(res, INBOX_FILTER_COOKIE, asked, secure);
      const items = await deps.readModel.inbox(actor);
      // Escalations reach a reader outside the Secretariat only as the chairing state's representative.
      const secretariat = actor.roles.includes(Role.Secretariat);
      const gap = secretariat
        ? rotationGap(
            (await deps.directory.rotation()).map((r) => ({ ...r, year: r._id })),
            dayOf(new Date(), deps.config.SECRETARIAT_TIME_ZONE),
          )
        : undefined;
      res.type('html').send(inboxPage(ctx, { items, filter, chairs: !secretariat, rotationGap: gap }));
    }),
  );

  router.get(
    '/initiatives',
    page(async (ctx, req, res) => {
      reader(ctx);
      const raw: Record<string, string> = {};
      for (const k of ['stage', 'lead', 'pending', 'overdue', 'q', 'offset'] as const) {
        const v = req.query[k];
        if (typeof v === 'string' && v.trim() !== '') raw[k] = v.trim();
      }
      const parsed = s.listQuery.safeParse(raw);
      if (!parsed.success) {
        const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'q'), i.message]));
        res
          .status(422)
          .type('html')
          .send(listPage(ctx, { query: raw, errors, result: { items: [], total: 0, limit: 50, offset: 0 } }));
        return;
      }
      const [result, rotation] = await Promise.all([deps.readModel.list(parsed.data), deps.directory.rotation()]);
      const thisYear = Number(dayOf(new Date(), deps.config.SECRETARIAT_TIME_ZONE).slice(0, 4));
      const summits = await Promise.all(
        summitsOnRecord(rotation).map(async (m) => ({ ...m, kept: await deps.reports.kept(m.id) })),
      );
      const keep = Boolean(ctx.actor?.roles.includes(Role.Secretariat));
      const reports = { summits, handoverYear: thisYear + 1, keep };
      res.type('html').send(listPage(ctx, { query: parsed.data, errors: {}, result, reports }));
    }),
  );

  /**
   * A sign-off due on a member's day off: the extension form offers the first day, at the same hour, that is a
   * working day in every member state, by their calendars as the directory has them now.
   */
  async function extensionOverDaysOff(view: InitiativeView): Promise<Record<string, string> | undefined> {
    const round = view.round;
    if (view.stage !== Stage.Signoff || !round?.daysOff?.length) return undefined;
    const states = await Promise.all(round.members.map((code) => deps.directory.state(code)));
    const calendars = states.flatMap((st) => (st ? [memberWithCalendar(st).calendar] : []));
    return { [Step.Signoff]: commonWorkingInstant(calendars, round.dueAt) };
  }

  /** The names of the people deputies acted for on this initiative, so the page names them rather than their ids. */
  async function principalNames(
    events: { actor?: { onBehalfOf?: string } }[],
    view: InitiativeView,
  ): Promise<Record<string, string>> {
    const ids = new Set<string>();
    for (const e of events) if (e.actor?.onBehalfOf) ids.add(e.actor.onBehalfOf);
    for (const d of Object.values(view.round?.decisions ?? {})) if (d.onBehalfOf) ids.add(d.onBehalfOf);
    const people = await Promise.all([...ids].map((id) => deps.directory.person(id)));
    return Object.fromEntries(people.flatMap((p) => (p ? [[p._id, p.name]] : [])));
  }

  /** The initiative page's data; `opening`: the page is being opened (not shown again after a refused form). */
  async function initiativeData(
    ctx: WebContext,
    id: string,
    opening = false,
  ): Promise<Omit<InitiativePageData, 'failed'>> {
    const view = await deps.service.get(id);
    if (!view) throw problems.notFound(`initiative ${id}`);
    // Noted before "Who was told" is read, so the person opening it sees their state's opening there.
    if (opening && ctx.actor) await noteOpened(deps.openings, ctx.actor, view, 'page');
    const [events, checkpoint] = await Promise.all([deps.readModel.events(id), deps.readModel.checkpoint(id)]);
    const trail = trailCheck(id, events, checkpoint, auditKey);
    const secretariatReads = ctx.actor?.roles.includes(Role.Secretariat);
    const people = secretariatReads ? await deps.directory.people({}, 2000) : [];
    const tier = secretariatReads ? (await deps.publication.tierOf(id)).tier : undefined;
    const [items, following, members] = await Promise.all([
      deps.commitments.ofInitiative(id, true),
      ctx.actor ? deps.commitments.isFollowing(ctx.actor, id) : false,
      deps.directory.membersOn(dayOf(new Date(), deps.config.SECRETARIAT_TIME_ZONE)),
    ]);
    const commitments = { items, following, states: members.map((m) => m._id).sort() };
    const [of, others] = await Promise.all([
      deps.dependencies.of(id),
      secretariatReads ? deps.readModel.list({ limit: MAX_DEPENDENCY_CHOICES, offset: 0 }) : { items: [] },
    ]);
    const choices = others.items
      .filter((o) => o.id !== id && !isTerminal(o.stage))
      .map((o) => ({ id: o.id, title: titleIn(o, ctx.lang) }))
      .sort((a, b) => a.title.localeCompare(b.title, ctx.lang));
    const dependencies = { of, choices };
    // Who was told matters where silence is consent: there the page shows it, beside the decisions.
    const reach =
      view.policy.silenceProcedure && view.round
        ? await reachOf(
            { ...deps, notificationsOf: deps.outbox && ((i) => notificationRecordOf(deps.outbox!, i)) },
            id,
            events,
            view.round,
          )
        : undefined;
    const suggestedDue = await extensionOverDaysOff(view);
    const principals = await principalNames(events, view);
    // The summit by name where the rotation calendar records it (its id otherwise).
    const summit = summitsOnRecord(await deps.directory.rotation()).find((s) => s.id === view.summit);
    return {
      view,
      events,
      ...(summit ? { summit } : {}),
      people,
      principals,
      trail,
      commitments,
      dependencies,
      ...(tier ? { tier } : {}),
      ...(reach ? { reach } : {}),
      ...(suggestedDue ? { suggestedDue } : {}),
    };
  }

  router.get(
    '/initiatives/:id',
    page(async (ctx, req, res) => {
      reader(ctx);
      const { id } = s.idParams.parse({ id: req.params.id });
      res.type('html').send(initiativePage(ctx, await initiativeData(ctx, id, true)));
    }),
  );

  router.post(
    '/reports/snapshots',
    page(async (ctx, req, res) => {
      const actor = requireRole(requireActor(req), Role.Secretariat, 'keep a report');
      const form = formValues(req.body);
      const { summit, note } = parseForm(s.reportSnapshotBody, { summit: form.summit, note: form.note || undefined });
      if (!(await deps.reports.keep(actor, summit, note)))
        throw appErrors.notFound(`initiatives of the summit ${summit}`);
      redirectWith(res, deps, '/initiatives#reports-h', 'ok', ctx.t('reportKept'));
    }),
  );

  router.post(
    '/initiatives/:id/publication',
    page(async (ctx, req, res) => {
      const actor = requireRole(requireActor(req), Role.Secretariat, 'publish an initiative');
      const { id } = s.idParams.parse({ id: req.params.id });
      const { tier } = parseForm(s.publicationBody, { tier: formValues(req.body).tier });
      await deps.publication.setTier(actor, id, tier);
      redirectWith(
        res,
        deps,
        `/initiatives/${encodeURIComponent(id)}#publication-h`,
        'ok',
        ctx.t('publicationSaved', { tier: ctx.t(`tier_${tier}`) }),
      );
    }),
  );

  // ---- the national parliaments' page: signed in, the parliaments' and the public tiers -------------

  router.get(
    '/parliaments',
    page(async (ctx, _req, res) => {
      reader(ctx);
      res.type('html').send(publicListPage(ctx, await deps.publication.parliamentList(), 'parliaments'));
    }),
  );

  router.get(
    '/parliaments/initiatives/:id',
    page(async (ctx, req, res) => {
      reader(ctx);
      const { id } = s.idParams.parse({ id: req.params.id });
      const one = await deps.publication.parliamentOne(id);
      if (!one) throw problems.notFound(`initiative ${id} published to the parliaments`);
      res.type('html').send(publicInitiativePage(ctx, one, 'parliaments'));
    }),
  );

  // ---- the public accountability page: no sign-in, the public tier only ----------------------------

  router.get(
    '/public',
    page(async (ctx, _req, res) => {
      res.type('html').send(publicListPage(ctx, await deps.publication.publicList()));
    }),
  );

  router.get(
    '/public/initiatives/:id',
    page(async (ctx, req, res) => {
      const { id } = s.idParams.parse({ id: req.params.id });
      const one = await deps.publication.publicOne(id);
      if (!one) throw problems.notFound(`public initiative ${id}`);
      res.type('html').send(publicInitiativePage(ctx, one));
    }),
  );

  // The audit trail for a spreadsheet: flat columns in the reader's words and zone, and a BOM so that
  // spreadsheet programs read it as UTF-8 (Cyrillic included).
  router.get(
    '/initiatives/:id/audit.csv',
    page(async (ctx, req, res) => {
      reader(ctx);
      const { id } = s.idParams.parse({ id: req.params.id });
      const { view, events } = await initiativeData(ctx, id);
      const rows = events.map((e) => [
        localInputOf(e.at, ctx.zone).replace('T', ' '),
        ctx.zone,
        word(ctx.lang, 'event', e.type),
        e.revision || '',
        e.actor?.name,
        e.actor?.onBehalfOf,
        ctx.stateName(e.actor?.state),
        eventDetails(ctx, view, e),
        e.at,
      ]);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`${id}-audit.csv`)
        .send(`\uFEFF${toCsv(ctx.t('csvHeader').split('|'), rows)}`);
    }),
  );

  router.get(
    '/matrix',
    page(async (ctx, req, res) => {
      reader(ctx);
      const includeClosed = req.query.closed === 'true';
      const views = await viewsIn(deps, includeClosed ? STAGES : STAGES.filter((stage) => !isTerminal(stage)));
      const order = (v: InitiativeView) => (v.stage === Stage.Signoff ? 0 : 1);
      views.sort(
        (a, b) =>
          order(a) - order(b) ||
          (a.nextDueAt ?? '~').localeCompare(b.nextDueAt ?? '~') ||
          a.title.localeCompare(b.title),
      );
      const members = (await deps.directory.membersOn(dayOf(new Date(), deps.config.SECRETARIAT_TIME_ZONE))).map(
        (m) => m._id,
      );
      const columns = [...new Set([...members, ...views.flatMap((v) => v.round?.members ?? [])])].sort();
      res.type('html').send(matrixPage(ctx, views, columns, includeClosed));
    }),
  );

  router.get(
    '/rotation',
    page(async (ctx, req, res) => {
      reader(ctx);
      const parsed = s.yearParams.safeParse({ year: req.query.year ?? new Date().getUTCFullYear() });
      const year = parsed.success ? parsed.data.year : new Date().getUTCFullYear();
      const [periods, views] = await Promise.all([deps.directory.rotation(), viewsIn(deps, STAGES)]);
      res.type('html').send(rotationPage(ctx, year, periods, views));
    }),
  );

  // ---- acts on an initiative --------------------------------------------------------------------------

  /** Each act of the catalogue at its API path under the page's initiative; its form posts there. */
  for (const name of ACT_NAMES) {
    const def = ACTS[name];
    router.post(
      `/initiatives/:id/${def.path}`,
      page(async (ctx, req, res) => {
        const actor = requireActor(req);
        const { id, milestoneId } = actParamsOf(name).parse(req.params) as { id: string; milestoneId?: string };
        const back = `/initiatives/${encodeURIComponent(id)}`;
        const values = formValues(req.body);
        const unconfirmed = def.destructive && values[CONFIRM_FIELD] !== 'true';
        try {
          await runMiddleware(deps.limits.acts, req, res);
          const body = ACT_BODIES[def.body].parse(FORM_BODIES[def.body](values, ctx));
          if (unconfirmed) throw problems.invalid([{ field: CONFIRM_FIELD, message: ctx.t('confirmMissing') }]);
          const request = actRequestOf(name, body, { milestoneId });
          const view = await deps.service.perform(name, id, actor, request, clientKey(formKey(req.body)));
          redirectWith(res, deps, back, 'ok', actOutcome(ctx, name, view, actor, new Date().toISOString()));
        } catch (raw) {
          const err = asProblem(raw);
          const refused =
            err instanceof ApiError &&
            (err.status === 409 || err.status === 403 || err.type === 'idempotency-key-reused');
          const errors = refused
            ? { _form: ctx.t('actRefused', { reason: ctx.t(refusalWords(err)) }) }
            : formErrors(err, {}, { values, t: ctx.t });
          if (!errors) throw err;
          // Said with the other fields' errors, and in its own words rather than "fill this in".
          if (unconfirmed && !refused) errors[CONFIRM_FIELD] = ctx.t('confirmMissing');
          // The form again, beside the reason and with what the person typed: nothing to type twice.
          const form = formNameOf(name, milestoneId);
          res
            .status(refused ? err.status : 422)
            .type('html')
            .send(initiativePage(ctx, { ...(await initiativeData(ctx, id)), failed: { form, values, errors } }));
        }
      }),
    );
  }

  // ---- my settings ----------------------------------------------------------------------------------

  async function settingsData(ctx: WebContext): Promise<SettingsPageData> {
    const actor = reader(ctx);
    const person = ctx.person ?? (await deps.directory.person(actor.personId));
    if (!person) throw problems.unauthenticated();
    return {
      person,
      stateZone: person.state ? ctx.states.get(person.state)?.timeZone : undefined,
      feed: await calendarFeedStatus(deps, person._id),
    };
  }

  router.get(
    '/settings',
    page(async (ctx, _req, res) => {
      res.type('html').send(settingsPage(ctx, await settingsData(ctx)));
    }),
  );

  router.post(
    '/settings',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      const v = formValues(req.body);
      const parsed = s.ownSettingsForm.safeParse(v);
      if (!parsed.success) {
        const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? '_form'), i.message]));
        res
          .status(422)
          .type('html')
          .send(settingsPage(ctx, { ...(await settingsData(ctx)), values: v, errors }));
        return;
      }
      const { locale, timeZone, digest, reminders } = parsed.data;
      await deps.directoryEdits.saveOwnSettings(actor, { locale, timeZone });
      await deps.directory.setDigest(actor.personId, digest);
      await (reminders
        ? deps.directory.optIn(actor.personId, UnsubscribeTopic.Reminder)
        : deps.directory.optOut(actor.personId, UnsubscribeTopic.Reminder));
      // The pages follow the language chosen here from now on, on this browser too.
      setLangCookie(res, locale, secure);
      redirectWith(res, deps, '/settings', 'ok', translator(locale)('settingsSaved'));
    }),
  );

  router.post(
    '/settings/calendar-feed',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      await runMiddleware(deps.limits.acts, req, res);
      const feed = await newCalendarFeed(deps, actor.personId);
      // The address is shown on this answer only: it is a credential, never put in a redirect or a cookie.
      res
        .status(201)
        .type('html')
        .send(settingsPage(ctx, { ...(await settingsData(ctx)), feed }));
    }),
  );

  router.post(
    '/settings/calendar-feed/revocation',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      await revokeFeeds(deps.calendarFeeds, actor.personId);
      redirectWith(res, deps, '/settings', 'ok', ctx.t('settingsFeedRevoked'));
    }),
  );

  // ---- the Secretariat ------------------------------------------------------------------------------

  const secretariat = (ctx: WebContext, what: string) => requireRole(reader(ctx), Role.Secretariat, what);

  router.get(
    '/secretariat/start',
    page((ctx, _req, res) => {
      secretariat(ctx, 'start an initiative');
      res.type('html').send(startPage(ctx));
    }),
  );

  router.post(
    '/secretariat/start',
    page(async (ctx, req, res) => {
      const actor = requireRole(requireActor(req), Role.Secretariat, 'start an initiative');
      const v = formValues(req.body);
      try {
        await runMiddleware(deps.limits.acts, req, res);
        const body = s.startInitiativeBody.parse({
          id: opt(v.id),
          title: v.title,
          summary: opt(v.summary),
          titleRu: opt(v.titleRu),
          summaryRu: opt(v.summaryRu),
          proposingState: v.proposingState,
          summit: v.summit,
          category: v.category,
          policy: v.rule === 'quorum' ? { rule: 'quorum', quorum: Number(v.quorum) } : undefined,
          silenceProcedure: v.silenceProcedure === 'true' ? true : undefined,
          assignmentDueAt: instantFrom(v.assignmentDueAt, ctx.zone),
        });
        const { created, initiative } = await deps.service.start(actor, body);
        deps.metrics.workflowStarts.inc({ outcome: created ? 'created' : 'existing' });
        redirectWith(
          res,
          deps,
          `/initiatives/${encodeURIComponent(initiative.id)}`,
          'ok',
          ctx.t(created ? 'started' : 'alreadyRunning', { title: titleIn(initiative, ctx.lang) }),
        );
      } catch (err) {
        const errors = formErrors(err, { policy: 'rule', 'policy.quorum': 'quorum' }, { values: v, t: ctx.t });
        if (!errors) throw err;
        res
          .status(422)
          .type('html')
          .send(startPage(ctx, v, errors));
      }
    }),
  );

  router.get(
    '/secretariat/import',
    page((ctx, _req, res) => {
      secretariat(ctx, 'import a summit file');
      res.type('html').send(importPage(ctx, MAX_SUMMIT_FILE_BYTES));
    }),
  );

  router.post(
    '/secretariat/import/confirm',
    page(async (ctx, req, res) => {
      const actor = requireRole(requireActor(req), Role.Secretariat, 'import a summit file');
      await runMiddleware(deps.limits.acts, req, res);
      const v = formValues(req.body);
      const kept = v.pending ? await deps.pendingImports.take(v.pending, actor.personId) : undefined;
      const file = summitFile.safeParse(kept);
      if (!kept || !file.success)
        return void res
          .status(409)
          .type('html')
          .send(importPage(ctx, MAX_SUMMIT_FILE_BYTES, { file: ctx.t('importExpired') }));
      try {
        const report = await loadSummit(file.data, deps.directoryModels, deps.service, actor);
        redirectWith(
          res,
          deps,
          '/initiatives',
          'ok',
          ctx.t('imported', {
            title: file.data.summit.title,
            states: report.states,
            people: report.people,
            started: report.started.length,
            existing: report.existing.length,
          }),
        );
      } catch (err) {
        const problem = asProblem(err);
        if (!isInvalid(problem)) throw err;
        const problemsOf = Object.entries(fieldErrorsOf(problem)).map(([k, m]) => `${k}: ${m}`);
        res
          .status(422)
          .type('html')
          .send(importPage(ctx, MAX_SUMMIT_FILE_BYTES, { file: ctx.t('importInvalid') }, problemsOf));
      }
    }),
  );

  router.get(
    '/secretariat/directory',
    page(async (ctx, _req, res) => {
      secretariat(ctx, 'edit the directory');
      const [people, rotation] = await Promise.all([deps.directory.people({}, 2000), deps.directory.rotation()]);
      res.type('html').send(directoryPage(ctx, people, rotation));
    }),
  );

  const representatives = () => deps.directory.withRole(Role.Representative);

  router.get(
    '/secretariat/directory/state',
    page(async (ctx, req, res) => {
      secretariat(ctx, 'edit the directory');
      const code = typeof req.query.code === 'string' ? req.query.code : undefined;
      const doc = code ? await deps.directory.state(code) : null;
      if (code && !doc) throw problems.notFound(`state ${code}`);
      res.type('html').send(stateEditPage(ctx, Boolean(doc), stateFormValues(doc)));
    }),
  );
  router.post(
    '/secretariat/directory/state',
    page(async (ctx, req, res) => {
      const actor = requireRole(requireActor(req), Role.Secretariat, 'edit the directory');
      const v = formValues(req.body);
      const existing = Boolean(v.code && (await deps.directory.state(v.code)));
      try {
        const { code } = s.stateParams.parse({ code: v.code });
        const body = s.stateBody.parse({
          name: { en: v.nameEn, ru: v.nameRu },
          timeZone: v.timeZone,
          admittedOn: v.admittedOn,
          leftOn: opt(v.leftOn),
        });
        await deps.directoryEdits.putState(actor, code, body);
        redirectWith(res, deps, '/secretariat/directory', 'ok', ctx.t('saved'));
      } catch (err) {
        const errors = formErrors(
          err,
          { 'name.en': 'nameEn', 'name.ru': 'nameRu', name: 'nameEn' },
          { values: v, t: ctx.t },
        );
        if (!errors) throw err;
        res
          .status(422)
          .type('html')
          .send(stateEditPage(ctx, existing, v, errors));
      }
    }),
  );

  router.get(
    '/secretariat/directory/person',
    page(async (ctx, req, res) => {
      secretariat(ctx, 'edit the directory');
      const id = typeof req.query.id === 'string' ? req.query.id : undefined;
      const doc = id ? await deps.directory.person(id) : null;
      if (id && !doc) throw problems.notFound(`person ${id}`);
      res.type('html').send(personEditPage(ctx, Boolean(doc), personFormValues(doc), await representatives()));
    }),
  );
  router.post(
    '/secretariat/directory/person',
    page(async (ctx, req, res) => {
      const actor = requireRole(requireActor(req), Role.Secretariat, 'edit the directory');
      const v: FormValues = { ...formValues(req.body), roles: formList(req.body, 'roles').join(',') };
      const existing = Boolean(v.id && (await deps.directory.person(v.id)));
      try {
        const { id } = s.personParams.parse({ id: v.id });
        const delegation =
          opt(v.delegationFrom) || opt(v.delegationTo) ? { from: v.delegationFrom, to: v.delegationTo } : undefined;
        const body = s.personBody.parse({
          name: v.name,
          email: v.email?.trim(),
          roles: formList(req.body, 'roles'),
          state: opt(v.state),
          deputyOf: opt(v.deputyOf),
          delegation,
          locale: v.locale || 'en',
          timeZone: opt(v.timeZone),
        });
        await deps.directoryEdits.putPerson(actor, id, body);
        forgetPerson(deps.tokens, id);
        redirectWith(res, deps, '/secretariat/directory', 'ok', ctx.t('saved'));
      } catch (err) {
        const errors = formErrors(
          err,
          { 'delegation.from': 'delegationFrom', 'delegation.to': 'delegationTo', delegation: 'delegationFrom' },
          { values: v, t: ctx.t },
        );
        if (!errors) throw err;
        res
          .status(422)
          .type('html')
          .send(personEditPage(ctx, existing, v, await representatives(), errors));
      }
    }),
  );

  router.get(
    '/secretariat/directory/rotation',
    page(async (ctx, req, res) => {
      secretariat(ctx, 'edit the directory');
      const year = typeof req.query.year === 'string' ? Number(req.query.year) : undefined;
      const doc = year !== undefined && Number.isInteger(year) ? await deps.directory.rotationOf(year) : null;
      if (year !== undefined && !doc) throw problems.notFound(`chairmanship year ${req.query.year}`);
      res.type('html').send(rotationEditPage(ctx, Boolean(doc), rotationFormValues(doc)));
    }),
  );
  router.post(
    '/secretariat/directory/rotation',
    page(async (ctx, req, res) => {
      const actor = requireRole(requireActor(req), Role.Secretariat, 'edit the directory');
      const v = formValues(req.body);
      const existing = Boolean(
        v.year && Number.isInteger(Number(v.year)) && (await deps.directory.rotationExists(Number(v.year))),
      );
      try {
        const { year } = s.yearParams.parse({ year: v.year });
        const summit =
          opt(v.summitDate) || opt(v.summitCity) || opt(v.summitTitle)
            ? {
                date: v.summitDate,
                city: v.summitCity,
                title: v.summitTitle,
                ...(opt(v.summitCityRu) ? { cityRu: v.summitCityRu } : {}),
                ...(opt(v.summitTitleRu) ? { titleRu: v.summitTitleRu } : {}),
              }
            : undefined;
        const body = s.rotationBody.parse({ chairState: v.chairState, from: v.from, to: v.to, summit });
        await deps.directoryEdits.putRotation(actor, year, body);
        redirectWith(res, deps, '/secretariat/directory', 'ok', ctx.t('saved'));
      } catch (err) {
        const errors = formErrors(
          err,
          {
            'summit.date': 'summitDate',
            'summit.city': 'summitCity',
            'summit.title': 'summitTitle',
            'summit.cityRu': 'summitCityRu',
            'summit.titleRu': 'summitTitleRu',
            summit: 'summitDate',
          },
          { values: v, t: ctx.t },
        );
        if (!errors) throw err;
        res
          .status(422)
          .type('html')
          .send(rotationEditPage(ctx, existing, v, errors));
      }
    }),
  );

  return router;
}

/** Field errors of a zod failure or a 422 (renamed to the form's fields), or undefined for any other error; a field left empty is told so in the reader's language. */
export function formErrors(
  raw: unknown,
  rename: Record<string, string> = {},
  empty?: { values: FormValues; t: WebContext['t'] },
) {
  const err = asProblem(raw);
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  let errors: ReturnType<typeof fieldErrorsOf> | undefined;
  if (Array.isArray(issues)) {
    const asApi = new ApiError(422, 'validation-failed', 'Invalid fields', undefined, {
      errors: issues.map((i) => ({ field: i.path.map(String).join('.') || '_form', message: i.message })),
    });
    errors = fieldErrorsOf(asApi, rename);
  } else if (isInvalid(err)) errors = fieldErrorsOf(err, rename);
  if (errors && empty) {
    for (const k of Object.keys(errors))
      if (k !== '_form' && !(empty.values[k] ?? '').trim()) errors[k] = empty.t('required');
  }
  return errors;
}
