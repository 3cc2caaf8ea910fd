/**
 * Three projects: fast ones (domain unit tests; workflow tests in time-skipping time, with replay) need
 * no running servers; integration and browser tests share one embedded stack started in globalSetup.
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
};

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/timeouts.ts'],
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
