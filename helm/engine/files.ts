// Helm's `.Files`: the chart's non-template files, a Go map (name → []byte) with methods.
//
// Templates use it both ways: `.Files.Get "x"` / `.Files.Glob "x" | .AsConfig` call methods,
// while `.Files.author`, `index .Files "x"` and `range $path, $bytes := .Files.Glob "x"` treat
// it as the map it is (a GoMapType: entries are own enumerable properties, methods live on the
// prototype).
import { GoMapType } from '../template/value.js';
import { compileGlob } from './glob.js';
import { toYAML } from './funcs.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A chart's files are the same bytes render after render (templates, `.Files.Get`, `crds/`):
// each is decoded once, and the same string comes back, so that the caches keyed by text
// downstream compare it by identity.
const decodedTexts = new WeakMap<Uint8Array, string>();

/** The UTF-8 text of a chart file's bytes (invalid sequences as U+FFFD), decoded once per bytes. */
export function fileText(data: Uint8Array): string {
  let text = decodedTexts.get(data);
  if (text === undefined) {
    text = decoder.decode(data);
    decodedTexts.set(data, text);
  }
  return text;
}

export interface NamedFile {
  readonly name: string;
  readonly data: Uint8Array | string;
}

export class Files extends GoMapType {
  static override goMethods: readonly string[] = ['GetBytes', 'Get', 'Glob', 'AsConfig', 'AsSecrets', 'Lines'];

  // A getter, not a field: the own enumerable properties are the files.
  get goTypeName(): string {
    return 'engine.files';
  }

  constructor(from: Iterable<NamedFile> = []) {
    super();
    for (const f of from) {
      Object.defineProperty(this, f.name, {
        value: typeof f.data === 'string' ? encoder.encode(f.data) : f.data,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }

  /** The files as name → bytes (what Go ranges over, in sorted key order). */
  entries(): [string, Uint8Array][] {
    return Object.entries(this) as [string, Uint8Array][];
  }

  private has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this, name) && Object.getOwnPropertyDescriptor(this, name)!.enumerable === true;
  }

  /** The raw bytes; a missing file is an empty []byte, as a template wants. */
  GetBytes(name: string): Uint8Array {
    return this.has(name) ? ((this as unknown as Record<string, Uint8Array>)[name] ?? new Uint8Array()) : new Uint8Array();
  }

  Get(name: string): string {
    return fileText(this.GetBytes(name));
  }

  /** The files whose path matches a gobwas glob; an invalid pattern matches everything (`**`). */
  Glob(pattern: string): Files {
    const re = compileGlob(pattern) ?? /^[\s\S]*$/u;
    return new Files(this.entries().filter(([name]) => re.test(name)).map(([name, data]) => ({ name, data })));
  }

  /** The files as a ConfigMap `data` block: base name → content, as toYaml prints it. */
  AsConfig(): string {
    const m: Record<string, string> = {};
    for (const [name, data] of this.entries()) m[baseName(name)] = fileText(data);
    return toYAML(m);
  }

  /** The files as a Secret `data` block: base name → base64 content. */
  AsSecrets(): string {
    const m: Record<string, string> = {};
    for (const [name, data] of this.entries()) m[baseName(name)] = Buffer.from(data).toString('base64');
    return toYAML(m);
  }

  /** The lines of a file (one trailing newline dropped); a missing file has none. */
  Lines(path: string): string[] {
    if (!this.has(path)) return [];
    let s = this.Get(path);
    if (s.endsWith('\n')) s = s.slice(0, -1);
    return s.split('\n');
  }

  /** encoding/json of a map[string][]byte: each file as base64. */
  toJSON(): Record<string, Uint8Array> {
    return Object.fromEntries(this.entries());
  }
}

// Go's path.Base.
function baseName(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}
