/** Loads a summit file idempotently: directory upserts, then one workflow start per initiative (a second load duplicates nothing). */
import type { Actor } from '../domain/types';
import type { DirectoryModels } from '../persistence/directory';
import type { InitiativeService } from '../service/initiatives';
import type { SummitFile } from './summit-file';

export interface LoadReport {
  states: number;
  people: number;
  started: string[];
  existing: string[];
}

export async function loadSummit(file: SummitFile, models: DirectoryModels, service: InitiativeService, actor: Actor): Promise<LoadReport> {
  for (const s of file.states) {
    await models.states.replaceOne({ _id: s.code }, { _id: s.code, name: s.name, timeZone: s.timeZone, admittedOn: s.admittedOn, leftOn: s.leftOn }, { upsert: true });
  }
  for (const r of file.rotation) {
    await models.rotation.replaceOne({ _id: r.year }, { _id: r.year, chairState: r.chairState, from: r.from, to: r.to, summit: r.summit }, { upsert: true });
  }
  for (const p of file.people) {
    const { id, ...rest } = p;
    await models.people.replaceOne({ _id: id }, { _id: id, ...rest, email: rest.email.toLowerCase() }, { upsert: true });
  }
  const report: LoadReport = { states: file.states.length, people: file.people.length, started: [], existing: [] };
  for (const i of file.initiatives) {
    const { created } = await service.start(actor, i);
    (created ? report.started : report.existing).push(i.id);
  }
  return report;
}
