// Rules over what the charts render for a cluster, next to the cluster's own objects: what a
// schema cannot see and Argo CD or the cluster would refuse, or what the platform must not allow.
import { exemptNamespaces, longImageForm } from '../catalog/policy.js';
import { INJECTION_PLACEHOLDER_IMAGE } from '../constructs/registry-policy.js';
import { objectRef, type Manifest } from '../primitives/manifests.js';
import type { Finding } from './finding.js';
import { parseImage, readPolicies } from './image-rules.js';
import { groupOf } from './rule-helpers.js';

/** The objects one Application's chart renders, as manifests filed under the Application's file. */
export interface ChartObjects {
  /** The Application (`<cluster>/<name>`). */
  readonly application: string;
  /** `<chart> <version>`, for messages. */
  readonly chart: string;
  readonly manifests: readonly Manifest[];
}

/** Kinds only the platform's own constructs write: a chart that renders one is switched off in values. */
const PLATFORM_OWNED_KINDS: readonly { group: string; kind: string; owner: string }[] = [
  { group: 'cert-manager.io', kind: 'ClusterIssuer', owner: 'charts/cert-manager.ts (the cluster\'s issuers, from tls)' },
];

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

const chartFinding = (c: ChartObjects, m: Manifest, path: string, message: string): Finding => ({
  ...(m.cluster !== undefined ? { cluster: m.cluster } : {}),
  file: m.file,
  object: objectRef(m.object),
  path,
  message: `rendered by ${c.chart} (Application ${c.application.split('/').pop()}): ${message}`,
});

/**
 * Chart objects against the cluster: images pinned and from the registries the cluster's policy
 * allows, no object the platform writes itself, no object two Applications write, no controller
 * two components run.
 */
export function checkChartObjects(charts: readonly ChartObjects[], clusterManifests: readonly Manifest[]): Finding[] {
  const out: Finding[] = [];
  const prefixes = readPolicies(clusterManifests).registries?.prefixes;
  const unchecked = new Set(exemptNamespaces('registries'));
  for (const c of charts) {
    const namespace = c.manifests.find((m) => m.object.kind === 'Application')?.object.spec?.destination?.namespace;
    for (const m of c.manifests) {
      const o = m.object;
      const owned = PLATFORM_OWNED_KINDS.find((k) => k.kind === o.kind && k.group === groupOf(m));
      if (owned) out.push(chartFinding(c, m, '.kind', `a ${o.kind} is the platform's own object (${owned.owner}); switch it off in the chart's values`));
      const ns = String(o.metadata?.namespace ?? namespace ?? '');
      for (const { path, image } of podImages(o)) {
        // Istio's gateway chart writes `image: auto`; the sidecar injector puts the proxy image in.
        if (image === INJECTION_PLACEHOLDER_IMAGE) continue;
        const { tag, digest } = parseImage(image);
        if (!tag && !digest) out.push(chartFinding(c, m, path, `image "${image}" is not pinned: no tag and no digest; set a tag in the chart's values`));
        else if (tag === 'latest' && !digest) out.push(chartFinding(c, m, path, `image "${image}" is pinned to "latest", which moves; set a version in the chart's values`));
        if (prefixes && !unchecked.has(ns) && !prefixes.some((p) => image.startsWith(p))) {
          out.push(chartFinding(c, m, path, `image "${image}" comes from a registry the cluster's policy does not allow (${prefixes.join(', ')}), so its pods would be refused; review the registry into catalog/policy.ts UPSTREAM_REGISTRIES with its reason, or set an allowed image in the chart's values`));
        }
      }
    }
  }
  out.push(...sharedObjects(charts), ...secondControllers(charts));
  return out;
}

/** The same object from two Applications: each sync would overwrite the other's (Argo CD: SharedResourceWarning). */
function sharedObjects(charts: readonly ChartObjects[]): Finding[] {
  const seen = new Map<string, ChartObjects>();
  const out: Finding[] = [];
  for (const c of charts) {
    for (const m of c.manifests) {
      const key = `${groupOf(m)}/${m.object.kind}/${m.object.metadata?.namespace ?? ''}/${m.object.metadata?.name}`;
      const first = seen.get(key);
      if (first && first.application !== c.application) {
        out.push(chartFinding(c, m, '.metadata.name', `Application ${first.application.split('/').pop()} (${first.chart}) renders the same object; two Applications would overwrite each other's — switch one off in its values`));
      } else if (!first) seen.set(key, c);
    }
  }
  return out;
}

/** The same controller image as the main container of workloads of two components: a second copy of an operator (a bundled subchart). */
function secondControllers(charts: readonly ChartObjects[]): Finding[] {
  const runs = new Map<string, ChartObjects>();
  const out: Finding[] = [];
  for (const c of charts) {
    for (const m of c.manifests) {
      if (!WORKLOAD_KINDS.has(String(m.object.kind))) continue;
      const image = m.object.spec?.template?.spec?.containers?.[0]?.image;
      if (typeof image !== 'string') continue;
      const repository = parseImage(longImageForm(image)).name;
      const first = runs.get(repository);
      // Two releases of one chart are two deliberate installs (the OTLP gateway and the node log agents), not a bundled copy.
      if (first && first.application !== c.application && first.chart !== c.chart) {
        out.push(chartFinding(c, m, '.spec.template.spec.containers[0].image', `runs ${repository}, which Application ${first.application.split('/').pop()} (${first.chart}) already runs: a second controller (a bundled subchart?) would fight the first; switch it off in the chart's values`));
      } else if (!first) runs.set(repository, c);
    }
  }
  return out;
}

const POD_SPEC: Record<string, string[]> = {
  Pod: ['spec'], Deployment: ['spec', 'template', 'spec'], StatefulSet: ['spec', 'template', 'spec'], DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'], Job: ['spec', 'template', 'spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function podImages(o: Record<string, any>): { path: string; image: string }[] {
  const at = POD_SPEC[String(o.kind)];
  if (!at) return [];
  const pod = at.reduce<any>((v, k) => v?.[k], o);
  const out: { path: string; image: string }[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    (Array.isArray(pod?.[list]) ? pod[list] : []).forEach((c: any, i: number) => {
      if (typeof c?.image === 'string') out.push({ path: `.${at.join('.')}.${list}[${i}].image`, image: c.image });
    });
  }
  return out;
}
