// Helm's chart loader: a chart directory (walked in lexical order, symlinks followed,
// .helmignore applied) or a .tgz archive becomes a list of files, and LoadFiles sorts those
// into Chart.yaml, values, schema, lock, templates, subcharts (`charts/<dir>` and
// `charts/*.tgz`, recursively) and plain files.

import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { unmarshal } from '../encoding/yaml.js';
import {
  detectContentType,
  GZIP_INVALID_HEADER,
  isGzip,
  loadArchiveFiles,
  MAX_DECOMPRESSED_FILE_SIZE,
  trimBom,
  type ArchiveFile,
} from './archive.js';
import { logf, type Logger } from '../chartutil/log.js';
import { ext } from '../sprig/paths.js';
import { API_VERSION_V1, Chart, Metadata } from './chart.js';
import { HELM_IGNORE, IgnoreRules } from './ignore.js';
import { decodeLock, decodeMetadataInto, validateMetadata } from './metadata.js';

export interface LoadOptions {
  /** Where Helm would log.Printf a warning (deprecated requirements files, symlinks); default: chartutil's logger. */
  readonly warn?: Logger;
}

const textDecoder = new TextDecoder('utf-8');

function text(data: Uint8Array): string {
  return textDecoder.decode(data);
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** values.yaml as Helm reads it into map[string]interface{}: a null document is an empty map. */
function decodeValues(data: Uint8Array, fileName: string): Record<string, unknown> {
  try {
    return (unmarshal(text(data), 'map') as Record<string, unknown> | null) ?? {};
  } catch (e) {
    throw new Error(`cannot load ${fileName}: ${(e as Error).message}`);
  }
}

/** Helm's loader.LoadFiles. */
export function loadFiles(files: readonly ArchiveFile[], options: LoadOptions = {}): Chart {
  const warn = options.warn ?? logf;
  let metadata: Metadata | null = null;
  const chart = new Chart();
  const subcharts = new Map<string, ArchiveFile[]>();

  // Chart.yaml first: the other files' handling depends on its apiVersion.
  for (const f of files) {
    chart.raw.push({ name: f.name, data: f.data });
    if (f.name === 'Chart.yaml') {
      metadata ??= new Metadata();
      decodeMetadataInto(metadata, text(f.data));
      if (metadata.APIVersion === '') metadata.APIVersion = API_VERSION_V1;
    }
  }
  for (const f of files) {
    const name = f.name;
    if (name === 'Chart.yaml') continue;
    if (name === 'Chart.lock') {
      chart.lock = decodeLock(text(f.data), 'Chart.lock');
    } else if (name === 'values.yaml') {
      chart.values = decodeValues(f.data, 'values.yaml');
    } else if (name === 'values.schema.json') {
      chart.schema = f.data;
    } else if (name === 'requirements.yaml') {
      metadata ??= new Metadata();
      if (metadata.APIVersion !== API_VERSION_V1) {
        warn('Warning: Dependencies are handled in Chart.yaml since apiVersion "v2". We recommend migrating dependencies to Chart.yaml.', 'load.go:120');
      }
      decodeMetadataInto(metadata, text(f.data), 'requirements.yaml');
      if (metadata.APIVersion === API_VERSION_V1) chart.files.push({ name, data: f.data });
    } else if (name === 'requirements.lock') {
      chart.lock = decodeLock(text(f.data), 'requirements.lock');
      metadata ??= new Metadata();
      if (metadata.APIVersion !== API_VERSION_V1) {
        warn('Warning: Dependency locking is handled in Chart.lock since apiVersion "v2". We recommend migrating to Chart.lock.', 'load.go:138');
      }
      if (metadata.APIVersion === API_VERSION_V1) chart.files.push({ name, data: f.data });
    } else if (name.startsWith('templates/')) {
      chart.templates.push({ name, data: f.data });
    } else if (name.startsWith('charts/')) {
      if (ext(name) === '.prov') {
        chart.files.push({ name, data: f.data });
        continue;
      }
      const inCharts = name.slice('charts/'.length);
      const subchartName = inCharts.split('/', 1)[0]!;
      const list = subcharts.get(subchartName) ?? [];
      list.push({ name: inCharts, data: f.data });
      subcharts.set(subchartName, list);
    } else {
      chart.files.push({ name, data: f.data });
    }
  }

  if (metadata === null) throw new Error('Chart.yaml file is missing');
  chart.metadata = metadata;
  validateMetadata(metadata);

  for (const [subchartName, subFiles] of subcharts) {
    if (subchartName.startsWith('_') || subchartName.startsWith('.')) continue;
    let sub: Chart;
    try {
      if (ext(subchartName) === '.tgz') {
        const file = subFiles[0]!;
        if (file.name !== subchartName) {
          throw new Error(`error unpacking subchart tar in ${chart.name()}: expected ${subchartName}, got ${file.name}`);
        }
        sub = loadArchive(file.data, undefined, options);
      } else {
        const inner: ArchiveFile[] = [];
        for (const f of subFiles) {
          const slash = f.name.indexOf('/');
          if (slash === -1) continue;
          inner.push({ name: f.name.slice(slash + 1), data: f.data });
        }
        sub = loadFiles(inner, options);
      }
    } catch (e) {
      if ((e as Error).message.startsWith('error unpacking subchart tar in')) throw e;
      throw new Error(`error unpacking subchart ${subchartName} in ${chart.name()}: ${(e as Error).message}`);
    }
    chart.addDependency(sub);
  }
  return chart;
}

/** Helm's loader.LoadArchive on the bytes of a .tgz. */
export function loadArchive(bytes: Uint8Array, name?: string, options: LoadOptions = {}): Chart {
  if (name !== undefined && !isGzip(bytes)) {
    if (name.endsWith('.yml') || name.endsWith('.yaml')) {
      throw new Error(`file '${name}' seems to be a YAML file, but expected a gzipped archive`);
    }
    throw new Error(`file '${name}' does not appear to be a gzipped archive; got '${detectContentType(bytes)}'`);
  }
  let files: ArchiveFile[];
  try {
    files = loadArchiveFiles(bytes);
  } catch (e) {
    if (name !== undefined && (e as Error).message === GZIP_INVALID_HEADER) {
      throw new Error(`file '${name}' does not appear to be a valid chart file (details: ${GZIP_INVALID_HEADER})`);
    }
    throw e;
  }
  return loadFiles(files, options);
}

/** os.Stat with Go's error text. */
function goStat(path: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`stat ${path}: no such file or directory`);
    if (code === 'EACCES') throw new Error(`stat ${path}: permission denied`);
    throw e;
  }
}

/** Helm's loader.LoadDir: the directory's files, minus what .helmignore (and templates/.*) excludes. */
export function loadDir(dir: string, options: LoadOptions = {}): Chart {
  const warn = options.warn ?? logf;
  const top = resolve(dir);
  let rules = IgnoreRules.empty();
  const ignorePath = join(top, HELM_IGNORE);
  if (existsSync(ignorePath)) rules = IgnoreRules.parse(readFileSync(ignorePath, 'utf8'));
  rules.addDefaults();

  const files: ArchiveFile[] = [];
  // `rel` is the slash path under the chart root; `real` is where to read (symlinks resolved).
  const visit = (absolute: string, rel: string, real: string, isDir: boolean, isFile: boolean, size: number) => {
    if (isDir) {
      if (rel !== '' && rules.ignore(rel, true)) return;
      const names = readdirSync(real).sort(byteCompare);
      for (const entry of names) walk(join(absolute, entry), rel === '' ? entry : `${rel}/${entry}`, join(real, entry));
      return;
    }
    if (rules.ignore(rel, false)) return;
    if (!isFile) throw new Error(`cannot load irregular file ${absolute} as it has file mode type bits set`);
    if (size > MAX_DECOMPRESSED_FILE_SIZE) {
      const base = absolute.slice(absolute.lastIndexOf('/') + 1);
      throw new Error(`chart file "${base}" is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`);
    }
    let data: Uint8Array;
    try {
      data = new Uint8Array(readFileSync(real));
    } catch (e) {
      throw new Error(`error reading ${rel}: ${(e as Error).message}`);
    }
    files.push({ name: rel, data: trimBom(data) });
  };
  const walk = (absolute: string, rel: string, real: string) => {
    const info = lstatSync(real);
    if (info.isSymbolicLink()) {
      let resolved: string;
      try {
        resolved = realpathSync(real);
      } catch (e) {
        throw new Error(`error evaluating symlink ${absolute}: ${(e as Error).message}`);
      }
      warn(`found symbolic link in path: ${absolute} resolves to ${resolved}. Contents of linked file included and used`, 'walk.go:75');
      const target = lstatSync(resolved);
      visit(absolute, rel, resolved, target.isDirectory(), target.isFile(), target.size);
      return;
    }
    visit(absolute, rel, real, info.isDirectory(), info.isFile(), info.size);
  };

  if (!goStat(top).isDirectory()) throw new Error(`${top} is not a directory`);
  walk(top, '', top);
  return loadFiles(files, options);
}

/** Helm's loader.LoadFile: a chart archive on disk. */
export function loadFile(path: string, options: LoadOptions = {}): Chart {
  if (goStat(path).isDirectory()) throw new Error('cannot load a directory');
  return loadArchive(new Uint8Array(readFileSync(path)), path, options);
}

/** Helm's loader.Load: a chart directory or a chart archive. */
export function loadChart(path: string, options: LoadOptions = {}): Chart {
  return goStat(path).isDirectory() ? loadDir(path, options) : loadFile(path, options);
}
