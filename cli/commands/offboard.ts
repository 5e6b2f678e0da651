import { Command } from 'commander';

export function register(program: Command): void {
  program.command('offboard')
    .argument('<cluster>', 'the cluster to remove from the repository')
    .description('remove a cluster\'s overlay, outputs and secrets from the repository (never touches the cluster); asks first')
    .option('--overlays <dir>', 'folder of overlay files', 'overlays')
    .option('--out <dir>', 'the rendered tree', 'dist')
    .option('--yes', 'remove without asking (CI, or after reading the list a run without it prints)')
    .addHelpText('after', `
Without --yes it lists what it would remove and what a person does by hand, and removes nothing
(on a terminal it asks you to type the cluster's name). Exit code 1 when nothing was removed.`)
    .action(async (cluster: string, opts: { overlays: string; out: string; yes?: boolean }) => {
      const { formatReport } = await import('../../onboard/step.js');
      const { offboard } = await import('../../onboard/offboard.js');
      const { terminalAsk } = await import('../../onboard/scaffold.js');
      const terminal = opts.yes ? undefined : terminalAsk();
      try {
        const r = await offboard({ cluster, overlaysDir: opts.overlays, outDir: opts.out }, { yes: opts.yes, ask: terminal?.ask });
        process.stdout.write(formatReport(r));
        if (r.state === 'waiting') process.exitCode = 1;
      } finally {
        terminal?.close();
      }
    });
}
