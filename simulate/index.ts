// `infra-synth simulate` as a library: what synth and the CLI call.
export { simulateTree, type SimulateOptions } from './simulate.js';
export { formatSimFinding, formatSimulationReport, hasFailures, SIMULATE_FORMATS, type SimulateFormat } from './report.js';
export type { ClusterSimulation, SimFinding, SimObject, SimStep, SimStepSummary, SimulationReport } from './model.js';
