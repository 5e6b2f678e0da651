// The per-cluster half of a streaming write (see stream.ts): hashes each file of one part of the
// tree (a cluster), compares it with what is on disk and stages the new or changed ones, so that
// their text can be dropped as soon as the part is rendered. It runs in whichever thread rendered
// the part (a render worker, or the main thread) and touches nothing outside the staging folder;
// every decision that needs the whole tree (foreign files, prunes, the record) is the main
// thread's, from what this returns (plan.ts).
import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { pathProblems } from './paths.js';
import { sha256 } from './record.js';
import type { OutputFile } from './types.js';

/** Where a part stages its files; plain data, so that it crosses to a worker thread. */
export interface StageTarget {
  /** The out dir whose files the staged ones replace. */
  readonly outDir: string;
  /**
   * Folder the new and changed files are copied into (the write's `.infra-synth/staging/files`).
   * @default - none: a dry run (`synth --check`) that compares and hashes only
   */
  readonly filesDir?: string;
  /** fsync each staged file (WriteOptions.fsync). @default false */
  readonly fsync?: boolean;
}

/** What a part's file is, against the out dir; small, so that every file of a fleet can be kept. */
export interface StagedFile {
  readonly path: string;
  /** sha256 (hex) of the content: what the record keeps. Empty for an invalid file. */
  readonly sha256: string;
  /**
   * On disk: `absent` (nothing there), `same` (a file with these bytes), `differs` (another file,
   * or a symlink), `folder` (a folder stands there), `invalid` (a bad path or content: not looked at).
   */
  readonly state: 'absent' | 'same' | 'differs' | 'folder' | 'invalid';
  /** The first ancestor of the path that exists and is not a real folder (then `state` is `absent`). */
  readonly blocker?: string;
  /** Where the content was staged, relative to the staging folder (`files/<part>.<n>`); absent and differing files only. */
  readonly staged?: string;
}

const MISSING = Symbol('missing');

function writeFile(file: string, content: string, sync: boolean): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, content);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Hashes, compares and (unless dry) stages one part's files. `part` must be unique within the
 * write: it names the staged copies. Reads the out dir with lstat only, so that a symlink in the
 * tree never leads a read or a write out of it.
 */
export function stageFiles(target: StageTarget, part: number, files: readonly OutputFile[]): StagedFile[] {
  const lstats = new Map<string, Stats | undefined>();
  const lst = (rel: string): Stats | undefined => {
    if (!lstats.has(rel)) {
      let st: Stats | undefined;
      try {
        st = lstatSync(join(target.outDir, rel));
      } catch {
        st = undefined;
      }
      lstats.set(rel, st);
    }
    return lstats.get(rel);
  };
  /** The first ancestor that is not a real folder, or `missing` when one does not exist (nor then does the path). */
  const blocker = (rel: string): string | typeof MISSING | undefined => {
    const segs = rel.split('/');
    for (let i = 1; i < segs.length; i++) {
      const a = segs.slice(0, i).join('/');
      const st = lst(a);
      if (st === undefined) return MISSING; // the rest does not exist either
      if (!st.isDirectory()) return a;
    }
    return undefined;
  };
  let n = 0;
  const stage = (content: string): string | undefined => {
    if (target.filesDir === undefined) return undefined;
    const name = `${part}.${n++}`;
    writeFile(join(target.filesDir, name), content, target.fsync ?? false);
    return `files/${name}`;
  };
  return files.map((f): StagedFile => {
    // A bad path is reported by the main thread (paths.ts) and never looked up: "../x" is not ours to read.
    if (typeof f.content !== 'string' || pathProblems(f.path).length) return { path: f.path, sha256: '', state: 'invalid' };
    const hash = sha256(f.content);
    const b = blocker(f.path);
    // A fresh tree: no lstat per file, once its folder is known to be missing.
    if (b === MISSING) return { path: f.path, sha256: hash, state: 'absent', staged: stage(f.content) };
    if (b !== undefined) return { path: f.path, sha256: hash, state: 'absent', blocker: b, staged: stage(f.content) };
    const st = lst(f.path);
    if (st === undefined) return { path: f.path, sha256: hash, state: 'absent', staged: stage(f.content) };
    if (st.isDirectory()) return { path: f.path, sha256: hash, state: 'folder' };
    if (st.isFile() && st.size === Buffer.byteLength(f.content) && readFileSync(join(target.outDir, f.path)).equals(Buffer.from(f.content))) {
      return { path: f.path, sha256: hash, state: 'same' };
    }
    return { path: f.path, sha256: hash, state: 'differs', staged: stage(f.content) };
  });
}
