import { Help, type Command } from 'commander';

/** A command module: adds its command (and subcommands) to the program. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * The top-level commands. Each command's module is loaded only when that command runs: `synth`
 * brings cdk8s and the Helm engine, `secrets` age, `validate` the schemas, and `--help` needs none
 * of them. `usage` and `description` are what the program's help lists; test/cli/commands.test.ts
 * checks them against what each module registers.
 */
export const COMMANDS: Readonly<Record<string, { readonly usage: string; readonly description: string; readonly load: () => Promise<CommandModule[]> }>> = {
  synth: {
    usage: 'synth [options]',
    description: 'Render, validate and write every cluster of the fleet (or the named ones)',
    load: async () => [await import('./synth.js')],
  },
  validate: {
    usage: 'validate [dir]',
    description: 'Validate a rendered tree: schemas of every object (the cluster\'s Kubernetes version, recorded in its bootstrap/, + platform CRDs), the fleet rules, the infra stacks (infra/<cluster>/*.tf.json: OpenTofu JSON syntax, and the providers\' schemas where INFRA_SYNTH_SHARED has them), and the management trees (management/<mgmt>/: the Crossplane and Cluster API CRDs where INFRA_SYNTH_SHARED has them)',
    load: async () => [await import('./validate.js')],
  },
  diff: {
    usage: 'diff [options]',
    description: 'compare two rendered trees object by object (PR review)',
    load: async () => [await import('./diff.js')],
  },
  publish: {
    usage: 'publish [options]',
    description: 'commit a rendered tree into an infra-gitops checkout',
    load: async () => [await import('./publish.js')],
  },
  secrets: {
    usage: 'secrets',
    description: 'a cluster\'s encrypted secrets (add, edit, rotate, audit) and SOPS files (encrypt, decrypt)',
    load: async () => [await import('./secrets.js')],
  },
  docs: {
    usage: 'docs [options]',
    description: 'Generate the per-service pages (docs/services/<service>.md) from the overlays: metrics, OTLP settings, Vault mount path and keys',
    load: async () => [await import('./docs.js')],
  },
  charts: {
    usage: 'charts',
    description: 'Helm charts without helm: render, test, pull into the cache, verify against helm',
    load: async () => [await import('./charts.js'), await import('./charts-pull.js'), await import('./charts-test.js')],
  },
  onboard: {
    usage: 'onboard [options] <cluster>',
    description: 'take a new cluster from nothing to a pull request, then to its bootstrap commands; every step re-runnable',
    load: async () => [await import('./onboard.js')],
  },
  offboard: {
    usage: 'offboard [options] <cluster>',
    description: 'remove a cluster\'s overlay, outputs and secrets from the repository (never touches the cluster); asks first',
    load: async () => [await import('./offboard.js')],
  },
  simulate: {
    usage: 'simulate [options] [dir]',
    description: 'replay a cluster\'s bootstrap and Argo CD sync offline; fail on what a real cluster would refuse',
    load: async () => [await import('./simulate.js')],
  },
};

/** The command an argument list runs (`help <command>` included), if it names one. */
export function commandOf(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name) ? name : undefined;
}

/**
 * Registers the command `args` runs, with all its options; for anything else (no command, the
 * program's help, an unknown name) every command by name and description only, which is all the
 * program's help and commander's "unknown command" message read.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const name = commandOf(args);
  if (name) {
    for (const module of await COMMANDS[name].load()) module.register(program);
    return;
  }
  for (const [command, entry] of Object.entries(COMMANDS)) program.command(command).description(entry.description);
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => COMMANDS[cmd.name()]?.usage ?? standard.subcommandTerm(cmd) });
}

/** Every command registered in full (tests; shell completion would need the same). */
export async function registerAllCommands(program: Command): Promise<void> {
  for (const entry of Object.values(COMMANDS)) {
    for (const module of await entry.load()) module.register(program);
  }
}
