import yaml from 'js-yaml';
import { ALLOWED_PREFIXES_VARIABLE, EXEMPTIONS_ANNOTATION } from '../primitives/annotations.js';
import type { Manifest } from '../primitives/manifests.js';
import type { Finding } from './finding.js';
import type { ClusterView, FleetRule } from './rule-types.js';
import { finding } from './rule-helpers.js';

// Image coverage: every image reference the tool writes — in pod specs of rendered workloads, and
// as image overrides in the Helm values of Applications — is checked against the cluster's own
// rendered Kyverno policies (not against the spec: the tree is what the cluster gets).

/** One image reference in a rendered object. */
export interface ImageReference {
  readonly manifest: Manifest;
  /** JSON path of the reference in the object, e.g. `.spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** The reference as the cluster will see it: `registry/repo:tag@digest`. */
  readonly image: string;
}

const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

/** Every image reference of a manifest: pod spec containers, and image overrides in Helm values. */
export function imageReferences(m: Manifest): ImageReference[] {
  const o = m.object;
  const out: ImageReference[] = [];
  const podPath = POD_SPEC_PATHS[String(o.kind)];
  if (podPath && String(o.apiVersion).match(/^(v1|apps\/v1|batch\/v1)$/)) {
    const pod = podPath.reduce<any>((v, k) => v?.[k], o);
    for (const list of CONTAINER_LISTS) {
      (Array.isArray(pod?.[list]) ? pod[list] : []).forEach((c: any, i: number) => {
        if (typeof c?.image === 'string') out.push({ manifest: m, path: `.${podPath.join('.')}.${list}[${i}].image`, image: c.image });
      });
    }
  }
  if (o.kind === 'Application' && String(o.apiVersion).startsWith('argoproj.io/')) {
    const sources: [string, any][] = o.spec?.sources
      ? o.spec.sources.map((s: any, i: number) => [`.spec.sources[${i}]`, s])
      : o.spec?.source ? [['.spec.source', o.spec.source]] : [];
    for (const [at, s] of sources) {
      const helm = s?.helm;
      if (helm?.valuesObject) walkValues(helm.valuesObject, `${at}.helm.valuesObject`, (path, image) => out.push({ manifest: m, path, image }));
      if (typeof helm?.values === 'string') {
        let values: unknown;
        try { values = yaml.load(helm.values); } catch { values = undefined; }
        walkValues(values, `${at}.helm.values`, (path, image) => out.push({ manifest: m, path, image }));
      }
    }
  }
  return out;
}

/** Chart values: `image: repo:tag` strings, and `image: { registry?, repository, tag?, digest? }` objects. */
function walkValues(v: unknown, path: string, add: (path: string, image: string) => void): void {
  if (Array.isArray(v)) { v.forEach((x, i) => walkValues(x, `${path}[${i}]`, add)); return; }
  if (!v || typeof v !== 'object') return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const at = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
    if (k === 'image' && typeof x === 'string' && x !== '') add(at, x);
    else if (k === 'image' && x && typeof x === 'object' && typeof (x as any).repository === 'string') {
      const { registry, repository, tag, digest } = x as Record<string, unknown>;
      const ref = `${typeof registry === 'string' && registry ? `${registry}/` : ''}${repository}${tag !== undefined && tag !== '' ? `:${tag}` : ''}${typeof digest === 'string' && digest ? `@${digest}` : ''}`;
      add(at, ref);
    } else walkValues(x, at, add);
  }
}

/** The parts of a reference that pinning is about. */
export function parseImage(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  return { name: tag !== undefined ? rest.slice(0, colon) : rest, tag, digest };
}

/** Kyverno's globs: `*` matches any run of characters (`/` included), `?` one. */
export function imageGlobMatch(glob: string, ref: string): boolean {
  let re = GLOBS.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    GLOBS.set(glob, re);
  }
  return re.test(ref);
}
const GLOBS = new Map<string, RegExp>();

/** Docker Hub references also in their long form, as registries and Kyverno resolve them. */
function forms(ref: string): string[] {
  const first = ref.split('/')[0];
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return [ref];
  return [ref, ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`];
}

interface ClusterPolicies {
  verification?: { manifest: Manifest; globs: string[]; requireDigest: boolean; exemptions: { image: string; reason: string; source: string }[] };
  registries?: { manifest: Manifest; prefixes: string[] };
}

const onPods = (policy: Record<string, any>) =>
  ((policy.spec?.matchConstraints?.resourceRules ?? []) as Record<string, any>[]).some((r) => (r.resources ?? []).includes('pods'));

export function readPolicies(manifests: readonly Manifest[]): ClusterPolicies {
  const out: { -readonly [K in keyof ClusterPolicies]: ClusterPolicies[K] } = {};
  for (const m of manifests) {
    const o = m.object;
    if (!String(o.apiVersion).startsWith('policies.kyverno.io/')) continue;
    // The policies on Pods (and, by autogen, the controllers' templates): their twins on
    // `kubectl debug` requests (pods/ephemeralcontainers) repeat the same lists.
    if (!onPods(o)) continue;
    if (o.kind === 'ImageValidatingPolicy') {
      let exemptions: { image: string; reason: string; source: string }[] = [];
      try { exemptions = JSON.parse(o.metadata?.annotations?.[EXEMPTIONS_ANNOTATION] ?? '[]'); } catch { exemptions = []; }
      out.verification = {
        manifest: m,
        globs: (o.spec?.matchImageReferences ?? []).flatMap((r: any) => (typeof r.glob === 'string' ? [r.glob] : [])),
        requireDigest: o.spec?.validationConfigurations?.verifyDigest === true,
        exemptions,
      };
    }
    if (o.kind === 'ValidatingPolicy') {
      const v = (o.spec?.variables ?? []).find((x: any) => x.name === ALLOWED_PREFIXES_VARIABLE);
      if (!v) continue;
      try {
        const prefixes = JSON.parse(v.expression);
        if (Array.isArray(prefixes)) out.registries = { manifest: m, prefixes: prefixes.map(String) };
      } catch { /* not the JSON-shaped list RegistryPolicy writes: treated as no allowlist */ }
    }
  }
  return out;
}


/**
 * Every image the tool writes is pinned (a tag other than `latest`, or a digest; a digest where
 * the verification policy requires one), covered by the cluster's verification policy or by a
 * reviewed exemption, and from a registry on the cluster's allowlist. An overlay's own exemption
 * that matches no image of its cluster is reported too.
 */
export const imageCoverage: FleetRule = (cluster: ClusterView) => {
  const policies = readPolicies(cluster.manifests);
  const v = policies.verification;
  const out: Finding[] = [];
  const used = new Set<number>();
  for (const ref of cluster.manifests.flatMap(imageReferences)) {
    const { manifest: m, path, image } = ref;
    const { tag, digest } = parseImage(image);
    const all = forms(image);
    // Kyverno matches the reference as written in the pod spec, so coverage does too; exemptions,
    // our own bookkeeping, also accept the long Docker Hub form.
    const signed = v?.globs.find((g) => imageGlobMatch(g, image));
    if (!tag && !digest) out.push(finding(m, path, `image "${image}" is not pinned: no tag and no digest; pin a version from catalog/versions.ts`));
    else if (tag === 'latest' && !digest) out.push(finding(m, path, `image "${image}" is pinned to "latest", which moves; pin a version or a digest`));
    if (signed && v?.requireDigest && !digest) {
      out.push(finding(m, path, `image "${image}" needs a digest: the verification policy of this cluster requires digests (imagePolicy.requireDigest); write ${parseImage(image).name}${tag ? `:${tag}` : ''}@sha256:...`));
    }
    if (!v) {
      out.push(finding(m, path, `image "${image}" is not covered: this cluster has no ImageValidatingPolicy`));
    } else if (!signed) {
      const hit = v.exemptions.findIndex((e) => all.some((f) => imageGlobMatch(e.image, f)));
      if (hit >= 0) used.add(hit);
      else {
        out.push(finding(m, path, `image "${image}" is neither covered by the verification policy (${v.globs.join(', ')}) nor exempt; sign it and publish it under a signed pattern, or add a reviewed exemption (catalog/policy.ts IMAGE_EXEMPTIONS, or imagePolicy.exemptions in the overlay)`));
      }
    }
    const prefixes = policies.registries?.prefixes;
    if (!prefixes) out.push(finding(m, path, `image "${image}" cannot be checked against a registry allowlist: this cluster has no registry policy`));
    else if (!prefixes.some((p) => image.startsWith(p))) {
      out.push(finding(m, path, `image "${image}" comes from a registry that is not allowed (allowed: ${prefixes.join(', ')}); add the registry to catalog/policy.ts UPSTREAM_REGISTRIES with its reason, or use an allowed one`));
    }
  }
  v?.exemptions.forEach((e, i) => {
    if (!e.source.startsWith('imagePolicy.') || used.has(i)) return;
    out.push(finding(v.manifest, `.metadata.annotations["${EXEMPTIONS_ANNOTATION}"]`,
      `exemption "${e.image}" (${e.source} of the overlay of ${cluster.name}) matches no image this cluster's tree writes; remove it`));
  });
  return out;
};
