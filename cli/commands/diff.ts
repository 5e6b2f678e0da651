import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { diffTrees, formatReport, FORMATS, shouldColor, type DiffFormat } from '../../diff/index.js';

export interface DiffCommandOptions {
  readonly base: string;
  readonly head?: string;
  readonly format?: DiffFormat;
  readonly output?: string;
  /**
   * `--json-output FILE`: also write the complete report as JSON, from the same comparison (a PR
   * job posts the markdown and keeps the JSON as an artifact without comparing twice).
   */
  readonly jsonOutput?: string;
  /** `--no-charts` sets it false: compare the trees only, render no chart. @default true */
  readonly charts?: boolean;
  /** `--chart-cache DIR`. @default $INFRA_SYNTH_CHART_CACHE or ~/.cache/infra-synth/charts */
  readonly chartCache?: string;
}

export interface DiffCommandIo {
  readonly cwd?: string;
  readonly stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs `infra-synth diff` and returns its exit code: 0 no changes, 1 changes. Bad input throws
 * UserError (exit 2), and nothing is written then.
 */
export async function diffCommand(opts: DiffCommandOptions, io: DiffCommandIo = {}): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const format = opts.format ?? 'terminal';
  const report = await diffTrees({
    base: opts.base,
    head: opts.head,
    cwd,
    charts: opts.charts,
    chartCache: opts.chartCache,
    log: (line) => stderr.write(`infra-synth diff: ${line}\n`),
  });
  // A file is read later, elsewhere: colour codes would only be noise in it.
  const color = format === 'terminal' && !opts.output && shouldColor(stdout, io.env ?? process.env);
  const text = formatReport(report, format, { color });
  const write = (name: string, content: string) => {
    const file = resolve(cwd, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  const s = report.summary;
  const outcome = s.hasChanges ? `${s.changedClusters} of ${s.clusters} clusters change (+${s.added} ~${s.changed} -${s.removed})` : 'no changes';
  if (opts.jsonOutput) {
    write(opts.jsonOutput, formatReport(report, 'json', { color: false }));
    stderr.write(`infra-synth diff: ${outcome}; json written to ${opts.jsonOutput}\n`);
  }
  if (opts.output) {
    write(opts.output, text);
    stderr.write(`infra-synth diff: ${outcome}; ${format} written to ${opts.output}\n`);
  } else {
    stdout.write(text);
  }
  return report.summary.hasChanges ? 1 : 0;
}

export function register(program: Command): void {
  program
    .command('diff')
    .summary('compare two rendered trees object by object (PR review)')
    .description(
      'Compares two rendered trees object by object, by identity (cluster, apiVersion, kind, ' +
        'namespace, name): a moved file, reordered keys or another YAML style are not changes. ' +
        'The base is a directory (e.g. an infra-gitops checkout) or a git ref, rendered in a ' +
        'temporary worktree. Secret values (Secret data, SopsSecret payloads, SOPS-encrypted ' +
        'values, sops metadata) are never shown: the diff says which keys changed. The Helm ' +
        'sources of the Applications that differ between the sides are rendered from the chart ' +
        'cache and their objects compared the same way, per cluster and Application. The management ' +
        'trees (management/<mgmt>/) are compared as clusters named management/<mgmt>. The OpenTofu ' +
        'stacks (infra/<cluster>/) are compared resource by resource: a resource a stack no longer ' +
        'declares is one the next tofu apply destroys.',
    )
    .requiredOption('--base <dir|ref>', 'the tree before: a rendered tree directory, or a git ref to render')
    .option('--head <dir>', 'the tree after: a rendered tree directory', 'dist')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('terminal'))
    .option('--output <file>', 'write the output to FILE instead of stdout')
    .option('--json-output <file>', 'also write the complete report as JSON to FILE, from the same comparison')
    .option('--chart-cache <dir>', 'the chart cache to render Helm sources from (default: $INFRA_SYNTH_CHART_CACHE or ~/.cache/infra-synth/charts)')
    .option('--no-charts', 'do not render the Applications\' Helm charts: compare the trees only')
    .addHelpText(
      'after',
      `
Examples:
  $ infra-synth diff --base origin/main                      render origin/main, compare with dist/
  $ infra-synth diff --base ../infra-gitops --format markdown --output diff.md
  $ infra-synth diff --base ../infra-gitops --format markdown --output diff.md --json-output diff.json
  $ infra-synth diff --base old-dist --head dist --format json | jq .summary
  $ infra-synth diff --base origin/main --format json | jq .charts.notCompared

A chart version that is not in the chart cache is listed as not compared (with the command
that fills the cache), never an error. A version the repository's charts.lock.json no longer
names (the base of a bump) is found in the cache by its Chart.yaml.

Exit codes:
  0  no changes
  1  changes found
  2  bad input (not a rendered tree, unknown ref, unreadable YAML, a base that fails to render)

Colours only on a terminal; NO_COLOR turns them off, FORCE_COLOR on.`,
    )
    .action(async (opts: DiffCommandOptions) => {
      process.exitCode = await diffCommand(opts);
    });
}
