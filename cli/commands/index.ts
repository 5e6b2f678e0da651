import type { Command } from 'commander';
import { register as registerSynth } from './synth.js';
import { register as registerValidate } from './validate.js';
import { register as registerDiff } from './diff.js';
import { register as registerPublish } from './publish.js';
import { register as registerSecrets } from './secrets.js';
import { register as registerDocs } from './docs.js';
import { register as registerCharts } from './charts.js';
import { register as registerChartsPull } from './charts-pull.js';
import { register as registerChartsTest } from './charts-test.js';
import { register as registerSimulate } from './simulate.js';

/** Each command lives in its own module and adds itself to the program here. */
export function registerCommands(program: Command): void {
  registerSynth(program);
  registerValidate(program);
  registerDiff(program);
  registerPublish(program);
  registerSecrets(program);
  registerDocs(program);
  registerCharts(program);
  registerChartsPull(program);
  registerChartsTest(program);
  registerSimulate(program);
}
