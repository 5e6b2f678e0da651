import type { Command } from 'commander';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { chartsCommand } from './charts-pull.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface TestOptions {
  file: string[];
  values: string[];
  failFast?: boolean;
  updateSnapshot?: boolean;
  subcharts: boolean;
  outputFile?: string;
  outputType: string;
}

/** `charts test`: a chart's helm-unittest suites, run and reported as the helm-unittest plugin does. */
export function register(program: Command): void {
  chartsCommand(program).command('test')
    .description('Run a chart\'s helm-unittest suites (tests/*_test.yaml) and report as the helm-unittest plugin does')
    .argument('<chart>', 'chart directory')
    .option('-f, --file <glob>', 'suite files, relative to the chart (repeatable; default tests/*_test.yaml)', collect, [])
    .option('-v, --values <file>', 'values file added to every suite, after its own (repeatable)', collect, [])
    .option('-q, --fail-fast', 'stop at the first failing test')
    .option('-u, --update-snapshot', 'rewrite __snapshot__ files with the current output')
    .option('-o, --output-file <file>', 'also write the results to this file')
    .option('-t, --output-type <type>', 'format of --output-file (JUnit)', 'JUnit')
    .option('--no-subcharts', 'leave out the suites of subcharts under charts/ (the plugin\'s --with-subchart=false)')
    .addHelpText('after', `
Examples:
  $ infra-synth charts test ./mychart
  $ infra-synth charts test ./mychart -f 'tests/**/*_test.yaml'

Exit codes: 0 all tests pass; 1 a test fails; 2 the chart is not a folder.`)
    .action(async (chart: string, opts: TestOptions) => {
      if (!existsSync(chart) || !statSync(chart).isDirectory()) throw new UserError(`${chart}: no such chart folder`);
      if (opts.outputFile && opts.outputType.toLowerCase() !== 'junit') throw new UserError(`--output-type ${opts.outputType}: only JUnit is supported`);
      const { runChartTests, formatReport } = await import('../../helm/unittest/chart-tests.js');
      const result = runChartTests(chart, {
        testFiles: opts.file.length > 0 ? opts.file : undefined,
        failFast: opts.failFast === true,
        updateSnapshots: opts.updateSnapshot === true,
        writeSnapshots: true,
        withSubcharts: opts.subcharts,
        valuesFiles: opts.values,
      });
      process.stdout.write(formatReport(result, chart));
      if (opts.outputFile) {
        const { formatJUnit } = await import('../../helm/unittest/junit.js');
        mkdirSync(dirname(opts.outputFile), { recursive: true });
        writeFileSync(opts.outputFile, formatJUnit(result.suites));
      }
      if (!result.passed) process.exitCode = 1;
    });
}
