import { App, Chart } from 'cdk8s';
import { toYaml } from '../primitives/yaml-text.js';
import type { Manifest } from '../primitives/manifests.js';
import type { OutputFile } from '../writer/index.js';
import type { ClusterSpec } from '../spec/schema.js';
import { AppsChart } from './apps.js';
import { argoCdComponent } from './argocd.js';
import { BootstrapChart } from './bootstrap.js';
import { certManagerComponents } from './cert-manager.js';
import { externalDnsComponent } from './external-dns.js';
import { ingressComponent, istioControlPlaneComponents } from './ingress.js';
import { loadBalancerComponents } from './load-balancer.js';
import { meshComponents } from './mesh.js';
import { kyvernoComponent } from './kyverno.js';
import { backupComponent } from './backup.js';
import { monitoringComponents } from './monitoring.js';
import { opencostComponent } from './opencost.js';
import { serviceComponents } from './services.js';
import { vaultComponents } from './vault.js';
import { sopsSecretsOperatorComponent } from './sops-secrets-operator.js';
import { WAVES, type ClusterFacts, type PlatformComponent, type RenderInputs, type ResolvedComponent } from './component.js';
import { loadDashboards } from '../spec/dashboards.js';
import { componentKinds, componentSource, foreignObjectsOf, kindScopes } from './derive.js';
import { applyingClusterRolesServerSide, bootstrapInputs } from './derive-bootstrap.js';
import { collectImages, type ChartFootprint } from '../chart-renders/footprint.js';
import { ChartFootprints, FOOTPRINTS_FILE, chartsModeFromEnv, readFootprintFile } from '../chart-renders/footprints.js';
import type { ChartRender, HelmSource } from '../chart-renders/render.js';
import { builtinApiVersions, clusterApiVersions, crdApisOf, type CrdApi } from '../chart-renders/api-versions.js';
import { kubeVersionOf } from '../spec/kubernetes-version.js';
import { join } from 'node:path';
import { ProjectsChart, teamHostsComponent } from './projects.js';
import { synthChart } from './synth-chart.js';

/** Where a cluster's tree lives in the GitOps repository: the contract with infra-gitops. */
export function clusterPath(spec: ClusterSpec): string {
  return `clusters/${spec.name}`;
}

/** The components a cluster gets besides Argo CD, in sync order. Later issues add theirs here. */
function componentsBesidesArgoCd(spec: ClusterSpec): PlatformComponent[] {
  const externalDns = externalDnsComponent(spec);
  const teamHosts = teamHostsComponent(spec);
  return [
    sopsSecretsOperatorComponent(),
    ...certManagerComponents(spec),
    ...(externalDns ? [externalDns] : []),
    ...istioControlPlaneComponents(spec),
    ...loadBalancerComponents(spec),
    ingressComponent(spec),
    ...meshComponents(spec),
    kyvernoComponent(spec),
    ...(teamHosts ? [teamHosts] : []),
    ...monitoringComponents(spec),
    ...vaultComponents(spec),
    backupComponent(spec),
    opencostComponent(spec),
    ...serviceComponents(spec),
  ];
}

/**
 * The components a cluster gets, in sync order, for what does not depend on their charts'
 * footprints (the Secrets they read). Argo CD's managed namespaces here lack the foreign ones
 * renderCluster derives from the charts.
 */
export function platformComponents(spec: ClusterSpec): PlatformComponent[] {
  const others = componentsBesidesArgoCd(spec);
  return [argoCdComponent(spec, managedNamespaces(spec, others), helmPins(others), others.map((c) => c.name)), ...others];
}

const helmPins = (components: readonly PlatformComponent[]) => components.flatMap((c) => (c.helm ? [c.helm.chart] : []));

function managedNamespaces(spec: ClusterSpec, components: readonly PlatformComponent[]): string[] {
  return [...new Set([
    spec.argocd.namespace,
    ...components.map((c) => c.namespace),
    ...spec.teams.flatMap((t) => t.namespaces),
  ])].sort();
}

export interface RenderClusterOptions {
  /**
   * Where the components' chart footprints come from (renders from the chart cache, or the
   * committed charts.footprints.json). @default - the committed file in the working directory, no rendering
   */
  readonly footprints?: ChartFootprints;
  /** `.Capabilities.KubeVersion` the charts are rendered for. @default - the cluster's kubernetesVersion (kubeVersionOf) */
  readonly kubeVersion?: string;
  /** What the charts read besides the spec. @default - the dashboards of the working directory (loadDashboards) */
  readonly inputs?: RenderInputs;
  /**
   * `.Capabilities.APIVersions` (beyond Helm's defaults) the charts are rendered with.
   * @default - what the cluster serves once its components are installed (installedApiVersions)
   */
  readonly apiVersions?: readonly string[];
}

/**
 * Renders one cluster: one cdk8s App per cluster, one Chart per folder, one object per file. Each
 * chart is synthesized by synthChart (cdk8s's chart.toJson without its walks of the whole App and
 * its second copy of every object) and serialized with js-yaml, which is faster than cdk8s's own
 * `yaml` serializer (cdk8s-performance.md §4); the keys are already in cdk8s's order.
 *
 * What the platform hands over to Argo CD and the cluster (the controller's RBAC, the platform
 * project's lists, the managed namespaces, the registry allowlist) is derived from what each
 * component's chart renders and from its own objects (charts/derive.ts), in this order: the
 * footprints of the charts besides Argo CD and the components' own objects give the namespaces
 * Argo CD manages, which are Argo CD's own values; then its footprint; then the objects that read
 * every image of the cluster (the registry allowlist).
 */
export function renderCluster(spec: ClusterSpec, options: RenderClusterOptions = {}): RenderedCluster {
  const footprints = options.footprints ?? committedFootprints();
  const kubeVersion = options.kubeVersion ?? kubeVersionOf(spec);
  const inputs = options.inputs ?? { dashboards: loadDashboards() };
  const app = new App({ outdir: '/nonexistent' });
  const base = clusterPath(spec);
  const warnings: string[] = [];
  const renders: ComponentRender[] = [];
  const unrendered: string[] = [];
  const others = componentsBesidesArgoCd(spec);
  const sourceOf = (c: PlatformComponent) => componentSource(spec, c, `${base}/apps/application-${c.name}.yaml`);

  // The components' own objects, each component in its own cdk8s Chart; those that read the
  // cluster's images come last.
  const ownJson = new Map<string, Record<string, any>[]>();
  const componentCharts = new Map<string, Chart>();
  const addOwnObjects = (c: PlatformComponent, facts?: ClusterFacts) => {
    if (!c.addObjects) return;
    const chart = new Chart(app, c.name, { namespace: c.namespace });
    c.addObjects(chart, spec, facts, inputs);
    componentCharts.set(c.name, chart);
    ownJson.set(c.name, synthChart(chart));
  };
  for (const c of others) if (!c.readsClusterImages) addOwnObjects(c);

  const installed = installedCrds(spec, others, ownJson, footprints, kubeVersion, sourceOf);
  const apiVersions = options.apiVersions ?? clusterApiVersions(kubeVersion, installed.flatMap((i) => i.crds));
  // A hydrated folder is applied as rendered, never re-rendered once later waves' CRDs exist: its
  // chart sees only the CRDs of earlier waves, or it would hold objects (a ServiceMonitor) that
  // cannot apply before their CRD, and the root would wait on it forever.
  const apiVersionsOf = (c: PlatformComponent) => (options.apiVersions || !spec.argocd.hydrate
    ? apiVersions
    : clusterApiVersions(kubeVersion, installed.filter((i) => i.wave < (c.helm!.wave ?? WAVES.operators)).flatMap((i) => i.crds)));
  const footprintOfComponent = (c: PlatformComponent): ChartFootprint | undefined => {
    if (!c.helm) return undefined;
    const source = sourceOf(c);
    const found = footprints.of(source, kubeVersion, apiVersionsOf(c));
    warnings.push(...found.warnings);
    if (found.render) renders.push({ component: c.name, render: found.render });
    else unrendered.push(`${source.application}: chart ${source.chart} ${source.version} is not in the chart cache`);
    return found.footprint;
  };
  const chartFootprints = new Map<string, ChartFootprint | undefined>(others.map((c) => [c.name, footprintOfComponent(c)]));

  const scopes = kindScopes([...chartFootprints.values()].flatMap((f) => f?.crds ?? []));
  const managedBesidesArgoCd = new Set(managedNamespaces(spec, others));
  const kindsOf = (c: PlatformComponent) => componentKinds(c, chartFootprints.get(c.name), ownJson.get(c.name) ?? [], scopes);
  const foreign = new Set(others.flatMap((c) => foreignObjectsOf(kindsOf(c), managedBesidesArgoCd).map((f) => f.namespace)));
  const argoCd = argoCdComponent(spec, [...new Set([...managedBesidesArgoCd, ...foreign])].sort(), helmPins(others), others.map((c) => c.name));
  chartFootprints.set(argoCd.name, footprintOfComponent(argoCd));

  const images = new Set<string>();
  for (const f of chartFootprints.values()) for (const i of f?.images ?? []) images.add(i);
  for (const objects of ownJson.values()) for (const o of objects) collectImages(o, (i) => images.add(i));
  // The platform's own namespaces: a team's namespace stays the team's even where the platform
  // adds objects to it (services-<namespace>).
  const teamNamespaces = new Set(spec.teams.flatMap((t) => t.namespaces));
  const platformNamespaces = [...new Set([spec.argocd.namespace, ...others.map((c) => c.namespace)])].filter((ns) => !teamNamespaces.has(ns)).sort();
  for (const c of others) if (c.readsClusterImages) addOwnObjects(c, { images: [...images].sort(), platformNamespaces });

  // With every footprint known (CRDs of Argo CD's chart included), each component's kinds.
  const components: PlatformComponent[] = [argoCd, ...others];
  const finalScopes = kindScopes([...chartFootprints.values()].flatMap((f) => f?.crds ?? []));
  const managed = managedNamespaces(spec, others);
  const managedSet = new Set(managed);
  const resolved: ResolvedComponent[] = components.map((c) => {
    const kinds = componentKinds(c, chartFootprints.get(c.name), ownJson.get(c.name) ?? [], finalScopes);
    return { ...applyingClusterRolesServerSide(c, chartFootprints.get(c.name)), clusterKinds: kinds.clusterKinds, foreignObjects: foreignObjectsOf(kinds, managedSet) };
  });

  const folders: [string, Record<string, any>[]][] = [];
  const withObjects = new Set<string>();
  for (const c of components) {
    if (!componentCharts.has(c.name)) continue;
    folders.push([c.name, ownJson.get(c.name)!]);
    withObjects.add(c.name);
  }
  const fromRenders = bootstrapInputs(components, chartFootprints, ownJson, kubeVersion);
  folders.push(['bootstrap', synthChart(new BootstrapChart(app, 'bootstrap', { spec, components: resolved, managedNamespaces: managed, clusterPath: base, ...fromRenders }))]);
  if (spec.teams.length) folders.push(['projects', synthChart(new ProjectsChart(app, 'projects', spec))]);
  folders.push(['apps', synthChart(new AppsChart(app, 'apps', { spec, components: resolved, componentsWithObjects: withObjects, clusterPath: base }))]);

  const files: OutputFile[] = [];
  const manifests: Manifest[] = [];
  for (const [folder, objects] of folders) {
    const names = objects.map((o) => fileBase(o, false));
    objects.forEach((o, i) => {
      // Same kind and name twice in a folder (two namespaces): qualify both with the namespace.
      const clash = names.indexOf(names[i]) !== names.lastIndexOf(names[i]);
      const path = `${base}/${folder}/${fileBase(o, clash)}.yaml`;
      files.push({ path, content: toYaml(o) });
      manifests.push({ cluster: spec.name, file: path, index: 0, object: o });
    });
  }
  const byPath = (a: { path?: string; file?: string }, b: { path?: string; file?: string }) => {
    const x = a.path ?? a.file!, y = b.path ?? b.file!;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return { cluster: spec.name, files: files.sort(byPath), manifests: manifests.sort(byPath), warnings, renders, unrendered, apiVersions };
}

/** CRDs a cluster's components install, and the sync wave that installs them. */
interface InstalledCrds {
  readonly wave: number;
  readonly crds: readonly CrdApi[];
}

/**
 * The CRDs the cluster's components install, by wave: with the built-in API versions of its
 * Kubernetes version, what the cluster serves once they are installed (what Argo CD passes as
 * `--api-versions`; clusterApiVersions).
 *
 * The CRDs come from renders, and renders read the API versions: a fixpoint. It is cut by
 * taking the CRDs from each chart rendered for the fresh cluster (built-in APIs only): charts
 * ship CRDs from crds/ (never templated) or from templates gated on their own values, not on
 * `.Capabilities.APIVersions`; every chart is then rendered once more with the full set (the
 * steady state Argo CD re-renders to once the CRDs are established; a hydrated cluster's charts
 * with the CRDs of earlier waves, see renderCluster). Argo
 * CD's CRDs come from its chart with the managed namespaces the spec names (its final values add
 * namespaces found in the other charts' renders, which need the CRDs first). Both renders'
 * footprints are recorded, so `--charts off` finds the same set in charts.footprints.json.
 */
function installedCrds(
  spec: ClusterSpec,
  others: readonly PlatformComponent[],
  ownJson: ReadonlyMap<string, readonly Record<string, any>[]>,
  footprints: ChartFootprints,
  kubeVersion: string,
  sourceOf: (c: PlatformComponent) => HelmSource,
): InstalledCrds[] {
  const builtin = builtinApiVersions(kubeVersion);
  const argoCd = argoCdComponent(spec, managedNamespaces(spec, others), helmPins(others), others.map((c) => c.name));
  const out: InstalledCrds[] = [];
  for (const c of [argoCd, ...others]) {
    if (c.helm) {
      // Warnings and renders are those of the second render (renderCluster), not repeated here.
      const crds = footprints.of(sourceOf(c), kubeVersion, builtin).footprint.crds.map((crd) => ({ group: crd.group, kind: crd.kind, versions: crd.versions ?? [] }));
      out.push({ wave: c.helm.wave ?? WAVES.operators, crds }); // apps.ts's default wave
    }
    const own = crdApisOf(ownJson.get(c.name) ?? []);
    if (own.length) out.push({ wave: c.objectsWave ?? WAVES.config, crds: own });
  }
  return out;
}

/** A chart render of one component, for the checks that read every object a chart renders. */
export interface ComponentRender {
  readonly component: string;
  readonly render: ChartRender;
}

let committed: ChartFootprints | undefined;
/** The committed charts.footprints.json of the working directory, read once per process. */
function committedFootprints(): ChartFootprints {
  const file = join(process.cwd(), FOOTPRINTS_FILE);
  committed ??= new ChartFootprints(readFootprintFile(file), undefined, file, chartsModeFromEnv() === 'off');
  return committed;
}

/** A cluster's rendered files, and the same objects as data for validation. */
export interface RenderedCluster {
  readonly cluster: string;
  readonly files: OutputFile[];
  readonly manifests: Manifest[];
  /** What the footprints could not check (a chart not in the cache, a package without its subcharts), one line each. */
  readonly warnings: readonly string[];
  /** The charts rendered from the cache for this cluster (none when the footprints came from the committed file). */
  readonly renders: readonly ComponentRender[];
  /** The Applications whose chart was not rendered (footprint from the committed file), one line each. */
  readonly unrendered: readonly string[];
  /** The `.Capabilities.APIVersions` (beyond Helm's defaults) the charts were rendered with, sorted. */
  readonly apiVersions: readonly string[];
}

function fileBase(o: Record<string, any>, withNamespace: boolean): string {
  const kind = String(o.kind).toLowerCase();
  const ns = withNamespace && o.metadata?.namespace ? `${o.metadata.namespace}.` : '';
  return `${kind}-${ns}${o.metadata?.name}`;
}

export { toYaml } from '../primitives/yaml-text.js';
