// `infra-synth diff` as users run it: the real CLI entry, bundled as `npm run build` does (exit
// codes, streams, files); colour rules through the command function, which can fake a terminal.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { execa } from 'execa';
import { diffCommand } from '../../cli/commands/diff.js';
import { DIFF_COMMENT_MARKER } from '../../diff/index.js';
import { bundledCli } from '../helpers/cli.js';
import { cleanupTempDirs, configMap, tempDir, tree, writeTree } from './helpers.js';

const CLI = bundledCli('diff');
afterAll(cleanupTempDirs);

const base = () => tree({ 'clusters/c1/apps/a.yaml': [configMap('a', { k: '1' })] });
const changed = () => tree({ 'clusters/c1/apps/a.yaml': [configMap('a', { k: '2' })] });

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  // A clean colour environment: the runner's own FORCE_COLOR/NO_COLOR must not decide the test.
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  for (const k of ['FORCE_COLOR', 'NO_COLOR']) if (!opts.env?.[k]) delete env[k];
  return execa('node', [CLI, 'diff', ...args], { cwd: opts.cwd ?? tempDir(), reject: false, env, extendEnv: false });
}

test('exit code 0 and "No changes" when the trees are semantically equal', async () => {
  const r = await cli(['--base', base(), '--head', base()]);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('No changes: all 1 clusters render the same objects.');
});

test('exit code 1 when something changed; --format json prints the report', async () => {
  const r = await cli(['--base', base(), '--head', changed(), '--format', 'json']);
  expect(r.exitCode).toBe(1);
  const report = JSON.parse(r.stdout);
  expect(report.summary).toMatchObject({ hasChanges: true, changed: 1 });
  expect(report.clusters[0].components[0].objects[0].fields).toEqual([{ path: 'data.k', change: 'changed', secret: false }]);
});

test('--head defaults to dist in the working directory', async () => {
  const cwd = tempDir();
  writeTree(join(cwd, 'dist'), { 'clusters/c1/apps/a.yaml': [configMap('a', { k: '2' })] });
  let out = '';
  const stdout = new PassThrough().on('data', (d) => { out += d; });
  expect(await diffCommand({ base: base() }, { cwd, stdout, env: {} })).toBe(1);
  expect(out).toMatch(/→ dist\n/);
});

test('exit code 2 with one error line and no stack trace for bad input', async () => {
  const cwd = tempDir();
  const r = await cli(['--base', 'nope', '--head', base()], { cwd });
  expect(r.exitCode).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^error: base "nope" is neither a directory nor a git ref: /)]);
});

test('exit code 2 for a format that does not exist', async () => {
  const r = await cli(['--base', base(), '--head', base(), '--format', 'html']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain("argument 'html' is invalid. Allowed choices are markdown, json, terminal.");
});

test('--output writes the comment to a file and a one-line summary to stderr', async () => {
  const cwd = tempDir();
  const r = await cli(['--base', base(), '--head', changed(), '--format', 'markdown', '--output', 'out/diff.md'], { cwd });
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('infra-synth diff: 1 of 1 clusters change (+0 ~1 -0); markdown written to out/diff.md');
  expect(readFileSync(join(cwd, 'out/diff.md'), 'utf8').startsWith(`${DIFF_COMMENT_MARKER}\n`)).toBe(true);
});

test('--json-output writes the complete JSON report of the same comparison beside the comment', async () => {
  const cwd = tempDir();
  const r = await cli(['--base', base(), '--head', changed(), '--format', 'markdown', '--output', 'diff.md', '--json-output', 'out/diff.json'], { cwd });
  expect(r.exitCode).toBe(1);
  expect(r.stderr.split('\n')).toEqual([
    'infra-synth diff: 1 of 1 clusters change (+0 ~1 -0); json written to out/diff.json',
    'infra-synth diff: 1 of 1 clusters change (+0 ~1 -0); markdown written to diff.md',
  ]);
  const [b, h] = [base(), changed()];
  const both = tempDir();
  await cli(['--base', b, '--head', h, '--format', 'markdown', '--output', 'diff.md', '--json-output', 'diff.json'], { cwd: both });
  const alone = await cli(['--base', b, '--head', h, '--format', 'json']);
  expect(readFileSync(join(both, 'diff.json'), 'utf8')).toBe(`${alone.stdout}\n`);
  expect(JSON.parse(readFileSync(join(cwd, 'out/diff.json'), 'utf8')).summary).toMatchObject({ changed: 1 });
  expect(readFileSync(join(cwd, 'diff.md'), 'utf8').startsWith(`${DIFF_COMMENT_MARKER}\n`)).toBe(true);
});

describe('colour (terminal format)', () => {
  const ESC = '\u001b[';
  async function run(isTTY: boolean, env: Record<string, string>): Promise<string> {
    let out = '';
    const stdout = Object.assign(new PassThrough(), { isTTY });
    stdout.on('data', (d) => { out += d; });
    const stderr = new PassThrough();
    await diffCommand({ base: base(), head: changed() }, { stdout, stderr, env });
    return out;
  }
  test('none when stdout is not a terminal', async () => {
    const out = await run(false, {});
    expect(out).toContain('~ ConfigMap/default/a');
    expect(out).not.toContain(ESC);
  });
  test('on a terminal', async () => {
    expect(await run(true, {})).toContain(`${ESC}33m~ ConfigMap/default/a`);
  });
  test('NO_COLOR turns it off on a terminal', async () => {
    expect(await run(true, { NO_COLOR: '1' })).not.toContain(ESC);
  });
  test('FORCE_COLOR turns it on off a terminal, and NO_COLOR still wins', async () => {
    expect(await run(false, { FORCE_COLOR: '1' })).toContain(ESC);
    expect(await run(false, { FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain(ESC);
  });
});
