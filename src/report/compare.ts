/**
 * What changed between two progress reports of the same summit (a kept snapshot and a later one, or now): which
 * initiatives appeared, moved stage, saw a state decide or change its position, fell late or caught up. The
 * Secretariat tells the heads of state what moved since the last meeting of senior officials from this.
 */
import type { ProgressReport, ReportedInitiative, StatePosition } from './progress';

export type ReportChange =
  | { initiativeId: string; title: string; kind: 'new' }
  | { initiativeId: string; title: string; kind: 'stage'; from: string; to: string }
  | { initiativeId: string; title: string; kind: 'position'; state: string; from: StatePosition; to: StatePosition }
  | { initiativeId: string; title: string; kind: 'late'; step: string; dueAt: string }
  | { initiativeId: string; title: string; kind: 'caught_up'; step: string };

function changesOf(before: ReportedInitiative | undefined, after: ReportedInitiative): ReportChange[] {
  const base = { initiativeId: after.id, title: after.title };
  if (!before) return [{ ...base, kind: 'new' }];
  const out: ReportChange[] = [];
  if (before.stage !== after.stage) out.push({ ...base, kind: 'stage', from: before.stage, to: after.stage });
  for (const [state, to] of Object.entries(after.positions)) {
    const from = before.positions[state];
    if (from !== undefined && from !== to) out.push({ ...base, kind: 'position', state, from, to });
  }
  const lateBefore = new Set(before.late.map((l) => l.step));
  const lateAfter = new Set(after.late.map((l) => l.step));
  for (const l of after.late)
    if (!lateBefore.has(l.step)) out.push({ ...base, kind: 'late', step: l.step, dueAt: l.dueAt });
  for (const l of before.late) if (!lateAfter.has(l.step)) out.push({ ...base, kind: 'caught_up', step: l.step });
  return out;
}

/** The changes from `before` to `after`, initiative by initiative in the later report's order. */
export function compareReports(before: ProgressReport, after: ProgressReport): ReportChange[] {
  const earlier = new Map(before.initiatives.map((i) => [i.id, i]));
  return after.initiatives.flatMap((i) => changesOf(earlier.get(i.id), i));
}
