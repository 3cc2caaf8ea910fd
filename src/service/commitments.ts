/**
 * The commitment register's use cases (src/domain/commitments.ts): the Secretariat registers what an adopted
 * initiative asks of whom; each party's focal points update their own part (one at a time, or many at once from
 * a CSV file, all or nothing); people follow an initiative and are told of each change by email.
 */
import { appErrors, outageOf, type FieldError } from '../app/errors';
import {
  ALL_STATES,
  applyUpdate,
  cellOf,
  effectiveUpdate,
  commitmentMatrix,
  mayUpdate,
  newDelivery,
  partiesFor,
  REGISTER_STAGES,
  SECRETARIAT,
  updateErrors,
  type Commitment,
  type CommitmentMilestone,
  type DeliveryUpdate,
} from '../domain/commitments';
import { dayOf } from '../domain/delegation';
import { Role, type Actor } from '../domain/types';
import { logger } from '../logger';
import { commitmentOf, type CommitmentDoc, type CommitmentRepository } from '../persistence/commitments';
import type { Directory } from '../persistence/directory';
import type { InitiativeView } from '../domain/view';
import type { InitiativeLookup, ReadModel } from './read-model';

export interface CommitmentDeps {
  commitments: CommitmentRepository;
  readModel: Pick<ReadModel, 'reportViews'>;
  /** An initiative as recorded, or as its workflow answers when the record is behind (an adoption a moment ago). */
  view: InitiativeLookup;
  directory: Pick<Directory, 'membersOn'>;
  /** Starts the follow-up emails of one change (workflows/progress-notice.ts); idempotent per change. */
  announce: (commitmentId: string, rev: number) => Promise<void>;
  /** The Secretariat's zone: the day on which "the member states" are counted. */
  timeZone: string;
}

export interface NewCommitment {
  title: string;
  to: string;
  dueAt?: string;
  milestones?: CommitmentMilestone[];
}

/** One row of a bulk update: a party's part of a commitment, and what changes in it. */
export interface PartUpdate extends DeliveryUpdate {
  commitmentId: string;
  party: string;
}

/** More initiatives than a summit decides in a decade: the matrix reads them at once. */
const MAX_MATRIX_INITIATIVES = 5000;

/** More rows than a Secretariat's year of commitments: a file beyond it is refused whole. */
export const MAX_BULK_ROWS = 500;

export function createCommitments(deps: CommitmentDeps) {
  const members = async () =>
    (await deps.directory.membersOn(dayOf(new Date(), deps.timeZone))).map((s) => s._id).sort();

  async function announce(id: string, rev: number): Promise<void> {
    try {
      await deps.announce(id, rev);
    } catch (err) {
      // The change stands; its emails stay owed and the next API process to start announces them.
      if (!outageOf(err)) throw err;
      logger.warn({ commitment: id, rev, err: (err as Error).message }, 'commitments: follow-up emails owed');
    }
  }

  /** The reasons a row cannot be applied to the document as it stands, with the row's place in `field`. */
  function rowErrors(actor: Actor, doc: CommitmentDoc | null, row: PartUpdate, where: string): FieldError[] {
    if (!doc) return [{ field: `${where}commitmentId`, message: `commitment ${row.commitmentId} does not exist` }];
    const part = doc.parties[row.party];
    if (!part) return [{ field: `${where}party`, message: `the commitment is not addressed to ${row.party}` }];
    if (!mayUpdate(actor, row.party))
      return [
        { field: `${where}party`, message: `only ${row.party}'s focal points or the Secretariat update this part` },
      ];
    return updateErrors(part, row).map((e) => ({ field: `${where}${e.field}`, message: e.message }));
  }

  async function applyRow(actor: Actor, row: PartUpdate) {
    const { doc, rev } = await deps.commitments.update(row.commitmentId, (current) => {
      // Checked again on the document as written: a concurrent change may have made the row wrong.
      const errors = rowErrors(actor, current, row, '');
      if (errors.length > 0) throw appErrors.invalid(errors);
      const at = new Date().toISOString();
      const next = applyUpdate(current.parties[row.party], row, actor, at);
      return {
        parties: { ...current.parties, [row.party]: next },
        entry: {
          party: row.party,
          at,
          by: actor.personId,
          byName: actor.name,
          status: next.status,
          progress: next.progress,
          ...(row.note ? { note: row.note } : {}),
          evidenceAdded: row.evidence?.length ?? 0,
        },
      };
    });
    await announce(row.commitmentId, rev);
    return commitmentOf(doc);
  }

  return {
    /** Registers a commitment of an adopted initiative: the Secretariat's act. */
    async add(actor: Actor, initiativeId: string, input: NewCommitment): Promise<Commitment> {
      if (!actor.roles.includes(Role.Secretariat))
        throw appErrors.forbidden('only the Secretariat registers commitments');
      const view = await deps.view(initiativeId, (v) => REGISTER_STAGES.includes(v.stage));
      if (!view) throw appErrors.notFound(`initiative ${initiativeId}`);
      if (!REGISTER_STAGES.includes(view.stage))
        throw appErrors.refused(
          'wrong_stage',
          `commitments are registered once the initiative is adopted; it is ${view.stage}`,
        );
      const states = await members();
      const valid = [ALL_STATES, SECRETARIAT, ...states];
      if (!valid.includes(input.to))
        throw appErrors.invalid([{ field: 'to', message: `must be one of ${valid.join(', ')}` }]);
      const parties = Object.fromEntries(partiesFor(input.to, states).map((p) => [p, newDelivery()]));
      return deps.commitments.add({
        initiativeId,
        title: input.title,
        to: input.to,
        ...(input.dueAt ? { dueAt: input.dueAt } : {}),
        milestones: input.milestones ?? [],
        parties,
        createdAt: new Date().toISOString(),
        createdBy: actor.personId,
      });
    },

    /** One commitment as stored, or null. */
    get: (id: string) => deps.commitments.get(id),

    /** An initiative's commitments, each party's part as a reader sees it now; `known`: the caller has its view. */
    async ofInitiative(initiativeId: string, known = false) {
      if (!known && !(await deps.view(initiativeId))) throw appErrors.notFound(`initiative ${initiativeId}`);
      const asOf = new Date().toISOString();
      return (await deps.commitments.ofInitiative(initiativeId)).map((d) => {
        const c = commitmentOf(d);
        return {
          ...c,
          late: Object.keys(c.parties).filter((p) => cellOf(c, p, asOf)?.late),
          history: d.history,
        };
      });
    },

    /** A party's part changes; the initiative's followers are told. */
    async update(actor: Actor, row: PartUpdate): Promise<Commitment> {
      const doc = await deps.commitments.get(row.commitmentId);
      if (!doc) throw appErrors.notFound(`commitment ${row.commitmentId}`);
      if (!doc.parties[row.party]) throw appErrors.notFound(`${row.party}'s part of commitment ${row.commitmentId}`);
      if (!mayUpdate(actor, row.party))
        throw appErrors.forbidden(`only ${row.party}'s focal points or the Secretariat update this part`);
      return applyRow(actor, row);
    },

    /**
     * Many parts at once (a focal point's CSV file): every row is checked first and nothing is written unless all
     * pass, so a file with one bad line changes nothing. Rows are then written in order.
     */
    async updateParts(actor: Actor, rows: PartUpdate[]): Promise<{ updated: number; unchanged: number }> {
      if (rows.length === 0) throw appErrors.invalid([{ field: 'rows', message: 'the file has no rows' }]);
      if (rows.length > MAX_BULK_ROWS)
        throw appErrors.invalid([{ field: 'rows', message: `at most ${MAX_BULK_ROWS} rows at a time` }]);
      const seen = new Set<string>();
      const errors: FieldError[] = [];
      const changes: PartUpdate[] = [];
      for (const [i, row] of rows.entries()) {
        const key = `${row.commitmentId}|${row.party}`;
        if (seen.has(key)) errors.push({ field: `rows.${i}`, message: 'the same part appears twice in the file' });
        seen.add(key);
        const doc = await deps.commitments.get(row.commitmentId);
        // A row that says what the part already says (the rest of a downloaded file) is left alone, unchecked.
        const effective = doc?.parties[row.party] && effectiveUpdate(doc.parties[row.party], row);
        if (doc?.parties[row.party] && !effective) continue;
        const change = { commitmentId: row.commitmentId, party: row.party, ...(effective ?? row) };
        errors.push(...rowErrors(actor, doc, change, `rows.${i}.`));
        changes.push(change);
      }
      if (errors.length > 0) throw appErrors.invalid(errors);
      for (const row of changes) await applyRow(actor, row);
      return { updated: changes.length, unchanged: rows.length - changes.length };
    },

    /** The state × commitment matrix of a summit's initiatives (all summits when none is named). */
    async matrix(summit?: string) {
      // Only adopted initiatives have commitments: no stage filter, so a record a moment behind loses none.
      const views = await deps.readModel.reportViews(summit, MAX_MATRIX_INITIATIVES);
      const titles = Object.fromEntries(views.map((v) => [v.id, v.title]));
      const docs = await deps.commitments.ofInitiatives(views.map((v) => v.id));
      const asOf = new Date().toISOString();
      return { asOf, titles, ...commitmentMatrix(docs.map(commitmentOf), await members(), asOf) };
    },

    follow: (actor: Actor, initiativeId: string) => followChange(actor, initiativeId, true),
    unfollow: (actor: Actor, initiativeId: string) => followChange(actor, initiativeId, false),
    isFollowing: (actor: Actor, initiativeId: string) =>
      deps.commitments.follows.isFollowing(initiativeId, actor.personId),

    /** Announces the changes whose emails are still owed (their start met a Temporal outage). */
    async announceOwed(): Promise<number> {
      let started = 0;
      for (const { id, revs } of await deps.commitments.owingNotices())
        for (const rev of revs) {
          await deps.announce(id, rev);
          started += 1;
        }
      return started;
    },
  };

  async function followChange(actor: Actor, initiativeId: string, on: boolean): Promise<{ following: boolean }> {
    if (!(await deps.view(initiativeId))) throw appErrors.notFound(`initiative ${initiativeId}`);
    if (on) await deps.commitments.follows.follow(initiativeId, actor.personId);
    else await deps.commitments.follows.unfollow(initiativeId, actor.personId);
    return { following: on };
  }
}
export type Commitments = ReturnType<typeof createCommitments>;
