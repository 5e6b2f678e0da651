import { existsSync, lstatSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChartRepoError } from '../helm/repo/errors.js';
import { LOCK_FILE_NAME, readLock, type ChartLock } from '../helm/repo/lock.js';
import { UserError } from '../primitives/errors.js';
import type { TreeSource } from './model.js';
import { assertNoPendingWrite } from '../writer/index.js';
import { loadTree, type LoadedTree, type ParseCache } from './tree.js';

export interface LoadOptions {
  /** Where relative paths resolve, and the git repository a ref belongs to. */
  readonly cwd: string;
  /** Progress lines (rendering a commit takes seconds). */
  readonly log?: (line: string) => void;
  /** Where the worktree of a base ref and its output go. @default os.tmpdir() (honours TMPDIR) */
  readonly tmpDir?: string;
  /** Shared between both sides: a file the same on both is parsed once. */
  readonly cache?: ParseCache;
}

/** The lines of a failing step's output that are worth showing. */
const OUTPUT_TAIL_LINES = 15;

/**
 * Loads the base side: an existing directory is read as a rendered tree; anything else must be
 * a git commit of the repository at `cwd`, which is rendered in a temporary worktree.
 */
export async function loadBase(arg: string, opts: LoadOptions): Promise<{ source: TreeSource; tree: LoadedTree }> {
  const dir = resolve(opts.cwd, arg);
  if (existsSync(dir)) {
    assertNoPendingWrite(dir, `base ${arg}`);
    // An infra-gitops checkout before its first publish holds no rendered tree yet: the first
    // pull request's diff is everything added. A directory that is not a git checkout is still
    // refused, so that a wrong path is not taken for an empty base.
    if (!existsSync(join(dir, 'clusters')) && existsSync(join(dir, '.git'))) {
      return { source: { label: `${arg} (nothing published yet)`, kind: 'dir' }, tree: { clusters: new Set(), objects: new Map() } };
    }
    return { source: { label: arg, kind: 'dir' }, tree: loadTree(dir, `base ${arg}`, opts.cache) };
  }
  const commit = await resolveCommit(arg, opts.cwd);
  if (!commit) {
    throw new UserError(
      `base "${arg}" is neither a directory nor a git ref: ${dir} does not exist, and ` +
        `\`git rev-parse --verify ${arg}^{commit}\` finds no commit in ${opts.cwd}`,
    );
  }
  const tree = await renderCommit(arg, commit, opts);
  return { source: { label: arg, kind: 'git', commit }, tree };
}

/** Loads the head side, always a directory (by default the fresh `dist/` of `npm run synth`). */
export function loadHead(arg: string, opts: LoadOptions): { source: TreeSource; tree: LoadedTree } {
  const dir = resolve(opts.cwd, arg);
  if (!existsSync(dir)) {
    throw new UserError(`head ${arg}: ${dir} does not exist (run \`npm run synth\` first, or pass --head DIR)`);
  }
  assertNoPendingWrite(dir, `head ${arg}`);
  return { source: { label: arg, kind: 'dir' }, tree: loadTree(dir, `head ${arg}`, opts.cache) };
}

/** The full SHA of the commit `ref` names in the repository at `cwd`, or undefined. */
export async function resolveCommit(ref: string, cwd: string): Promise<string | undefined> {
  const { execa } = await import('execa');
  // A leading dash would be read by git as an option, not a ref.
  if (ref.startsWith('-') || ref.trim() === '') return undefined;
  const r = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, reject: false });
  return r.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(r.stdout.trim()) ? r.stdout.trim() : undefined;
}

/**
 * Renders `commit` the way CI would: a detached worktree of the repository at `cwd`, the current
 * `node_modules` linked in (a fresh install would take minutes), then
 * `node scripts/build.mjs` and `node bin/infra-synth.mjs synth --out <tmp>` inside it.
 * The worktree and the output are removed afterwards, whatever happens.
 */
async function renderCommit(label: string, commit: string, opts: LoadOptions): Promise<LoadedTree> {
  // Loaded here, not at the top: `diff` between two folders (the usual CI case) never runs git.
  const { execa } = await import('execa');
  const { cwd } = opts;
  const short = commit.slice(0, 12);
  // The package may sit in a sub-folder of the repository: render from the same place in the worktree.
  const prefix = (await execa('git', ['rev-parse', '--show-prefix'], { cwd })).stdout.trim();
  const tmp = mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'infra-synth-diff-'));
  const worktree = join(tmp, 'worktree');
  const out = join(tmp, 'out');
  const pkg = join(worktree, prefix);
  const modules = join(pkg, 'node_modules');
  let added = false;
  try {
    opts.log?.(`base ${label}: rendering commit ${short} in a temporary worktree`);
    const add = await execa('git', ['worktree', 'add', '--detach', worktree, commit], { cwd, reject: false, all: true });
    if (add.exitCode !== 0) throw stepFailed(label, short, 'git worktree add', add.exitCode, add.all);
    added = true;
    const current = join(cwd, 'node_modules');
    if (existsSync(current) && !existsSync(modules)) symlinkSync(current, modules, 'junction');

    for (const args of [['scripts/build.mjs'], ['bin/infra-synth.mjs', 'synth', '--out', out]]) {
      const step = `node ${args.join(' ')}`;
      opts.log?.(`base ${label}: ${step}`);
      const r = await execa(process.execPath, args, { cwd: pkg, reject: false, all: true, env: { FORCE_COLOR: '0' } });
      if (r.exitCode !== 0) throw stepFailed(label, short, step, r.exitCode, r.all);
    }
    return { ...loadTree(out, `base ${label} (${short})`, opts.cache), chartLock: commitLock(join(pkg, LOCK_FILE_NAME)) };
  } finally {
    // Unlink our node_modules link first, so that nothing below can ever reach the real one.
    if (isSymlink(modules)) unlinkSync(modules);
    if (added) await execa('git', ['worktree', 'remove', '--force', worktree], { cwd, reject: false });
    rmSync(tmp, { recursive: true, force: true });
    await execa('git', ['worktree', 'prune'], { cwd, reject: false });
  }
}

function stepFailed(label: string, short: string, step: string, code: number | undefined, output: string | undefined): UserError {
  const tail = (output ?? '').trimEnd().split('\n').filter(Boolean).slice(-OUTPUT_TAIL_LINES);
  return new UserError([
    `base ${label}: could not render commit ${short}: \`${step}\` failed${code === undefined ? '' : ` with exit code ${code}`}` +
      (tail.length ? '; its last output:' : ''),
    ...tail.map((l) => `  | ${l}`),
  ]);
}

/** The chart lock of the rendered commit (which chart versions its Applications pin), if it has a readable one. */
function commitLock(file: string): ChartLock | undefined {
  try {
    return existsSync(file) ? readLock(file) : undefined;
  } catch (e) {
    // A broken lock at the base only costs the diff a way to find a package: the cache is searched.
    if (e instanceof ChartRepoError) return undefined;
    throw e;
  }
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
