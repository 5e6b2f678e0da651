// The house rules of the source tree: a folder that others import must not import them back
// (a cycle between folders makes two rooms one), the Helm renderer is a library of its own, and
// the primitives import nothing of ours.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { REPO_ROOT } from '../helpers/fleet.js';

/** Folders that hold no source of the tool (generated CRD bindings import nothing of ours). */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'build', 'test', 'docs', 'overlays', 'imports', '.git', '.github']);

interface Edge { readonly from: string; readonly to: string; readonly file: string; readonly target: string }

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (dir === REPO_ROOT && NOT_SOURCE.has(e.name)) continue;
    if (e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const folderOf = (path: string) => {
  const rel = relative(REPO_ROOT, path).split(sep);
  return rel.length > 1 ? rel[0] : '(root)';
};

/** Every import of one of our files by a file of another top-level folder, type-only ones included. */
function crossFolderImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(REPO_ROOT)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom|\bimport\(?)\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]);
      const from = folderOf(file), to = folderOf(target);
      if (from !== to) edges.push({ from, to, file: relative(REPO_ROOT, file), target: relative(REPO_ROOT, target) });
    }
  }
  return edges;
}

/** Strongly connected groups of more than one folder (Tarjan). */
function folderCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter); low.set(v, counter++); stack.push(v); onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); group.push(w); } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return groups;
}

const edges = crossFolderImports();

test('no two folders import each other, directly or through others', () => {
  // The scan reads real imports: the charts read the overlay schema.
  expect(edges.some((e) => e.from === 'charts' && e.to === 'spec')).toBe(true);
  const cycles = folderCycles(edges).map((group) => {
    const inside = edges.filter((e) => group.includes(e.from) && group.includes(e.to));
    return `${group.join(', ')}:\n${inside.map((e) => `  ${e.file} -> ${e.target}`).join('\n')}`;
  });
  expect(cycles).toEqual([]);
});

test('the cycle check sees a cycle between two folders', () => {
  const made = [{ from: 'a', to: 'b', file: 'a/x.ts', target: 'b/y' }, { from: 'b', to: 'a', file: 'b/y.ts', target: 'a/x' }];
  expect(folderCycles(made)).toEqual([['a', 'b']]);
});

test('the Helm renderer imports nothing of the app and no cdk8s', () => {
  const out = edges.filter((e) => e.from === 'helm').map((e) => `${e.file} -> ${e.target}`);
  const cdk8s = sourceFiles(join(REPO_ROOT, 'helm')).filter((f) => /from ['"]cdk8s/.test(readFileSync(f, 'utf8')));
  expect([...out, ...cdk8s]).toEqual([]);
});

test('the primitives import nothing of ours outside their folder', () => {
  expect(edges.filter((e) => e.from === 'primitives').map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
});
