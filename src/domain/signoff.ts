/** The sign-off policy: when a round of national decisions adopts, blocks or sends back a draft. */
import { DecisionKind, SignoffPolicy } from './types';

export interface RoundDecision {
  decision: DecisionKind;
  /** Deemed approvals of the silence procedure carry `deemed: true`. */
  deemed?: boolean;
}

export type RoundOutcome = 'pending' | 'adopted' | 'blocked' | 'changes_requested';

/** Evaluates a round from the decisions of its members (states that were members when it opened). */
export function evaluateRound(
  policy: SignoffPolicy,
  members: readonly string[],
  decisions: Readonly<Record<string, RoundDecision>>,
): RoundOutcome {
  const of = (state: string) => decisions[state]?.decision;
  if (members.some((s) => of(s) === DecisionKind.Object)) return 'blocked';
  if (members.some((s) => of(s) === DecisionKind.RequestChanges || of(s) === DecisionKind.Amend))
    return 'changes_requested';
  const approvals = members.filter((s) => of(s) === DecisionKind.Approve).length;
  const abstentions = members.filter((s) => of(s) === DecisionKind.Abstain).length;
  const needed = requiredApprovals(policy, members.length, abstentions);
  return approvals >= needed ? 'adopted' : 'pending';
}

/**
 * Consensus: every member approves or abstains (an abstention does not stand in the way), and at least one
 * approves. Quorum: that many approvals, abstentions not counted.
 */
export function requiredApprovals(policy: SignoffPolicy, memberCount: number, abstentions = 0): number {
  return policy.rule.rule === 'consensus'
    ? Math.max(1, memberCount - abstentions)
    : Math.min(policy.rule.quorum, memberCount);
}

export function pendingStates(
  members: readonly string[],
  decisions: Readonly<Record<string, RoundDecision>>,
): string[] {
  return members.filter((s) => !decisions[s]);
}

const CONSENSUS = 'consensus of all members';
const SILENCE = ', with silence procedure';

/** The policy as the audit trail records it (plain English, part of the hashed record). */
export function describePolicy(policy: SignoffPolicy): string {
  const rule = policy.rule.rule === 'consensus' ? CONSENSUS : `quorum of ${policy.rule.quorum} member states`;
  return policy.silenceProcedure ? `${rule}${SILENCE}` : rule;
}

/** The policy a recorded description names (so pages can say it in the reader's language), if it is one. */
export function policyOfDescription(text: string): SignoffPolicy | undefined {
  const silenceProcedure = text.endsWith(SILENCE);
  const rule = silenceProcedure ? text.slice(0, -SILENCE.length) : text;
  if (rule === CONSENSUS) return { rule: { rule: 'consensus' }, silenceProcedure };
  const quorum = /^quorum of (\d+) member states$/.exec(rule);
  return quorum ? { rule: { rule: 'quorum', quorum: Number(quorum[1]) }, silenceProcedure } : undefined;
}
