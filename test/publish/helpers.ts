import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { writeTree } from '../../writer/index.js';

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return String((await execa('git', args, { cwd })).stdout);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'infra-synth-publish-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function put(root: string, rel: string, content: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

/** A git repo with a local identity, so commits work on any machine. */
export async function initRepo(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await configure(dir);
  return dir;
}

export async function configure(dir: string): Promise<void> {
  await git(dir, 'config', 'user.name', 'Test');
  await git(dir, 'config', 'user.email', 'test@example.com');
  await git(dir, 'config', 'commit.gpgsign', 'false');
}

export async function commitAll(dir: string, message: string): Promise<string> {
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', message);
  return (await git(dir, 'rev-parse', 'HEAD')).trim();
}

/** A rendered tree as synth leaves it. */
export function render(dir: string, files: Record<string, string>): void {
  writeTree(dir, Object.entries(files).map(([path, content]) => ({ path, content })));
}

/** Paths in the tree of a commit. */
export async function treeOf(repo: string, rev = 'HEAD'): Promise<string[]> {
  return (await git(repo, 'ls-tree', '-r', '--name-only', rev)).split('\n').filter(Boolean);
}
