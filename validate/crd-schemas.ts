// Custom resources checked against the CRDs a chart itself ships, not only those in
// validate/generated/: a chart may ship a CRD version that ../shared/crds does not have, or a kind
// we generated nothing for. A version's openAPIV3Schema is converted exactly as the generator
// converts it (validate/schema-conversion.js) and compiled with ajv at run time when a CR of it is
// first checked, once per distinct schema per process, so a CR gets the verdict and the messages a
// generated validator would give it. The CRDs themselves are checked for what the API server would refuse.
import { createHash } from 'node:crypto';
import type { ErrorObject, SchemaValidateFunction, ValidateFunction } from 'ajv';
import { objectRef, type Manifest } from '../primitives/manifests.js';
import { childPath, describeErrors, type PathMessage } from './errors.js';
import { fieldHints, kindEntry, kindKey, loadValidator, type AjvError, type FieldHints, type KindEntry, type Validator } from './loader.js';
import { convertCrdRoot, fieldTree, newAjv, OBJECT_META, type FieldNode } from './schema-conversion.js';
import type { SchemaError } from './schema.js';

export interface CrdValidation {
  /** Problems of the CRs the given CRDs define, and of the CRDs themselves; manifest order. */
  readonly errors: SchemaError[];
  /**
   * The manifests whose group and kind one of the CRDs defines, whatever their version: their
   * verdict is this one (an unserved version included), so the caller skips the generated validator.
   */
  readonly covered: Set<Manifest>;
}

/**
 * Checks every manifest whose group/kind one of `crds` (CustomResourceDefinition objects, e.g.
 * what a chart renders) defines against that CRD's schema of its version, and checks the CRDs.
 * Errors about a CRD name the manifest holding that very object when it is among `manifests`.
 */
export async function validateAgainstCrds(manifests: readonly Manifest[], crds: readonly Record<string, any>[]): Promise<CrdValidation> {
  const errors: SchemaError[] = [];
  const covered = new Set<Manifest>();
  const byObject = new Map(manifests.map((m) => [m.object, m]));
  const models = new Map<string, Model>(); // group/kind → the CRD that defines it
  const crdErrors = new Map<Record<string, any>, PathMessage[]>();
  for (const crd of crds) {
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const model = modelOf(crd);
    const problems = [...model.problems];
    const first = models.get(model.groupKind);
    if (first && first.hash !== model.hash) {
      problems.push({ path: '.spec', message: `defines ${model.groupKind} again, differently from CustomResourceDefinition ${first.name}: the cluster can hold only one` });
    } else if (model.groupKind) models.set(model.groupKind, model);
    if (problems.length) crdErrors.set(crd, problems);
  }

  const targets = manifests.map((m) => {
    const { apiVersion, kind } = m.object ?? {};
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion.includes('/')) return undefined;
    const group = apiVersion.slice(0, apiVersion.lastIndexOf('/'));
    return models.get(`${group}/${kind}`);
  });
  if (targets.some((t) => t)) await loadObjectMetaValidator();

  for (const [i, m] of manifests.entries()) {
    const model = targets[i];
    const own = crdErrors.get(m.object);
    if (own) errors.push(...own.map((p) => schemaError(m, p)));
    if (!model) continue;
    covered.add(m);
    errors.push(...checkCustomResource(m.object, model).map((p) => schemaError(m, p)));
  }
  for (const [crd, problems] of crdErrors) {
    if (!byObject.has(crd)) errors.push(...problems.map((p) => ({ file: '(CRD not among the manifests)', object: objectRef(crd), ...p })));
  }
  return { errors, covered };
}

const schemaError = (m: Manifest, p: PathMessage): SchemaError => ({
  ...(m.cluster !== undefined ? { cluster: m.cluster } : {}), file: m.file, object: objectRef(m.object), path: p.path, message: p.message,
});

/** One version of a CRD; its schema is converted and compiled when a CR first needs it. */
interface Version {
  readonly name: string;
  readonly served: boolean;
  /** The version's openAPIV3Schema; undefined when it has none. */
  readonly schema?: Record<string, any>;
  /** `.spec.versions[i].schema.openAPIV3Schema`, for messages. */
  readonly where: string;
  /** Its check once compiled, or why it cannot be compiled. */
  check?: Compiled | { readonly broken: string };
}

/** What a CRD says, reduced to what checking its CRs needs. */
interface Model {
  /** sha256 of the CRD's name and spec: equal content, equal model. */
  readonly hash: string;
  readonly name: string;
  readonly group: string;
  /** `<group>/<Kind>`, '' when the CRD names neither. */
  readonly groupKind: string;
  readonly versions: readonly Version[];
  /** What the API server would refuse in the CRD itself. */
  readonly problems: readonly PathMessage[];
}

interface Compiled {
  readonly validate: ValidateFunction;
  /** Field names of the schema, for hints (ObjectMeta nodes are definition names). */
  readonly fields: FieldNode;
}

const modelsByObject = new WeakMap<object, Model>();
const modelsByHash = new Map<string, Model>();
const compiledByHash = new Map<string, Compiled>();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The model of a CRD: per object (charts rendered for many clusters share their parsed CRDs), else per content. */
function modelOf(crd: Record<string, any>): Model {
  let model = modelsByObject.get(crd);
  if (model) return model;
  const hash = sha256(JSON.stringify([crd.apiVersion, crd.metadata?.name, crd.spec]));
  model = modelsByHash.get(hash);
  if (!model) modelsByHash.set(hash, (model = buildModel(crd, hash)));
  modelsByObject.set(crd, model);
  return model;
}

function buildModel(crd: Record<string, any>, hash: string): Model {
  const name = String(crd.metadata?.name ?? '<no name>');
  const spec = crd.spec ?? {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const kind = typeof spec.names?.kind === 'string' ? spec.names.kind : '';
  const problems = crdProblems(crd);
  const versions: Version[] = [];
  if (crd.apiVersion === 'apiextensions.k8s.io/v1') {
    for (const [i, v] of (Array.isArray(spec.versions) ? spec.versions : []).entries()) {
      if (typeof v?.name !== 'string') continue;
      const schema = v.schema?.openAPIV3Schema;
      versions.push({ name: v.name, served: v.served === true, schema: schema && typeof schema === 'object' ? schema : undefined, where: `.spec.versions[${i}].schema.openAPIV3Schema` });
    }
  }
  return { hash, name, group, groupKind: group && kind ? `${group}/${kind}` : '', versions, problems };
}

// ObjectMeta is not in a CRD: every CRD's metadata is the real ObjectMeta. The generated validator
// of a kind whose only required-free fields are metadata and a few optional ones (ConfigMap)
// checks it exactly as the generated CRD validators do, with the same hints, without ../shared.
const OBJECT_META_CARRIER = kindKey('v1', 'ConfigMap');
const OBJECT_META_NAME = OBJECT_META.split('/').pop()!;
const OBJECT_META_KEYWORD = 'x-infra-synth-object-meta';
let objectMetaEntry: KindEntry | undefined;
let objectMetaValidator: Validator | undefined;

async function loadObjectMetaValidator(): Promise<void> {
  if (objectMetaValidator) return;
  objectMetaEntry = kindEntry(OBJECT_META_CARRIER);
  if (!objectMetaEntry) throw new Error(`validate/generated has no ${OBJECT_META_CARRIER}: run npm run gen:schemas`);
  objectMetaValidator = await loadValidator(objectMetaEntry);
}

const checkObjectMeta: SchemaValidateFunction = (_schema: unknown, data: unknown, _parent?: unknown, cxt?: { instancePath: string }) => {
  if (objectMetaValidator!({ metadata: data })) return true;
  // The carrier reports `/metadata/...`; the keyword's own data may sit deeper (embedded resources).
  checkObjectMeta.errors = (objectMetaValidator!.errors ?? []).map((e) => ({ ...e, instancePath: (cxt?.instancePath ?? '') + e.instancePath.slice('/metadata'.length) }) as ErrorObject);
  return false;
};

let ajv: ReturnType<typeof newAjv> | undefined;

/**
 * The check of a CRD version, compiled on first use: compiling is the slow part (about a second
 * for Prometheus' 0.5 MB schema), and a chart ships many CRDs it renders no CR of.
 */
function checkOf(v: Version): Compiled | { readonly broken: string } {
  if (v.check) return v.check;
  if (!v.schema) return (v.check = { broken: 'it has no schema' });
  try {
    return (v.check = compile(convertCrdRoot(v.schema, v.where)));
  } catch (e) {
    // convert() names the schema node: `.spec.versions[0].schema.openAPIV3Schema.spec.x: unsupported ...`
    return (v.check = { broken: (e as Error).message });
  }
}

/** Compiles a converted root schema, once per distinct schema per process. */
function compile(root: Record<string, any>): Compiled {
  const text = JSON.stringify(root);
  const hash = sha256(text);
  let c = compiledByHash.get(hash);
  if (c) return c;
  if (!ajv) {
    // ajv's code optimisation passes only shorten the code: without them, a third of the time.
    ajv = newAjv({ optimize: false });
    ajv.addKeyword({ keyword: OBJECT_META_KEYWORD, schemaType: 'boolean', errors: true, validate: checkObjectMeta });
  }
  const validate = ajv.compile({ ...root, definitions: { [OBJECT_META_NAME]: { [OBJECT_META_KEYWORD]: true } } });
  c = { validate, fields: fieldTree({}, { root }, new Map([['root', ['root']]])).exports.root };
  compiledByHash.set(hash, c);
  return c;
}

/** The problems of one CR of a CRD that defines its group and kind. */
function checkCustomResource(o: Record<string, any>, model: Model): PathMessage[] {
  const version = String(o.apiVersion).slice(model.group.length + 1);
  const v = model.versions.find((x) => x.name === version);
  const served = model.versions.filter((x) => x.served).map((x) => `"${model.group}/${x.name}"`);
  const servedText = served.length ? `it serves ${served.join(', ')}` : 'it serves no version';
  const crd = `CustomResourceDefinition ${model.name}`;
  if (!v) return [{ path: '.apiVersion', message: `${crd} has no version "${version}"; ${servedText}` }];
  if (!v.served) return [{ path: '.apiVersion', message: `version "${version}" of ${crd} is not served (served: false); ${servedText}` }];
  const check = checkOf(v);
  if ('broken' in check) return [{ path: '.apiVersion', message: `cannot be checked against version "${version}" of ${crd}: ${check.broken}` }];
  const out: PathMessage[] = [];
  const { validate, fields } = check;
  if (!validate(o)) out.push(...describeErrors(o, (validate.errors ?? []) as AjvError[], (pointer) => hintsAt(fields, o, pointer)));
  // As for the generated validators: a persisted object needs a name (generateName: create only).
  const meta = o.metadata;
  if (!out.some((p) => p.path === '.metadata' || p.path === '.metadata.name')) {
    if (meta === undefined) out.push({ path: '.metadata', message: 'missing required field "metadata" (with at least "name")' });
    else if (meta && typeof meta === 'object' && !Array.isArray(meta) && !nonEmpty(meta.name) && !nonEmpty(meta.generateName)) {
      out.push({ path: childPath('.metadata', 'name'), message: `missing required field "name"${meta.name === '' ? ' (it is empty)' : ''}` });
    }
  }
  return out;
}

const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** What the CRD schema says at a JSON pointer into `data`; inside metadata, what ObjectMeta says. */
function hintsAt(root: FieldNode, data: unknown, pointer: string): FieldHints | undefined {
  const keys = pointer ? pointer.slice(1).split('/') : [];
  let node: FieldNode | undefined = root;
  let cur: any = data;
  for (let i = 0; ; i++) {
    // The only definition a CRD schema refers to is ObjectMeta.
    if (typeof node === 'string') return fieldHints(objectMetaEntry!, { metadata: cur }, ['', 'metadata', ...keys.slice(i)].join('/'));
    if (!node) return undefined;
    if (i === keys.length) {
      return { ...(node.p ? { fields: Object.keys(node.p) } : {}), ...(node.x ? { exclusive: { fields: node.x, atMostOne: node.xo === 1 } } : {}) };
    }
    const key = unescapePointer(keys[i]);
    node = Array.isArray(cur) ? node.i : node.p?.[key] ?? node.a;
    cur = cur != null && typeof cur === 'object' ? cur[key] : undefined;
  }
}

/**
 * What the API server would refuse in a CRD (apiextensions.k8s.io/v1 validation), as far as
 * checking its CRs depends on it: one line each.
 */
function crdProblems(crd: Record<string, any>): PathMessage[] {
  if (crd.apiVersion !== 'apiextensions.k8s.io/v1') {
    return [{ path: '.apiVersion', message: `must be "apiextensions.k8s.io/v1" (v1beta1 is not served since Kubernetes 1.22); got ${JSON.stringify(crd.apiVersion)}` }];
  }
  const out: PathMessage[] = [];
  const spec = crd.spec ?? {};
  if (typeof spec.group !== 'string' || !spec.group) out.push({ path: '.spec.group', message: 'missing required field "group"' });
  if (typeof spec.names?.kind !== 'string' || !spec.names.kind) out.push({ path: '.spec.names.kind', message: 'missing required field "kind"' });
  const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
  if (!versions.length) return [...out, { path: '.spec.versions', message: 'must list at least one version' }];
  const storage = versions.filter((v) => v?.storage === true).map((v) => `"${v.name}"`);
  if (storage.length !== 1) out.push({ path: '.spec.versions', message: `exactly one version must have storage: true; got ${storage.length}${storage.length ? ` (${storage.join(', ')})` : ''}` });
  const seen = new Set<string>();
  for (const [i, v] of versions.entries()) {
    const at = `.spec.versions[${i}]`;
    if (typeof v?.name !== 'string' || !v.name) {
      out.push({ path: `${at}.name`, message: 'missing required field "name"' });
      continue;
    }
    if (seen.has(v.name)) out.push({ path: `${at}.name`, message: `version "${v.name}" is listed twice` });
    seen.add(v.name);
    const schema = v.schema?.openAPIV3Schema;
    if (!schema || typeof schema !== 'object') {
      out.push({ path: `${at}.schema.openAPIV3Schema`, message: 'missing: apiextensions.k8s.io/v1 requires a schema for every version' });
      continue;
    }
    const where = `${at}.schema.openAPIV3Schema`;
    if (schema.type !== undefined && schema.type !== 'object') out.push({ path: `${where}.type`, message: `must be "object" at the root; got ${JSON.stringify(schema.type)}` });
    const meta = schema.properties?.metadata;
    const metaKeys = meta?.properties ? Object.keys(meta.properties).filter((k) => k !== 'name' && k !== 'generateName') : [];
    if (metaKeys.length) out.push({ path: `${where}.properties.metadata`, message: `may only constrain "name" and "generateName"; got ${metaKeys.map((k) => `"${k}"`).join(', ')}` });
    const unstructured = firstNonStructural(schema, where, false);
    if (unstructured) out.push(unstructured);
  }
  return out;
}

/**
 * The first node that makes a schema non-structural: $ref, or a node outside allOf/anyOf/oneOf/not
 * without a type (allowed only with x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields).
 */
function firstNonStructural(s: any, where: string, junctor: boolean): PathMessage | undefined {
  if (!s || typeof s !== 'object') return undefined;
  if (s.$ref !== undefined) return { path: where, message: '$ref is not allowed in a CRD schema (it must be structural)' };
  if (!junctor && s.type === undefined && s['x-kubernetes-int-or-string'] !== true && s['x-kubernetes-preserve-unknown-fields'] !== true) {
    return { path: where, message: 'missing "type": a structural CRD schema gives every field a type (or x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields)' };
  }
  const children: [any, string, boolean][] = [];
  for (const [k, v] of Object.entries(s.properties ?? {})) children.push([v, childPath(`${where}.properties`, k), junctor]);
  if (s.items && typeof s.items === 'object') children.push([s.items, `${where}.items`, junctor]);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') children.push([s.additionalProperties, `${where}.additionalProperties`, junctor]);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) for (const [i, b] of (Array.isArray(s[k]) ? s[k] : []).entries()) children.push([b, `${where}.${k}[${i}]`, true]);
  if (s.not) children.push([s.not, `${where}.not`, true]);
  for (const [child, at, j] of children) {
    const p = firstNonStructural(child, at, j);
    if (p) return p;
  }
  return undefined;
}
