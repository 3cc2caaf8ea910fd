/**
 * Summit files the Secretariat has seen in preview and not yet confirmed: each kept under a random id for the
 * person who uploaded it, for half an hour; confirming takes it, once. Only its uploader can confirm it, and
 * only with the id the preview page gave them.
 */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';

interface PendingImportDoc {
  _id: string;
  /** The person who uploaded it: no one else may confirm it. */
  by: string;
  /** The file as uploaded and validated, as JSON text (its keys stay clear of MongoDB's rules for field names). */
  file: string;
  at: Date;
}

const schema = new Schema<PendingImportDoc>({ _id: String, by: String, file: String, at: Date }, { versionKey: false });

export function pendingImportModel(conn: Connection) {
  return conn.model<PendingImportDoc>('PendingImport', schema, 'pending_imports');
}
export type PendingImportModel = ReturnType<typeof pendingImportModel>;

/** How long a preview stays confirmable. */
export const PENDING_IMPORT_MS = 30 * 60_000;

export function createPendingImports(model: PendingImportModel) {
  return {
    /** Keeps a validated file for `by` to confirm; forgets the ones nobody confirmed in time. */
    async keep(by: string, file: unknown, now = new Date()): Promise<string> {
      await model.deleteMany({ at: { $lt: new Date(now.getTime() - PENDING_IMPORT_MS) } });
      const _id = randomBytes(18).toString('base64url');
      await model.create({ _id, by, file: JSON.stringify(file), at: now });
      return _id;
    },

    /** The file kept under `id` for `by`, taken (a second confirmation finds nothing), or undefined. */
    async take(id: string, by: string, now = new Date()): Promise<unknown> {
      const doc = await model.findOneAndDelete({ _id: id, by }).lean();
      if (!doc || now.getTime() - doc.at.getTime() > PENDING_IMPORT_MS) return undefined;
      return JSON.parse(doc.file) as unknown;
    },
  };
}
export type PendingImports = ReturnType<typeof createPendingImports>;
