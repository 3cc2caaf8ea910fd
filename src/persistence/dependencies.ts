/**
 * Dependencies between initiatives (src/domain/dependencies.ts): one document each, recorded by the Secretariat.
 * Few (tens in a summit year) and read whole to follow chains, so the repository answers with all of them.
 */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';
import type { Dependency } from '../domain/dependencies';

export interface DependencyDoc extends Omit<Dependency, 'id'> {
  _id: string;
}

const schema = new Schema<DependencyDoc>(
  {
    _id: String,
    initiativeId: String,
    milestoneId: String,
    blockedBy: String,
    until: String,
    reason: String,
    by: String,
    at: String,
  },
  { versionKey: false },
);
// An initiative's page: what it waits for.
schema.index({ initiativeId: 1 });
// And what waits for it.
schema.index({ blockedBy: 1 });

export function dependencyModel(conn: Connection) {
  return conn.model<DependencyDoc>('Dependency', schema, 'dependencies');
}
export type DependencyModel = ReturnType<typeof dependencyModel>;

const dependencyOf = ({ _id, ...rest }: DependencyDoc): Dependency => ({ id: _id, ...rest });

/** More than a Secretariat records in a decade: the chains are read whole. */
const MAX_DEPENDENCIES = 10_000;

export function createDependencyRepository(model: DependencyModel) {
  return {
    async add(d: Omit<Dependency, 'id'>): Promise<Dependency> {
      const doc: DependencyDoc = { _id: randomBytes(8).toString('hex'), ...d };
      await model.create(doc);
      return dependencyOf(doc);
    },
    async get(id: string): Promise<Dependency | null> {
      const doc = await model.findById(id).lean();
      return doc ? dependencyOf(doc) : null;
    },
    async remove(id: string): Promise<void> {
      await model.deleteOne({ _id: id });
    },
    async all(): Promise<Dependency[]> {
      return (await model.find({}).sort({ at: 1 }).limit(MAX_DEPENDENCIES).lean()).map(dependencyOf);
    },
  };
}
export type DependencyRepository = ReturnType<typeof createDependencyRepository>;
