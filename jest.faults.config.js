/**
 * The fault-injection suite (`npm run test:faults`): test/faults/*.test.ts, one file at a time, each
 * with a stack of its own whose processes it stops, kills and starts again. Its globalTeardown writes
 * docs/reliability.md from the figures the files record.
 */
module.exports = {
  displayName: 'faults',
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  maxWorkers: 1,
  testTimeout: 30 * 60_000,
  globalSetup: '<rootDir>/test/faults/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/support/global-teardown.ts',
};
