// A synth killed after its commit point leaves a tree that is half the old render and half the
// new. Readers of that tree say so instead of reporting on the mix, and the next synth finishes
// the write and says that it did.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { synthFleet } from '../../pipeline/synth.js';
import { writeTree, type OutputFile } from '../../writer/index.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';

const CLI = join(REPO_ROOT, 'bin', 'infra-synth.mjs');
let repo: string;
let out: string;

/** Every generated file of a tree, as the writer takes them. */
function filesOf(dir: string, prefix = ''): OutputFile[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.name === '.infra-synth') return [];
    return e.isDirectory() ? filesOf(dir, rel) : [{ path: rel, content: readFileSync(join(dir, rel), 'utf8') }];
  });
}

beforeEach(async () => {
  repo = mkdtempSync(join(tmpdir(), 'infra-synth-killed-'));
  cpSync(EXAMPLE_OVERLAYS, join(repo, 'overlays'), { recursive: true });
  cpSync(join(REPO_ROOT, 'secrets'), join(repo, 'secrets'), { recursive: true });
  out = join(repo, 'dist');
  await synthFleet({ overlaysDir: join(repo, 'overlays'), outDir: out });
  // A write that drops a cluster and changes every file of another, killed after its commit
  // point with one file moved into place.
  const next = filesOf(out)
    .filter((f) => !f.path.startsWith('clusters/dev/'))
    .map((f) => (f.path.startsWith('clusters/vk-stage/') ? { ...f, content: `${f.content}# changed\n` } : f));
  expect(() => writeTree(out, next, { onStep: (s) => { if (s === 'moved-one') throw new Error('killed'); } })).toThrow('killed');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test('validate of a half-written tree exits 2 saying an interrupted write is pending', async () => {
  const r = await execa('node', [CLI, 'validate', out], { reject: false });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe(`error: ${out}: an interrupted synth left a write half done (${out}/.infra-synth/staging); run \`infra-synth synth\` (with the same --out) to finish it, then read the tree again`);
  expect(r.stdout).toBe('');
});

test('diff against a half-written tree exits 2 instead of listing the mix as changes', async () => {
  const r = await execa('node', [CLI, 'diff', '--base', out, '--head', out], { reject: false });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(/an interrupted synth left a write half done/);
});

test('the next synth finishes the interrupted write and says so', async () => {
  const r = await execa('node', [CLI, 'synth', '--overlays', join(repo, 'overlays'), '--out', out], { cwd: REPO_ROOT, reject: false });
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toContain(`${out}: finished the write an interrupted synth had left half done`);
  const again = await execa('node', [CLI, 'validate', out], { reject: false });
  expect(again.exitCode).toBe(0);
});
