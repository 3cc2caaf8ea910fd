/**
 * Email action links for decision requests. GET shows a confirmation page and changes nothing (mail
 * scanners prefetch links); POST from that page records the decision once. The token is signed and
 * bound to one person, state, initiative and revision; it expires, its first use spends it, and a revocation
 * of its holder's credentials voids it. Its act's idempotency key is the link's secret nonce.
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { TEXT_LANGUAGES } from '../../domain/draft-text';
import { speaksFor } from '../../domain/roles';
import type { InitiativeView } from '../../domain/view';
import type { Lang } from '../../email/templates';
import type { ActRequest } from '../../app/act-bodies';
import { claimActionLink, isActionLinkUsed, releaseActionLink } from '../../persistence/action-links';
import { credentialStillValid, type PersonDoc } from '../../persistence/directory';
import { noteOpened } from '../../service/notice-reach';
import { shortDate } from '../../email/templates';
import { langOf } from '../../web/context';
import { translator, word, type Translate } from '../../web/i18n';
import {
  DecisionClaims,
  LinkTokenError,
  UnsubscribeClaims,
  verifyDecisionToken,
  verifyUnsubscribeToken,
} from '../../email/links';
import { applyUnsubscribe } from '../../email/preferences';
import { actorNow } from '../../app/credential-cache';
import type { RouteDeps } from '../deps';
import { html, page } from '../html';
import { outageOf } from '../../app/errors';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';
import * as s from '../../app/schemas';
import { titleIn } from '../../i18n/titles';

const TOPIC_WORD = { reminder: 'topicReminder', digest: 'topicDigest' } as const;
const DECISION_CHOICE = {
  approve: 'approve',
  abstain: 'abstain',
  request_changes: 'requestChanges',
  amend: 'proposeAmendment',
  object: 'object',
} as const;

/** The text's hash, and which authentic language version is approved when there are two (the reader's own first). */
function languageChoice(view: InitiativeView | null, lang: Lang, t: Translate) {
  const texts = view?.draft?.texts ?? {};
  const authentic = TEXT_LANGUAGES.filter((l) => texts[l]?.authentic);
  const hash = view?.round?.textHash
    ? html`<p class="note hash">${t('textHash')}: <code>${view.round.textHash}</code></p>`
    : '';
  if (authentic.length < 2) return hash;
  const preferred = authentic.includes(lang) ? lang : authentic[0];
  return html`${hash}<fieldset><legend>${t('languageApproved')}</legend>${authentic.map((l) => html`<label><input type="radio" name="language" value="${l}"${l === preferred ? html` checked` : ''}> ${word(lang, 'language', l)}</label>`)}</fieldset>`;
}

export function actionLinkRoutes(registry: OperationRegistry, app: Router, deps: RouteDeps): void {
  const { define } = registry.on(app);

  async function usableClaims(token: string): Promise<DecisionClaims> {
    let claims: DecisionClaims;
    try {
      claims = verifyDecisionToken(deps.secret, token);
    } catch (err) {
      if (!(err instanceof LinkTokenError)) throw err;
      if (err.code === 'expired')
        throw problems.gone('this decision link has expired; decide in the application instead');
      throw problems.forbidden('this decision link is not valid');
    }
    if (await isActionLinkUsed(deps.actionUses, claims.nonce))
      throw problems.gone('this decision link was already used');
    return claims;
  }

  /** The person the link was sent to, who must still decide for its state today. */
  async function entitledActor(claims: DecisionClaims, req: Request) {
    if (req.actor && req.actor.personId !== claims.personId)
      throw problems.forbidden(`this decision link was sent to someone else, not to ${req.actor.name}`);
    const person = await deps.directory.person(claims.personId);
    if (!person) throw problems.forbidden('the person this link was sent to is no longer in the directory');
    if (!credentialStillValid(person, new Date(claims.issuedAt)))
      throw problems.gone(
        "this decision link was issued before its holder's credentials were revoked; sign in and decide in the application",
      );
    const actor = {
      ...(await actorNow(deps.tokens, deps.directory, person, deps.config.SECRETARIAT_TIME_ZONE)),
      via: 'email-link' as const,
    };
    if (!speaksFor(actor, claims.state))
      throw problems.forbidden(`${actor.name} may no longer decide for ${claims.state}`);
    return { actor, person };
  }

  /** The words of a page opened from an email: in the reader's chosen language, else the link holder's. */
  async function wordsFor(req: Request, personId: string, person?: PersonDoc | null) {
    const holder = person === undefined ? await deps.directory.person(personId) : person;
    const lang = langOf(req, holder);
    const stateName = async (code: string) => (await deps.directory.state(code))?.name[lang] ?? code;
    return { lang, t: translator(lang), stateName, zone: holder?.timeZone ?? deps.config.SECRETARIAT_TIME_ZONE };
  }

  define(
    {
      method: 'get',
      path: '/act/:token',
      summary: 'Decision link page (HTML): shows the decision to confirm',
      description:
        "Opening it changes nothing in the procedure (it is noted as the state's first opening of the revision, for the record of who was told); the page's form POSTs the decision.",
      tag: 'Action links',
      auth: 'public',
      params: s.actionParams,
      success: { description: 'an HTML confirmation page', contentType: 'text/html' },
      errors: [403, 410],
    },
    async ({ params, req, res }) => {
      const claims = await usableClaims(params.token);
      const { actor, person } = await entitledActor(claims, req);
      const { lang, t, stateName, zone } = await wordsFor(req, claims.personId, person);
      const view = await deps.service.get(claims.initiativeId).catch(() => null);
      if (actor.state === claims.state) await noteOpened(deps.openings, actor, view, 'link', claims.revision);
      const state = await stateName(claims.state);
      const n = claims.revision;
      const round = view?.round;
      // What the page offers is what the workflow would accept: no form for a decision it would refuse.
      const decided = round?.revision === n ? round.decisions?.[claims.state] : undefined;
      const obstacle = !view
        ? undefined
        : view.stage !== 'signoff' || round?.revision !== n
          ? t('linkStale', { n })
          : round.blockedBy
            ? t('refusedRoundBlocked')
            : decided
              ? t('linkAlreadyDecided', { state, n, decision: word(lang, 'decision', decided.decision) })
              : undefined;
      const progress =
        round && round.revision === n
          ? html`<p>${t('linkRound', { decided: Object.keys(round.decisions ?? {}).length, members: round.members.length, due: shortDate(round.dueAt, zone, lang) })}</p>`
          : '';
      const draft = view?.draft?.revision === n ? html`<p>${t('linkDraft', { title: view.draft.title })}</p>` : '';
      const form = obstacle
        ? html`<p class="error">${obstacle}</p><p><a href="/initiatives/${claims.initiativeId}">${t('linkOpen')}</a></p>`
        : html`<form method="post" action="/act/${params.token}">
<input type="hidden" name="initiative" value="${claims.initiativeId}"><input type="hidden" name="revision" value="${n}">${round?.textHash ? html`<input type="hidden" name="textHash" value="${round.textHash}">` : ''}${languageChoice(view, lang, t)}
<fieldset><legend>${t('decision')}</legend>${Object.entries(DECISION_CHOICE).map(([value, key]) => html`<label><input type="radio" name="decision" value="${value}" required> ${t(key)}</label>`)}</fieldset>
<label>${t('reason')} (${t('reasonHint')})<textarea name="reason" maxlength="5000"></textarea></label>
<label>${t('statement')} (${t('statementHint')})<textarea name="statement" maxlength="5000"></textarea></label>
<label>${t('amendment')} (${t('amendmentHint')})<textarea name="amendment" maxlength="5000"></textarea></label>
<button type="submit">${t('linkConfirm')}</button></form>
<p class="note">${t('linkOnce')}</p>`;
      res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
      res.type('html').send(
        page(
          t('linkDecideTitle', { state }),
          html`<h1>${t('linkDecideTitle', { state })}</h1>
<p>${t('linkDecideIntro', { name: actor.name, state, n, title: view ? titleIn(view, lang) : claims.initiativeId })}</p>
${draft}${progress}${form}`,
          lang,
        ),
      );
      return undefined;
    },
  );

  define(
    {
      method: 'post',
      path: '/act/:token',
      summary: 'Confirm a decision from its link',
      description:
        "Records the decision once (the link is then spent). The initiative and revision in the body must be the link's.",
      tag: 'Action links',
      auth: 'public',
      params: s.actionParams,
      body: s.actionForm,
      formBody: true,
      success: {
        description: 'the decision was recorded (an HTML page for a browser)',
        schema: z.object({ recorded: z.literal(true), initiative: s.initiativeResponse }),
      },
      errors: [403, 409, 410, 429, 503],
      before: [deps.limits.acts],
    },
    async ({ params, body, req, res }) => {
      const claims = await usableClaims(params.token);
      if (body.initiative !== claims.initiativeId || body.revision !== claims.revision) {
        throw problems.forbidden(
          `this decision link is for revision ${claims.revision} of initiative ${claims.initiativeId} only`,
        );
      }
      const { actor, person } = await entitledActor(claims, req);
      const use = {
        _id: claims.nonce,
        personId: claims.personId,
        initiativeId: claims.initiativeId,
        state: claims.state,
        revision: claims.revision,
      };
      if (!(await claimActionLink(deps.actionUses, use))) throw problems.gone('this decision link was already used');
      let view;
      try {
        view = await deps.service.perform(
          'decide',
          claims.initiativeId,
          actor,
          // The form's schema has already required a reason where the decision needs one.
          {
            state: claims.state,
            decision: body.decision,
            revision: claims.revision,
            reason: body.reason || undefined,
            statement: body.statement || undefined,
            amendment: body.amendment || undefined,
            textHash: body.textHash,
            language: body.language,
          } as ActRequest<'decide'>,
          { from: 'link', value: claims.nonce },
        );
      } catch (err) {
        // Only an outage gives the link back: a refusal (stale revision, already decided) spends it.
        if (outageOf(err)) await releaseActionLink(deps.actionUses, claims.nonce);
        throw err;
      }
      if (req.accepts(['application/json', 'text/html']) === 'text/html') {
        const { lang, t, stateName } = await wordsFor(req, claims.personId, person);
        const recorded = t('linkRecorded', {
          state: await stateName(claims.state),
          decision: word(lang, 'decision', body.decision),
          n: claims.revision,
          title: titleIn(view, lang),
        });
        res
          .type('html')
          .send(page(t('linkRecordedTitle'), html`<h1>${t('linkRecordedTitle')}</h1><p>${recorded}</p>`, lang));
        return undefined;
      }
      return { recorded: true, initiative: view };
    },
  );

  // ---- unsubscribe links (List-Unsubscribe, RFC 8058 one-click) ----------------------------------------

  function unsubscribeClaims(token: string): UnsubscribeClaims {
    try {
      return verifyUnsubscribeToken(deps.secret, token);
    } catch (err) {
      if (err instanceof LinkTokenError) throw problems.forbidden('this unsubscribe link is not valid');
      throw err;
    }
  }

  define(
    {
      method: 'get',
      path: '/unsubscribe/:token',
      summary: 'Unsubscribe link page (HTML)',
      description: 'Shows a button that unsubscribes; opening it changes nothing.',
      tag: 'Action links',
      auth: 'public',
      params: s.actionParams,
      success: { description: 'an HTML confirmation page', contentType: 'text/html' },
      errors: [403],
    },
    async ({ params, req, res }) => {
      const claims = unsubscribeClaims(params.token);
      const { lang, t } = await wordsFor(req, claims.personId);
      const title = t('unsubTitle', { topic: t(TOPIC_WORD[claims.topic]) });
      res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
      res.type('html').send(
        page(
          title,
          html`<h1>${title}</h1>
<form method="post" action="/unsubscribe/${params.token}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${t('unsubButton')}</button></form>
<p class="note">${t('unsubNote')}</p>`,
          lang,
        ),
      );
      return undefined;
    },
  );

  define(
    {
      method: 'post',
      path: '/unsubscribe/:token',
      summary: 'Unsubscribe (one-click, RFC 8058)',
      tag: 'Action links',
      auth: 'public',
      params: s.actionParams,
      body: s.unsubscribeForm,
      formBody: true,
      success: {
        description: 'unsubscribed (an HTML page for a browser); repeating it changes nothing',
        schema: z.object({ personId: z.string(), unsubscribedFrom: z.string() }),
      },
      errors: [403],
    },
    async ({ params, req, res }) => {
      const claims = unsubscribeClaims(params.token);
      if (!(await applyUnsubscribe(deps.directory, claims)))
        throw problems.forbidden('the person of this link is no longer in the directory');
      if (req.accepts(['application/json', 'text/html']) === 'text/html') {
        const { lang, t } = await wordsFor(req, claims.personId);
        const done = t('unsubDone', { topic: t(TOPIC_WORD[claims.topic]) });
        res.type('html').send(page(t('unsubDoneTitle'), html`<h1>${t('unsubDoneTitle')}</h1><p>${done}</p>`, lang));
        return undefined;
      }
      return { personId: claims.personId, unsubscribedFrom: claims.topic };
    },
  );
}
