/** Unit tests (pure logic) and engine tests (the packaged app in the sandbox, over HTTP). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is `npm run typecheck`; jest only transpiles, file by file.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  testTimeout: 60000,
  // The suite-wide secrets scan over everything the engine tests' sandboxes logged, stored and answered.
  globalSetup: '<rootDir>/test/engine/secretsScan.setup.ts',
  globalTeardown: '<rootDir>/test/engine/secretsScan.teardown.ts',
};
