// One jest configuration for the whole TypeScript side. Sources are ESM TypeScript (p-queue and
// friends are ESM-only), so jest runs in its native ESM mode (node --experimental-vm-modules,
// see package.json) and swc strips the types; `npm run typecheck` is the type gate.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
