import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KINDS, type KindEntry } from './generated/index.js';

/** One error as the generated ajv code reports it (`messages: false`: keyword + params only). */
export interface AjvError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Record<string, any>;
}

/** A generated standalone validator: returns validity, leaves the errors on `.errors`. */
export interface Validator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

export type { KindEntry };

/** `group/version/Kind` (`version/Kind` for the core group), as the generated index keys it. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

export function kindEntry(key: string): KindEntry | undefined {
  return Object.hasOwn(KINDS, key) ? KINDS[key] : undefined;
}

export function allKindKeys(): string[] {
  return Object.keys(KINDS).sort();
}

// The generated modules are loaded from disk, not bundled: from validate/loader.ts (tests,
// tsc) and from build/cli.mjs (esbuild bundle) alike, so look for the folder upwards.
let generatedDir: string | undefined;
function findGeneratedDir(): string {
  if (generatedDir) return generatedDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, 'generated'), join(dir, 'validate', 'generated')]) {
      if (existsSync(join(candidate, 'index.js'))) return (generatedDir = candidate);
    }
    dir = dirname(dir);
  }
  throw new Error(`validate/generated/ not found above ${fileURLToPath(import.meta.url)}: run npm run gen:schemas`);
}

const modules = new Map<string, Promise<Record<string, Validator>>>();

/** Imports a generated module once; concurrent callers share the same import. */
function loadModule(file: string): Promise<Record<string, Validator>> {
  let m = modules.get(file);
  if (!m) {
    m = import(pathToFileURL(join(findGeneratedDir(), file)).href) as Promise<Record<string, Validator>>;
    modules.set(file, m);
  }
  return m;
}

/** The validator of one known kind (see kindEntry), loading its module on first use. */
export async function loadValidator(entry: KindEntry): Promise<Validator> {
  const mod = await loadModule(entry.module);
  const v = mod[entry.export];
  if (typeof v !== 'function') throw new Error(`validate/generated/${entry.module} has no export ${entry.export}: run npm run gen:schemas`);
  return v;
}

/**
 * The shape of a schema as `<module>.fields.json` records it: 0 (nothing to descend into), a
 * definition name (see FieldTree.defs), or {p: properties, i: items, a: map values, x/xo: fields
 * of which one may be set}.
 */
export type FieldNode = 0 | string | { p?: Record<string, FieldNode>; i?: FieldNode; a?: FieldNode; x?: string[]; xo?: 1 };

/** What the schema says about the object at one path, for messages. */
export interface FieldHints {
  /** Fields it allows. */
  readonly fields?: string[];
  /** Fields of which one (`atMostOne`: at most one) may be set. */
  readonly exclusive?: { readonly fields: string[]; readonly atMostOne: boolean };
}
/** Every definition a module's validators use (by name), and the root node of each export. */
export interface FieldTree { readonly defs: Record<string, FieldNode>; readonly exports: Record<string, FieldNode> }
const fieldTrees = new Map<string, FieldTree | null>();

/** The field tree of a kind's module (`<module>.fields.json`), read once; undefined when absent. */
export function fieldTree(entry: KindEntry): FieldTree | undefined {
  const file = entry.module.replace(/\.js$/, '.fields.json');
  if (!fieldTrees.has(file)) {
    try {
      fieldTrees.set(file, JSON.parse(readFileSync(join(findGeneratedDir(), file), 'utf8')) as FieldTree);
    } catch {
      fieldTrees.set(file, null); // hints are optional: the error stands without them
    }
  }
  return fieldTrees.get(file) ?? undefined;
}

/**
 * What the schema says about the object at `pointer` (a JSON pointer into `data`), from the
 * generated `<module>.fields.json`; undefined when unknown. Read only to explain an error.
 */
export function fieldHints(entry: KindEntry, data: unknown, pointer: string): FieldHints | undefined {
  const tree = fieldTree(entry);
  if (!tree) return undefined;
  const deref = (n: FieldNode | undefined): Exclude<FieldNode, string> | undefined => (typeof n === 'string' ? deref(tree.defs[n]) : n);
  let node = deref(tree.exports[entry.export]);
  let cur: any = data;
  for (const raw of pointer ? pointer.slice(1).split('/') : []) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node) return undefined;
    node = deref(Array.isArray(cur) ? node.i : node.p?.[key] ?? node.a);
    cur = cur != null && typeof cur === 'object' ? cur[key] : undefined;
  }
  if (!node) return undefined;
  return {
    ...(node.p ? { fields: Object.keys(node.p) } : {}),
    ...(node.x ? { exclusive: { fields: node.x, atMostOne: node.xo === 1 } } : {}),
  };
}
