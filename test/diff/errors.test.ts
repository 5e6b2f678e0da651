// Bad input: one clear message per problem, naming the tree, the file and what would be valid.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffTrees } from '../../diff/index.js';
import { diffCommand } from '../../cli/commands/diff.js';
import { UserError } from '../../primitives/errors.js';
import { cleanupTempDirs, configMap, tempDir, tree } from './helpers.js';

afterAll(cleanupTempDirs);

const good = () => tree({ 'clusters/c1/apps/a.yaml': [configMap('a', {})] });

async function problems(p: Promise<unknown>): Promise<readonly string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e.problems;
    throw e;
  }
  throw new Error('expected a UserError');
}

test('a base directory without clusters/ is not a rendered tree', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'README.md'), 'not a tree\n');
  expect(await problems(diffTrees({ base: dir, head: good() }))).toEqual([
    `base ${dir}: ${dir} is not a rendered tree: it has no clusters/ folder (expected ${dir}/clusters/<cluster>/<component>/*.yaml)`,
  ]);
});

test('a base that is neither a directory nor a git ref says both', async () => {
  const cwd = tempDir();
  expect(await problems(diffTrees({ base: 'no-such-ref', head: good(), cwd }))).toEqual([
    `base "no-such-ref" is neither a directory nor a git ref: ${join(cwd, 'no-such-ref')} does not exist, ` +
      `and \`git rev-parse --verify no-such-ref^{commit}\` finds no commit in ${cwd}`,
  ]);
});

test('a missing head suggests running synth', async () => {
  const cwd = tempDir();
  expect(await problems(diffTrees({ base: good(), cwd }))).toEqual([
    `head dist: ${join(cwd, 'dist')} does not exist (run \`npm run synth\` first, or pass --head DIR)`,
  ]);
});

test('unreadable YAML names the tree and the file', async () => {
  const head = tree({ 'clusters/c1/apps/a.yaml': 'apiVersion: v1\nkind: [unclosed\n' });
  const [p, ...rest] = await problems(diffTrees({ base: good(), head }));
  expect(rest).toEqual([]);
  expect(p).toMatch(new RegExp(`^head ${head}: ${head}/clusters/c1/apps/a\\.yaml: not valid YAML: `));
});

test('an object without a name names the file and the document', async () => {
  const head = tree({ 'clusters/c1/apps/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n' });
  expect(await problems(diffTrees({ base: good(), head }))).toEqual([
    `head ${head}: ${head}/clusters/c1/apps/a.yaml: document 1 has no metadata.name (every object needs apiVersion, kind and metadata.name to be compared)`,
  ]);
});

test('the same object twice in one cluster is reported with both files', async () => {
  const head = tree({ 'clusters/c1/apps/a.yaml': [configMap('a', {})], 'clusters/c1/other/b.yaml': [configMap('a', { x: 'y' })] });
  expect(await problems(diffTrees({ base: good(), head }))).toEqual([
    `head ${head}: ConfigMap/default/a (v1) of cluster c1 is defined twice, in clusters/c1/apps/a.yaml and clusters/c1/other/b.yaml: an object must appear once per cluster`,
  ]);
});

test('bad input writes no --output file', async () => {
  const cwd = tempDir();
  const notTree = join(cwd, 'empty');
  mkdirSync(notTree);
  await expect(diffCommand({ base: notTree, head: good(), format: 'markdown', output: 'out/diff.md' }, { cwd })).rejects.toThrow(UserError);
  expect(existsSync(join(cwd, 'out'))).toBe(false);
});
