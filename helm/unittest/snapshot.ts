// helm-unittest's snapshot files (snapshot/cache.go): `__snapshot__/<suite file>.snap` beside the
// suite, a YAML map of test name → {n: text}, where n counts the test's matchSnapshot asserts
// from 1 and the text is the asserted value as yaml.v3 prints it. A snapshot not in the file is
// recorded and passes; the file is written only when asked (`updateSnapshots`) or when new
// snapshots were recorded and writing is allowed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SnapshotComparer, SnapshotResult } from './asserts.js';
import { goRegExp } from './asserts.js';
import { decode, encode, isYamlMap, type YamlValue } from './yamlv3.js';

export function snapshotFileOf(suiteFile: string, snapshotId = ''): string {
  const name = snapshotId ? `${basename(suiteFile)}_${snapshotId}` : basename(suiteFile);
  return join(dirname(suiteFile), '__snapshot__', `${name}.snap`);
}

export class SnapshotCache {
  private readonly cached = new Map<string, Map<number, string>>();
  private readonly current = new Map<string, Map<number, string>>();
  existed = false;
  inserted = 0;
  failed = 0;
  total = 0;

  constructor(readonly file: string, readonly updating = false) {
    if (!existsSync(file)) return;
    const doc = decode(readFileSync(file, 'utf8'));
    if (isYamlMap(doc)) {
      for (const [test, byIndex] of Object.entries(doc)) {
        const m = new Map<number, string>();
        if (isYamlMap(byIndex)) for (const [k, v] of Object.entries(byIndex)) if (typeof v === 'string') m.set(Number(k), v);
        this.cached.set(test, m);
      }
    }
    this.existed = true;
  }

  /** A comparer for one test: it numbers the test's snapshot asserts from 1. */
  comparerFor(test: string): SnapshotComparer {
    let counter = 0;
    return { compare: (content, options) => this.compare(test, ++counter, content, options) };
  }

  private compare(test: string, index: number, content: YamlValue, options: { matchRegex?: string; notMatchRegex?: string }): SnapshotResult {
    this.total++;
    const cached = this.cached.get(test)?.get(index);
    if (cached === undefined) this.inserted++;
    const current = encode(content);
    let match = true;
    let msg = '';
    if (options.matchRegex || options.notMatchRegex) {
      if (options.matchRegex) {
        match = goRegExp(options.matchRegex).test(current);
        if (!match) msg = ` pattern '${options.matchRegex}' not found in snapshot`;
      }
      if (options.notMatchRegex && match && goRegExp(options.notMatchRegex).test(current)) {
        match = false;
        msg = ` pattern '${options.notMatchRegex}' should not be in snapshot`;
      }
    } else if (cached !== undefined && cached !== current) {
      match = false;
      this.failed++;
    }
    const toSave = this.updating || cached === undefined ? current : cached;
    if (!this.current.has(test)) this.current.set(test, new Map());
    this.current.get(test)!.set(index, toSave);
    return { passed: this.updating || match, index, cached: cached ?? '', current, msg };
  }

  private vanished(): number {
    let n = 0;
    for (const [test, m] of this.cached) for (const i of m.keys()) if (!this.current.get(test)?.has(i)) n++;
    return n;
  }

  /** Writes the file when snapshots were updated, added or removed (StoreToFileIfNeeded). */
  store(): boolean {
    if (!(this.updating || this.inserted > 0 || this.vanished() > 0)) return false;
    const doc: Record<string, YamlValue> = {};
    for (const [test, m] of this.current) {
      const byIndex: Record<string, YamlValue> = {};
      for (const [i, s] of m) byIndex[String(i)] = s;
      doc[test] = byIndex;
    }
    mkdirSync(dirname(this.file), { recursive: true });
    // The plugin's map is map[string]map[uint]string: the indexes print as plain ints, not "1".
    writeFileSync(this.file, encode(doc).replace(/^ {2}"(\d+)":/gm, '  $1:'));
    return true;
  }
}
