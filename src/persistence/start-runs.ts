/**
 * The Temporal run that recorded each initiative's start: one document per initiative, written once. A sealed
 * start read from history and started again under the same workflow id is a run of its own, and is told apart
 * by it (the run starts at the instant its start was sealed, so the instant cannot tell them apart).
 */
import { Connection, Model, Schema } from 'mongoose';
import { isDuplicateKey } from './connection';

interface StartRunDoc {
  /** The initiative's id. */
  _id: string;
  runId: string;
}

const schema = new Schema<StartRunDoc>({ _id: String, runId: String }, { versionKey: false });

function startRunModel(conn: Connection) {
  return (
    (conn.models.StartRun as Model<StartRunDoc> | undefined) ??
    conn.model<StartRunDoc>('StartRun', schema, 'start_runs')
  );
}

/**
 * Claims the initiative's start for `runId`: the run that claimed it, this one or an earlier one. A retry of the
 * first recording (same run) finds its own claim.
 */
export async function claimStartRun(
  conn: Connection,
  initiativeId: string,
  runId: string,
): Promise<{ runId: string; claimedNow: boolean }> {
  const model = startRunModel(conn);
  try {
    await model.create({ _id: initiativeId, runId });
    return { runId, claimedNow: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const doc = await model.findById(initiativeId).lean();
  return { runId: doc?.runId ?? runId, claimedNow: false };
}
