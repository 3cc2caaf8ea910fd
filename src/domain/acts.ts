/**
 * The act catalogue: every act a person performs on an initiative, defined once. An entry says in which
 * stages the act is possible, who may attempt it, which body it takes, how the API addresses it, on what a
 * reader may do it, and which rule validates and applies it (src/domain/initiative.ts). From this table the
 * workflow registers its updates (workflows/messages.ts), the service gates, prepares and sends them, the API
 * and the web pages route and offer them. Their words are in src/web/i18n.ts (ACT_WORDS).
 *
 * Adding an act: its entry here, its rule in initiative.ts, its words. A new kind of body also needs its
 * schema (src/app/act-bodies.ts), its form (src/web/act-forms.ts) and, if it reads the directory, its
 * preparation in the service (src/service/initiatives.ts).
 *
 * An act's key is its Temporal update's name: recorded histories name it, so it is never renamed.
 */
import * as rules from './initiative';
import { Refusal, RefusalCode, type Changes, type InitiativeState } from './initiative';
import { isSecretariat, speaksFor, speaksForState } from './roles';
import { Role, Stage, type Actor } from './types';
import type { InitiativeView } from './view';

/** Who may attempt an act at all; the rule then decides for which state or milestone. */
export const Who = {
  Secretariat: 'secretariat',
  /** The lead state's responsible official, or whoever speaks for the lead state. */
  LeadState: 'lead_state',
  /** Whoever speaks for the member state the act names (`state` in its body). */
  MemberState: 'member_state',
  /** A milestone's owner, or the Secretariat. */
  MilestoneOwner: 'milestone_owner',
  /**
   * The Chair (whoever speaks for the chairing state on the day, which the service establishes and marks with
   * the chair role), or the Secretariat acting for the Chair.
   */
  Chair: 'chair',
} as const;
export type Who = (typeof Who)[keyof typeof Who];

/** The body an act takes. Several acts share one (a reason, a note): schemas and forms are keyed by it. */
export const ActBody = {
  Assignment: 'assignment',
  Draft: 'draft',
  Decision: 'decision',
  Deadline: 'deadline',
  Reason: 'reason',
  Milestone: 'milestone',
  Note: 'note',
  Editorial: 'editorial',
  Acknowledgement: 'acknowledgement',
  Procedure: 'procedure',
} as const;
export type ActBody = (typeof ActBody)[keyof typeof ActBody];

interface ActDefinition<I extends { actor: Actor }, B extends ActBody = ActBody> {
  stages: readonly Stage[];
  who: Who;
  body: B;
  /** What it does, in the API's English: "only the Secretariat may <does>". */
  does: string;
  /** The API's operation: POST /api/initiatives/{id}/<path>; a `:milestoneId` in it names the act's target. */
  path: string;
  summary: string;
  /** Ends the initiative short of its purpose, for good: pages mark its button as dangerous. */
  destructive?: boolean;
  validate(state: InitiativeState, input: I, now: number): void;
  apply(state: InitiativeState, input: I, now: number): Changes;
  /**
   * On what a reader of the view may do it, once stage and role allow: the targets (open steps, milestones,
   * the reader's state), or whether at all. Absent: on the initiative, whenever stage and role allow.
   */
  offer?(view: InitiativeView, actor: Actor): readonly string[] | boolean;
}

const define = <I extends { actor: Actor }, B extends ActBody>(d: ActDefinition<I, B>) => d;

/** Whether the open round on the current revision still waits on `state`'s decision. */
function awaits(v: InitiativeView, state: string): boolean {
  const r = v.round;
  return Boolean(r && !r.blockedBy && r.revision === v.revision && r.members.includes(state) && !r.decisions?.[state]);
}

const OPEN: readonly Stage[] = [
  Stage.Proposed,
  Stage.Assigned,
  Stage.Drafting,
  Stage.Signoff,
  Stage.Adopted,
  Stage.Implementing,
];

/** In the order a page offers them: the reader's own decision first, the irreversible last. */
export const ACTS = {
  decide: define({
    stages: [Stage.Signoff],
    who: Who.MemberState,
    body: ActBody.Decision,
    does: "decide for a member state's sign-off",
    path: 'decisions',
    summary: 'Decide for a state: approve, abstain, request changes, propose an amendment or object',
    validate: rules.validateDecide,
    apply: rules.applyDecide,
    offer: (v, a) => (awaits(v, a.state!) ? [a.state!] : []),
  }),
  acknowledge: define({
    stages: [Stage.Signoff],
    who: Who.MemberState,
    body: ActBody.Acknowledgement,
    does: 'acknowledge receipt for a member state',
    path: 'acknowledgements',
    summary: 'Acknowledge, for a state, receipt of the text under the silence procedure',
    validate: rules.validateAcknowledge,
    apply: rules.applyAcknowledge,
    offer: (v, a) =>
      v.policy.silenceProcedure && awaits(v, a.state!) && !v.round!.acknowledged?.[a.state!] ? [a.state!] : [],
  }),
  submitDraft: define({
    stages: [Stage.Assigned, Stage.Drafting],
    who: Who.LeadState,
    body: ActBody.Draft,
    does: 'submit a draft',
    path: 'drafts',
    summary: 'Submit a draft (opens national sign-off on revision n+1)',
    validate: rules.validateSubmitDraft,
    apply: rules.applySubmitDraft,
    offer: (v, a) => Boolean(v.lead) && (a.personId === v.lead!.officialId || speaksFor(a, v.lead!.state)),
  }),
  assign: define({
    stages: [Stage.Proposed, Stage.Assigned, Stage.Drafting],
    who: Who.Secretariat,
    body: ActBody.Assignment,
    does: 'assign an initiative',
    path: 'assignment',
    summary: 'Assign the lead state, the responsible official and the draft deadline',
    validate: rules.validateAssign,
    apply: rules.applyAssign,
  }),
  completeMilestone: define({
    stages: [Stage.Implementing],
    who: Who.MilestoneOwner,
    body: ActBody.Note,
    does: 'mark a milestone done',
    path: 'milestones/:milestoneId/completion',
    summary: 'Mark a milestone done',
    validate: rules.validateCompleteMilestone,
    apply: rules.applyCompleteMilestone,
    offer: (v, a) =>
      v.milestones.filter((m) => !m.completedAt && (isSecretariat(a) || m.ownerId === a.personId)).map((m) => m.id),
  }),
  extendDeadline: define({
    // Adopted has nothing waiting on a person until its first milestone.
    stages: [Stage.Proposed, Stage.Assigned, Stage.Drafting, Stage.Signoff, Stage.Implementing],
    who: Who.Secretariat,
    body: ActBody.Deadline,
    does: 'extend a deadline',
    path: 'deadlines',
    summary: 'Extend the deadline of an open step',
    validate: rules.validateExtendDeadline,
    apply: rules.applyExtendDeadline,
    offer: (v) => v.deadlines.map((d) => d.step),
  }),
  addMilestone: define({
    stages: [Stage.Adopted, Stage.Implementing],
    who: Who.Secretariat,
    body: ActBody.Milestone,
    does: 'add a milestone',
    path: 'milestones',
    summary: 'Add an implementation milestone',
    validate: rules.validateAddMilestone,
    apply: rules.applyAddMilestone,
  }),
  complete: define({
    stages: [Stage.Adopted, Stage.Implementing],
    who: Who.Secretariat,
    body: ActBody.Note,
    does: 'complete an initiative',
    path: 'completion',
    summary: 'Mark the initiative completed',
    validate: rules.validateComplete,
    apply: rules.applyComplete,
    offer: (v) => v.milestones.every((m) => m.completedAt),
  }),
  reviseEditorially: define({
    stages: [Stage.Signoff],
    who: Who.Chair,
    body: ActBody.Editorial,
    does: 'mark a correction editorial',
    path: 'editorial-revisions',
    summary: 'Correct the text under sign-off as editorial (approvals carry over), with a reason',
    validate: rules.validateEditorial,
    apply: rules.applyEditorial,
    offer: (v) => Boolean(v.round && !v.round.blockedBy),
  }),
  chooseProcedure: define({
    // Before the next revision is put to the states; an open round keeps the procedure it opened with.
    stages: [Stage.Proposed, Stage.Assigned, Stage.Drafting],
    who: Who.Chair,
    body: ActBody.Procedure,
    does: 'choose the procedure for the next revision',
    path: 'procedure',
    summary: "Choose how the next revision is put to the states: a silence period, or each state's explicit decision",
    validate: rules.validateChooseProcedure,
    apply: rules.applyChooseProcedure,
  }),
  returnToDrafting: define({
    stages: [Stage.Signoff],
    who: Who.Secretariat,
    body: ActBody.Reason,
    does: 'return a draft to drafting',
    path: 'return-to-drafting',
    summary: 'Return a draft to drafting (after an objection)',
    validate: rules.validateReason,
    apply: rules.applyReturnToDrafting,
  }),
  withdraw: define({
    stages: OPEN,
    who: Who.Secretariat,
    body: ActBody.Reason,
    does: 'withdraw an initiative',
    path: 'withdrawal',
    summary: 'Withdraw an initiative',
    destructive: true,
    validate: rules.validateReason,
    apply: rules.applyWithdraw,
  }),
};

export type ActName = keyof typeof ACTS;
export const ACT_NAMES = Object.keys(ACTS) as ActName[];
/** What the workflow receives for an act: its body, prepared by the service, with the actor. */
export type ActInput<N extends ActName> = Parameters<(typeof ACTS)[N]['validate']>[1];

export const isActName = (name: string): name is ActName => Object.prototype.hasOwnProperty.call(ACTS, name);

/** The act's name as operators count it in /metrics: submit_draft. */
export const metricNameOf = (name: ActName): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** In the API's English, who may do acts of this kind. */
export const WHO_MAY: Record<Who, string> = {
  [Who.Secretariat]: 'the Secretariat',
  [Who.LeadState]: "the lead state's responsible official or its representative (or deputy in delegation)",
  [Who.MemberState]: 'the Special Representative of that state, or a deputy within the delegation dates',
  [Who.MilestoneOwner]: "the milestone's owner or the Secretariat",
  [Who.Chair]: 'the Chair (the representative of the chairing state) or the Secretariat',
};

/** Acts as the Chair: marked so by the service for the day's chairing state, or the Secretariat for the Chair. */
export const actsAsChair = (actor: Actor): boolean => isSecretariat(actor) || actor.roles.includes(Role.Chair);

/**
 * Why `actor` may not attempt the act at all, in English, or undefined when they may: checked before anything
 * is read or sent. `request` is the act's body (a decision names its `state`). The rule decides the rest.
 */
export function entitlementProblem(name: ActName, actor: Actor, request: { state?: unknown }): string | undefined {
  const def: ActDefinition<never> = ACTS[name];
  switch (def.who) {
    case Who.Secretariat:
      return isSecretariat(actor)
        ? undefined
        : `only the secretariat may ${def.does}; ${actor.name} is ${actor.roles.join(', ') || 'without a role'}`;
    case Who.LeadState:
      return actor.roles.includes(Role.Official) || speaksForState(actor)
        ? undefined
        : `only the lead state's responsible official or representative may ${def.does}; ${actor.name} is neither`;
    case Who.MemberState:
      if (!speaksForState(actor))
        return `${actor.name} is not a Special Representative, nor a deputy within the dates of a delegation`;
      return actor.state === request.state
        ? undefined
        : `${actor.name} may decide only for ${actor.state ?? 'no state'}, not for ${String(request.state)}`;
    case Who.MilestoneOwner:
      return undefined;
    case Who.Chair:
      return actsAsChair(actor)
        ? undefined
        : `only the Chair or the Secretariat may ${def.does}; ${actor.name} is neither`;
  }
}

/** The workflow's check of an act against the state: its stage, the Secretariat's acts, then its rule. */
export function validateAct<N extends ActName>(name: N, state: InitiativeState, input: ActInput<N>, now: number): void {
  const def: ActDefinition<ActInput<N>> = ACTS[name] as never;
  if (!def.stages.includes(state.stage)) {
    throw new Refusal(RefusalCode.WrongStage, `${name} is not possible while the initiative is ${state.stage}`);
  }
  if (def.who === Who.Secretariat && !isSecretariat(input.actor)) {
    throw new Refusal(
      RefusalCode.NotEntitled,
      `only the Secretariat may do this; ${input.actor.name} is not Secretariat staff`,
    );
  }
  if (def.who === Who.Chair && !actsAsChair(input.actor)) {
    throw new Refusal(
      RefusalCode.NotEntitled,
      `only the Chair or the Secretariat may do this; ${input.actor.name} does not speak for the chairing state`,
    );
  }
  def.validate(state, input, now);
}

export function applyAct<N extends ActName>(name: N, state: InitiativeState, input: ActInput<N>, now: number): Changes {
  const def: ActDefinition<ActInput<N>> = ACTS[name] as never;
  return def.apply(state, input, now);
}

/** An act a reader may do now, and on what (steps, milestones, their state) when it has targets. */
export interface Offer {
  act: ActName;
  targets?: readonly string[];
}

/** What the reader of a view may do now, by the same stages and roles the workflow and the service apply. */
export function offeredActs(view: InitiativeView, actor: Actor): Offer[] {
  return ACT_NAMES.flatMap((act): Offer[] => {
    const def: ActDefinition<never> = ACTS[act];
    if (!def.stages.includes(view.stage)) return [];
    if (def.who === Who.Secretariat && !isSecretariat(actor)) return [];
    if (def.who === Who.MemberState && !speaksForState(actor)) return [];
    if (def.who === Who.Chair && !actsAsChair(actor)) return [];
    const offered = def.offer?.(view, actor) ?? true;
    if (offered === true) return [{ act }];
    return offered === false || offered.length === 0 ? [] : [{ act, targets: offered }];
  });
}
