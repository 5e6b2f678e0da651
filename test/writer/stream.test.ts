// The streaming write a synth uses: parts (clusters) are staged one by one as they are rendered,
// and nothing is committed before finish. A kill is simulated by a throw from onStep, which the
// writer takes as a kill (it cleans nothing up).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { TreeStream, recoverTree, writeTree, type OutputFile } from '../../writer/index.js';
import { removeDir, snapshot, tempDir } from './helpers.js';

const A = 'clusters/a/apps/cert-manager.yaml';
const B = 'clusters/a/cert-manager/issuer.yaml';
const C = 'clusters/b/apps/argo-cd.yaml';
const D = 'clusters/b/apps/vault.yaml';
const files = (m: Record<string, string>): OutputFile[] => Object.entries(m).map(([path, content]) => ({ path, content }));
const OLD = { [A]: 'a', [B]: 'b', [C]: 'c' };
const STAGING = '.infra-synth/staging';

let root: string;
let out: string;
beforeEach(() => { root = tempDir(); out = join(root, 'dist'); writeTree(out, files(OLD)); });
afterEach(() => removeDir(root));

/** Every file with its content, tool state included: what two writes must agree on byte for byte. */
const contents = (dir: string) => Object.fromEntries(Object.entries(snapshot(dir)).map(([p, s]) => [p, s.content]));

/** The tree without tool state: what Argo CD would see. */
const visible = () => Object.fromEntries(Object.entries(contents(out)).filter(([p]) => !p.startsWith('.infra-synth/')));

test('parts streamed one by one give the same tree and record as one writeTree of all their files', () => {
  const w = TreeStream.open(out);
  w.stage(1, files({ [C]: 'c2', [D]: 'd' }));
  w.stage(0, files({ [A]: 'a' }));
  expect(w.finish()).toEqual({ added: [D], changed: [C], removed: [B], unchanged: 1 });
  const whole = join(root, 'whole');
  writeTree(whole, files(OLD));
  writeTree(whole, files({ [A]: 'a', [C]: 'c2', [D]: 'd' }));
  expect(contents(out)).toEqual(contents(whole));
});

test('a part\'s new and changed files are in the staging as soon as it is staged; unchanged ones are not copied', () => {
  const w = TreeStream.open(out);
  w.stage(0, files({ [A]: 'a', [B]: 'b2', [D]: 'd' }));
  const staged = readdirSync(join(out, STAGING, 'files')).map((f) => readFileSync(join(out, STAGING, 'files', f), 'utf8')).sort();
  expect(staged).toEqual(['b2', 'd']);
  expect(visible()).toEqual(OLD);
  w.abort();
});

test('killed between two parts: the previous tree and record are intact, and the next run discards the staging', () => {
  const record = readFileSync(join(out, '.infra-synth/generated.json'), 'utf8');
  const killed = new Error('killed after the first part');
  const w = TreeStream.open(out, { onStep: (s) => { if (s === 'staged-part') throw killed; } });
  expect(() => w.stage(0, files({ [A]: 'a2' }))).toThrow(killed);
  w.abort(); // as a caller's finally would: a killed write leaves its staging for the next run
  expect(existsSync(join(out, STAGING))).toBe(true);
  expect(visible()).toEqual(OLD);
  expect(readFileSync(join(out, '.infra-synth/generated.json'), 'utf8')).toBe(record);
  expect(recoverTree(out)).toBe('discarded');
  expect(visible()).toEqual(OLD);
});

test('a write abandoned after every part was staged (a fleet-wide rule failed) commits nothing and leaves no staging or lock', () => {
  const before = snapshot(out);
  const w = TreeStream.open(out);
  w.stage(0, files({ [A]: 'a2' }));
  w.stage(1, files({ [D]: 'd' }));
  w.abort();
  expect(snapshot(out)).toEqual(before);
  expect(readdirSync(join(out, '.infra-synth'))).toEqual(['generated.json']);
});

test('a write into a new out dir that is abandoned leaves no out dir behind', () => {
  const fresh = join(root, 'new', 'dist');
  const w = TreeStream.open(fresh);
  w.stage(0, files({ [A]: 'a' }));
  w.abort();
  expect(existsSync(join(root, 'new'))).toBe(false);
});

test('one path from two parts is refused at finish, and nothing is committed', () => {
  const before = snapshot(out);
  const w = TreeStream.open(out);
  w.stage(0, files({ [D]: 'from a' }));
  w.stage(1, files({ [D]: 'from b' }));
  let error: unknown;
  try {
    w.finish();
  } catch (e) {
    error = e;
  } finally {
    w.abort();
  }
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).problems).toEqual([`output path "${D}" is produced more than once`]);
  expect(snapshot(out)).toEqual(before);
  expect(existsSync(join(out, STAGING))).toBe(false);
});

test('a dry run stages nothing and reports what the write would do', () => {
  const before = snapshot(out);
  const dry = TreeStream.open(out, { check: true });
  dry.stage(0, files({ [A]: 'a', [C]: 'c2', [D]: 'd' }));
  expect(dry.finish()).toEqual({ added: [D], changed: [C], removed: [B], unchanged: 1 });
  expect(snapshot(out)).toEqual(before);
  expect(existsSync(join(out, STAGING))).toBe(false);
});
