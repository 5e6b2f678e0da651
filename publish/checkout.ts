// What publish demands of the target before it writes anything into it.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { RECORD_FILE } from '../writer/index.js';
import { git, gitTry } from './git.js';

/**
 * The repo must be the top folder of a git work tree. A folder *inside* a checkout is refused
 * too: otherwise `--repo out` inside the infra-synth repo itself would pass for a checkout.
 */
export async function checkCheckout(repo: string): Promise<void> {
  if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new UserError(`${repo}: no such folder; clone the infra-gitops repository there first`);
  const r = await gitTry(repo, ['rev-parse', '--show-toplevel']);
  if (r.exitCode !== 0) throw new UserError(`${repo}: not a git checkout; clone the infra-gitops repository there first`);
  const top = r.stdout.trim();
  if (realpathSync(top) !== realpathSync(repo)) {
    throw new UserError(`${repo}: inside the git checkout ${top} but not its top folder; pass --repo ${top}`);
  }
}

/** Publish commits exactly its own changes, so it starts from a checkout with none of anyone else's. */
export async function checkClean(repo: string): Promise<void> {
  const status = await git(repo, ['status', '--porcelain', '--untracked-files=all']);
  const lines = status.split('\n').filter(Boolean);
  if (lines.length) {
    const shown = lines.slice(0, 3).map((l) => l.slice(3)).join(', ');
    throw new UserError(`${repo}: the checkout has uncommitted changes (${lines.length} path${lines.length === 1 ? '' : 's'}: ${shown}${lines.length > 3 ? ', ...' : ''}); commit or remove them first`);
  }
}

/**
 * The layout rule. A checkout that infra-synth published to has its record, and is fine. One
 * without a record is taken only while it holds nothing but what a new infra-gitops repository
 * starts with: README*, LICENSE* (or LICENCE*), CODEOWNERS, docs/ and .git* entries (.git, .github,
 * .gitignore, .gitattributes, .gitlab-ci.yml, ...). Anything else at the top means it is most
 * likely the wrong repository (an application, the infra-synth repo itself), and writing a
 * clusters/ tree into it would be a mess to undo.
 */
const STARTER = [/^\.git/, /^README/i, /^LICEN[CS]E/i, /^CODEOWNERS$/, /^docs$/];

export function checkLayout(repo: string): void {
  if (existsSync(join(repo, RECORD_FILE))) return;
  const other = readdirSync(repo).filter((n) => !STARTER.some((re) => re.test(n))).sort();
  if (other.length) {
    const shown = other.slice(0, 5).join(', ') + (other.length > 5 ? ', ...' : '');
    throw new UserError(
      `${repo}: does not look like an infra-gitops checkout: it has no ${RECORD_FILE} and holds ${shown} at its top ` +
      '(before the first publish only README*, LICENSE*, CODEOWNERS, docs/ and .git* may be there); pick the right checkout');
  }
}

/** Checks out `branch`: an existing local or remote-tracking one, or a new one from HEAD. */
export async function checkoutBranch(repo: string, branch: string): Promise<void> {
  if ((await gitTry(repo, ['check-ref-format', '--branch', branch])).exitCode !== 0) {
    throw new UserError(`--branch ${JSON.stringify(branch)}: not a valid git branch name`);
  }
  const local = (await gitTry(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])).exitCode === 0;
  const remote = (await git(repo, ['for-each-ref', '--format=%(refname)', `refs/remotes/*/${branch}`])).trim() !== '';
  // `git checkout B` turns a unique remote branch into a tracking one (git's own DWIM).
  await git(repo, local || remote ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch]);
}
