/**
 * What a person reads right after an act, worded from the view the workflow answered with: what was
 * done, when, and where the sign-off round now stands ("4 of 6 states have approved"), so nobody has
 * to scroll through the page to learn whether it worked.
 */
import type { ActName } from '../domain/acts';
import type { Actor } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import type { WebContext } from './context';
import { actDone, word } from './i18n';
import { when } from './layout';

/** The round's standing in one sentence, or '' outside sign-off. */
export function roundStanding(ctx: WebContext, v: InitiativeView): string {
  const r = v.round;
  if (!r || r.revision !== v.revision) return '';
  if (r.blockedBy) return ctx.t('outcomeBlocked', { state: ctx.stateName(r.blockedBy) });
  if (v.stage !== 'signoff') return '';
  const approved = Object.values(r.decisions ?? {}).filter((d) => d.decision === 'approve').length;
  return ctx.t('outcomeApproved', { approved, members: r.members.length, due: when(ctx, r.dueAt) });
}

export function actOutcome(ctx: WebContext, name: ActName, v: InitiativeView, actor: Actor, nowIso: string): string {
  const mine = name === 'decide' && actor.state ? v.round?.decisions?.[actor.state] : undefined;
  const done = mine
    ? ctx.t('outcomeDecided', {
        decision: word(ctx.lang, 'decision', mine.decision),
        state: ctx.stateName(actor.state),
        n: v.round!.revision,
        when: when(ctx, mine.at),
      })
    : ctx.t('outcomeDone', { what: actDone(ctx.lang, name), when: when(ctx, nowIso) });
  const after =
    name === 'decide' && (v.stage === 'adopted' || v.stage === 'implementing')
      ? ctx.t('outcomeAdopted')
      : roundStanding(ctx, v);
  return after ? `${done} ${after}` : done;
}
