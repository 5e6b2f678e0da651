// The record of generated files (projen's model): it is what lets the writer prune its own
// orphans and never touch anything else. It is committed along with the tree (a fresh clone
// must know what it generated), so its bytes are deterministic: sorted paths, fixed layout.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { STATE_DIR, pathProblems } from './paths.js';

export const RECORD_FILE = `${STATE_DIR}/generated.json`;
const VERSION = 1;

/** path → sha256 (hex) of the content written there. */
export type Record = ReadonlyMap<string, string>;

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The record's bytes: `JSON.stringify({ generator, version, files }, null, 2)` with the paths
 * sorted, written line by line (a fleet's record has 150,000 paths; building the object and
 * stringifying it took 0.45 s of the commit). As in a JS object, paths that are array indices
 * ("7") come first, in numeric order.
 */
export function serializeRecord(files: Record): string {
  const paths = [...files.keys()];
  const indices = paths.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  const names = paths.filter((p) => !isArrayIndex(p)).sort();
  const lines = [...indices, ...names].map((p) => `    ${JSON.stringify(p)}: ${JSON.stringify(files.get(p))}`);
  const body = lines.length ? `{\n${lines.join(',\n')}\n  }` : '{}';
  return `{\n  "generator": "infra-synth",\n  "version": ${VERSION},\n  "files": ${body}\n}\n`;
}

/** A property name that JS objects order before the others: a canonical integer below 2^32 - 1. */
const isArrayIndex = (p: string) => /^(0|[1-9][0-9]*)$/.test(p) && Number(p) < 4294967295;

export function parseRecord(text: string, where: string): Map<string, string> {
  const bad = (why: string) =>
    new UserError(`${where}: not a valid infra-synth record (${why}); restore it from version control or remove the files it listed together with it`);
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON: ${(e as Error).message}`);
  }
  if (data?.generator !== 'infra-synth' || data?.version !== VERSION) throw bad(`expected "generator": "infra-synth" and "version": ${VERSION}`);
  if (typeof data.files !== 'object' || data.files === null || Array.isArray(data.files)) throw bad('"files" must be an object of path → sha256');
  const out = new Map<string, string>();
  for (const [p, h] of Object.entries(data.files)) {
    const problems = pathProblems(p, 'recorded path');
    if (problems.length) throw bad(problems[0]);
    if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) throw bad(`"files"."${p}" must be a sha256 in hex`);
    out.set(p, h);
  }
  return out;
}

/** The record of `outDir`, or undefined when it has none. */
export function readRecord(outDir: string): Map<string, string> | undefined {
  const file = join(outDir, RECORD_FILE);
  if (!existsSync(file)) return undefined;
  return parseRecord(readFileSync(file, 'utf8'), file);
}
