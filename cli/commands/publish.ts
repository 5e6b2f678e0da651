import type { Command } from 'commander';
import { publish } from '../../publish/index.js';

export function register(program: Command): void {
  program
    .command('publish')
    .summary('commit a rendered tree into an infra-gitops checkout')
    .description(
      'Copies the files of a rendered tree (those listed in its .infra-synth/generated.json) into ' +
        'an infra-gitops checkout and commits them, with the infra-synth HEAD in a Source-Commit ' +
        'trailer (and Source-Dirty: true when it has uncommitted changes). Files of an earlier ' +
        'publish that are no longer rendered are deleted; files it did not generate are never ' +
        'touched. No commit is made when nothing changed. Pushing is left to git or CI. Refuses a ' +
        'folder that is not the top of a git checkout, a checkout with uncommitted changes, and a ' +
        'checkout that holds something other than a previous publish or README, LICENSE, ' +
        'CODEOWNERS, docs/ and .git* files.',
    )
    .requiredOption('--repo <dir>', 'the infra-gitops checkout to commit into')
    .option('--from <dir>', 'the rendered tree', 'dist')
    .option('--message <msg>', 'commit message (default: "infra-synth: render <short source sha>")')
    .option('--branch <name>', 'check out this branch first, creating it from HEAD when it does not exist')
    .option('--source <dir>', 'the infra-synth checkout whose HEAD is recorded (default: the current directory)')
    .addHelpText(
      'after',
      `
Example:
  $ infra-synth synth && infra-synth publish --repo ../infra-gitops --branch render/my-change
  $ git -C ../infra-gitops push -u origin render/my-change

Prints the new commit's sha, or "nothing to publish" when the checkout is already up to date.
Exit codes: 0 published or nothing to publish, 2 bad input (not a rendered tree, not a clean
infra-gitops checkout, bad branch name).
`,
    )
    .action(async (o: { repo: string; from: string; message?: string; branch?: string; source?: string }) => {
      const r = await publish({ repo: o.repo, from: o.from, message: o.message, branch: o.branch, sourceDir: o.source });
      const { added, changed, removed } = r.changes;
      if (r.commit === undefined) {
        process.stdout.write('nothing to publish\n');
      } else {
        // The sha alone on stdout, so that scripts can take it with $(...); the summary is for people.
        process.stdout.write(`${r.commit}\n`);
        process.stderr.write(`infra-synth publish: ${added.length} added, ${changed.length} changed, ${removed.length} removed\n`);
      }
    });
}
