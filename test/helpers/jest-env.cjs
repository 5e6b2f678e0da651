// Environment of every test file (jest.config.js setupFiles), inherited by the CLI processes
// tests start. INFRA_SYNTH_CHARTS=off: synth reads chart footprints from charts.footprints.json
// rather than rendering each chart from the cache; tests about chart renders pass their own mode.
process.env.INFRA_SYNTH_CHARTS ??= 'off';
// INFRA_SYNTH_INCREMENTAL=0: every synth a test starts renders every cluster, whatever an earlier
// test kept in the synth cache; test/synth/incremental.test.ts turns it on with its own cache.
process.env.INFRA_SYNTH_INCREMENTAL ??= '0';
