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
