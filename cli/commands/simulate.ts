import { Command, Option } from 'commander';
import { redactSecrets } from '../../primitives/redact.js';
import { formatSimulationReport, hasFailures, SIMULATE_FORMATS, simulateTree, type SimulateFormat } from '../../simulate/index.js';
import { assertNoPendingWrite } from '../../writer/index.js';

export interface SimulateCommandOptions {
  /** Only these clusters; default every cluster of the tree. */
  readonly cluster?: string[];
  /** Default `text`. */
  readonly format?: SimulateFormat;
}

/** Runs `infra-synth simulate` and returns its exit code: 0 nothing would fail, 1 something would. Bad input throws UserError (exit 2). */
export async function simulateCommand(dir: string, opts: SimulateCommandOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const report = await simulateTree(dir, { clusters: opts.cluster });
  // A finding may quote a value; one that looks like a private key is never printed.
  stdout.write(redactSecrets(formatSimulationReport(report, opts.format ?? 'text')));
  return hasFailures(report) ? 1 : 0;
}

export function register(program: Command): void {
  program.command('simulate')
    .summary('replay a cluster\'s bootstrap and Argo CD sync offline; fail on what a real cluster would refuse')
    .description(
      'For each cluster of a rendered tree: installs Argo CD from the rendered values and applies ' +
        'bootstrap/ as the admin would, then syncs the root Application and its children wave by ' +
        'wave, each Application\'s objects in Argo CD\'s order (phase, wave, kind, name; hooks in ' +
        'their phases), charts rendered from the local chart cache. At each step it checks what the ' +
        'API server (namespaces, CRDs, schemas), Argo CD (AppProjects, the controller\'s RBAC and ' +
        'cluster cache, Application health between waves) and the admission chain would refuse. ' +
        'See simulate/README.md.',
    )
    .argument('[dir]', 'root of a rendered tree (holding clusters/)', 'dist')
    .option('--cluster <name...>', 'simulate only these clusters (default: all)')
    .addOption(new Option('--format <format>', 'output format').choices(SIMULATE_FORMATS).default('text'))
    .addHelpText('after', `
Examples:
  $ infra-synth simulate                             every cluster of dist/
  $ infra-synth simulate ../infra-gitops --cluster yc-prod
  $ infra-synth simulate --format json | jq '.clusters[] | {cluster, first: .findings[0]}'

Each finding is one line: [<step>] <cluster>: <file>: <object>: <path>: <message>, in the order a
real cluster would meet them; the first line of a cluster is where it fails first.

Exit codes: 0 nothing would fail; 1 something would (one line each); 2 bad input (not a rendered
tree, unknown cluster).`)
    .action(async (dir: string, opts: SimulateCommandOptions) => {
      assertNoPendingWrite(dir);
      process.exitCode = await simulateCommand(dir, opts);
    });
}
