// Generates validate/generated/: ajv standalone validators (ESM) for every apiVersion/kind of
// Kubernetes 1.28 (../shared/schemas/k8s-1.28/_definitions.json) and every served version of every
// CRD in ../shared/crds/*.yaml, so that a clone validates without ../shared.
//   npm run gen:schemas         (INFRA_SYNTH_SHARED overrides ../shared, OUT_DIR overrides validate/generated)
//
// Strictness follows `kubectl apply --validate=strict`: an object schema that lists properties
// (or, in a CRD, any object schema) rejects unknown keys unless it says
// x-kubernetes-preserve-unknown-fields or additionalProperties. Output is deterministic: the
// freshness test (test/validate/freshness.test.ts) regenerates into a temp dir and compares bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _ } from 'ajv';
import { _Code } from 'ajv/dist/compile/codegen/code.js';
import { UsedValueState } from 'ajv/dist/compile/codegen/scope.js';
import yaml from 'js-yaml';
import { convert, convertCrdRoot, fieldTree, newAjv, OBJECT_META } from '../validate/schema-conversion.js';

// Tests import the conversion from here as well as from validate/.
export { convert, convertCrdRoot };

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = resolve(process.env.INFRA_SYNTH_SHARED ?? join(ROOT, '..', 'shared'));
const OUT = resolve(process.env.OUT_DIR ?? join(ROOT, 'validate', 'generated'));
const DEFS_FILE = join(SHARED, 'schemas', 'k8s-1.28', '_definitions.json');
const CRDS_DIR = join(SHARED, 'crds');

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const gvkKey = (group, version, kind) => `${group ? `${group}/` : ''}${version}/${kind}`;

function loadInputs() {
  const defsText = readFileSync(DEFS_FILE, 'utf8');
  const rawDefs = JSON.parse(defsText).definitions;
  const defs = {};
  for (const name of Object.keys(rawDefs).sort()) {
    defs[name] = convert(rawDefs[name], { crd: false, junctor: false }, name);
  }
  // The server parses quantities ("500m", "1Gi"): check their shape, not only "string".
  const q = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  defs[q] = { type: ['string', 'number'], format: 'k8s-quantity' };

  const sources = [{ file: 'schemas/k8s-1.28/_definitions.json', sha256: sha256(defsText) }];
  const core = [];
  for (const name of Object.keys(rawDefs).sort()) {
    for (const g of rawDefs[name]['x-kubernetes-group-version-kind'] ?? []) {
      const metaRef = rawDefs[name].properties?.metadata?.$ref;
      core.push({ key: gvkKey(g.group, g.version, g.kind), def: name, named: metaRef === OBJECT_META });
    }
  }

  const crds = [];
  const crdFiles = readdirSync(CRDS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const file of crdFiles) {
    const text = readFileSync(join(CRDS_DIR, file), 'utf8');
    sources.push({ file: `crds/${file}`, sha256: sha256(text) });
    for (const doc of yaml.loadAll(text)) {
      if (!doc || doc.kind !== 'CustomResourceDefinition') continue;
      const { group, names } = doc.spec;
      for (const v of doc.spec.versions) {
        if (!v.served) continue;
        const where = `${file}: ${group}/${v.name}/${names.kind}`;
        const schema = v.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`${where}: no openAPIV3Schema`);
        crds.push({ key: gvkKey(group, v.name, names.kind), group, kind: names.kind, file, schema: convertCrdRoot(schema, where) });
      }
    }
  }
  return { defs, core, crds, sources };
}

/**
 * Compiles `roots` (definition name → schema, merged into the k8s definitions) in ONE ajv root
 * schema, so that every $ref (ObjectMeta, PodSpec, ...) compiles to one shared function, and
 * returns the ESM module text exporting one validator per entry of `exportsByDef`.
 */
function buildModule(defs, roots, exportsByDef, header) {
  const ajv = newAjv({ source: true, esm: true, lines: true, optimize: true, formats: _`formats` });
  const names = [...exportsByDef.keys()];
  const rootSchema = {
    $id: 'm',
    definitions: { ...defs, ...roots },
    properties: Object.fromEntries(names.map((n, i) => [String(i), { $ref: `#/definitions/${n}` }])),
  };
  const env = ajv.compile(rootSchema).schemaEnv;

  // ajv's standaloneCode() repeats a function exported under two names; this is its
  // multi-export loop with one shared record of emitted values.
  const used = {};
  const parts = [];
  const emit = (source) => {
    const set = (used[source.validateName.prefix] ??= new Map());
    if (set.get(source.validateName) === UsedValueState.Completed) return '';
    set.set(source.validateName, UsedValueState.Started);
    const scope = ajv.scope.scopeCode(source.scopeValues, used, (n) => {
      const ref = n.value?.ref;
      if (n.prefix === 'validate' && typeof ref === 'function') return new _Code(emit(ref.source));
      if ((n.prefix === 'root' || n.prefix === 'wrapper') && typeof ref === 'object') {
        const wrapper = `const ${n} = {validate: ${ref.validateName}};`;
        // A recursive schema (JSONSchemaProps) refers to itself while being emitted.
        if (used.validate?.get(ref.validateName) === UsedValueState.Started) return new _Code(wrapper);
        return new _Code(`${wrapper}\n${emit(ref.validate.source)}`);
      }
      return undefined;
    });
    let code = `${scope}\n${source.validateCode}`;
    if (source.evaluated) code += `\n${source.validateName}.evaluated = ${JSON.stringify(source.evaluated)};`;
    set.set(source.validateName, UsedValueState.Completed);
    return code;
  };
  for (const name of names) {
    const sch = env.refs[`m#/definitions/${name}`];
    const fn = typeof sch === 'function' ? sch : sch?.validate;
    if (!fn?.source) throw new Error(`internal: ${name} did not compile to its own function`);
    parts.push(emit(fn.source));
    for (const exp of exportsByDef.get(name)) parts.push(`export { ${fn.source.validateName} as ${exp} };`);
  }
  return [
    header,
    `import { createRequire } from 'node:module';`,
    `import { formats } from '../formats.js';`,
    `const require = createRequire(import.meta.url);`,
    ...parts.filter(Boolean),
    '',
  ].join('\n');
}

function main() {
  const started = Date.now();
  const { defs, core, crds, sources } = loadInputs();
  const header = (what) => `// Generated by scripts/gen-schemas.mjs (npm run gen:schemas): ${what}. Do not edit.\n/* eslint-disable */`;
  const index = {};
  const modules = new Map(); // file name → text

  // Core Kubernetes: one module, because apps/batch/core share PodSpec and friends.
  {
    const exportsByDef = new Map();
    for (const c of core) {
      if (!exportsByDef.has(c.def)) exportsByDef.set(c.def, [`v${exportsByDef.size}`]);
      index[c.key] = { module: 'k8s.js', export: exportsByDef.get(c.def)[0], source: `k8s-1.28 ${c.def}`, named: c.named };
    }
    modules.set('k8s.js', buildModule(defs, {}, exportsByDef, header('Kubernetes 1.28 (_definitions.json)')));
    modules.set('k8s.fields.json', JSON.stringify(fieldTree(defs, {}, exportsByDef)));
  }

  // CRDs: one module per group and kind (all its versions), loaded only when a tree has such
  // objects: Argo CD's ApplicationSet alone compiles to megabytes that an Application never needs.
  const byKind = new Map();
  for (const c of crds) byKind.set(`${c.group}_${c.kind}`, [...(byKind.get(`${c.group}_${c.kind}`) ?? []), c]);
  for (const groupKind of [...byKind.keys()].sort()) {
    const file = `${groupKind}.js`;
    const roots = {};
    const exportsByDef = new Map();
    for (const c of byKind.get(groupKind).sort((a, b) => (a.key < b.key ? -1 : 1))) {
      if (index[c.key]) throw new Error(`${c.file}: ${c.key} is defined twice (also in ${index[c.key].source})`);
      // Versions with identical schemas (Istio v1/v1beta1/...) share one function.
      const name = `crd-${sha256(JSON.stringify(c.schema)).slice(0, 16)}`;
      roots[name] = c.schema;
      if (!exportsByDef.has(name)) exportsByDef.set(name, [`v${exportsByDef.size}`]);
      index[c.key] = { module: file, export: exportsByDef.get(name)[0], source: `crds/${c.file}`, named: true };
    }
    modules.set(file, buildModule(defs, roots, exportsByDef, header(`CRD ${groupKind.replace('_', ' ')}`)));
    modules.set(`${groupKind}.fields.json`, JSON.stringify(fieldTree(defs, roots, exportsByDef)));
  }

  const sortedIndex = Object.fromEntries(Object.keys(index).sort().map((k) => [k, index[k]]));
  const indexText = [
    header('where the validator of each apiVersion/kind lives'),
    `/** Inputs the validators were generated from (paths relative to the shared reference dir). */`,
    `export const SOURCES = ${JSON.stringify(sources, null, 2)};`,
    `/** apiVersion/kind → module (in this folder) and export of its validator. */`,
    `export const KINDS = ${JSON.stringify(sortedIndex, null, 1)};`,
    '',
  ].join('\n');
  modules.set('index.js', indexText);
  modules.set('index.d.ts', [
    header('types of index.js'),
    `export interface KindEntry {`,
    `  /** File in validate/generated/ that exports the validator. */`,
    `  readonly module: string;`,
    `  readonly export: string;`,
    `  /** Where the schema came from. */`,
    `  readonly source: string;`,
    `  /** Whether metadata is ObjectMeta (then metadata.name is required), not ListMeta. */`,
    `  readonly named: boolean;`,
    `}`,
    `export declare const SOURCES: readonly { readonly file: string; readonly sha256: string }[];`,
    `export declare const KINDS: Readonly<Record<string, KindEntry>>;`,
    '',
  ].join('\n'));

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  let total = 0;
  for (const [file, text] of [...modules].sort(([a], [b]) => (a < b ? -1 : 1))) {
    writeFileSync(join(OUT, file), text);
    total += Buffer.byteLength(text);
  }
  process.stderr.write(`gen-schemas: ${Object.keys(index).length} kinds, ${modules.size} files, ${(total / 1e6).toFixed(2)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s → ${OUT}\n`);
}

// Importable (tests use convert()) without generating anything.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
