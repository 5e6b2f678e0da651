// Output paths are checked before anything is touched: a bad path is a bug in a chart or an
// overlay, and writing part of a tree before finding it would defeat the all-or-nothing write.
import { UserError } from '../primitives/errors.js';
import type { OutputFile } from './types.js';

/** The tool's own folder in the out dir (record, staging). */
export const STATE_DIR = '.infra-synth';

/** Names that must never be produced as files: they hold git's or the writer's own state. */
const RESERVED = new Set(['.git', STATE_DIR]);

/** Problems with one tree-relative output path, empty when it is fine. */
export function pathProblems(p: string, what = 'output path'): string[] {
  if (p === '') return [`${what} "" is empty`];
  const q = JSON.stringify(p);
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return [`${what} ${q}: must be relative to the out dir, not absolute`];
  if (p.includes('\\')) return [`${what} ${q}: must use "/" separators, not "\\"`];
  const segs = p.split('/');
  if (segs.includes('..')) return [`${what} ${q}: must not contain ".." segments`];
  if (segs.some((s) => s === '' || s === '.')) return [`${what} ${q}: must be a normalized path (no empty or "." segments)`];
  const dotDir = segs.slice(0, -1).find((s) => s.startsWith('.'));
  if (dotDir) return [`${what} ${q}: must not be inside a dot-folder ("${dotDir}/" holds tool state, not manifests)`];
  const last = segs[segs.length - 1];
  if (RESERVED.has(last)) return [`${what} ${q}: "${last}" is reserved for ${last === '.git' ? 'git' : 'infra-synth'}`];
  return [];
}

/** Normalized scope prefixes; a prefix without a trailing "/" still means a whole folder or one file. */
export function checkScope(scope: readonly string[] | undefined): string[] | undefined {
  if (scope === undefined) return undefined;
  const problems = scope.flatMap((s) => pathProblems(s.replace(/\/$/, ''), 'scope prefix'));
  if (problems.length) throw new UserError(problems);
  return [...scope];
}

export function inScope(p: string, scope: readonly string[] | undefined): boolean {
  if (scope === undefined) return true;
  return scope.some((s) => (s.endsWith('/') ? p.startsWith(s) : p === s || p.startsWith(`${s}/`)));
}

/** Throws one UserError listing every bad path or content, duplicate, file/folder clash and out-of-scope path. */
export function validateFiles(files: readonly OutputFile[], scope: readonly string[] | undefined): void {
  checkPaths(files.map((f) => ({ path: f.path, badContent: typeof f.content !== 'string' })), scope);
}

/** validateFiles for what the parts of a streaming write staged (stage.ts), whose text is gone. */
export function validatePaths(entries: ReadonlyArray<{ readonly path: string; readonly state: string }>, scope: readonly string[] | undefined): void {
  checkPaths(entries.map((e) => ({ path: e.path, badContent: e.state === 'invalid' && pathProblems(e.path).length === 0 })), scope);
}

function checkPaths(files: ReadonlyArray<{ readonly path: string; readonly badContent: boolean }>, scope: readonly string[] | undefined): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const f of files) {
    if (f.badContent) problems.push(`output path ${JSON.stringify(f.path)}: content must be a string`);
    const bad = pathProblems(f.path);
    problems.push(...bad);
    if (bad.length) continue;
    if (seen.has(f.path)) dupes.add(f.path);
    seen.add(f.path);
    if (!inScope(f.path, scope)) {
      problems.push(`output path ${JSON.stringify(f.path)} is outside the scope of this run (${scope!.join(', ')})`);
    }
  }
  for (const d of [...dupes].sort()) problems.push(`output path ${JSON.stringify(d)} is produced more than once`);
  const sorted = [...seen].sort();
  // Developers render on macOS too, whose file system would fold such paths into one file.
  const byFolded = new Map<string, string>();
  for (const p of sorted) {
    const folded = p.toLowerCase();
    const other = byFolded.get(folded);
    if (other !== undefined) problems.push(`output paths ${JSON.stringify(other)} and ${JSON.stringify(p)} differ only in letter case (one file on macOS and Windows)`);
    else byFolded.set(folded, p);
  }
  // Each folder of a fleet holds ~150 files: one that is no file is looked up once.
  const folders = new Set<string>();
  for (const p of sorted) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) {
      const dir = p.slice(0, i);
      if (folders.has(dir)) continue;
      if (seen.has(dir)) problems.push(`output path ${JSON.stringify(dir)} is both a file and a folder (of ${JSON.stringify(p)})`);
      else folders.add(dir);
    }
  }
  if (problems.length) throw new UserError(problems);
}
