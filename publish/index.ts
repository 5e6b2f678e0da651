// Publish: copy a rendered tree into an infra-gitops checkout and commit it with the source
// commit as a trailer. The checkout's own record drives pruning (writer), so publish never
// touches a file it did not generate; pushing is left to git or CI.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { RECORD_FILE, recoverTree, writeTree, type TreeChanges } from '../writer/index.js';
import { checkCheckout, checkClean, checkLayout, checkoutBranch } from './checkout.js';
import { git, gitTry } from './git.js';
import { readRenderedTree } from './rendered.js';

export interface PublishOptions {
  /** The rendered tree (default `dist`). */
  from?: string;
  /** The infra-gitops checkout. */
  repo: string;
  /** Commit message; default `infra-synth: render <short source sha>`. */
  message?: string;
  /** Check out this branch first, creating it from HEAD when it does not exist. */
  branch?: string;
  /** The infra-synth checkout whose HEAD is recorded (default the current directory). */
  sourceDir?: string;
}

export interface PublishResult {
  /** The new commit's sha, undefined when nothing changed. */
  commit?: string;
  changes: TreeChanges;
}

interface Source { readonly sha: string; readonly dirty: boolean }

async function readSource(dir: string): Promise<Source> {
  const head = await gitTry(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) {
    throw new UserError(`${dir}: not a git checkout with a commit; publish records the source commit, so run it in the infra-synth repository (or pass --source)`);
  }
  const status = await git(dir, ['status', '--porcelain', '--untracked-files=all']);
  return { sha: head.stdout.trim(), dirty: status.trim() !== '' };
}

export async function publish(opts: PublishOptions): Promise<PublishResult> {
  const from = resolve(opts.from ?? 'dist');
  const repo = resolve(opts.repo);
  const files = readRenderedTree(from);
  await checkCheckout(repo);
  if (realpathSync(from) === realpathSync(repo)) throw new UserError(`${from}: --from and --repo are the same folder`);
  const source = await readSource(resolve(opts.sourceDir ?? process.cwd()));
  recoverTree(repo); // an interrupted earlier publish is finished (and then shows as uncommitted)
  await checkClean(repo);
  if (opts.branch !== undefined) await checkoutBranch(repo, opts.branch);
  checkLayout(repo);

  const changes = writeTree(repo, files);
  const add = [...changes.added, ...changes.changed, RECORD_FILE];
  // Literal pathspecs: generated names are paths, never globs. -f: a .gitignore in the
  // checkout must not silently drop a generated file from the commit.
  await git(repo, ['--literal-pathspecs', 'add', '-f', '--pathspec-from-file=-', '--pathspec-file-nul'], add.join('\0'));
  if (changes.removed.length) {
    await git(repo, ['--literal-pathspecs', 'rm', '-q', '--cached', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], changes.removed.join('\0'));
  }
  if ((await gitTry(repo, ['diff', '--cached', '--quiet'])).exitCode === 0) return { changes };

  const message = opts.message ?? `infra-synth: render ${source.sha.slice(0, 12)}`;
  const trailers = ['--trailer', `Source-Commit: ${source.sha}`, ...(source.dirty ? ['--trailer', 'Source-Dirty: true'] : [])];
  const commit = await gitTry(repo, ['commit', '-q', '-F', '-', ...trailers], `${message}\n`);
  if (commit.exitCode !== 0) {
    throw new UserError(`${repo}: git commit failed, the changes are written and staged: ${commit.stderr.trim().split('\n').join(' ')}`);
  }
  return { commit: (await git(repo, ['rev-parse', 'HEAD'])).trim(), changes };
}
