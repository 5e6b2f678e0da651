// The API server of a simulated cluster: what exists (namespaces, served kinds, objects) and what
// it does with one more object (its kind must be served, its namespace must exist, it must match
// its schema, its CRD's CEL rules and the admission chain), recording the object when it is
// accepted.
import { validateSchemas } from '../validate/schema.js';
import type { AdmissionModel } from './admission-step.js';
import { ApiResources, groupOf, type ApiResource } from './api-resources.js';
import type { SimFinding, SimObject } from './model.js';
import { RbacAuthorizer } from './rbac.js';

type Obj = Record<string, any>;

/** Namespaces every cluster starts with. */
const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** One problem of one object, before it is placed in a step. */
export interface Problem { readonly path: string; readonly message: string }

export const keyOf = (o: Obj, namespace: string | undefined): string =>
  `${groupOf(o.apiVersion)}/${o.kind}/${namespace ?? ''}/${o.metadata?.name ?? o.metadata?.generateName ?? ''}`;

export class ClusterState {
  readonly api = new ApiResources();
  readonly namespaces = new Map<string, Obj>();
  readonly crds = new Map<string, Obj>();
  private readonly objects = new Map<string, Obj>();
  private authorizer?: RbacAuthorizer;

  /**
   * @param kubernetesVersion MAJOR.MINOR the API server runs: schemas and served apiVersions are its.
   * @param admission the admission chain and CRD rules; undefined: not simulated.
   */
  constructor(private readonly kubernetesVersion: string, private readonly admission: AdmissionModel | undefined) {
    for (const name of INITIAL_NAMESPACES) this.namespaces.set(name, namespaceObject(name));
  }

  /** The namespace an object lands in: its own, else `defaultNamespace`, for namespaced kinds only. */
  namespaceOf(o: Obj, defaultNamespace: string | undefined, res = this.api.forObject(o)): string | undefined {
    if (res && !res.namespaced) return undefined;
    return o.metadata?.namespace || defaultNamespace || undefined;
  }

  /** The applied object of a kind, name and namespace. */
  get(group: string, kind: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.objects.get(`${group}/${kind}/${namespace ?? ''}/${name}`);
  }

  rbac(): RbacAuthorizer {
    this.authorizer ??= new RbacAuthorizer(this.objects.values());
    return this.authorizer;
  }

  /** Problems of the schema check alone (what a client-side dry run reports). */
  async schemaProblems(o: SimObject, res: ApiResource | undefined): Promise<Problem[]> {
    const errors = await validateSchemas([{ cluster: o.cluster, file: o.file, index: 0, object: withoutNulls(o.object) as Obj }], { kubernetesVersion: this.kubernetesVersion });
    // A kind served by a CRD of this cluster is known to the API server even when the validators
    // generated from ../shared have no schema for it.
    return errors
      .filter((e) => !(res && res.source !== 'built-in' && e.message.startsWith('unknown apiVersion/kind')))
      .map((e) => ({ path: e.path, message: `schema: ${e.message}` }));
  }

  /**
   * Applies one object as the API server would; returns why it is refused (nothing is recorded
   * then). `res` is the kind as the client resolved it (kubectl resolves every kind before it
   * applies the first object); `schema: false` when a dry run already checked it.
   */
  async apply(o: SimObject, namespace: string | undefined, opts: { res?: ApiResource | null; schema: boolean }): Promise<Problem[]> {
    const obj = withoutNulls(o.object) as Obj;
    const res = opts.res === undefined ? this.api.forObject(obj) : opts.res ?? undefined;
    if (!res) return [{ path: '.kind', message: `no matches for kind "${obj.kind}" in version "${obj.apiVersion}": no CRD serves it yet (ensure CRDs are installed first)` }];
    if (res.namespaced && namespace && !this.namespaces.has(namespace)) return [{ path: '.metadata.namespace', message: `namespaces "${namespace}" not found` }];
    if (res.namespaced && !namespace) return [{ path: '.metadata.namespace', message: 'a namespaced object with no namespace, and no default namespace to put it in' }];
    const problems: Problem[] = opts.schema ? await this.schemaProblems(o, res) : [];
    const crd = this.crds.get(`${res.group}/${res.kind}`);
    const placed: SimObject = { ...o, object: res.namespaced && obj.metadata?.namespace !== namespace ? { ...obj, metadata: { ...obj.metadata, namespace } } : obj };
    const asProblem = (f: SimFinding): Problem => ({ path: f.path, message: f.message });
    if (this.admission && crd) problems.push(...this.admission.checkCrdValidationRules(placed, crd).map(asProblem));
    if (this.admission) problems.push(...this.admission.admit(placed, { namespaces: this.namespaces, policies: this.policies() }).map(asProblem));
    if (problems.length) return problems;
    this.record(placed.object, res, namespace);
    return [];
  }

  /** Records an object the cluster holds (the API server accepted it). */
  record(obj: Obj, res: ApiResource, namespace: string | undefined): void {
    this.objects.set(keyOf(obj, res.namespaced ? namespace : undefined), obj);
    if (res.group === '' && res.kind === 'Namespace') this.namespaces.set(String(obj.metadata?.name), withNameLabel(obj));
    if (res.group === 'apiextensions.k8s.io' && res.kind === 'CustomResourceDefinition') {
      const served = this.api.addCrd(obj);
      if (served) this.crds.set(`${served.group}/${served.kind}`, obj);
    }
    if (res.group === 'rbac.authorization.k8s.io') this.authorizer = undefined;
  }

  /** The Kyverno policies the cluster holds, for the admission chain. */
  policies(): Obj[] {
    return [...this.objects.values()].filter((o) => groupOf(o.apiVersion) === 'policies.kyverno.io');
  }
}

/**
 * The object as the API server decodes it: a field set to null is a field not set (charts write
 * `annotations:` with nothing under it), so it is neither a schema error nor a value.
 */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/** The API server labels every namespace with its name (NamespaceDefaultLabelName, 1.21+). */
function withNameLabel(ns: Obj): Obj {
  const name = String(ns.metadata?.name);
  return { ...ns, metadata: { ...ns.metadata, labels: { ...(ns.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name } } };
}

export function namespaceObject(name: string): Obj {
  return withNameLabel({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
