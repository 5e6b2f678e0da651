import { existsSync } from 'node:fs';
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
