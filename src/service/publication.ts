/**
 * The public accountability page's data: the initiatives the Secretariat put in the public tier, each reduced to
 * what a citizen may read. Nothing that names a person, an address, a reason given in confidence or a draft's
 * text leaves through here: only the decision of the summit, where it stands, and which states have approved.
 */
import type { Actor } from '../domain/types';
import { Role } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import { Tier, type PublicationRepository } from '../persistence/publications';
import type { InitiativeLookup, ReadModel } from './read-model';
import { appErrors } from '../app/errors';

export interface PublicInitiative {
  id: string;
  title: string;
  summary?: string;
  titleRu?: string;
  summaryRu?: string;
  summit: string;
  category: string;
  proposingState: string;
  /** The summit's own words this initiative comes from. */
  source?: { document: string; quote: string };
  stage: string;
  startedAt: string;
  updatedAt: string;
  /** The sign-off round: who is asked, and which states have approved (not who acted, nor any reason). */
  signoff?: { revision: number; dueAt: string; members: string[]; approved: string[] };
  milestones: { title: string; dueAt: string; completedAt?: string }[];
  closedAt?: string;
}

/** What of a view the public may read. */
export function publicViewOf(v: InitiativeView): PublicInitiative {
  return {
    id: v.id,
    title: v.title,
    ...(v.summary ? { summary: v.summary } : {}),
    ...(v.titleRu ? { titleRu: v.titleRu } : {}),
    ...(v.summaryRu ? { summaryRu: v.summaryRu } : {}),
    summit: v.summit,
    category: v.category,
    proposingState: v.proposingState,
    ...(v.source ? { source: v.source } : {}),
    stage: v.stage,
    startedAt: v.startedAt,
    updatedAt: v.updatedAt,
    ...(v.round
      ? {
          signoff: {
            revision: v.round.revision,
            dueAt: v.round.dueAt,
            members: v.round.members,
            approved: Object.entries(v.round.decisions)
              .filter(([, d]) => d.decision === 'approve')
              .map(([state]) => state)
              .sort(),
          },
        }
      : {}),
    milestones: v.milestones.map((m) => ({
      title: m.title,
      dueAt: m.dueAt,
      ...(m.completedAt ? { completedAt: m.completedAt } : {}),
    })),
    ...(v.closed ? { closedAt: v.closed.at } : {}),
  };
}

const PUBLIC: readonly Tier[] = [Tier.Public];
const PARLIAMENTS: readonly Tier[] = [Tier.Parliaments, Tier.Public];

export function createPublication(deps: {
  publications: PublicationRepository;
  readModel: Pick<ReadModel, 'view'>;
  /** An initiative as recorded, or as its workflow answers when not recorded yet (started a moment ago). */
  live: InitiativeLookup;
}) {
  return {
    tierOf: (id: string) => deps.publications.of(id),
    /** Sets an initiative's tier: the Secretariat's decision, kept with who and when. */
    async setTier(actor: Actor, id: string, tier: Tier, reason?: string) {
      if (!actor.roles.includes(Role.Secretariat))
        throw appErrors.forbidden('only the Secretariat publishes initiatives');
      if (!(await deps.live(id))) throw appErrors.notFound(`initiative ${id}`);
      await deps.publications.set(id, { tier, by: actor.personId, at: new Date(), ...(reason ? { reason } : {}) });
      return deps.publications.of(id);
    },
    /** The public tier, newest change first. */
    publicList: () => listOf(PUBLIC),
    /** One initiative of the public tier; null for any other, as for none. */
    publicOne: (id: string) => oneOf(id, PUBLIC),
    /** What the national parliaments read: the parliaments' tier and the public one. */
    parliamentList: () => listOf(PARLIAMENTS),
    parliamentOne: (id: string) => oneOf(id, PARLIAMENTS),
  };

  async function listOf(tiers: readonly Tier[]): Promise<PublicInitiative[]> {
    const views = await Promise.all((await deps.publications.idsIn(tiers)).map((id) => deps.readModel.view(id)));
    return views
      .filter((v): v is InitiativeView => v !== null)
      .map(publicViewOf)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }
  async function oneOf(id: string, tiers: readonly Tier[]): Promise<PublicInitiative | null> {
    if (!tiers.includes((await deps.publications.of(id)).tier)) return null;
    const v = await deps.readModel.view(id);
    return v ? publicViewOf(v) : null;
  }
}
export type Publication = ReturnType<typeof createPublication>;
