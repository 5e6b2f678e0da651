// Which objects a Kyverno CEL policy (policies.kyverno.io ValidatingPolicy, ImageValidatingPolicy)
// applies to on create: its matchConstraints as an admission webhook's (resource rules,
// exclusions, namespace and object selectors), and the pod controllers its autogen adds, with the
// policy rewritten as Kyverno rewrites it (pkg/cel/autogen: `object.spec` → the pod template's).
import { resourceOf } from '../../primitives/kinds.js';
import { selectorMatches } from '../../validate/observability-rules.js';

/** Kyverno's autogen targets (pkg/cel/autogen/data.go): controller → its kind and the rewrite. */
const AUTOGEN: Readonly<Record<string, { group: string; kind: string; template: string }>> = {
  daemonsets: { group: 'apps', kind: 'DaemonSet', template: 'spec.template' },
  deployments: { group: 'apps', kind: 'Deployment', template: 'spec.template' },
  replicasets: { group: 'apps', kind: 'ReplicaSet', template: 'spec.template' },
  statefulsets: { group: 'apps', kind: 'StatefulSet', template: 'spec.template' },
  jobs: { group: 'batch', kind: 'Job', template: 'spec.template' },
  cronjobs: { group: 'batch', kind: 'CronJob', template: 'spec.jobTemplate.spec.template' },
};

/** The namespace's labels as the API server keeps them: `kubernetes.io/metadata.name` always set. */
export function namespaceLabels(name: string | undefined, namespace: Record<string, any> | undefined): Record<string, string> {
  const labels: Record<string, string> = { ...(namespace?.metadata?.labels ?? {}) };
  const n = namespace?.metadata?.name ?? name;
  if (n) labels['kubernetes.io/metadata.name'] = n;
  return labels;
}

export function groupVersion(apiVersion: unknown): { group: string; version: string } {
  const parts = String(apiVersion ?? '').split('/');
  return parts.length === 2 ? { group: parts[0]!, version: parts[1]! } : { group: '', version: parts[0]! };
}

const listHas = (list: readonly string[] | undefined, value: string) => !list || list.includes('*') || list.includes(value);

/**
 * The request a policy is matched against: its operation and, for a subresource request (`kubectl
 * debug` is an UPDATE of pods/ephemeralcontainers), the subresource. @default a CREATE of the object
 */
export interface MatchRequest {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly subResource?: string;
}

const CREATE: MatchRequest = { operation: 'CREATE' };

/** Whether a NamedRuleWithOperations covers `request` on `object`. */
function ruleCovers(rule: Record<string, any>, object: Record<string, any>, request: MatchRequest = CREATE): boolean {
  const { group, version } = groupVersion(object.apiVersion);
  const resource = object.kind === 'Endpoints' ? 'endpoints' : resourceOf(String(object.kind));
  const sub = request.subResource;
  const names: string[] = rule.resourceNames ?? [];
  // A subresource is matched only by its own name, `resource/*`, `*/sub` or `*/*` (never by `resource` or `*`).
  const covers = (r: string) => (sub
    ? r === `${resource}/${sub}` || r === `${resource}/*` || r === `*/${sub}` || r === '*/*'
    : r === '*' || r === resource || r === `${resource}/*` || r === '*/*');
  return listHas(rule.apiGroups, group) && listHas(rule.apiVersions, version)
    && ((rule.resources ?? []) as string[]).some(covers)
    && listHas(rule.operations, request.operation) && (!names.length || names.includes(object.metadata?.name));
}

/** Whether matchConstraints select `request` (creating, unless told) on `object` in a namespace with `nsLabels`. */
export function constraintsMatch(match: Record<string, any> | undefined, object: Record<string, any>, nsLabels: Record<string, string>, request: MatchRequest = CREATE): boolean {
  if (!match) return false;
  if (!((match.resourceRules ?? []) as Record<string, any>[]).some((r) => ruleCovers(r, object, request))) return false;
  if (((match.excludeResourceRules ?? []) as Record<string, any>[]).some((r) => ruleCovers(r, object, request))) return false;
  const { group } = groupVersion(object.apiVersion);
  // Rendered objects carry their namespace (the tree's writer sets it on namespaced kinds).
  const clusterScoped = !object.metadata?.namespace;
  // A webhook's namespaceSelector skips cluster-scoped objects, except a Namespace, which it reads itself.
  const scopeLabels = object.kind === 'Namespace' && group === '' ? object.metadata?.labels ?? {} : nsLabels;
  if (match.namespaceSelector && (!clusterScoped || object.kind === 'Namespace') && !selects(match.namespaceSelector, scopeLabels)) return false;
  return !match.objectSelector || selects(match.objectSelector, object.metadata?.labels ?? {});
}

/** An absent or empty selector selects everything. */
const selects = (selector: Record<string, any>, labels: Record<string, string>) => selectorMatches(selector, labels) || isEmpty(selector);
const isEmpty = (s: Record<string, any>) => !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;

/** autogen.CanAutoGen: only a policy on Pods alone (v1, no names, selectors or exclusions) is rewritten. */
function canAutogen(match: Record<string, any> | undefined): boolean {
  if (!match || (match.objectSelector && !isEmpty(match.objectSelector)) || match.excludeResourceRules?.length) return false;
  const rules = match.resourceRules ?? [];
  if (rules.length !== 1) return false;
  const r = rules[0];
  const one = (l: unknown, v: string) => Array.isArray(l) && l.length === 1 && l[0] === v;
  return !r.resourceNames?.length && one(r.apiGroups, '') && one(r.apiVersions, 'v1') && one(r.resources, 'pods');
}

/**
 * The policy spec as Kyverno applies it to `object`: the spec itself when its constraints match;
 * the autogen rewrite when `object` is one of the pod controllers autogen covers (in a namespace
 * the selector lets through); otherwise undefined.
 */
export function applicableSpec(spec: Record<string, any>, object: Record<string, any>, nsLabels: Record<string, string>, request: MatchRequest = CREATE): Record<string, any> | undefined {
  if (constraintsMatch(spec.matchConstraints, object, nsLabels, request)) return spec;
  // Autogen rewrites a policy for the controllers' own requests, never for a subresource's.
  const target = request.subResource ? undefined : autogenTarget(spec, object);
  if (!target) return undefined;
  const operations: string[] = spec.matchConstraints.resourceRules[0].operations ?? [];
  const ns = spec.matchConstraints.namespaceSelector;
  if (!listHas(operations, request.operation) || (ns && object.metadata?.namespace && !selects(ns, nsLabels))) return undefined;
  return rewriteForTemplate(spec, target.template);
}

function autogenTarget(spec: Record<string, any>, object: Record<string, any>) {
  if (!canAutogen(spec.matchConstraints)) return undefined;
  const controllers: string[] = spec.autogen?.podControllers?.controllers ?? Object.keys(AUTOGEN);
  const { group, version } = groupVersion(object.apiVersion);
  if (version !== 'v1') return undefined;
  return controllers.map((c) => AUTOGEN[c]).find((t) => t && t.group === group && t.kind === object.kind);
}

const rewritten = new WeakMap<Record<string, any>, Map<string, Record<string, any>>>();

/**
 * Kyverno's autogen replacement, on the JSON text of the spec as Kyverno does it:
 * `object.spec` and `object.metadata` (and the oldObject ones) become the template's, except
 * `.metadata.namespace`, which stays the controller's. Cached per spec and template.
 */
function rewriteForTemplate(spec: Record<string, any>, template: string): Record<string, any> {
  let byTemplate = rewritten.get(spec);
  if (!byTemplate) rewritten.set(spec, (byTemplate = new Map()));
  let out = byTemplate.get(template);
  if (!out) {
    let text = JSON.stringify(spec);
    for (const [from, to] of [['spec', `${template}.spec`], ['metadata', `${template}.metadata`]] as const) {
      for (const root of ['object.', 'oldObject.']) text = replaceUnprotected(text, root + from, root + to);
    }
    out = JSON.parse(text) as Record<string, any>;
    byTemplate.set(template, out);
  }
  return out;
}

/** Every `from` replaced by `to`, except where `.namespace` (as a whole segment) follows. */
function replaceUnprotected(text: string, from: string, to: string): string {
  let out = '';
  let i = 0;
  for (let j = text.indexOf(from); j >= 0; j = text.indexOf(from, i)) {
    const rest = text.slice(j + from.length);
    out += text.slice(i, j) + (/^\.namespace(?![A-Za-z0-9_])/.test(rest) ? from : to);
    i = j + from.length;
  }
  return out + text.slice(i);
}
