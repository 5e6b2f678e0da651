// How a Kubernetes or CRD schema becomes JSON Schema that ajv checks the way the API server
// does, shared by the generator (scripts/gen-schemas.mjs, ahead of time) and by the run-time
// validation of the CRDs a chart ships (validate/crd-schemas.ts): one conversion, so that a CR
// checked against a chart's CRD gets exactly the verdict and messages of a generated validator.
// Plain JS because the generator runs with plain node, without TypeScript.
import Ajv from 'ajv';
import { formats, IGNORED_FORMATS } from './formats.js';

/** The $ref of ObjectMeta, as the Kubernetes definitions name it: every CRD's metadata points here. */
export const OBJECT_META = '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

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
 * CRD patterns are Go RE2. JS reads the same syntax except inline flags: the one in use, `(?i)`
 * (to the end of its group, as in Go) or `(?i:...)`, becomes explicit [aA] classes. A character
 * class with letters under it, other flags and other Go-only syntax fail the conversion.
 */
function goPattern(p, where) {
  const goOnly = () => new Error(`${where}: pattern ${p} uses Go syntax that JS lacks`);
  if (!p.includes('(?i')) {
    if (p.includes('(?')) try { new RegExp(p, 'u'); } catch { throw goOnly(); }
    return p;
  }
  const fold = [false]; // per open group: whether letters match either case
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += p.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      let j = i + 1;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      const cls = p.slice(i, j + 1);
      if (fold[fold.length - 1] && /[a-z]/i.test(cls.replace(/\\./g, ''))) throw new Error(`${where}: case-insensitive pattern ${p} is too complex to translate`);
      out += cls;
      i = j;
    } else if (p.startsWith('(?i)', i)) {
      fold[fold.length - 1] = true;
      i += 3;
    } else if (p.startsWith('(?i:', i)) {
      fold.push(true);
      out += '(?:';
      i += 3;
    } else if (c === '(') {
      if (p[i + 1] === '?' && p[i + 2] !== ':') throw goOnly();
      fold.push(fold[fold.length - 1]);
      out += c;
    } else if (c === ')') {
      if (fold.length > 1) fold.pop();
      out += c;
    } else if (fold[fold.length - 1] && /[a-z]/i.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  try { new RegExp(out, 'u'); } catch { throw goOnly(); }
  return out;
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

/**
 * The field names of every closed object, as a tree per export, for "did you mean" hints on
 * unknown fields (loaded only when there is one). A node is 0 (no fields to suggest), a
 * definition name (string), or {p: properties, i: items, a: map values, x: mutually exclusive
 * fields of a oneOf, xo: 1 when none of them is required either}.
 */
export function fieldTree(defs, roots, exportsByDef) {
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
 * The ajv instance both compile with: every error (not the first), no ajv messages (errors.ts
 * writes them from keyword + params), $refs as functions of their own, and our formats.
 * `code`: ajv's code options (the generator's standalone ESM); none at run time.
 */
export function newAjv(code) {
  const ajv = new Ajv.default({
    strict: false,
    allErrors: true,
    inlineRefs: false,
    messages: false,
    validateSchema: false,
    ...(code ? { code } : {}),
  });
  for (const [name, def] of Object.entries(formats)) ajv.addFormat(name, def);
  return ajv;
}
