import { Command, Option } from 'commander';

interface OnboardFlags {
  overlays: string; out: string; cloud?: string; environment?: string; domain?: string; ageRecipient?: string;
  infra?: string; registry?: string; kmsKeyId?: string; tofuOutputs?: string; tofuDir?: string; crossplaneStatus?: string; managementKubeconfig?: string; charts?: 'auto' | 'require' | 'off';
  verify?: boolean; kubeconfig?: string;
}

export function register(program: Command): void {
  program.command('onboard')
    .argument('<cluster>', 'the new cluster\'s name (its overlay is overlays/<cluster>.ts)')
    .description('take a new cluster from nothing to a pull request, then to its bootstrap commands; every step re-runnable')
    .option('--overlays <dir>', 'folder of overlay files', 'overlays')
    .option('--out <dir>', 'the rendered tree', 'dist')
    .option('--cloud <cloud>', 'scaffold: yandex, sber, vk or onprem')
    .option('--environment <env>', 'scaffold: dev, stage or prod')
    .option('--domain <domain>', 'scaffold: the cluster\'s base domain')
    .option('--age-recipient <key>', 'scaffold: the cluster\'s age public key')
    .option('--infra <backend>', 'scaffold: opentofu (default) or none')
    .option('--registry <name>', 'scaffold: a container registry the stack creates')
    .option('--kms-key-id <id>', 'scaffold, Yandex: the KMS key Vault auto-unseals with')
    .option('--tofu-outputs <file>', 'a saved `tofu output -json` of the applied stack, instead of running tofu')
    .option('--tofu-dir <dir>', 'where to run `tofu output -json` (default: <out>/infra/<cluster>)')
    .option('--management-kubeconfig <file>', 'infra.backend crossplane: read the managed resources\' status from the management cluster (read only)')
    .option('--crossplane-status <file>', 'infra.backend crossplane: a saved `kubectl get <managed resources> -n <cluster> -o json` instead')
    .addOption(new Option('--charts <mode>', 'synth\'s chart mode (see synth --help)').choices(['auto', 'require', 'off']))
    .option('--verify', 'check the bootstrapped cluster instead (with --kubeconfig; without, print what would be checked)')
    .option('--kubeconfig <file>', 'with --verify: the cluster\'s kubeconfig (kubectl reads it)')
    .addHelpText('after', `
Steps (each checks whether it is done, and the run stops at the first that waits):
  scaffold       overlays/<cluster>.ts from the flags, or prompts on a terminal (never in CI)
  outputs        the applied stack's non-secret outputs into overlays/<cluster>.outputs.json
  synth          the whole fleet, with .sops.yaml and the service pages
  pull request   what to commit, the stack and tree CI publishes, the secrets to add
  bootstrap      the commands an admin runs once

Examples:
  $ infra-synth onboard yc-stage --cloud yandex --environment stage --domain stage.company.ru --age-recipient age1...
  $ infra-synth onboard yc-stage --tofu-outputs outputs.json   after CI applied the stack
  $ infra-synth onboard yc-stage --management-kubeconfig mgmt.kubeconfig   crossplane: after its resources are Ready
  $ infra-synth onboard yc-stage --verify --kubeconfig yc-stage.kubeconfig`)
    .action(async (cluster: string, opts: OnboardFlags) => {
      const { formatReport } = await import('../../onboard/step.js');
      const paths = { cluster, overlaysDir: opts.overlays, outDir: opts.out };
      if (opts.verify) {
        const { verifyCluster } = await import('../../onboard/verify.js');
        const r = await verifyCluster(paths, opts.kubeconfig);
        process.stdout.write(formatReport(r));
        if (r.state === 'waiting') process.exitCode = 1;
        return;
      }
      const { runOnboard } = await import('../../onboard/index.js');
      const { terminalAsk } = await import('../../onboard/scaffold.js');
      const terminal = terminalAsk();
      try {
        const last = await runOnboard({
          ...paths, charts: opts.charts, tofuOutputs: opts.tofuOutputs, tofuDir: opts.tofuDir, crossplaneStatus: opts.crossplaneStatus, managementKubeconfig: opts.managementKubeconfig, ask: terminal?.ask,
          answers: { cloud: opts.cloud, environment: opts.environment, domain: opts.domain, ageRecipient: opts.ageRecipient, infra: opts.infra, registry: opts.registry, kmsKeyId: opts.kmsKeyId },
          onReport: (r) => process.stdout.write(formatReport(r)),
        });
        // The step that stopped the run may have reported before later steps that did not need it.
        process.stdout.write(last.next ? `${cluster}: next: ${last.next}\n` : `${cluster}: onboarded\n`);
      } finally {
        terminal?.close();
      }
    });
}
