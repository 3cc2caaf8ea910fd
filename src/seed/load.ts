/** Loads a summit file idempotently: directory upserts, then one workflow start per initiative (a second load duplicates nothing). */
import type { Actor } from '../domain/types';
import { directoryRepositoriesOf } from '../persistence/credentials';
import type { DirectoryModels } from '../persistence/directory';
import { createDirectoryEdits } from '../service/directory-edits';
import type { InitiativeService } from '../service/initiatives';
import type { SummitFile } from './summit-file';

export interface LoadReport {
  states: number;
  people: number;
  started: string[];
  existing: string[];
}

export async function loadSummit(
  file: SummitFile,
  models: DirectoryModels,
  service: InitiativeService,
  actor: Actor,
): Promise<LoadReport> {
  // Through the directory's edits, like the Secretariat's: each change is in the directory trail, and a
  // person whose email or roles the file changes loses the credentials of the previous holder.
  const edits = createDirectoryEdits(directoryRepositoriesOf(models));
  for (const s of file.states) {
    await edits.importState(actor, s.code, {
      name: s.name,
      timeZone: s.timeZone,
      admittedOn: s.admittedOn,
      ...(s.leftOn ? { leftOn: s.leftOn } : {}),
    });
  }
  for (const r of file.rotation) {
    await edits.importRotation(actor, r.year, {
      chairState: r.chairState,
      from: r.from,
      to: r.to,
      ...(r.summit ? { summit: r.summit } : {}),
    });
  }
  for (const p of file.people) {
    const { id, ...rest } = p;
    await edits.importPerson(actor, id, rest);
  }
  const report: LoadReport = { states: file.states.length, people: file.people.length, started: [], existing: [] };
  for (const i of file.initiatives) {
    const { created } = await service.start(actor, i);
    (created ? report.started : report.existing).push(i.id);
  }
  return report;
}
