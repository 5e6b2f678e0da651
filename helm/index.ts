// infra-synth's Helm renderer: charts rendered in-process, exactly as `helm template` prints them.
export {
  ChartInputError,
  mergeUserValues,
  renderChart,
  type RenderChartOptions,
  type RenderedManifest,
  type RenderResult,
} from './action/template.js';
export { installChart, InstallError, type InstallOptions, type InstallResult } from './action/install.js';
export { printStatus, renderResources, templateOutput, type ReleaseStatus, type RenderedRelease } from './action/render.js';
export { INSTALL_ORDER, sortManifests, splitManifests, type Hook, type Manifest } from './action/sort.js';
export { Engine, type EngineOptions, type LookupFunction, type RenderedTemplates } from './engine/engine.js';
export { Chart, Metadata } from './chart/chart.js';
export { loadChart } from './chart/load.js';
// The clock and random bytes templates read (now, randAlphaNum, genCA): reproducible renders install a seeded source.
export { seededEntropy, withEntropy, type EntropySource } from './sprig/random.js';
// Charts from their repositories into a content-addressed cache, pinned by charts.lock.json.
export { resolveChart, type ResolveOptions } from './repo/resolve.js';
export { checkCharts, pullCharts, PULL_COMMAND, type ChartPin, type PullOptions, type PullReport } from './repo/pull.js';
export { importCharts, type ImportOptions } from './repo/import.js';
export { ChartCache, defaultCacheDir } from './repo/cache.js';
export { LOCK_FILE_NAME, readLock, writeLock, type ChartLock, type LockedChart } from './repo/lock.js';
export { ChartRepoError } from './repo/errors.js';
export { packageChart, chartFolderFiles } from './repo/package.js';
