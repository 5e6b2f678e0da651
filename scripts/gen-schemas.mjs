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
import Ajv, { _ } from 'ajv';
import { _Code } from 'ajv/dist/compile/codegen/code.js';
import { UsedValueState } from 'ajv/dist/compile/codegen/scope.js';
import yaml from 'js-yaml';
import { formats, IGNORED_FORMATS } from '../validate/formats.js';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = resolve(process.env.INFRA_SYNTH_SHARED ?? join(ROOT, '..', 'shared'));
const OUT = resolve(process.env.OUT_DIR ?? join(ROOT, 'validate', 'generated'));
const DEFS_FILE = join(SHARED, 'schemas', 'k8s-1.28', '_definitions.json');
const CRDS_DIR = join(SHARED, 'crds');

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const OBJECT_META = `#/definitions/${META}ObjectMeta`;

// Keywords that constrain values, and keywords that only document or drive server-side
// behaviour we cannot check offline (CEL rules, list/map merge semantics). Anything else is new:
// fail, so that it gets a decision instead of being silently ignored.
const VALIDATION_KEYS = new Set([
  'type', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'required', 'items',
  'properties', 'additionalProperties', 'allOf', 'anyOf', 'oneOf', 'not', '$ref', 'format',
  'nullable', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
]);
const IGNORED_KEYS = new Set([
  'description', 'default', 'example', 'title', 'externalDocs', 'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations',
  'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key', 'x-kubernetes-unions',
  'x-kubernetes-group-version-kind',
]);
const COPIED_KEYS = ['enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'required'];

/**
 * CRD patterns are Go RE2. JS reads the same syntax except inline flags: the one in use,
 * a leading `(?i)`, becomes explicit [aA] classes. Other inline flags fail the generator.
 */
function goPattern(p, where) {
  const m = /^(\^?)\(\?i\)(.*)$/s.exec(p);
  if (!m) {
    if (p.includes('(?')) try { new RegExp(p, 'u'); } catch { throw new Error(`${where}: pattern ${p} uses Go syntax that JS lacks`); }
    return p;
  }
  if (/[[\\(]\?/.test(m[2]) || m[2].includes('[') || m[2].includes('\\')) throw new Error(`${where}: case-insensitive pattern ${p} is too complex to translate`);
  return m[1] + m[2].replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

const isObjectType = (t) => t === 'object' || (Array.isArray(t) && t.includes('object'));

/**
 * Rewrites one schema node into plain JSON Schema that ajv checks the way the API server does.
 * `crd`: CRD (structural) semantics, where an object schema without properties keeps nothing.
 * `junctor`: inside allOf/anyOf/oneOf/not, whose subschemas only add constraints to the
 * properties declared outside them, so they must never close an object.
 */
export function convert(s, ctx, where) {
  if (typeof s === 'boolean') return s;
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw new Error(`${where}: schema is not an object`);
  for (const k of Object.keys(s)) {
    if (!VALIDATION_KEYS.has(k) && !IGNORED_KEYS.has(k)) throw new Error(`${where}: unsupported schema keyword "${k}"`);
  }
  if (s.$ref !== undefined) return { $ref: s.$ref };
  const o = {};
  if (s.type !== undefined) o.type = s.type;
  if (s.format !== undefined) {
    if (formats[s.format]) o.format = s.format;
    else if (!IGNORED_FORMATS.includes(s.format)) throw new Error(`${where}: format "${s.format}" is neither checked nor ignored in validate/formats.js`);
  }
  for (const k of COPIED_KEYS) if (s[k] !== undefined) o[k] = s[k];
  if (o.pattern !== undefined) o.pattern = goPattern(o.pattern, where);
  if (s.items !== undefined) {
    if (Array.isArray(s.items)) throw new Error(`${where}: tuple "items" is not supported`);
    o.items = convert(s.items, ctx, `${where}[]`);
  }
  if (s.properties !== undefined) {
    o.properties = {};
    for (const [k, v] of Object.entries(s.properties)) o.properties[k] = convert(v, ctx, `${where}.${k}`);
  }
  if (s.additionalProperties !== undefined) {
    o.additionalProperties = convert(s.additionalProperties, ctx, `${where}{}`);
  }
  const sub = { ...ctx, junctor: true };
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (s[k] !== undefined) o[k] = s[k].map((x, i) => convert(x, sub, `${where}/${k}/${i}`));
  }
  if (s.not !== undefined) o.not = convert(s.not, sub, `${where}/not`);

  // A union of bare types (core IntOrString and Quantity, CRD int-or-string) is a type list:
  // same meaning, and one error ("expected integer or string") instead of one per branch.
  for (const k of ['anyOf', 'oneOf']) {
    const branches = o[k];
    if (o.type === undefined && branches?.every((b) => b && Object.keys(b).length === 1 && typeof b.type === 'string')) {
      o.type = [...new Set(branches.map((b) => b.type))];
      delete o[k];
    }
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    const ios = o.anyOf;
    const trivial = ios?.length === 2 && ios.every((b) => Object.keys(b).length === 1 && (b.type === 'integer' || b.type === 'string'));
    if (trivial) delete o.anyOf;
    o.type = ['integer', 'string'];
  }
  if (s['x-kubernetes-embedded-resource'] === true) {
    // The API server treats an embedded object as a resource: apiVersion and kind are required,
    // metadata is ObjectMeta, whatever the CRD spells out.
    o.properties = { ...(o.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: OBJECT_META } };
    o.required = [...new Set([...(o.required ?? []), 'apiVersion', 'kind'])];
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (!ctx.junctor && !preserve && o.additionalProperties === undefined &&
      (o.properties !== undefined || (ctx.crd && isObjectType(o.type)))) {
    o.additionalProperties = false;
  }
  if (s.nullable === true) {
    if (typeof o.type === 'string') o.type = [o.type, 'null'];
    else if (Array.isArray(o.type)) o.type = [...o.type, 'null'];
    if (o.enum && !o.enum.includes(null)) o.enum = [...o.enum, null];
    if (o.type === undefined) return { anyOf: [{ type: 'null' }, o] };
  }
  return o;
}

/** A CRD version's root: apiVersion/kind are always allowed, metadata is always ObjectMeta. */
export function convertCrdRoot(schema, where) {
  const root = convert(schema, { crd: true, junctor: false }, where);
  root.type = 'object';
  root.properties = { ...(root.properties ?? {}) };
  root.properties.apiVersion = { type: 'string' };
  root.properties.kind = { type: 'string' };
  const declared = schema.properties?.metadata;
  const extra = declared && (declared.properties || declared.required)
    ? convert({ ...declared, type: undefined }, { crd: true, junctor: true }, `${where}.metadata`)
    : undefined;
  root.properties.metadata = extra ? { allOf: [{ $ref: OBJECT_META }, extra] } : { $ref: OBJECT_META };
  if (root.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) root.additionalProperties = false;
  return root;
}

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
 * The field names of every closed object, as a tree per export, for "did you mean" hints on
 * unknown fields (loaded only when there is one). A node is 0 (no fields to suggest), a
 * definition name (string), or {p: properties, i: items, a: map values, x: mutually exclusive
 * fields of a oneOf, xo: 1 when none of them is required either}.
 */
function fieldTree(defs, roots, exportsByDef) {
  const usedDefs = new Set();
  const pending = [];
  const shape = (s) => {
    if (!s || typeof s !== 'object') return 0;
    if (s.$ref) {
      const name = s.$ref.split('/').pop();
      if (!usedDefs.has(name)) { usedDefs.add(name); pending.push(name); }
      return name;
    }
    const n = {};
    if (s.properties) n.p = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, shape(v)]));
    if (s.items) { const i = shape(s.items); if (i !== 0) n.i = i; }
    if (s.additionalProperties && typeof s.additionalProperties === 'object') { const a = shape(s.additionalProperties); if (a !== 0) n.a = a; }
    // oneOf over single required fields (Istio's "at most one of", Kyverno's "exactly one of"):
    // record the fields, so that "matches more than one" can name them.
    if (s.oneOf) {
      const single = s.oneOf.filter((b) => Object.keys(b).length === 1 && b.required?.length === 1).map((b) => b.required[0]);
      const none = s.oneOf.filter((b) => Object.keys(b).length === 1 && b.not?.anyOf?.every((x) => Object.keys(x).length === 1 && x.required?.length === 1));
      if (single.length >= 2 && single.length + none.length === s.oneOf.length) {
        n.x = single;
        if (none.length) n.xo = 1;
      }
    }
    if (!n.p && !n.i && !n.a) {
      // Wrappers the converter makes (nullable anyOf, CRD metadata allOf): descend into the first that has fields.
      for (const b of [...(s.allOf ?? []), ...(s.anyOf ?? [])]) { const x = shape(b); if (x !== 0) return x; }
      return 0;
    }
    return n;
  };
  const exported = {};
  for (const [name, exps] of exportsByDef) {
    const node = shape(roots[name] ?? { $ref: `#/definitions/${name}` });
    for (const e of exps) exported[e] = node;
  }
  const d = {};
  while (pending.length) { const name = pending.shift(); d[name] = shape(defs[name]); }
  return { defs: Object.fromEntries(Object.keys(d).sort().map((k) => [k, d[k]])), exports: exported };
}

/**
 * Compiles `roots` (definition name → schema, merged into the k8s definitions) in ONE ajv root
 * schema, so that every $ref (ObjectMeta, PodSpec, ...) compiles to one shared function, and
 * returns the ESM module text exporting one validator per entry of `exportsByDef`.
 */
function buildModule(defs, roots, exportsByDef, header) {
  const ajv = new Ajv.default({
    strict: false,
    allErrors: true,
    inlineRefs: false,
    messages: false, // messages are written by validate/errors.ts from keyword + params
    validateSchema: false,
    code: { source: true, esm: true, lines: true, optimize: true, formats: _`formats` },
  });
  for (const [name, def] of Object.entries(formats)) ajv.addFormat(name, def);
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
