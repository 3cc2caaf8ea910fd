/** The live view of an initiative: what the query returns, the read model stores and the API shows. */
import { InitiativeState, openDuties, partiesOf } from './initiative';
import { pendingStates } from './signoff';
import { DecisionKind, Stage, type DueDayOff } from './types';

export interface InitiativeView {
  id: string;
  title: string;
  summary?: string;
  /** In Russian, where the Secretariat gave them (src/i18n/titles.ts picks by the reader's language). */
  titleRu?: string;
  summaryRu?: string;
  proposingState: string;
  summit: string;
  category: string;
  source?: { document: string; quote: string };
  stage: Stage;
  revision: number;
  policy: InitiativeState['input']['policy'];
  lead?: InitiativeState['lead'];
  /** The draft is due on a day off in the lead state (by its calendar). */
  draftDayOff?: DueDayOff;
  draft?: InitiativeState['draft'];
  /** Every revision submitted, with its hash and language versions (the texts are in the trail's events). */
  revisions?: InitiativeState['revisions'];
  /** The last revision each state decided on. */
  decidedRevisions?: InitiativeState['decidedRevisions'];
  round?: {
    revision: number;
    openedAt: string;
    dueAt: string;
    members: string[];
    decisions: Record<
      string,
      {
        decision: DecisionKind;
        reason?: string;
        by?: string;
        byName?: string;
        onBehalfOf?: string;
        deemed?: boolean;
        at: string;
        textHash?: string;
        language?: string;
        carriedFrom?: number;
        statement?: string;
        amendment?: string;
      }
    >;
    blockedBy?: string;
    textHash?: string;
    daysOff?: DueDayOff[];
    acknowledged?: Record<string, { at: string; by: string; byName: string }>;
  };
  pendingStates: string[];
  deadlines: { step: string; dueAt: string; waitingOn: string[] }[];
  /** The earliest open due date, for sorting and the overdue filter. */
  nextDueAt?: string;
  nextReminder?: { at: string; step: string; to: string };
  milestones: InitiativeState['milestones'];
  closed?: InitiativeState['closed'];
  startedAt: string;
  updatedAt: string;
  /** Grows with every recorded event: the read model keeps only the newest view. */
  version: number;
}

export function viewOf(state: InitiativeState): InitiativeView {
  const round = state.round;
  const inSignoff = state.stage === Stage.Signoff && round && !round.blockedBy;
  const deadlines = Object.values(state.deadlines)
    .map((d) => ({ step: d.step, dueAt: d.dueAt, waitingOn: partiesOf(state, d).map((p) => p.key) }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const reminder = openDuties(state).find((d) => d.kind === 'reminder');
  return {
    id: state.input.id,
    title: state.input.title,
    summary: state.input.summary,
    ...(state.input.titleRu ? { titleRu: state.input.titleRu } : {}),
    ...(state.input.summaryRu ? { summaryRu: state.input.summaryRu } : {}),
    proposingState: state.input.proposingState,
    summit: state.input.summit,
    category: state.input.category,
    source: state.input.source,
    stage: state.stage,
    revision: state.revision,
    policy: state.input.policy,
    lead: state.lead,
    ...(state.draftDayOff ? { draftDayOff: state.draftDayOff } : {}),
    draft: state.draft,
    revisions: state.revisions,
    decidedRevisions: state.decidedRevisions,
    round: round && {
      revision: round.revision,
      openedAt: round.openedAt,
      dueAt: round.dueAt,
      members: round.members.map((m) => m.code),
      decisions: round.decisions,
      blockedBy: round.blockedBy,
      textHash: round.textHash,
      daysOff: round.daysOff,
      acknowledged: round.acknowledged,
    },
    pendingStates: inSignoff
      ? pendingStates(
          round.members.map((m) => m.code),
          round.decisions,
        )
      : [],
    deadlines,
    nextDueAt: deadlines[0]?.dueAt,
    nextReminder:
      reminder && reminder.kind === 'reminder'
        ? { at: reminder.at, step: reminder.step, to: reminder.party.key }
        : undefined,
    milestones: state.milestones,
    closed: state.closed,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    version: state.seq,
  };
}

/** Someone a step waits on: a member state, a person (named as the view knows them) or a role. */
export type Party = { state: string } | { personId: string; name: string } | { role: string };

/** The party behind a deadline's key: "state:KZ", "person:official-kz" or a role such as "secretariat". */
export function partyOf(v: Pick<InitiativeView, 'lead' | 'milestones'>, key: string): Party {
  if (key.startsWith('state:')) return { state: key.slice('state:'.length) };
  if (key.startsWith('person:')) {
    const personId = key.slice('person:'.length);
    const name =
      v.lead?.officialId === personId
        ? v.lead.officialName
        : (v.milestones.find((m) => m.ownerId === personId)?.ownerName ?? personId);
    return { personId, name };
  }
  return { role: key };
}
