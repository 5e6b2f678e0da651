import { App, Chart } from 'cdk8s';
import yaml from 'js-yaml';
import type { Manifest } from '../lib/manifests.js';
import type { OutputFile } from '../writer/index.js';
import type { ClusterSpec } from '../spec/schema.js';
import { AppsChart } from './apps.js';
import { argoCdComponent } from './argocd.js';
import { BootstrapChart, foreignNamespaces } from './bootstrap.js';
import { certManagerComponents } from './cert-manager.js';
import { externalDnsComponent } from './external-dns.js';
import { ingressComponent, istioControlPlaneComponents } from './ingress.js';
import { meshComponents } from './mesh.js';
import { kyvernoComponent } from './kyverno.js';
import { backupComponent } from './backup.js';
import { monitoringComponents } from './monitoring.js';
import { opencostComponent } from './opencost.js';
import { serviceComponents } from './services.js';
import { vaultComponents } from './vault.js';
import { sopsSecretsOperatorComponent } from './sops-secrets-operator.js';
import type { PlatformComponent } from './component.js';
import { ProjectsChart } from './projects.js';

/** Where a cluster's tree lives in the GitOps repository: the contract with infra-gitops. */
export function clusterPath(spec: ClusterSpec): string {
  return `clusters/${spec.name}`;
}

/** The components a cluster gets, in sync order. Later issues add theirs here. */
export function platformComponents(spec: ClusterSpec): PlatformComponent[] {
  const externalDns = externalDnsComponent(spec);
  const others: PlatformComponent[] = [
    sopsSecretsOperatorComponent(),
    ...certManagerComponents(spec),
    ...(externalDns ? [externalDns] : []),
    ...istioControlPlaneComponents(spec),
    ingressComponent(spec),
    ...meshComponents(spec),
    kyvernoComponent(spec),
    ...monitoringComponents(spec),
    ...vaultComponents(spec),
    backupComponent(spec),
    opencostComponent(spec),
    ...serviceComponents(spec),
  ];
  // Argo CD manages the platform's and the teams' namespaces, and the few objects components
  // write into namespaces they do not own.
  const managed = [...new Set([...managedNamespaces(spec, others), ...foreignNamespaces(others).keys()])].sort();
  return [argoCdComponent(spec, managed, others.flatMap((c) => (c.helm ? [c.helm.chart] : []))), ...others];
}

function managedNamespaces(spec: ClusterSpec, components: readonly PlatformComponent[]): string[] {
  return [...new Set([
    spec.argocd.namespace,
    ...components.map((c) => c.namespace),
    ...spec.teams.flatMap((t) => t.namespaces),
  ])].sort();
}

/**
 * Renders one cluster: one cdk8s App per cluster (cdk8s is super-linear in charts per App), one
 * Chart per folder, one object per file. Serialized with js-yaml, which is faster than cdk8s's
 * own `yaml` serializer (cdk8s-performance.md §4); cdk8s has already sorted the keys.
 */
export function renderCluster(spec: ClusterSpec): RenderedCluster {
  const app = new App({ outdir: '/nonexistent' });
  const base = clusterPath(spec);
  const components = platformComponents(spec);
  const managed = managedNamespaces(spec, components.filter((c) => c.name !== 'argo-cd'));

  const folders: [string, Chart][] = [];
  const withObjects = new Set<string>();
  for (const c of components) {
    if (!c.addObjects) continue;
    const chart = new Chart(app, c.name, { namespace: c.namespace });
    c.addObjects(chart, spec);
    folders.push([c.name, chart]);
    withObjects.add(c.name);
  }
  folders.push(['bootstrap', new BootstrapChart(app, 'bootstrap', { spec, components, managedNamespaces: managed, clusterPath: base })]);
  if (spec.teams.length) folders.push(['projects', new ProjectsChart(app, 'projects', spec)]);
  folders.push(['apps', new AppsChart(app, 'apps', { spec, components, componentsWithObjects: withObjects, clusterPath: base })]);

  const files: OutputFile[] = [];
  const manifests: Manifest[] = [];
  for (const [folder, chart] of folders) {
    const objects = chart.toJson();
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
  return { cluster: spec.name, files: files.sort(byPath), manifests: manifests.sort(byPath) };
}

/** A cluster's rendered files, and the same objects as data for validation. */
export interface RenderedCluster {
  readonly cluster: string;
  readonly files: OutputFile[];
  readonly manifests: Manifest[];
}

function fileBase(o: Record<string, any>, withNamespace: boolean): string {
  const kind = String(o.kind).toLowerCase();
  const ns = withNamespace && o.metadata?.namespace ? `${o.metadata.namespace}.` : '';
  return `${kind}-${ns}${o.metadata?.name}`;
}

export function toYaml(o: unknown): string {
  return yaml.dump(o, { noRefs: true, lineWidth: -1, quotingType: '"' });
}
