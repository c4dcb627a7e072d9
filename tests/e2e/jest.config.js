// The end-to-end suite's own jest configuration: tests/e2e/*.e2e.ts, outside the root config's
// *.test.ts pattern, because they need the WordPress site that tests/lanes/35-e2e.sh starts.
import base from '../../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
