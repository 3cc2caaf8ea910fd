/**
 * Dependencies between initiatives, as the Secretariat records them (src/domain/dependencies.ts): what each
 * initiative waits for and what waits for it, how it fares once its chain is counted, and the path to the next
 * summit. A dependency that would make an initiative wait for itself is refused, naming the loop.
 */
import { appErrors } from '../app/errors';
import { dependencyHealth, pathToSummit, refuseCycle, Until, type Dependency } from '../domain/dependencies';
import { Refusal } from '../domain/initiative';
import { Role, type Actor } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import type { DependencyRepository } from '../persistence/dependencies';
import type { InitiativeLookup, ReadModel } from './read-model';

export interface DependencyDeps {
  dependencies: DependencyRepository;
  readModel: Pick<ReadModel, 'reportViews' | 'view'>;
  /** An initiative as recorded, or as its workflow answers when the record is behind. */
  view: InitiativeLookup;
}

export interface NewDependency {
  blockedBy: string;
  until: Until;
  milestoneId?: string;
  reason?: string;
}

/** More initiatives than a summit decides in a decade: chains are followed over all of them. */
const MAX_VIEWS = 5000;

export function createDependencies(deps: DependencyDeps) {
  const secretariatOnly = (actor: Actor) => {
    if (!actor.roles.includes(Role.Secretariat))
      throw appErrors.forbidden('only the Secretariat records dependencies between initiatives');
  };
  const everything = async () => {
    const [views, all] = await Promise.all([deps.readModel.reportViews(undefined, MAX_VIEWS), deps.dependencies.all()]);
    return { views, all };
  };

  return {
    async add(actor: Actor, initiativeId: string, input: NewDependency): Promise<Dependency> {
      secretariatOnly(actor);
      const hasMilestone = (v: InitiativeView) =>
        !input.milestoneId || v.milestones.some((m) => m.id === input.milestoneId);
      const [dependent, blocker] = await Promise.all([
        deps.view(initiativeId, hasMilestone),
        deps.view(input.blockedBy),
      ]);
      if (!dependent) throw appErrors.notFound(`initiative ${initiativeId}`);
      if (!blocker)
        throw appErrors.invalid([{ field: 'blockedBy', message: `initiative ${input.blockedBy} does not exist` }]);
      if (input.milestoneId && !dependent.milestones.some((m) => m.id === input.milestoneId))
        throw appErrors.invalid([
          { field: 'milestoneId', message: `${initiativeId} has no milestone ${input.milestoneId}` },
        ]);
      const all = await deps.dependencies.all();
      if (
        all.some(
          (d) =>
            d.initiativeId === initiativeId &&
            d.blockedBy === input.blockedBy &&
            (d.milestoneId ?? '') === (input.milestoneId ?? ''),
        )
      )
        throw appErrors.refused('invalid', `${initiativeId} already waits for ${input.blockedBy}`);
      try {
        refuseCycle(all, { initiativeId, blockedBy: input.blockedBy });
      } catch (err) {
        if (err instanceof Refusal) throw appErrors.refused(err.code, err.message);
        throw err;
      }
      return deps.dependencies.add({
        initiativeId,
        blockedBy: input.blockedBy,
        until: input.until,
        ...(input.milestoneId ? { milestoneId: input.milestoneId } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
        by: actor.personId,
        at: new Date().toISOString(),
      });
    },

    get: (id: string) => deps.dependencies.get(id),

    async remove(actor: Actor, id: string): Promise<void> {
      secretariatOnly(actor);
      if (!(await deps.dependencies.get(id))) throw appErrors.notFound(`dependency ${id}`);
      await deps.dependencies.remove(id);
    },

    /**
     * What an initiative waits for, what waits for it, and how it fares with its chain. Reads only the views of
     * the initiatives its chain reaches (none, for most initiatives), not every view.
     */
    async of(initiativeId: string) {
      if (!(await deps.view(initiativeId))) throw appErrors.notFound(`initiative ${initiativeId}`);
      const all = await deps.dependencies.all();
      const asOf = new Date().toISOString();
      const waitsFor = all.filter((d) => d.initiativeId === initiativeId);
      const waitedBy = all.filter((d) => d.blockedBy === initiativeId);
      const reached = new Set<string>([initiativeId, ...waitedBy.map((d) => d.initiativeId)]);
      for (let edge = [...waitsFor]; edge.length > 0;) {
        const next = edge.filter((d) => !reached.has(d.blockedBy));
        for (const d of next) reached.add(d.blockedBy);
        edge = all.filter((d) => next.some((n) => n.blockedBy === d.initiativeId));
      }
      const views = (await Promise.all([...reached].map((id) => deps.readModel.view(id)))).filter(
        (v): v is InitiativeView => v !== null,
      );
      const byId = new Map(views.map((v) => [v.id, v]));
      const health = waitsFor.length ? dependencyHealth(views, all, asOf).get(initiativeId) : undefined;
      const named = (d: Dependency, other: string) => ({
        ...d,
        title: byId.get(other)?.title ?? other,
        ...(byId.get(other)?.titleRu ? { titleRu: byId.get(other)!.titleRu } : {}),
        stage: byId.get(other)?.stage,
      });
      return {
        asOf,
        waitsFor: waitsFor.map((d) => named(d, d.blockedBy)),
        waitedBy: waitedBy.map((d) => named(d, d.initiativeId)),
        ...(health ? { health } : {}),
      };
    },

    /** The path to a summit: the chains not yet met, blockers first, with the earliest date each can be met. */
    async path(summitDate: string) {
      const { views, all } = await everything();
      const asOf = new Date().toISOString();
      return { asOf, summitDate, steps: pathToSummit(views, all, { summitDate, asOf }) };
    },
  };
}
export type Dependencies = ReturnType<typeof createDependencies>;
