/** Uses of email action links: one document per link nonce, so a link acts once (the insert of a second use fails). */
import { Connection, Schema } from 'mongoose';
import { existsById, isDuplicateKey } from './connection';

export interface ActionUseDoc {
  _id: string; // the link's nonce
  personId: string;
  initiativeId: string;
  state: string;
  revision: number;
  usedAt: Date;
}

const schema = new Schema<ActionUseDoc>(
  { _id: String, personId: String, initiativeId: String, state: String, revision: Number, usedAt: Date },
  { versionKey: false },
);

export function actionUseModel(conn: Connection) {
  return conn.model<ActionUseDoc>('ActionUse', schema, 'action_link_uses');
}
export type ActionUseModel = ReturnType<typeof actionUseModel>;

/** Claims a link nonce; false when it was used before. */
export async function claimActionLink(model: ActionUseModel, use: Omit<ActionUseDoc, 'usedAt'>): Promise<boolean> {
  try {
    await model.create({ ...use, usedAt: new Date() });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Gives a claim back when the act could not be attempted (Temporal unreachable), so the person can retry. */
export async function releaseActionLink(model: ActionUseModel, nonce: string): Promise<void> {
  await model.deleteOne({ _id: nonce });
}

export async function isActionLinkUsed(model: ActionUseModel, nonce: string): Promise<boolean> {
  return existsById(model, nonce);
}
