import { Command } from 'commander';
import { UserError } from '../../primitives/errors.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];
// pflag's StringSlice: each occurrence may hold a comma-separated list.
const collectList = (value: string, previous: string[]): string[] => [...previous, ...value.split(',').filter((v) => v !== '')];

interface TemplateOptions {
  values: string[];
  set: string[];
  setString: string[];
  namespace?: string;
  releaseName?: string;
  kubeVersion?: string;
  apiVersions: string[];
  includeCrds?: boolean;
  isUpgrade?: boolean;
  showOnly: string[];
  skipTests?: boolean;
  hooks: boolean;
  unit?: boolean;
}

/** A problem as one line: Helm's multi-line messages (schema errors) are joined with "; ". */
function oneLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ');
}

export function register(program: Command): void {
  // One `charts` command for all its subcommands, whichever module registers first.
  const charts = program.commands.find((c) => c.name() === 'charts')
    ?? program.command('charts').description('Helm charts without helm: render, test, pull into the cache, verify against helm');

  charts.command('template')
    .description('Render a chart directory or .tgz and print what `helm template` prints')
    .argument('<chart>', 'chart directory or packaged chart (.tgz)')
    .option('-f, --values <file>', 'values file (repeatable; later files win)', collect, [])
    .option('--set <key=value>', 'set a value, as helm --set (repeatable)', collect, [])
    .option('--set-string <key=value>', 'set a value as a string, as helm --set-string (repeatable)', collect, [])
    .option('-n, --namespace <ns>', 'release namespace (.Release.Namespace; default: default, NAMESPACE with --unit)')
    .option('--release-name <name>', 'release name (.Release.Name; default: release-name, RELEASE-NAME with --unit)')
    .option('--kube-version <version>', 'Kubernetes version for .Capabilities.KubeVersion (default v1.20.0, as helm)')
    .option('-a, --api-versions <list>', 'extra API versions for .Capabilities.APIVersions (repeatable, comma-separated)', collectList, [])
    .option('--include-crds', 'print the crds/ files of the chart and its subcharts first')
    .option('--is-upgrade', 'set .Release.IsUpgrade instead of .Release.IsInstall')
    .option('-s, --show-only <template>', 'only print manifests of this template path or glob (repeatable)', collect, [])
    .option('--skip-tests', 'leave out test hooks')
    .option('--no-hooks', 'leave out hooks')
    .option('--unit', 'render as helm-unittest does: only the --show-only templates (and the partials they use), any release name, NOTES.txt printed when named')
    .addHelpText('after', `
Examples:
  $ infra-synth charts template ./mychart -f prod.yaml --set image.tag=1.2.3
  $ infra-synth charts template mychart-1.0.0.tgz --kube-version 1.30 --include-crds
  $ infra-synth charts template ./mychart --unit --release-name RELEASE-NAME -s templates/NOTES.txt

Exit codes: 0 rendered; 2 the chart, a values file or a flag is wrong (one line: error: <file>: ...).`)
    .action(async (chart: string, opts: TemplateOptions) => {
      const { renderChart, ChartInputError } = await import('../../helm/index.js');
      try {
        const result = renderChart(chart, {
          releaseName: opts.releaseName,
          namespace: opts.namespace,
          valuesFiles: opts.values,
          set: opts.set,
          setString: opts.setString,
          kubeVersion: opts.kubeVersion,
          apiVersions: opts.apiVersions,
          includeCrds: opts.includeCrds === true,
          isUpgrade: opts.isUpgrade === true,
          showOnly: opts.showOnly,
          skipTests: opts.skipTests === true,
          noHooks: !opts.hooks,
          unit: opts.unit === true,
        });
        process.stdout.write(result.output);
      } catch (e) {
        if (e instanceof ChartInputError) throw new UserError(`${e.file}: ${oneLine(e.message)}`);
        throw e;
      }
    });
}
