// Kyverno's CEL policies (policies.kyverno.io) against an object being created, as Kyverno's
// admission webhook evaluates them: matchConstraints (and autogen for pod controllers),
// matchConditions, variables, then validations, with validationActions deciding whether a
// failure denies (Deny) or is only reported (Audit, Warn). ImageValidatingPolicy signature checks
// are not run: the images a policy covers are assumed signed, and imagesNeedingSignature lists
// the others for the report.
import { compileCel, toCel, type EvaluatedCel } from '../cel/environment.js';
import type { SimFinding, SimObject } from '../model.js';
import { admissionFinding } from './finding.js';
import { applicableSpec, constraintsMatch, groupVersion, namespaceLabels, type MatchRequest } from './kyverno-match.js';
import { podTemplate, type PodTemplate } from './pod-security.js';

/** The variables of a ValidatingPolicy's CEL (Kyverno's, as ValidatingAdmissionPolicy's). */
const VARIABLES = ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables'];

const GROUP = 'policies.kyverno.io';
const isKyverno = (p: Record<string, any>, kind: string) => groupVersion(p?.apiVersion).group === GROUP && p?.kind === kind;

function evaluate(source: string, activation: Record<string, unknown>): EvaluatedCel {
  const c = compileCel(source, VARIABLES);
  return c.ok ? c.evaluate(activation) : { ok: false, error: `does not compile: ${c.error}` };
}

/**
 * `variables` as CEL sees them: each computed when first read (as the API server does), from the
 * activation that already holds the earlier ones. A failing variable fails the expressions that
 * read it.
 */
function lazyVariables(defs: readonly Record<string, any>[], activation: Record<string, unknown>): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const def of defs) {
    let result: EvaluatedCel | undefined;
    Object.defineProperty(vars, def.name, {
      enumerable: true,
      get() {
        result ??= evaluate(String(def.expression), activation);
        if (!result.ok) throw new Error(`variable ${def.name}: ${result.error}`);
        return result.value;
      },
    });
  }
  return vars;
}

/**
 * The admission request around an object, for checks of requests other than Argo CD's sync (a
 * person's `kubectl apply`, a `kubectl debug`). Every field defaults to what a sync sends.
 */
export interface AdmissionRequest {
  /** @default 'CREATE' */
  readonly operation?: MatchRequest['operation'];
  /** The subresource, e.g. `ephemeralcontainers` for `kubectl debug`. @default - none */
  readonly subResource?: string;
  /** Who sends it. @default - the Argo CD application controller's ServiceAccount (argocd/argocd-application-controller) */
  readonly userInfo?: { readonly username: string; readonly groups?: readonly string[] };
  /** The object before an UPDATE. @default - none (null in CEL) */
  readonly oldObject?: Record<string, any>;
}

const ARGOCD_CONTROLLER = { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'] };

const matchRequest = (r: AdmissionRequest): MatchRequest => ({ operation: r.operation ?? 'CREATE', ...(r.subResource ? { subResource: r.subResource } : {}) });

/** What CEL sees of the request: by default a CREATE of `object` by the Argo CD application controller. */
function activationFor(object: Record<string, any>, namespace: Record<string, any> | undefined, spec: Record<string, any>, request: AdmissionRequest = {}) {
  const { group, version } = groupVersion(object.apiVersion);
  const activation: Record<string, unknown> = {
    object: toCel(object),
    oldObject: request.oldObject ? toCel(request.oldObject) : null,
    params: null,
    namespaceObject: namespace ? toCel(namespace) : null,
    request: toCel({
      operation: request.operation ?? 'CREATE', name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '',
      kind: { group, version, kind: object.kind }, dryRun: false,
      ...(request.subResource ? { subResource: request.subResource } : {}),
      userInfo: request.userInfo ? { groups: [], ...request.userInfo } : ARGOCD_CONTROLLER,
    }),
  };
  activation.variables = lazyVariables(spec.variables ?? [], activation);
  return activation;
}

/** The message of a failed validation: messageExpression, else message, else the expression. */
function messageOf(v: Record<string, any>, activation: Record<string, unknown>): string {
  if (v.messageExpression) {
    const r = evaluate(String(v.messageExpression), activation);
    if (r.ok && typeof r.value === 'string' && r.value.trim()) return r.value;
  }
  return v.message ?? `failed expression: ${v.expression}`;
}

/**
 * The Deny findings of every ValidatingPolicy that applies to creating `obj` (or to `request`). An
 * expression that cannot be compiled or evaluated denies when the policy fails closed
 * (failurePolicy Fail, the default). Audit and Warn results are not failures.
 */
export function checkKyvernoPolicies(
  obj: SimObject, policies: readonly Record<string, any>[], namespace: Record<string, any> | undefined, request: AdmissionRequest = {},
): SimFinding[] {
  const nsLabels = namespaceLabels(obj.object.metadata?.namespace, namespace);
  const findings: SimFinding[] = [];
  const tpl = podTemplate(obj.object);
  const path = tpl?.specPath ?? '.';
  for (const policy of policies) {
    if (!isKyverno(policy, 'ValidatingPolicy')) continue;
    const spec0 = policy.spec ?? {};
    if (spec0.evaluation?.mode === 'JSON' || spec0.evaluation?.admission?.enabled === false) continue;
    // A controller that autogen does not cover is let through, and then each pod it creates is judged.
    let target = obj.object;
    let spec = applicableSpec(spec0, target, nsLabels, matchRequest(request));
    let verdict = 'denied';
    if (!spec && tpl && obj.object.kind !== 'Pod' && !request.subResource) {
      target = podOf(obj.object, tpl);
      spec = constraintsMatch(spec0.matchConstraints, target, nsLabels) ? spec0 : undefined;
      verdict = 'its pods would be denied';
    }
    if (!spec) continue;
    // Kyverno's ValidationActions(): none set means Deny.
    const actions: string[] = spec.validationActions?.length ? spec.validationActions : ['Deny'];
    const deny = actions.includes('Deny');
    if (!deny) continue;
    const failClosed = (spec.failurePolicy ?? 'Fail') === 'Fail';
    const name = `Kyverno ValidatingPolicy ${policy.metadata?.name}`;
    const activation = activationFor(target, namespace, spec, request);

    const conditions = (spec.matchConditions ?? []) as Record<string, any>[];
    let applies = true;
    for (const c of conditions) {
      const r = evaluate(String(c.expression), activation);
      if (!r.ok) {
        if (failClosed) findings.push(admissionFinding(obj, path, `${verdict} by ${name}: matchCondition ${c.name} could not be evaluated: ${r.error}`));
        applies = false;
        break;
      }
      if (r.value !== true) {
        applies = false;
        break;
      }
    }
    if (!applies) continue;

    for (const v of (spec.validations ?? []) as Record<string, any>[]) {
      const r = evaluate(String(v.expression), activation);
      if (!r.ok || typeof r.value !== 'boolean') {
        const why = r.ok ? `gives ${typeof r.value}, not a bool` : r.error;
        if (failClosed) findings.push(admissionFinding(obj, path, `${verdict} by ${name}: validation ${JSON.stringify(v.expression)} could not be evaluated: ${why}`));
        continue;
      }
      if (!r.value) findings.push(admissionFinding(obj, path, `${verdict} by ${name}: ${messageOf(v, activation)}`));
    }
  }
  return findings;
}

/** The Pod a controller would create from its template. */
function podOf(controller: Record<string, any>, tpl: PodTemplate): Record<string, any> {
  const namespace = controller.metadata?.namespace;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...tpl.metadata, ...(namespace ? { namespace } : {}) }, spec: tpl.spec };
}

/** Every container image of a Pod or pod template, in the order the pod lists them. */
export function podImages(object: Record<string, any>): string[] {
  const spec = podTemplate(object)?.spec;
  if (!spec) return [];
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  return all.map((c: Record<string, any>) => c?.image).filter((i): i is string => typeof i === 'string');
}

/**
 * A Kyverno image glob as a RegExp, as github.com/gobwas/glob compiles it without separators:
 * `*` any characters (`/` included), `?` one, `[abc]`, `[a-z]`, `[!a]`, `{a,b}`, and `\x` for a literal x.
 */
function globRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}

function globSource(glob: string): string {
  const literal = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const close = c === '[' ? glob.indexOf(']', i + 1) : c === '{' ? glob.indexOf('}', i + 1) : -1;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '\\' && i + 1 < glob.length) out += literal(glob[++i]!);
    else if (c === '[' && close > i + 1) {
      const body = glob.slice(i + 1, close);
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else if (c === '{' && close > i) {
      out += `(?:${glob.slice(i + 1, close).split(',').map(globSource).join('|')})`;
      i = close;
    } else out += literal(c);
  }
  return out;
}

/** Whether an ImageValidatingPolicy's matchImageReferences (globs or CEL on `ref`) cover an image. */
function covers(spec: Record<string, any>, image: string): boolean {
  return ((spec.matchImageReferences ?? []) as Record<string, any>[]).some((m) => {
    if (typeof m.glob === 'string') return globRegExp(m.glob).test(image);
    if (typeof m.expression === 'string') {
      const c = compileCel(m.expression, ['ref']);
      const r = c.ok ? c.evaluate({ ref: image }) : undefined;
      return r?.ok === true && r.value === true;
    }
    return false;
  });
}

/** The image globs a policy's exemption annotation lists (reviewed images run unsigned). */
function exemptions(policy: Record<string, any>): RegExp[] {
  const text = policy.metadata?.annotations?.['policy.platform.company.ru/image-exemptions'];
  if (typeof text !== 'string') return [];
  try {
    return (JSON.parse(text) as { image?: unknown }[]).flatMap((e) => (typeof e.image === 'string' ? [globRegExp(e.image)] : []));
  } catch {
    return [];
  }
}

/**
 * The images of `obj` that an ImageValidatingPolicy applying to it does not cover and that no
 * reviewed exemption lists: images that run without a signature check, for the report. Covered
 * images are taken as signed (signatures are not verified offline). Sorted, each once.
 */
export function imagesNeedingSignature(obj: SimObject, policies: readonly Record<string, any>[], namespace?: Record<string, any>, request: AdmissionRequest = {}): string[] {
  const images = podImages(obj.object);
  if (!images.length) return [];
  const nsLabels = namespaceLabels(obj.object.metadata?.namespace, namespace);
  const applying = policies.filter((p) => isKyverno(p, 'ImageValidatingPolicy') && applicableSpec(p.spec ?? {}, obj.object, nsLabels, matchRequest(request)));
  if (!applying.length) return [];
  const exempt = applying.flatMap(exemptions);
  const unsigned = images.filter((i) => !applying.some((p) => covers(p.spec, i)) && !exempt.some((re) => re.test(i)));
  return [...new Set(unsigned)].sort();
}
