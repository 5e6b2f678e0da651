// Reading a chart archive (.tgz) in memory, as Helm's loader.LoadArchiveFiles does: gunzip,
// walk the tar entries (ustar, pax and GNU long names, as Go's archive/tar reads them), drop the
// top-level folder from every path, and refuse what Helm refuses — absolute paths, `..`,
// drive letters, a Chart.yaml outside a folder, files over 5 MiB, charts over 100 MiB.

import { gunzipSync } from 'node:zlib';
import { clean } from '../sprig/paths.js';

/** Helm's loader.MaxDecompressedChartSize. */
export const MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024;
/** Helm's loader.MaxDecompressedFileSize. */
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export interface ArchiveFile {
  name: string;
  data: Uint8Array;
}

/** A raw tar entry after pax/GNU extensions are applied. */
interface TarEntry {
  name: string;
  typeflag: string;
  mode: number;
  size: number;
  data: Uint8Array;
}

/** Go's gzip.ErrHeader text; LoadFile turns it into "does not appear to be a valid chart file". */
export const GZIP_INVALID_HEADER = 'gzip: invalid header';

export function trimBom(data: Uint8Array): Uint8Array {
  return data.length >= 3 && data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2]
    ? data.subarray(3)
    : data;
}

function gunzip(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 10 || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 0x08) {
    throw new Error(GZIP_INVALID_HEADER);
  }
  try {
    // The chart limit applies to file contents; tar headers and padding need room on top.
    return gunzipSync(bytes, { maxOutputLength: 2 * MAX_DECOMPRESSED_CHART_SIZE });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test((e as Error).message)) {
      throw new Error(`decompressed chart is larger than the maximum file size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    }
    if (code === 'Z_BUF_ERROR') throw new Error('unexpected EOF');
    if (code === 'Z_DATA_ERROR' && /check/.test((e as Error).message)) throw new Error('gzip: invalid checksum');
    throw new Error(`flate: corrupt input (${(e as Error).message})`);
  }
}

const decoder = new TextDecoder('utf-8');

function cString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return decoder.decode(nul === -1 ? field : field.subarray(0, nul));
}

/** A numeric header field: octal text, or base-256 when the high bit of the first byte is set. */
function parseNumeric(block: Uint8Array, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if (field[0]! & 0x80) {
    let n = BigInt(field[0]! & 0x7f);
    for (let i = 1; i < field.length; i++) n = (n << 8n) | BigInt(field[i]!);
    return Number(n);
  }
  const text = cString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error('archive/tar: invalid header');
  return parseInt(text, 8);
}

function verifyChecksum(block: Uint8Array): void {
  const stored = parseNumeric(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored !== unsigned && stored !== signed) throw new Error('archive/tar: invalid header');
}

/** PAX records: "%d %s=%s\n". */
function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) throw new Error('archive/tar: invalid header');
    const length = Number(decoder.decode(data.subarray(pos, space)));
    if (!Number.isInteger(length) || length <= 0 || pos + length > data.length) throw new Error('archive/tar: invalid header');
    const record = decoder.decode(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf('=');
    if (eq === -1) throw new Error('archive/tar: invalid header');
    records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}

/** The entries Go's tar.Reader.Next returns: pax 'x' and GNU 'L'/'K' headers are folded into the next entry. */
function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  let pax: Map<string, string> | null = null;
  let longName: string | null = null;
  while (true) {
    if (pos + 512 > tar.length) {
      if (pos === tar.length) break;
      throw new Error('unexpected EOF');
    }
    const block = tar.subarray(pos, pos + 512);
    if (block.every((b) => b === 0)) {
      const next = tar.subarray(pos + 512, pos + 1024);
      if (next.length === 0 || next.every((b) => b === 0)) break;
      throw new Error('archive/tar: invalid header');
    }
    verifyChecksum(block);
    let typeflag = String.fromCharCode(block[156]!);
    const magic = cString(block, 257, 6);
    const version = decoder.decode(block.subarray(263, 265));
    let name = cString(block, 0, 100);
    if (magic === 'ustar' && version === '00') {
      const prefix = cString(block, 345, 155);
      if (prefix !== '') name = `${prefix}/${name}`;
    }
    let size = parseNumeric(block, 124, 12);
    const mode = parseNumeric(block, 100, 8);
    const dataStart = pos + 512;
    if (pax?.has('size')) size = Number(pax.get('size'));
    if (dataStart + size > tar.length) throw new Error('unexpected EOF');
    const data = tar.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / 512) * 512;

    if (typeflag === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (typeflag === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (typeflag === 'K') continue;
    if (longName !== null) name = longName;
    if (pax?.has('path')) name = pax.get('path')!;
    if (typeflag === '\0') typeflag = name.endsWith('/') ? '5' : '0';
    entries.push({ name, typeflag, mode, size, data });
    pax = null;
    longName = null;
  }
  return entries;
}

const C_ISDIR = 0o40000;
const DRIVE_PATH = /^[a-zA-Z]:\//;

/** Helm's LoadArchiveFiles: the archive's files, the top folder stripped from their names. */
export function loadArchiveFiles(bytes: Uint8Array): ArchiveFile[] {
  const entries = readTar(gunzip(bytes));
  const files: ArchiveFile[] = [];
  let remaining = MAX_DECOMPRESSED_CHART_SIZE;
  for (const entry of entries) {
    if (entry.typeflag === '5' || (entry.mode & 0o170000) === C_ISDIR) continue;
    if (entry.typeflag === 'g') continue;

    const delimiter = entry.name.includes('\\') ? '\\' : '/';
    const parts = entry.name.split(delimiter);
    let name = parts.slice(1).join(delimiter).split(delimiter).join('/');
    if (name.startsWith('/')) throw new Error('chart illegally contains absolute paths');
    name = clean(name);
    if (name === '.') {
      throw new Error(`chart illegally contains content outside the base directory: ${JSON.stringify(entry.name)}`);
    }
    if (name.startsWith('..')) throw new Error('chart illegally references parent directory');
    if (DRIVE_PATH.test(name)) throw new Error('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') throw new Error('chart yaml not in base directory');
    if (entry.size > remaining) {
      throw new Error(`decompressed chart is larger than the maximum file size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    }
    if (entry.size > MAX_DECOMPRESSED_FILE_SIZE) {
      throw new Error(
        `decompressed chart file ${JSON.stringify(entry.name)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`,
      );
    }
    remaining -= entry.data.length;
    if (entry.data.length < entry.size || remaining <= 0) {
      throw new Error(`decompressed chart is larger than the maximum file size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    }
    files.push({ name, data: trimBom(entry.data) });
  }
  if (files.length === 0) throw new Error('no files in chart archive');
  return files;
}

/** The first bytes say gzip (what Helm's ensureArchive checks before loading a file). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

/** A rough http.DetectContentType for the error naming what a non-archive file looks like. */
export function detectContentType(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 512);
  if (head.length === 0) return 'text/plain; charset=utf-8';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'application/zip';
  if (head.some((b) => b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b))) return 'application/octet-stream';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)));
    return 'text/plain; charset=utf-8';
  } catch {
    return 'application/octet-stream';
  }
}
