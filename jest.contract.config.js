/**
 * The contract tester (`npm run test:contract`): test/contract/*.test.ts start a stack of their own and run
 * Schemathesis against the OpenAPI document it serves, so its generated writes never reach the stack the
 * integration tests share. One file at a time: Schemathesis and the stack already use both cores.
 */
module.exports = {
  displayName: 'contract',
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/contract/**/*.test.ts'],
  maxWorkers: 1,
  testTimeout: 10 * 60_000,
};
