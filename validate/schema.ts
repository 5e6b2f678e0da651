// Schema validation of rendered objects: every object against the real schema of its
// apiVersion/kind (Kubernetes 1.28 … 1.36, as its cluster's version serves it, or a CRD version),
// as strictly as `kubectl apply --validate=strict`. The validators are generated ahead of time
// into validate/generated/ by scripts/gen-schemas.mjs (see validate/README.md); a module is
// loaded on first use.
import { objectRef, type Manifest } from '../primitives/manifests.js';
import { childPath, describeErrors, describeValue, editDistance, type PathMessage } from './errors.js';
import { KUBERNETES_VERSIONS, OLDEST_KUBERNETES_VERSION, fieldsMissingIn, isKnownVersion, servesKind, unservedKind } from './k8s-versions.js';
import { allKindKeys, fieldHints, kindEntry, kindKey, loadValidator, type KindEntry, type Validator } from './loader.js';

export interface SchemaOptions {
  /**
   * The Kubernetes version (MAJOR.MINOR, one of KUBERNETES_VERSIONS) the objects will run on:
   * one for all, or per manifest (by its cluster; undefined: the default). An apiVersion that
   * version does not serve, and a field its schema lacks, are errors.
   * @default OLDEST_KUBERNETES_VERSION ('1.28')
   */
  readonly kubernetesVersion?: string | ((m: Manifest) => string | undefined);
}

export interface SchemaError {
  cluster?: string;
  file: string;
  /** objectRef(): `Kind/namespace/name`. */
  object: string;
  /** JSON path in the object, e.g. `.spec.template.spec.containers[0].image`; `` for the whole object. */
  path: string;
  /** What is wrong and what would be valid. */
  message: string;
}

/** Every apiVersion/kind that has a schema in some Kubernetes version (see servesKind) or a CRD: `apps/v1/Deployment`, `cert-manager.io/v1/ClusterIssuer`, ... */
export function knownKinds(): string[] {
  return allKindKeys();
}

/** One line: `<cluster>: <file>: <Kind/ns/name>: <path>: <message>` (no cluster part outside a cluster). */
export function formatSchemaError(e: SchemaError): string {
  return [e.cluster, e.file, e.object, e.path || '.', e.message].filter((x) => x !== undefined).join(': ');
}

/** Validates every manifest; errors come in manifest order, then in document order. */
export async function validateSchemas(manifests: readonly Manifest[], options: SchemaOptions = {}): Promise<SchemaError[]> {
  const option = options.kubernetesVersion;
  const versions = manifests.map((m) => {
    const v = (typeof option === 'function' ? option(m) : option) ?? OLDEST_KUBERNETES_VERSION;
    if (!isKnownVersion(v)) throw new Error(`validateSchemas: Kubernetes version "${v}"${m.cluster ? ` of cluster ${m.cluster}` : ''} has no schemas; expected one of ${KUBERNETES_VERSIONS.join(', ')}`);
    return v;
  });
  const who = (m: Manifest) => (m.cluster !== undefined ? `cluster ${m.cluster}` : 'the cluster');
  const resolved = manifests.map((m, i) => resolveKind(m.object, versions[i], who(m)));
  // Load every module the tree needs once, in parallel, before the (synchronous) checks.
  const validators = new Map<KindEntry, Validator>();
  await Promise.all(
    [...new Set(resolved.flatMap((r) => ('entry' in r ? [r.entry] : [])))].map(async (entry) => {
      validators.set(entry, await loadValidator(entry));
    }),
  );
  const out: SchemaError[] = [];
  manifests.forEach((m, i) => {
    const r = resolved[i];
    const problems = 'entry' in r
      ? [...checkObject(m.object, r.entry, validators.get(r.entry)!), ...fieldsMissingIn(m.object, r.entry, versions[i], who(m))]
      : r.problems;
    const object = objectRef(m.object);
    for (const p of problems) {
      out.push({ ...(m.cluster !== undefined ? { cluster: m.cluster } : {}), file: m.file, object, path: p.path, message: p.message });
    }
  });
  return out;
}

type Resolved = { entry: KindEntry } | { problems: PathMessage[] };

function resolveKind(o: Record<string, any>, version: string, who: string): Resolved {
  const problems: PathMessage[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    if (o?.[field] === undefined) problems.push({ path: `.${field}`, message: `missing required field "${field}"` });
    else if (typeof o[field] !== 'string' || o[field] === '') problems.push({ path: `.${field}`, message: `expected a non-empty string; got ${describeValue(o[field])}` });
  }
  if (problems.length) return { problems };
  const key = kindKey(o.apiVersion, o.kind);
  const entry = kindEntry(key);
  if (entry && servesKind(key, version)) return { entry };
  if (entry) return { problems: [unservedKind(o.apiVersion, o.kind, version, who)] };
  return { problems: [unknownKind(o.apiVersion, o.kind, version)] };
}

/** Says which apiVersions do define the kind, or which kinds the apiVersion has (in Kubernetes `version`). */
function unknownKind(apiVersion: string, kind: string, version: string): PathMessage {
  const keys = allKindKeys().filter((k) => servesKind(k, version));
  const split = (k: string) => ({ apiVersion: k.slice(0, k.lastIndexOf('/')), kind: k.slice(k.lastIndexOf('/') + 1) });
  const versions = keys.map(split).filter((k) => k.kind === kind).map((k) => k.apiVersion);
  const base = `unknown apiVersion/kind "${apiVersion}" "${kind}": no Kubernetes ${version} schema or CRD in validate/generated defines it`;
  if (versions.length) return { path: '.apiVersion', message: `${base}; ${kind} exists in apiVersion ${versions.map((v) => `"${v}"`).join(', ')}` };
  const kinds = keys.map(split).filter((k) => k.apiVersion === apiVersion).map((k) => k.kind);
  if (kinds.length) {
    const near = kinds.filter((k) => k.toLowerCase() === kind.toLowerCase() || editDistance(k.toLowerCase(), kind.toLowerCase()) <= 2);
    const hint = near.length ? `did you mean ${near.map((k) => `"${k}"`).join(', ')}?` : `it has ${kinds.length} kinds, e.g. ${kinds.slice(0, 5).map((k) => `"${k}"`).join(', ')}`;
    return { path: '.kind', message: `${base}; ${hint}` };
  }
  return { path: '.kind', message: base };
}

function checkObject(o: Record<string, any>, entry: KindEntry, validate: Validator): PathMessage[] {
  const out: PathMessage[] = [];
  if (!validate(o)) out.push(...describeErrors(o, validate.errors ?? [], (pointer) => fieldHints(entry, o, pointer)));
  // The schema cannot say it: a persisted object needs a name (kubectl apply and Argo CD
  // refuse objects without one; generateName only works for create, e.g. Argo CD hooks).
  const meta = o.metadata;
  if (entry.named && !out.some((p) => p.path === '.metadata' || p.path === '.metadata.name')) {
    if (meta === undefined) out.push({ path: '.metadata', message: 'missing required field "metadata" (with at least "name")' });
    else if (meta && typeof meta === 'object' && !Array.isArray(meta) && !nonEmpty(meta.name) && !nonEmpty(meta.generateName)) {
      out.push({ path: childPath('.metadata', 'name'), message: `missing required field "name"${meta.name === '' ? ' (it is empty)' : ''}` });
    }
  }
  return out;
}

const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
