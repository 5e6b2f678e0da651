// Tests run as native ESM (execa and age-encryption are ESM-only) and are transpiled by swc
// without type-checking: `npm run typecheck` checks the whole project once per run.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
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
  // Synth in tests reads the committed chart footprints instead of rendering every chart (seconds
  // per synth); the suites about charts render them themselves (test/helpers/jest-env.cjs).
  setupFiles: ['<rootDir>/test/helpers/jest-env.cjs'],
  // One worker more than the two cores: many suites wait on child processes (the CLI, git, age)
  // and would leave a core idle. Measured on the whole suite: 485 s with 2 workers, 457 s with 3
  // (peak about 1.5 GB each, on 24 GB). CI must stay under ten minutes.
  maxWorkers: 3,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
};
