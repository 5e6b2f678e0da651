// A kill part-way is simulated by a throw from the onStep hook: the writer does no clean-up on
// error (a killed process could not either), so the out dir is left exactly as by a kill.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planTree, recoverTree, writeTree, type OutputFile, type WriteStep } from '../../writer/index.js';
import { removeDir, snapshot, tempDir } from './helpers.js';

const A = 'clusters/a/apps/cert-manager.yaml';
const B = 'clusters/a/cert-manager/issuer.yaml';
const C = 'clusters/b/apps/argo-cd.yaml';
const files = (m: Record<string, string>): OutputFile[] => Object.entries(m).map(([path, content]) => ({ path, content }));
const OLD = files({ [A]: 'a', [B]: 'b' });
const NEW = files({ [A]: 'a2', [C]: 'c' });
const STAGING = '.infra-synth/staging';

let out: string;
beforeEach(() => { out = tempDir(); writeTree(out, OLD); });
afterEach(() => removeDir(out));

function killAt(step: WriteStep): void {
  const killed = new Error(`killed at ${step}`);
  expect(() => writeTree(out, NEW, { onStep: (s) => { if (s === step) throw killed; } })).toThrow(killed);
}

/** The tree without tool state: what Argo CD would see. */
function visible(): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot(out))
    .filter(([p]) => !p.startsWith('.infra-synth/'))
    .map(([p, s]) => [p, s.content]));
}

test('killed before the commit: the previous tree and record are intact', () => {
  const record = readFileSync(join(out, '.infra-synth/generated.json'), 'utf8');
  killAt('staged');
  expect(visible()).toEqual({ [A]: 'a', [B]: 'b' });
  expect(readFileSync(join(out, '.infra-synth/generated.json'), 'utf8')).toBe(record);
  expect(existsSync(join(out, STAGING))).toBe(true);
});

test('killed before the commit: the next run discards the staging', () => {
  killAt('staged');
  expect(recoverTree(out)).toBe('discarded');
  expect(existsSync(join(out, STAGING))).toBe(false);
  expect(visible()).toEqual({ [A]: 'a', [B]: 'b' });
  expect(writeTree(out, OLD)).toEqual({ added: [], changed: [], removed: [], unchanged: 2 });
});

test('killed after the commit: the next run completes the write', () => {
  killAt('committed');
  expect(visible()).toEqual({ [A]: 'a', [B]: 'b' });
  expect(writeTree(out, NEW)).toEqual({ added: [], changed: [], removed: [], unchanged: 2 });
  expect(visible()).toEqual({ [A]: 'a2', [C]: 'c' });
  expect(existsSync(join(out, STAGING))).toBe(false);
});

test('killed half-way through applying: the next run completes the write', () => {
  killAt('moved-one');
  expect(visible()).toEqual({ [A]: 'a2' });
  expect(recoverTree(out)).toBe('rolled-forward');
  expect(visible()).toEqual({ [A]: 'a2', [C]: 'c' });
  expect(writeTree(out, NEW).unchanged).toBe(2);
});

test('planTree rolls a committed write forward before judging the tree', () => {
  killAt('committed');
  expect(planTree(out, NEW)).toEqual({ added: [], changed: [], removed: [], unchanged: 2 });
});

test('a hand-made staging without a commit is discarded without touching the tree', () => {
  mkdirSync(join(out, STAGING, 'files'), { recursive: true });
  writeFileSync(join(out, STAGING, 'files/0'), 'half-written');
  writeFileSync(join(out, STAGING, 'commit.json.tmp'), '{"version":1,"moves":[["files/0","');
  const before = visible();
  expect(recoverTree(out)).toBe('discarded');
  expect(visible()).toEqual(before);
});

test('a hand-made committed journal is carried out: moves, deletes and the record', () => {
  mkdirSync(join(out, STAGING, 'files'), { recursive: true });
  writeFileSync(join(out, STAGING, 'files/0'), 'c');
  const rec = '{"generator":"infra-synth","version":1,"files":{}}\n';
  writeFileSync(join(out, STAGING, 'record.json'), rec);
  writeFileSync(join(out, STAGING, 'commit.json'), JSON.stringify({ version: 1, moves: [['files/0', C]], deletes: [B] }));
  expect(recoverTree(out)).toBe('rolled-forward');
  expect(visible()).toEqual({ [A]: 'a', [C]: 'c' });
  expect(readFileSync(join(out, '.infra-synth/generated.json'), 'utf8')).toBe(rec);
});

test('a committed journal that points out of the tree is refused, not followed', () => {
  mkdirSync(join(out, STAGING, 'files'), { recursive: true });
  writeFileSync(join(out, STAGING, 'commit.json'), JSON.stringify({ version: 1, moves: [], deletes: ['../victim'] }));
  expect(() => recoverTree(out)).toThrow(
    `${join(out, STAGING, 'commit.json')}: damaged journal of an interrupted write (a delete is not a relative path); delete ${join(out, STAGING)} and check the tree with git`);
});
