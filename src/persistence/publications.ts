/**
 * What the Secretariat publishes: one document per initiative whose tier was ever set, with every change
 * (who, when, why). An initiative without one is for the member states only. Publication is an editorial
 * decision about the read model, not a step of the procedure, so it lives here and not in the workflow.
 */
import { Connection, Schema } from 'mongoose';
import { upsertRacing } from './connection';

export const Tier = {
  /** Signed-in people of the member states and the Secretariat: every initiative, by default. */
  Members: 'members',
  /** Also the members of the national parliaments (signed in with the parliament role), on their own page. */
  Parliaments: 'parliaments',
  /** Also anyone, without signing in, on the public accountability page. */
  Public: 'public',
} as const;
export type Tier = (typeof Tier)[keyof typeof Tier];
export const TIERS = Object.values(Tier) as [Tier, ...Tier[]];

export interface TierChange {
  tier: Tier;
  by: string;
  at: Date;
  reason?: string;
}

export interface PublicationDoc extends TierChange {
  /** The initiative's id. */
  _id: string;
  /** Every change, oldest first, this one last. */
  history: TierChange[];
}

const change = { tier: String, by: String, at: Date, reason: String };
const schema = new Schema<PublicationDoc>(
  { _id: String, ...change, history: [{ _id: false, ...change }] },
  { versionKey: false },
);
// The public page's and the parliaments' lists: the initiatives in their tiers.
schema.index({ tier: 1 });

export function publicationModel(conn: Connection) {
  return conn.model<PublicationDoc>('Publication', schema, 'publications');
}
export type PublicationModel = ReturnType<typeof publicationModel>;

export function createPublicationRepository(model: PublicationModel) {
  return {
    /** The initiative's tier and its last change; the member states' tier when none was ever set. */
    async of(initiativeId: string): Promise<{ tier: Tier; by?: string; at?: Date; reason?: string }> {
      const doc = await model.findById(initiativeId).lean();
      return doc ? { tier: doc.tier, by: doc.by, at: doc.at, reason: doc.reason } : { tier: Tier.Members };
    },
    /** Sets the tier, keeping the change in the document's history. */
    async set(initiativeId: string, next: TierChange): Promise<void> {
      const entry = { tier: next.tier, by: next.by, at: next.at, ...(next.reason ? { reason: next.reason } : {}) };
      const { reason, ...current } = entry;
      await upsertRacing(() =>
        model.updateOne(
          { _id: initiativeId },
          reason
            ? { $set: entry, $push: { history: entry } }
            : { $set: current, $unset: { reason: 1 }, $push: { history: entry } },
          { upsert: true },
        ),
      );
    },
    /** The ids of the initiatives in any of the given tiers. */
    async idsIn(tiers: readonly Tier[]): Promise<string[]> {
      return (
        await model
          .find({ tier: { $in: [...tiers] } })
          .select({ _id: 1 })
          .lean()
      ).map((d) => d._id);
    },
  };
}
export type PublicationRepository = ReturnType<typeof createPublicationRepository>;
