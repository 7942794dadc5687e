'use strict';
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest-transform.js' },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],

  // --- Speed (issue 16) ---------------------------------------------------------------------
  // jest's default is one worker fewer than the cores: ONE worker on the 2-core machines the
  // suite runs on. Use every core; the slow files wait on real terraform (separate processes),
  // and the per-stack validate files (__tests__/terraform/validate.<stack>.test.ts) spread
  // over the workers. README "Speed" has the measurements.
  maxWorkers: '100%',
  // The real-terraform files first, so that no long one starts last (scripts/jest-sequencer.js).
  testSequencer: '<rootDir>/scripts/jest-sequencer.js',
};
