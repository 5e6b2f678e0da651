// Generates validate/generated/: ajv standalone validators (ESM) for every apiVersion/kind of
// every Kubernetes version in ../shared/schemas/k8s-1.XX/_definitions.json and every served version
// of every CRD in ../shared/crds/*.yaml, so that a clone validates without ../shared.
//
// One set of validators covers every Kubernetes version: each definition has the fields it has in
// any version (the newest version's schema of each), and k8s-versions.js, a small table, says
// which apiVersion/kinds and which fields only some versions have. validate/schema.ts checks an
// object with the validator, then rejects what the table says its cluster's version lacks
// (see validate/README.md).
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
const SCHEMAS_DIR = join(SHARED, 'schemas');
const CRDS_DIR = join(SHARED, 'crds');

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const gvkKey = (group, version, kind) => `${group ? `${group}/` : ''}${version}/${kind}`;

/** `1.28` → [1, 28], for numeric order. */
const versionParts = (v) => v.split('.').map(Number);
const compareVersions = (a, b) => versionParts(a)[0] - versionParts(b)[0] || versionParts(a)[1] - versionParts(b)[1];

/** Every Kubernetes version with a schema folder (`k8s-1.XX`), oldest first. */
function kubernetesVersions() {
  const versions = readdirSync(SCHEMAS_DIR).map((d) => /^k8s-(\d+\.\d+)$/.exec(d)?.[1]).filter(Boolean).sort(compareVersions);
  if (!versions.length) throw new Error(`${SCHEMAS_DIR}: no k8s-1.XX folder`);
  return versions;
}

/**
 * The versions in which something exists, as ranges of consecutive versions:
 * [['1.30', '1.36']], or several ranges where it left and came back.
 */
function ranges(present, versions) {
  const out = [];
  let open;
  for (const v of versions) {
    if (present.has(v)) {
      if (open) open[1] = v;
      else out.push((open = [v, v]));
    } else open = undefined;
  }
  return out;
}

/**
 * Reads every version's definitions. Each definition is the newest version's, plus the
 * properties only older versions have (each from the newest version that has it): so that the
 * one validator knows every field any version has, and the table decides per version.
 */
function loadKubernetes(sources) {
  const versions = kubernetesVersions();
  const byVersion = new Map();
  for (const v of versions) {
    const file = `schemas/k8s-${v}/_definitions.json`;
    const text = readFileSync(join(SHARED, file), 'utf8');
    sources.push({ file, sha256: sha256(text) });
    byVersion.set(v, JSON.parse(text).definitions);
  }
  const merged = {};
  const defVersions = new Map(); // definition → versions that have it
  const fieldVersions = new Map(); // definition → field → versions that have it
  const gvks = new Map(); // apiVersion/kind → { def, versions }
  for (const v of [...versions].reverse()) {
    const defs = byVersion.get(v);
    for (const name of Object.keys(defs)) {
      const d = defs[name];
      if (!merged[name]) merged[name] = d.properties ? { ...d, properties: { ...d.properties } } : { ...d };
      else if (d.properties) {
        merged[name].properties ??= {};
        for (const [k, p] of Object.entries(d.properties)) merged[name].properties[k] ??= p;
      }
      if (!defVersions.has(name)) defVersions.set(name, new Set());
      defVersions.get(name).add(v);
      if (!fieldVersions.has(name)) fieldVersions.set(name, new Map());
      for (const k of Object.keys(d.properties ?? {})) {
        if (!fieldVersions.get(name).has(k)) fieldVersions.get(name).set(k, new Set());
        fieldVersions.get(name).get(k).add(v);
      }
      for (const g of d['x-kubernetes-group-version-kind'] ?? []) {
        const key = gvkKey(g.group, g.version, g.kind);
        if (!gvks.has(key)) gvks.set(key, { def: name, newest: v, named: d.properties?.metadata?.$ref === OBJECT_META, versions: new Set() });
        gvks.get(key).versions.add(v);
      }
    }
  }
  // The table holds only what differs: apiVersion/kinds some versions lack, and fields some
  // versions of their definition lack.
  const kinds = {};
  for (const key of [...gvks.keys()].sort()) {
    const g = gvks.get(key);
    if (g.versions.size !== versions.length) kinds[key] = ranges(g.versions, versions);
  }
  const fields = {};
  for (const name of [...fieldVersions.keys()].sort()) {
    const own = defVersions.get(name);
    for (const k of [...fieldVersions.get(name).keys()].sort()) {
      const present = fieldVersions.get(name).get(k);
      if (present.size !== own.size) (fields[name] ??= {})[k] = ranges(present, versions);
    }
  }
  const core = [...gvks.keys()].sort().map((key) => ({ key, ...gvks.get(key) }));
  return { versions, merged, core, table: { kinds, fields } };
}

function loadInputs() {
  const sources = [];
  const { versions, merged, core, table } = loadKubernetes(sources);
  const defs = {};
  for (const name of Object.keys(merged).sort()) {
    defs[name] = convert(merged[name], { crd: false, junctor: false }, name);
  }
  // The server parses quantities ("500m", "1Gi"): check their shape, not only "string".
  const q = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  defs[q] = { type: ['string', 'number'], format: 'k8s-quantity' };

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
  return { defs, core, crds, sources, versions, table };
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

/** `{\n "key": value,\n ...}`: one entry per line, so that a diff shows what changed. */
const linePerEntry = (o) => `{\n${Object.entries(o).map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}`;

function main() {
  const started = Date.now();
  const { defs, core, crds, sources, versions, table } = loadInputs();
  const span = `${versions[0]}–${versions.at(-1)}`;
  const header = (what) => `// Generated by scripts/gen-schemas.mjs (npm run gen:schemas): ${what}. Do not edit.\n/* eslint-disable */`;
  const index = {};
  const modules = new Map(); // file name → text

  // Core Kubernetes: one module, because apps/batch/core share PodSpec and friends.
  {
    const exportsByDef = new Map();
    for (const c of core) {
      if (!exportsByDef.has(c.def)) exportsByDef.set(c.def, [`v${exportsByDef.size}`]);
      index[c.key] = { module: 'k8s.js', export: exportsByDef.get(c.def)[0], source: `k8s-${c.newest} ${c.def}`, named: c.named };
    }
    modules.set('k8s.js', buildModule(defs, {}, exportsByDef, header(`Kubernetes ${span} (_definitions.json; every field of every version)`)));
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
  modules.set('k8s-versions.js', [
    header(`what only some Kubernetes versions (${span}) serve`),
    `/** The Kubernetes versions (MAJOR.MINOR) the validators know, oldest first. */`,
    `export const KUBERNETES_VERSIONS = ${JSON.stringify(versions)};`,
    `/** apiVersion/kind → the versions that serve it, as [first, last] ranges; absent: every version. */`,
    `export const KIND_VERSIONS = ${linePerEntry(table.kinds)};`,
    `/** Definition → field → the versions that have it, as [first, last] ranges; absent: every version of the definition. */`,
    `export const FIELD_VERSIONS = ${linePerEntry(table.fields)};`,
    '',
  ].join('\n'));
  modules.set('k8s-versions.d.ts', [
    header('types of k8s-versions.js'),
    `/** Consecutive versions [first, last], e.g. ['1.30', '1.36']. */`,
    `export type VersionRange = readonly [string, string];`,
    `export declare const KUBERNETES_VERSIONS: readonly string[];`,
    `export declare const KIND_VERSIONS: Readonly<Record<string, readonly VersionRange[]>>;`,
    `export declare const FIELD_VERSIONS: Readonly<Record<string, Readonly<Record<string, readonly VersionRange[]>>>>;`,
    '',
  ].join('\n'));
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
