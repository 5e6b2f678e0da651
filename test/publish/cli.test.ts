// The command as users run it: the real CLI entry, bundled as `npm run build` does.
import { join } from 'node:path';
import { execa } from 'execa';
import { bundledCli } from '../helpers/cli.js';
import { commitAll, git, initRepo, put, removeDir, render, tempDir } from './helpers.js';

const CLI = bundledCli('publish');

let root: string;
let source: string;
let repo: string;


beforeEach(async () => {
  root = tempDir();
  source = await initRepo(join(root, 'infra-synth'));
  put(source, 'README.md', 'source\n');
  await commitAll(source, 'source');
  render(join(source, 'dist'), { 'clusters/a/apps/x.yaml': 'x\n' });
  put(source, '.gitignore', 'dist/\n');
  await commitAll(source, 'ignore dist');
  repo = await initRepo(join(root, 'infra-gitops'));
});
afterEach(() => removeDir(root));

const cli = (...args: string[]) => execa('node', [CLI, ...args], { cwd: source, reject: false });

test('publish prints the new commit sha, then "nothing to publish"', async () => {
  const first = await cli('publish', '--repo', repo);
  expect(first.exitCode).toBe(0);
  expect(first.stdout).toBe((await git(repo, 'rev-parse', 'HEAD')).trim());
  expect(first.stderr).toBe('infra-synth publish: 1 added, 0 changed, 0 removed');
  const second = await cli('publish', '--repo', repo);
  expect(second.exitCode).toBe(0);
  expect(second.stdout).toBe('nothing to publish');
});

test('--message and --branch reach the commit', async () => {
  const r = await cli('publish', '--repo', repo, '--message', 'render for review', '--branch', 'review');
  expect(r.exitCode).toBe(0);
  expect(await git(repo, 'log', '-1', '--format=%s%n%D')).toBe('render for review\nHEAD -> review');
});

test('bad input exits 2 with one error line and no stack trace', async () => {
  const r = await cli('publish', '--repo', join(root, 'nowhere'));
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe(`error: ${join(root, 'nowhere')}: no such folder; clone the infra-gitops repository there first`);
  expect(r.stdout).toBe('');
});

test('a missing --repo is a usage error (exit 2)', async () => {
  const r = await cli('publish');
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain("required option '--repo <dir>' not specified");
});

test('--help shows an example', async () => {
  const r = await cli('publish', '--help');
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('$ infra-synth synth && infra-synth publish --repo ../infra-gitops --branch render/my-change');
});
