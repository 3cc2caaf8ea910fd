/**
 * The cluster suite (`npm run test:cluster`): test/cluster/*.test.ts against the production-like cluster of
 * src/stack/cluster.ts (PostgreSQL, four Temporal service processes, FerretDB on PostgreSQL, two workers,
 * mailers and APIs), started by each file. Not part of `npm test` nor of CI: the cluster takes a minute to
 * start and its first provisioning builds the Temporal server.
 */
module.exports = {
  displayName: 'cluster',
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  maxWorkers: 1,
  testTimeout: 30 * 60_000,
};
