/** One jest run: the SDK's unit tests and the service's integration and e2e tests. */
const esmPackages = ['@marcbachmann/cel-js', '@bufbuild/cel', '@noble/ciphers', '@noble/hashes', 're2js'];
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/sdk/test', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': tsJest, '^.+\\.m?js$': tsJest },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@charter/sdk$': '<rootDir>/sdk/src/index.ts',
    '^@charter/sdk/(.*)$': '<rootDir>/sdk/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
