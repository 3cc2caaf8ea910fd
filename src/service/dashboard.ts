/**
 * The Secretariat's dashboard: per state and per chairmanship year, how sign-off and delivery fare
 * (src/report/dashboard.ts), the path to the next summit (src/domain/dependencies.ts), and a missing next Chair
 * in the rotation calendar, said ahead of the rotation date.
 */
import { dayOf } from '../domain/delegation';
import { rotationGap, type ChairPeriod } from '../domain/rotation';
import type { CommitmentRepository } from '../persistence/commitments';
import type { Directory } from '../persistence/directory';
import { dashboard, type CommitmentCell } from '../report/dashboard';
import type { Dependencies } from './dependencies';
import type { ReadModel } from './read-model';
import { summitsOnRecord } from './reports';

export interface DashboardDeps {
  readModel: Pick<ReadModel, 'reportViews'>;
  directory: Pick<Directory, 'membersOn' | 'rotation'>;
  commitments: Pick<CommitmentRepository, 'ofInitiatives'>;
  dependencies: Pick<Dependencies, 'path'>;
  timeZone: string;
}

/** More initiatives than a summit decides in a decade: the figures are taken over all of them. */
const MAX_VIEWS = 5000;

export function createDashboard(deps: DashboardDeps) {
  return {
    async figures() {
      const now = new Date();
      const asOf = now.toISOString();
      const today = dayOf(now, deps.timeZone);
      const [views, rotation, members] = await Promise.all([
        deps.readModel.reportViews(undefined, MAX_VIEWS),
        deps.directory.rotation(),
        deps.directory.membersOn(today),
      ]);
      const periods: ChairPeriod[] = rotation.map((r) => ({
        year: r._id,
        chairState: r.chairState,
        from: r.from,
        to: r.to,
      }));
      const cells: CommitmentCell[] = (await deps.commitments.ofInitiatives(views.map((v) => v.id))).flatMap((c) =>
        Object.entries(c.parties).map(([party, d]) => ({
          party,
          status: d.status,
          ...(c.dueAt ? { dueAt: c.dueAt } : {}),
          ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
        })),
      );
      // The next summit on record; else the end of the chairmanship that runs now, when the next meeting is held.
      const current = periods.find((p) => p.from <= today && today <= p.to);
      const next =
        summitsOnRecord(rotation)
          .filter((s) => s.date > today)
          .sort((a, b) => a.date.localeCompare(b.date))[0] ?? undefined;
      const summitDate = next?.date ?? current?.to;
      return {
        ...dashboard({
          views,
          states: members.map((m) => m._id).sort(),
          periods,
          commitments: cells,
          asOf,
          timeZone: deps.timeZone,
        }),
        rotationGap: rotationGap(periods, today),
        nextSummit: next
          ? {
              title: next.title,
              date: next.date,
              city: next.city,
              ...(next.titleRu ? { titleRu: next.titleRu } : {}),
              ...(next.cityRu ? { cityRu: next.cityRu } : {}),
            }
          : undefined,
        path: summitDate ? await deps.dependencies.path(summitDate) : undefined,
      };
    },
  };
}
export type DashboardService = ReturnType<typeof createDashboard>;
