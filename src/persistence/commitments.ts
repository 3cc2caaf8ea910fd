/**
 * The commitment register (src/domain/commitments.ts) and who follows which initiative. A commitment is one
 * document, its parties' parts inside it, every change kept in its history; focal points of several states
 * update parts of the same document at once, so each write is a `rewrite()` on the document's `rev`.
 * Follow-up emails owed for a change are kept apart, one document per revision in `commitment_notices_owed`,
 * until the worker has queued them: the worker then never writes the commitment itself, whose conditional
 * replace FerretDB on SQLite does not make atomic against a focal point's update at the same moment.
 */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';
import type { Commitment, Delivery } from '../domain/commitments';
import { rewrite, upsertRacing } from './connection';

export interface CommitmentChange {
  rev: number;
  party: string;
  at: string;
  by: string;
  byName: string;
  status: Delivery['status'];
  progress: number;
  note?: string;
  evidenceAdded: number;
}

export interface CommitmentDoc extends Omit<Commitment, 'id'> {
  /** Random: a commitment's id says nothing of its initiative. */
  _id: string;
  rev?: number;
  history: CommitmentChange[];
  /** Revisions whose follow-up emails were not queued yet, as documents written before `commitment_notices_owed` kept them. */
  noticesOwed?: number[];
}

/** A revision of a commitment whose follow-up emails are not queued yet. */
interface NoticeOwedDoc {
  /** commitmentId|rev */
  _id: string;
  commitmentId: string;
  rev: number;
}
const owedSchema = new Schema<NoticeOwedDoc>({ _id: String, commitmentId: String, rev: Number }, { versionKey: false });

const schema = new Schema<CommitmentDoc>(
  {
    _id: String,
    initiativeId: String,
    title: String,
    to: String,
    dueAt: String,
    milestones: Schema.Types.Mixed,
    parties: Schema.Types.Mixed,
    createdAt: String,
    createdBy: String,
    rev: Number,
    history: Schema.Types.Mixed,
    noticesOwed: [Number],
  },
  { versionKey: false, minimize: false },
);
// An initiative's commitments, oldest first (the initiative page, the report).
schema.index({ initiativeId: 1, createdAt: 1 });
// Follow-up emails not yet queued, found again by the worker when it starts.
schema.index({ noticesOwed: 1 });

export interface FollowDoc {
  /** initiativeId|personId: following twice is following once. */
  _id: string;
  initiativeId: string;
  personId: string;
  since: Date;
}
const followSchema = new Schema<FollowDoc>(
  { _id: String, initiativeId: String, personId: String, since: Date },
  { versionKey: false },
);
// Who follows an initiative, when its progress changes.
followSchema.index({ initiativeId: 1 });
// What a person follows (their settings page).
followSchema.index({ personId: 1 });

export function commitmentModels(conn: Connection) {
  return {
    commitments: conn.model<CommitmentDoc>('Commitment', schema, 'commitments'),
    follows: conn.model<FollowDoc>('Follow', followSchema, 'follows'),
    owed: conn.model<NoticeOwedDoc>('CommitmentNoticeOwed', owedSchema, 'commitment_notices_owed'),
  };
}
export type CommitmentModels = ReturnType<typeof commitmentModels>;

export const commitmentOf = (d: CommitmentDoc): Commitment & { rev: number } => ({
  id: d._id,
  initiativeId: d.initiativeId,
  title: d.title,
  to: d.to,
  ...(d.dueAt ? { dueAt: d.dueAt } : {}),
  milestones: d.milestones ?? [],
  parties: d.parties,
  createdAt: d.createdAt,
  createdBy: d.createdBy,
  rev: d.rev ?? 1,
});

export function createCommitmentRepository(m: CommitmentModels) {
  return {
    async add(c: Omit<Commitment, 'id'>): Promise<Commitment & { rev: number }> {
      const doc: CommitmentDoc = { _id: randomBytes(8).toString('hex'), ...c, rev: 1, history: [] };
      await m.commitments.create(doc);
      return commitmentOf(doc);
    },
    async get(id: string): Promise<CommitmentDoc | null> {
      return m.commitments.findById(id).lean();
    },
    async ofInitiative(initiativeId: string): Promise<CommitmentDoc[]> {
      return m.commitments.find({ initiativeId }).sort({ createdAt: 1 }).lean();
    },
    async ofInitiatives(ids: readonly string[]): Promise<CommitmentDoc[]> {
      if (ids.length === 0) return [];
      return m.commitments
        .find({ initiativeId: { $in: [...ids] } })
        .sort({ createdAt: 1 })
        .lean();
    },
    /**
     * Applies `change` to the document as it stands (read again if a concurrent writer got there first).
     * `change` returns the next parties and the history entry, or throws to refuse; the entry's revision is owed
     * its follow-up emails.
     */
    async update(
      id: string,
      change: (doc: CommitmentDoc) => { parties: Record<string, Delivery>; entry: Omit<CommitmentChange, 'rev'> },
    ): Promise<{ doc: CommitmentDoc; rev: number }> {
      const done = await rewrite(m.commitments, id, async (doc) => {
        if (!doc) throw new Error(`commitment ${id} vanished while it was being updated`);
        const { parties, entry } = change(doc);
        const rev = (doc.rev ?? 1) + 1;
        const { _id, rev: _rev, ...rest } = doc;
        const next = { ...rest, parties, history: [...(doc.history ?? []), { ...entry, rev }] };
        return { next, result: { doc: { ...next, _id, rev }, rev } };
      });
      // Owed until the worker has queued its emails; a process that dies right here leaves the change without them.
      await upsertRacing(() =>
        m.owed.updateOne(
          { _id: `${id}|${done.rev}` },
          { $setOnInsert: { commitmentId: id, rev: done.rev } },
          { upsert: true },
        ),
      );
      return done;
    },
    /**
     * The follow-up emails of `rev` are queued: it is owed no more. Written like every other change of the
     * document (rewrite, checked against its rev): FerretDB applies an update operator by writing the whole
     * document back, so a $pull beside a concurrent update could put back the parts and history it had read.
     */
    async noticeQueued(id: string, rev: number): Promise<void> {
      await m.owed.deleteOne({ _id: `${id}|${rev}` });
      // A document written before the owed revisions were kept apart lists them inside it.
      if (!(await m.commitments.findById(id).select({ noticesOwed: 1 }).lean())?.noticesOwed?.includes(rev)) return;
      await rewrite(m.commitments, id, async (doc) => {
        if (!doc?.noticesOwed?.includes(rev)) return { result: undefined };
        const { _id, rev: _rev, ...rest } = doc;
        return { next: { ...rest, noticesOwed: doc.noticesOwed.filter((r) => r !== rev) }, result: undefined };
      });
    },
    /** Commitments with follow-up emails not yet queued (a start that met a Temporal outage). */
    async owingNotices(): Promise<{ id: string; revs: number[] }[]> {
      const [owed, older] = await Promise.all([
        m.owed.find({}).lean(),
        m.commitments
          .find({ noticesOwed: { $exists: true, $ne: [] } })
          .select({ noticesOwed: 1 })
          .lean(),
      ]);
      const revs = new Map<string, Set<number>>();
      for (const o of owed) revs.set(o.commitmentId, (revs.get(o.commitmentId) ?? new Set()).add(o.rev));
      for (const d of older)
        for (const r of d.noticesOwed ?? []) revs.set(d._id, (revs.get(d._id) ?? new Set()).add(r));
      return [...revs].map(([id, set]) => ({ id, revs: [...set].sort((a, b) => a - b) }));
    },
    follows: {
      async follow(initiativeId: string, personId: string): Promise<void> {
        await upsertRacing(() =>
          m.follows.updateOne(
            { _id: `${initiativeId}|${personId}` },
            { $setOnInsert: { initiativeId, personId, since: new Date() } },
            { upsert: true },
          ),
        );
      },
      async unfollow(initiativeId: string, personId: string): Promise<void> {
        await m.follows.deleteOne({ _id: `${initiativeId}|${personId}` });
      },
      async isFollowing(initiativeId: string, personId: string): Promise<boolean> {
        return !!(await m.follows.exists({ _id: `${initiativeId}|${personId}` }));
      },
      async followersOf(initiativeId: string): Promise<string[]> {
        return (await m.follows.find({ initiativeId }).select({ personId: 1 }).lean()).map((f) => f.personId);
      },
    },
  };
}
export type CommitmentRepository = ReturnType<typeof createCommitmentRepository>;
