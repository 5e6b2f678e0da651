// `helm package`, deterministically: a chart folder becomes `<chart name>/<path>` file entries
// (no folder entries, mode 0644, as Helm's chartutil.Save writes them) in a ustar archive, after
// the chart's .helmignore (and Helm's default `templates/.?*`) has dropped what the published
// package would not hold. Unlike Helm, entries are sorted, owners and times are zero and the
// gzip stream uses stored (uncompressed) deflate blocks: the same folder gives the same bytes on
// every machine and every Node/zlib version, so a digest in the lock file holds in CI and on
// laptops. The price is size (a cached chart is as large as its files).
import { crc32 } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_IGNORE, IgnoreRules } from '../chart/ignore.js';

export interface PackageFile {
  /** Slash-separated path relative to the chart root. */
  readonly name: string;
  readonly data: Uint8Array;
}

/** The files of the chart folder `dir` that `helm package` would put into the archive. */
export function chartFolderFiles(dir: string): PackageFile[] {
  const ignoreFile = join(dir, HELM_IGNORE);
  const rules = existsSync(ignoreFile) ? IgnoreRules.parse(readFileSync(ignoreFile, 'utf8')) : IgnoreRules.empty();
  rules.addDefaults();
  const files: PackageFile[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(rel ? join(dir, rel) : dir).sort()) {
      const path = rel ? `${rel}/${entry}` : entry;
      // statSync follows symlinks, as Helm's sympath.Walk does.
      const isDir = statSync(join(dir, path)).isDirectory();
      if (rules.ignore(path, isDir)) continue;
      if (isDir) walk(path);
      else files.push({ name: path, data: readFileSync(join(dir, path)) });
    }
  };
  walk('');
  return files;
}

const encoder = new TextEncoder();

function writeString(block: Uint8Array, offset: number, length: number, text: string): void {
  block.set(encoder.encode(text).subarray(0, length), offset);
}

function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function header(name: string, size: number, typeflag: string, prefix = ''): Uint8Array {
  const block = new Uint8Array(512);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 0);
  block.fill(0x20, 148, 156);
  writeString(block, 156, 1, typeflag);
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const b of block) sum += b;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** ustar splits a long path into prefix (≤155 bytes) + name (≤100 bytes) at a slash. */
function splitUstar(path: string): { prefix: string; name: string } | undefined {
  if (!/^[\x20-\x7e]*$/.test(path)) return undefined;
  if (path.length <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    if (i <= 155 && path.length - i - 1 <= 100) return { prefix: path.slice(0, i), name: path.slice(i + 1) };
  }
  return undefined;
}

/** A PAX record "<len> path=<value>\n", whose length counts its own digits. */
function paxRecord(key: string, value: string): Uint8Array {
  const body = encoder.encode(` ${key}=${value}\n`);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return encoder.encode(`${len} ${key}=${value}\n`);
}

const pad = (n: number) => new Uint8Array((512 - (n % 512)) % 512);

/** A ustar archive of `files` (in the given order), pax records for names ustar cannot hold. */
export function tarFiles(files: readonly PackageFile[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    const split = splitUstar(f.name);
    if (split) {
      parts.push(header(split.name, f.data.length, '0', split.prefix));
    } else {
      const record = paxRecord('path', f.name);
      parts.push(header('PaxHeaders/entry', record.length, 'x'), record, pad(record.length));
      parts.push(header(encoder.encode(f.name).length <= 100 ? f.name : f.name.slice(-99), f.data.length, '0'));
    }
    parts.push(f.data, pad(f.data.length));
  }
  parts.push(new Uint8Array(1024));
  return concat(parts);
}

/** gzip (RFC 1952) with stored deflate blocks: no compression, the same bytes everywhere. */
export function gzipStored(data: Uint8Array): Uint8Array {
  const MAX = 0xffff;
  const blocks = Math.max(1, Math.ceil(data.length / MAX));
  const out = new Uint8Array(10 + blocks * 5 + data.length + 8);
  // Magic, deflate, no flags, mtime 0, no extra flags, OS unknown.
  out.set([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
  const view = new DataView(out.buffer);
  let pos = 10;
  for (let i = 0; i < blocks; i++) {
    const chunk = data.subarray(i * MAX, (i + 1) * MAX);
    out[pos] = i === blocks - 1 ? 1 : 0;
    view.setUint16(pos + 1, chunk.length, true);
    view.setUint16(pos + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, pos + 5);
    pos += 5 + chunk.length;
  }
  view.setUint32(pos, crc32(data), true);
  view.setUint32(pos + 4, data.length >>> 0, true);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** The `.tgz` of a chart named `chartName` made of `files`: entries `<chartName>/<name>`, sorted. */
export function packageChart(chartName: string, files: readonly PackageFile[]): Uint8Array {
  const entries = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => ({ name: `${chartName}/${f.name}`, data: f.data }));
  return gzipStored(tarFiles(entries));
}
