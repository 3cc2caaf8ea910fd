/**
 * Which acts the reader may perform on an initiative, by the same rules the workflow and the API apply:
 * the stage (ALLOWED_STAGES), the role, and for representatives their own state. A page shows a form
 * only for what this returns, so nothing is offered that the API would refuse.
 */
import { Act, isAllowedIn } from '../domain/lifecycle';
import { Actor, Role, Stage } from '../domain/types';
import type { InitiativeView } from '../domain/view';

export interface AllowedActs {
  assign: boolean;
  submitDraft: boolean;
  /** The state the reader may decide for, when a decision of theirs is awaited. */
  decideFor?: string;
  returnToDrafting: boolean;
  /** The open steps whose deadline the reader may extend. */
  extendSteps: string[];
  withdraw: boolean;
  addMilestone: boolean;
  /** Milestones the reader may mark done. */
  completeMilestones: string[];
  complete: boolean;
}

const has = (a: Actor, r: Role) => a.roles.includes(r);
const speaksForState = (a: Actor) => Boolean(a.state) && (has(a, Role.Representative) || has(a, Role.Deputy));

export function allowedActs(v: InitiativeView, actor: Actor): AllowedActs {
  const sec = has(actor, Role.Secretariat);
  const may = (act: Act) => isAllowedIn(act, v.stage);
  const round = v.round;
  const decideFor =
    may(Act.Decide) &&
    speaksForState(actor) &&
    round &&
    !round.blockedBy &&
    round.members.includes(actor.state!) &&
    !round.decisions?.[actor.state!] &&
    round.revision === v.revision
      ? actor.state
      : undefined;
  const lead = v.lead;
  const submitDraft =
    may(Act.SubmitDraft) &&
    Boolean(lead) &&
    (actor.personId === lead!.officialId || (speaksForState(actor) && actor.state === lead!.state));
  const openMilestones = v.milestones.filter((m) => !m.completedAt);
  return {
    assign: sec && may(Act.Assign),
    submitDraft,
    decideFor,
    returnToDrafting: sec && may(Act.ReturnToDrafting),
    extendSteps: sec && may(Act.ExtendDeadline) ? v.deadlines.map((d) => d.step) : [],
    withdraw: sec && may(Act.Withdraw),
    addMilestone: sec && may(Act.AddMilestone),
    completeMilestones: may(Act.CompleteMilestone)
      ? openMilestones.filter((m) => sec || m.ownerId === actor.personId).map((m) => m.id)
      : [],
    complete: sec && may(Act.Complete) && openMilestones.length === 0,
  };
}

export function anyAllowed(a: AllowedActs): boolean {
  return (
    a.assign ||
    a.submitDraft ||
    Boolean(a.decideFor) ||
    a.returnToDrafting ||
    a.extendSteps.length > 0 ||
    a.withdraw ||
    a.addMilestone ||
    a.completeMilestones.length > 0 ||
    a.complete
  );
}

export const isOpen = (stage: Stage) => stage !== Stage.Completed && stage !== Stage.Withdrawn;
