import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { planTree, writeTree, type OutputFile } from '../../writer/index.js';
import { folders, removeDir, snapshot, tempDir } from './helpers.js';

const A = 'clusters/a/apps/cert-manager.yaml';
const B = 'clusters/a/cert-manager/issuer.yaml';
const C = 'clusters/b/apps/argo-cd.yaml';
const files = (m: Record<string, string>): OutputFile[] => Object.entries(m).map(([path, content]) => ({ path, content }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const record = (out: string) => JSON.parse(readFileSync(join(out, '.infra-synth/generated.json'), 'utf8'));

let out: string;
beforeEach(() => { out = tempDir(); });
afterEach(() => removeDir(out));

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('writeTree', () => {
  test('writes the files and a record of their sha256, sorted by path', () => {
    const changes = writeTree(out, files({ [C]: 'c\n', [A]: 'a\n' }));
    expect(changes).toEqual({ added: [A, C], changed: [], removed: [], unchanged: 0 });
    expect(readFileSync(join(out, A), 'utf8')).toBe('a\n');
    expect(readFileSync(join(out, C), 'utf8')).toBe('c\n');
    expect(record(out)).toEqual({ generator: 'infra-synth', version: 1, files: { [A]: sha('a\n'), [C]: sha('c\n') } });
    expect(Object.keys(record(out).files)).toEqual([A, C]);
  });

  test('the record bytes do not depend on the order of the input files', () => {
    writeTree(out, files({ [C]: 'c', [A]: 'a', [B]: 'b' }));
    const other = tempDir();
    try {
      writeTree(other, files({ [B]: 'b', [A]: 'a', [C]: 'c' }));
      expect(readFileSync(join(other, '.infra-synth/generated.json'), 'utf8'))
        .toBe(readFileSync(join(out, '.infra-synth/generated.json'), 'utf8'));
    } finally {
      removeDir(other);
    }
  });

  test('a second identical write rewrites nothing (same inode and mtime) and leaves no tool state behind', () => {
    writeTree(out, files({ [A]: 'a', [B]: 'b', [C]: 'c' }));
    const before = snapshot(out);
    const changes = writeTree(out, files({ [A]: 'a', [B]: 'b', [C]: 'c' }));
    expect(changes).toEqual({ added: [], changed: [], removed: [], unchanged: 3 });
    expect(snapshot(out)).toEqual(before);
    expect(folders(out)).toEqual(['.infra-synth', 'clusters', 'clusters/a', 'clusters/a/apps', 'clusters/a/cert-manager', 'clusters/b', 'clusters/b/apps']);
  });

  test('one changed file is the only file rewritten', () => {
    writeTree(out, files({ [A]: 'a', [B]: 'b', [C]: 'c' }));
    const before = snapshot(out);
    const changes = writeTree(out, files({ [A]: 'a', [B]: 'b2', [C]: 'c' }));
    expect(changes).toEqual({ added: [], changed: [B], removed: [], unchanged: 2 });
    const after = snapshot(out);
    expect(after[A]).toEqual(before[A]);
    expect(after[C]).toEqual(before[C]);
    expect(after[B].content).toBe('b2');
    expect(record(out).files[B]).toBe(sha('b2'));
  });

  test('a hand-edited generated file is restored', () => {
    writeTree(out, files({ [A]: 'a' }));
    writeFileSync(join(out, A), 'edited');
    expect(writeTree(out, files({ [A]: 'a' })).changed).toEqual([A]);
    expect(readFileSync(join(out, A), 'utf8')).toBe('a');
  });

  test('a recorded file that was deleted by hand is written again', () => {
    writeTree(out, files({ [A]: 'a' }));
    removeDir(join(out, 'clusters'));
    expect(writeTree(out, files({ [A]: 'a' })).added).toEqual([A]);
    expect(readFileSync(join(out, A), 'utf8')).toBe('a');
  });

  test('a recorded file already gone from disk is forgotten when no longer produced', () => {
    writeTree(out, files({ [A]: 'a', [B]: 'b' }));
    removeDir(join(out, 'clusters/a/cert-manager'));
    expect(writeTree(out, files({ [A]: 'a' }))).toEqual({ added: [], changed: [], removed: [B], unchanged: 1 });
    expect(Object.keys(record(out).files)).toEqual([A]);
  });

  test('prune removes the files of an earlier run that are no longer produced, and the folders they leave empty', () => {
    writeTree(out, files({ [A]: 'a', [B]: 'b', [C]: 'c' }));
    const changes = writeTree(out, files({ [A]: 'a' }));
    expect(changes).toEqual({ added: [], changed: [], removed: [B, C], unchanged: 1 });
    expect(existsSync(join(out, B))).toBe(false);
    expect(existsSync(join(out, C))).toBe(false);
    expect(folders(out)).toEqual(['.infra-synth', 'clusters', 'clusters/a', 'clusters/a/apps']);
    expect(Object.keys(record(out).files)).toEqual([A]);
  });

  test('prune never deletes a file it did not generate, nor the folder holding it, nor the out root', () => {
    writeTree(out, files({ [A]: 'a', [C]: 'c' }));
    writeFileSync(join(out, 'clusters/b/apps/notes.txt'), 'mine');
    writeFileSync(join(out, 'README.md'), 'hello');
    writeTree(out, files({}));
    expect(readFileSync(join(out, 'clusters/b/apps/notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('hello');
    expect(existsSync(join(out, A))).toBe(false);
    expect(folders(out)).toEqual(['.infra-synth', 'clusters', 'clusters/b', 'clusters/b/apps']);
    expect(record(out).files).toEqual({});
  });

  test('a file it did not generate is never overwritten: the run fails naming it and writes nothing', () => {
    writeTree(out, files({ [A]: 'a' }));
    mkdirSync(join(out, 'clusters/b/apps'), { recursive: true });
    writeFileSync(join(out, C), 'hand-written');
    const before = snapshot(out);
    const e = userError(() => writeTree(out, files({ [A]: 'a2', [B]: 'b', [C]: 'c' })));
    expect(e.problems).toEqual([`${join(out, C)}: not generated by infra-synth; move it away or delete it`]);
    expect(snapshot(out)).toEqual(before);
    expect(existsSync(join(out, '.infra-synth/staging'))).toBe(false);
  });

  test('a file in the way of a new folder is refused when it is not ours', () => {
    mkdirSync(join(out, 'clusters'), { recursive: true });
    writeFileSync(join(out, 'clusters/a'), 'a file, not a folder');
    const e = userError(() => writeTree(out, files({ [A]: 'a' })));
    expect(e.problems).toEqual([`${join(out, 'clusters/a')}: not generated by infra-synth; move it away or delete it`]);
    expect(readFileSync(join(out, 'clusters/a'), 'utf8')).toBe('a file, not a folder');
  });

  test('a folder in the place of a new file is refused', () => {
    mkdirSync(join(out, A), { recursive: true });
    const e = userError(() => writeTree(out, files({ [A]: 'a' })));
    expect(e.problems).toEqual([`${join(out, A)}: is a folder, not generated by infra-synth; move it away or delete it`]);
  });

  test('a generated file may become a folder of generated files', () => {
    writeTree(out, files({ 'clusters/a/x': 'file' }));
    const changes = writeTree(out, files({ 'clusters/a/x/y.yaml': 'y' }));
    expect(changes).toEqual({ added: ['clusters/a/x/y.yaml'], changed: [], removed: ['clusters/a/x'], unchanged: 0 });
    expect(readFileSync(join(out, 'clusters/a/x/y.yaml'), 'utf8')).toBe('y');
  });

  test('a symlinked folder in the tree is not written through', () => {
    const elsewhere = tempDir();
    try {
      symlinkSync(elsewhere, join(out, 'clusters'));
      const e = userError(() => writeTree(out, files({ [A]: 'a' })));
      expect(e.problems).toEqual([`${join(out, 'clusters')}: not generated by infra-synth; move it away or delete it`]);
      expect(snapshot(elsewhere)).toEqual({});
    } finally {
      removeDir(elsewhere);
    }
  });

  test('scope keeps the records and files of the clusters outside it', () => {
    writeTree(out, files({ [A]: 'a', [B]: 'b', [C]: 'c' }));
    const changes = writeTree(out, files({ [A]: 'a2' }), { scope: ['clusters/a/'] });
    expect(changes).toEqual({ added: [], changed: [A], removed: [B], unchanged: 0 });
    expect(readFileSync(join(out, C), 'utf8')).toBe('c');
    expect(record(out).files).toEqual({ [A]: sha('a2'), [C]: sha('c') });
  });

  test('a scope prefix without a trailing slash means that folder, not its name-sakes', () => {
    writeTree(out, files({ 'clusters/a/x.yaml': 'a', 'clusters/ab/x.yaml': 'ab' }));
    writeTree(out, files({}), { scope: ['clusters/a'] });
    expect(Object.keys(record(out).files)).toEqual(['clusters/ab/x.yaml']);
  });

  test('a file outside the scope is refused', () => {
    const e = userError(() => writeTree(out, files({ [C]: 'c' }), { scope: ['clusters/a/'] }));
    expect(e.problems).toEqual([`output path "${C}" is outside the scope of this run (clusters/a/)`]);
    expect(snapshot(out)).toEqual({});
  });

  test('a damaged record is refused with the file named', () => {
    mkdirSync(join(out, '.infra-synth'));
    writeFileSync(join(out, '.infra-synth/generated.json'), '{"generator":"infra-synth","version":1,"files":{"../x":"00"}}');
    const e = userError(() => writeTree(out, files({ [A]: 'a' })));
    expect(e.problems).toEqual([
      `${join(out, '.infra-synth/generated.json')}: not a valid infra-synth record (recorded path "../x": must not contain ".." segments); restore it from version control or remove the files it listed together with it`,
    ]);
  });

  test('a run holding the lock from a live process is refused', () => {
    mkdirSync(join(out, '.infra-synth'));
    writeFileSync(join(out, '.infra-synth/lock'), `${process.ppid}\n`);
    const e = userError(() => writeTree(out, files({ [A]: 'a' })));
    expect(e.problems).toEqual([
      `${join(out, '.infra-synth/lock')}: another infra-synth run (pid ${process.ppid}) is writing to ${out}; wait for it to finish, or delete the lock if no such run exists`,
    ]);
    expect(existsSync(join(out, A))).toBe(false);
  });

  test('the lock of a process that is gone is taken over', () => {
    mkdirSync(join(out, '.infra-synth'));
    writeFileSync(join(out, '.infra-synth/lock'), '2147483646\n');
    writeTree(out, files({ [A]: 'a' }));
    expect(existsSync(join(out, A))).toBe(true);
    expect(existsSync(join(out, '.infra-synth/lock'))).toBe(false);
  });
});

describe('planTree', () => {
  test('reports what writeTree then does, and writes nothing', () => {
    writeTree(out, files({ [A]: 'a', [B]: 'b' }));
    const next = files({ [A]: 'a', [B]: 'b2', [C]: 'c' });
    const before = snapshot(out);
    const dirsBefore = folders(out);
    const planned = planTree(out, next);
    expect(snapshot(out)).toEqual(before);
    expect(folders(out)).toEqual(dirsBefore);
    expect(planned).toEqual({ added: [C], changed: [B], removed: [], unchanged: 1 });
    expect(writeTree(out, next)).toEqual(planned);
  });

  test('reports removals as writeTree would', () => {
    writeTree(out, files({ [A]: 'a', [B]: 'b', [C]: 'c' }));
    const planned = planTree(out, files({ [C]: 'c' }), { scope: ['clusters/a/', 'clusters/b/'] });
    expect(planned).toEqual({ added: [], changed: [], removed: [A, B], unchanged: 1 });
    expect(existsSync(join(out, A))).toBe(true);
  });

  test('on a missing out dir, reports everything as added and creates nothing', () => {
    const missing = join(out, 'dist');
    expect(planTree(missing, files({ [A]: 'a' }))).toEqual({ added: [A], changed: [], removed: [], unchanged: 0 });
    expect(existsSync(missing)).toBe(false);
  });

  test('refuses a foreign file in the way, as writeTree would', () => {
    mkdirSync(join(out, 'clusters/a/apps'), { recursive: true });
    writeFileSync(join(out, A), 'x');
    expect(userError(() => planTree(out, files({ [A]: 'a' }))).problems)
      .toEqual([`${join(out, A)}: not generated by infra-synth; move it away or delete it`]);
  });
});
