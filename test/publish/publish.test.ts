import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { publish } from '../../publish/index.js';
import { commitAll, configure, git, initRepo, put, removeDir, render, tempDir, treeOf } from './helpers.js';

const A = 'clusters/a/apps/cert-manager.yaml';
const B = 'clusters/a/cert-manager/issuer.yaml';
const C = 'clusters/b/apps/argo-cd.yaml';

let root: string;
let source: string;
let sourceSha: string;
let dist: string;
let repo: string;

beforeEach(async () => {
  root = tempDir();
  source = await initRepo(join(root, 'infra-synth'));
  put(source, 'overlays/a.ts', 'export {};\n');
  sourceSha = await commitAll(source, 'source');
  dist = join(root, 'dist');
  render(dist, { [A]: 'a\n', [B]: 'b\n' });
  repo = await initRepo(join(root, 'infra-gitops'));
});
afterEach(() => removeDir(root));

const run = (extra: Partial<Parameters<typeof publish>[0]> = {}) => publish({ from: dist, repo, sourceDir: source, ...extra });

async function problems(p: Promise<unknown>): Promise<readonly string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e.problems;
    throw e;
  }
  throw new Error('expected a UserError');
}

test('publishes a rendered tree into an empty checkout as one commit with the source commit as a trailer', async () => {
  const r = await run();
  expect(r.changes).toEqual({ added: [A, B], changed: [], removed: [], unchanged: 0 });
  expect(r.commit).toBe((await git(repo, 'rev-parse', 'HEAD')).trim());
  expect(await treeOf(repo)).toEqual(['.infra-synth/generated.json', A, B]);
  expect(await git(repo, 'show', `HEAD:${A}`)).toBe('a');
  expect(await git(repo, 'log', '-1', '--format=%B')).toBe(`infra-synth: render ${sourceSha.slice(0, 12)}\n\nSource-Commit: ${sourceSha}\n`);
  expect(await git(repo, 'status', '--porcelain')).toBe('');
});

test('a second publish of the same tree makes no commit', async () => {
  const first = await run();
  const second = await run();
  expect(second).toEqual({ commit: undefined, changes: { added: [], changed: [], removed: [], unchanged: 2 } });
  expect((await git(repo, 'rev-parse', 'HEAD')).trim()).toBe(first.commit);
});

test('a file no longer rendered is removed in the next commit, while hand-added files survive', async () => {
  await run();
  put(repo, 'README.md', '# infra-gitops\n');
  put(repo, 'clusters/a/apps/NOTES.md', 'hand-written\n');
  put(repo, 'other/keep.yaml', 'kind: Keep\n');
  await commitAll(repo, 'hand-made files');
  removeDir(dist);
  render(dist, { [A]: 'a2\n', [C]: 'c\n' });
  const r = await run({ message: 'render v2' });
  expect(r.changes).toEqual({ added: [C], changed: [A], removed: [B], unchanged: 0 });
  expect(await treeOf(repo)).toEqual(['.infra-synth/generated.json', 'README.md', 'clusters/a/apps/NOTES.md', A, C, 'other/keep.yaml']);
  expect(await git(repo, 'show', '--name-status', '--format=', 'HEAD')).toBe(
    ['M\t.infra-synth/generated.json', `M\t${A}`, `D\t${B}`, `A\t${C}`].join('\n'));
  expect((await git(repo, 'log', '-1', '--format=%s')).trim()).toBe('render v2');
});

test('a bare remote and its clone work as the target', async () => {
  const remote = join(root, 'remote.git');
  await git(root, 'init', '-q', '--bare', '-b', 'main', remote);
  const clone = join(root, 'clone');
  await git(root, 'clone', '-q', remote, clone);
  await configure(clone);
  const r = await publish({ from: dist, repo: clone, sourceDir: source });
  await git(clone, 'push', '-q', 'origin', 'HEAD:main');
  expect((await git(remote, 'rev-parse', 'main')).trim()).toBe(r.commit);
  expect(await treeOf(remote, 'main')).toEqual(['.infra-synth/generated.json', A, B]);
});

test('a source with uncommitted changes is recorded with a Source-Dirty trailer', async () => {
  put(source, 'overlays/b.ts', 'export {};\n');
  await run();
  expect(await git(repo, 'log', '-1', '--format=%(trailers)')).toBe(`Source-Commit: ${sourceSha}\nSource-Dirty: true\n`);
});

test('--branch creates a missing branch from HEAD and commits there', async () => {
  const base = await commitAll((put(repo, 'README.md', 'x\n'), repo), 'readme');
  const r = await run({ branch: 'render/v1' });
  expect((await git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('render/v1');
  expect((await git(repo, 'rev-parse', 'HEAD~1')).trim()).toBe(base);
  expect((await git(repo, 'rev-parse', 'main')).trim()).toBe(base);
  expect(r.commit).toBe((await git(repo, 'rev-parse', 'render/v1')).trim());
});

test('--branch checks out an existing branch before writing', async () => {
  await commitAll((put(repo, 'README.md', 'x\n'), repo), 'readme');
  await git(repo, 'branch', 'render');
  await commitAll((put(repo, 'README.md', 'y\n'), repo), 'readme on main only');
  await run({ branch: 'render' });
  expect(await git(repo, 'show', 'render:README.md')).toBe('x');
  expect(await treeOf(repo, 'main')).toEqual(['README.md']);
});

test('a file in dist edited after rendering is refused', async () => {
  writeFileSync(join(dist, A), 'edited\n');
  expect(await problems(run())).toEqual([
    `${join(dist, A)}: changed since it was rendered (its sha256 differs from .infra-synth/generated.json); run \`infra-synth synth\` again`,
  ]);
});

describe('refusals', () => {
  test('a from folder without a record is not a rendered tree', async () => {
    const plain = join(root, 'plain');
    put(plain, A, 'a\n');
    expect(await problems(run({ from: plain }))).toEqual([
      `${plain}: not a rendered tree (it has no .infra-synth/generated.json); run \`infra-synth synth\` first, or pass --from`,
    ]);
  });

  test('a folder that is not a git checkout', async () => {
    const plain = join(root, 'not-a-repo');
    put(plain, 'README.md', 'x');
    expect(await problems(run({ repo: plain }))).toEqual([
      `${plain}: not a git checkout; clone the infra-gitops repository there first`,
    ]);
    expect(existsSync(join(plain, '.infra-synth'))).toBe(false);
  });

  test('a folder inside a checkout rather than its top', async () => {
    const sub = join(repo, 'sub');
    put(sub, 'x', 'x');
    expect(await problems(run({ repo: sub }))).toEqual([`${sub}: inside the git checkout ${repo} but not its top folder; pass --repo ${repo}`]);
  });

  test('a checkout with uncommitted changes', async () => {
    put(repo, 'README.md', 'draft\n');
    expect(await problems(run())).toEqual([`${repo}: the checkout has uncommitted changes (1 path: README.md); commit or remove them first`]);
    expect(await treeOf(repo).catch(() => [])).toEqual([]);
  });

  test('a checkout of another repository layout', async () => {
    put(repo, 'package.json', '{}\n');
    put(repo, 'src/index.ts', '\n');
    put(repo, 'README.md', 'app\n');
    await commitAll(repo, 'an app');
    expect(await problems(run())).toEqual([
      `${repo}: does not look like an infra-gitops checkout: it has no .infra-synth/generated.json and holds package.json, src at its top ` +
      '(before the first publish only README*, LICENSE*, CODEOWNERS, docs/ and .git* may be there); pick the right checkout',
    ]);
    expect(existsSync(join(repo, A))).toBe(false);
  });

  test('a source that is not a git checkout', async () => {
    const plain = join(root, 'no-source');
    put(plain, 'x', 'x');
    expect(await problems(run({ sourceDir: plain }))).toEqual([
      `${plain}: not a git checkout with a commit; publish records the source commit, so run it in the infra-synth repository (or pass --source)`,
    ]);
  });

  test('an invalid branch name', async () => {
    expect(await problems(run({ branch: 'bad..name' }))).toEqual(['--branch "bad..name": not a valid git branch name']);
  });
});

test('a generated file matching the checkout .gitignore is still committed', async () => {
  put(repo, '.gitignore', '*.yaml\n');
  await commitAll(repo, 'ignore yaml');
  await run();
  expect(await treeOf(repo)).toEqual(['.gitignore', '.infra-synth/generated.json', A, B]);
  expect(readFileSync(join(repo, A), 'utf8')).toBe('a\n');
});

test('a publish killed before its write committed leaves a staging that the next publish discards', async () => {
  await run();
  put(repo, '.infra-synth/staging/files/0', 'half-written');
  put(repo, '.infra-synth/staging/commit.json.tmp', '{');
  const r = await run();
  expect(r.commit).toBeUndefined();
  expect(existsSync(join(repo, '.infra-synth/staging'))).toBe(false);
  expect(await git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
});
