/** One jest run: the SDK's unit tests and the service's integration and e2e tests. */
const { cpSync, existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * ES-module-only dependencies. Mercurius needs jest's --experimental-vm-modules, under which jest
 * refuses to require() any file of a "type": "module" package. Tests therefore load a copy of each
 * such package marked CommonJS, which ts-jest transpiles; the service itself loads the originals
 * with Node's require(esm).
 */
const esmPackages = ['@marcbachmann/cel-js', '@noble/ciphers', '@noble/hashes', 'jose'];
const cjsCopies = join(__dirname, 'node_modules', '.cache', 'charter-jest-cjs');

function cjsCopyOf(name) {
  // Packages may not export package.json, so look in the workspace's node_modules folders directly.
  const source = [join(__dirname, 'node_modules', name), join(__dirname, 'sdk', 'node_modules', name)].find(
    (dir) => existsSync(join(dir, 'package.json')),
  );
  if (!source) throw new Error(`${name} is not installed`);
  const target = join(cjsCopies, name);
  if (!existsSync(join(target, '.copied'))) {
    mkdirSync(target, { recursive: true });
    cpSync(source, target, { recursive: true, dereference: true });
    const pkg = require(join(source, 'package.json'));
    writeFileSync(join(target, 'package.json'), JSON.stringify({ ...pkg, type: 'commonjs' }));
    writeFileSync(join(target, '.copied'), pkg.version);
  }
  return target;
}

function esmMappings() {
  const mappings = {};
  for (const name of esmPackages) {
    let target;
    try {
      target = cjsCopyOf(name);
    } catch {
      continue; // not installed (yet): nothing to map
    }
    const pkg = require(join(target, 'package.json'));
    const exported = pkg.exports?.['.'];
    const main =
      typeof exported === 'string'
        ? exported
        : (exported?.default ?? exported?.require ?? pkg.main ?? 'index.js');
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    mappings[`^${escaped}$`] = join(target, main);
    mappings[`^${escaped}/(.*?)(\\.js)?$`] = join(target, '$1.js');
  }
  return mappings;
}

const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/sdk/test', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': tsJest, '^.+\\.m?js$': tsJest },
  transformIgnorePatterns: ['/node_modules/(?!\\.cache/charter-jest-cjs/)'],
  moduleNameMapper: {
    ...esmMappings(),
    '^@charter/sdk$': '<rootDir>/sdk/src/index.ts',
    '^@charter/sdk/(.*)$': '<rootDir>/sdk/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
