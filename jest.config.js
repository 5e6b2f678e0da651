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
  // Both cores: jest's default (cores - 1) leaves one of the two idle, and CI must stay under ten
  // minutes. A third worker measured no better on a cold run (suites spawn CLI processes of their own).
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
};
