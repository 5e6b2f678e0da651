// What one cluster receives, read from a rendered tree: `bootstrap/` (applied by the admin), the
// root Application found there, the Applications it syncs, and each Application's objects: the
// files of a directory source in this tree, or what its pinned chart renders (chart-renders/render,
// from the local chart cache). A source in another repository is not in the tree and is left out,
// said so in the report.
import { builtinApiVersions, clusterApiVersions, crdApisOf } from '../chart-renders/api-versions.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KUBERNETES_VERSION_ANNOTATION } from '../primitives/annotations.js';
import { ChartRenderer, DEFAULT_KUBE_VERSION, helmSources, type HelmSource } from '../chart-renders/render.js';
import { listYamlFiles, objectRef, parseManifests, type Manifest } from '../primitives/manifests.js';
import { ChartRepoError } from '../helm/repo/errors.js';
import { isKnownVersion } from '../validate/k8s-versions.js';
import type { SimObject } from './model.js';
import { normalizeGitUrl } from './project.js';

type Obj = Record<string, any>;

/** Renders one Helm source (ChartRenderer by default; tests may pass their own). */
export interface ChartSourceRenderer {
  /**
   * `kubeVersion`: `.Capabilities.KubeVersion` (`1.33.0`); `apiVersions`: `.Capabilities.APIVersions` beyond Helm's defaults. `missingSubcharts`: enabled subcharts
   * the cached package lacks, left out of `objects`.
   */
  render(source: HelmSource, options?: { readonly kubeVersion?: string; readonly apiVersions?: readonly string[] }): { readonly objects: Obj[]; readonly missingSubcharts?: readonly string[] };
}

/** A problem that stops an Application's objects from being known (chart missing, path missing). */
export interface SourceProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** An Argo CD Application and the objects it syncs. */
export interface CollectedApplication {
  readonly app: SimObject;
  readonly name: string;
  readonly objects: SimObject[];
  readonly problems: SourceProblem[];
  /** What of its sources is not in this tree (another repository, subcharts the cache lacks): their objects are unknown. */
  readonly external: string[];
}

export interface CollectedCluster {
  readonly cluster: string;
  /** MAJOR.MINOR the cluster runs (see kubernetesVersionOf). */
  readonly kubernetesVersion: string;
  /** In the order `kubectl apply -f bootstrap/` applies them: files sorted, documents in order. */
  readonly bootstrap: SimObject[];
  /** The Application in bootstrap/ whose source is a folder of this tree (the app-of-apps). */
  readonly root?: CollectedApplication;
  /** The Applications the root syncs, with their objects. */
  readonly children: CollectedApplication[];
}

const isApplication = (o: Obj) => o?.kind === 'Application' && String(o.apiVersion ?? '').startsWith('argoproj.io/');

/** An Application's sources (`spec.sources`, else `spec.source`). */
export const sourcesOf = (app: Obj): Obj[] => app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);

/** The clusters of a tree (folders under clusters/ with a bootstrap/ or apps/ folder). */
export function treeClusters(files: readonly string[]): string[] {
  return [...new Set(files.filter((f) => /^clusters\/[^/]+\/(bootstrap|apps)\//.test(f)).map((f) => f.split('/')[1]))].sort();
}

/** Reads what each named cluster of the tree at `dir` receives. */
export class TreeCollector {
  private readonly files: string[];
  private readonly manifests = new Map<string, Manifest[]>();

  constructor(private readonly dir: string, private readonly charts: ChartSourceRenderer = new ChartRenderer()) {
    this.files = listYamlFiles(dir);
  }

  clusters(): string[] {
    return treeClusters(this.files);
  }

  private read(file: string): Manifest[] {
    let m = this.manifests.get(file);
    if (!m) {
      m = parseManifests(file, readFileSync(join(this.dir, file), 'utf8'));
      this.manifests.set(file, m);
    }
    return m;
  }

  private folder(path: string, recurse: boolean): Manifest[] {
    const prefix = `${path.replace(/^\.?\/+|\/+$/g, '')}/`;
    return this.files.filter((f) => f.startsWith(prefix) && (recurse || !f.slice(prefix.length).includes('/'))).flatMap((f) => this.read(f));
  }

  collect(cluster: string): CollectedCluster {
    const toSim = (m: Manifest, application?: string): SimObject => ({ cluster, file: m.file, object: m.object, ...(application ? { application } : {}) });
    const bootstrap = this.folder(`clusters/${cluster}/bootstrap`, false).map((m) => toSim(m));
    const kubernetesVersion = kubernetesVersionOf(bootstrap);
    const rootObj = bootstrap.find((b) => isApplication(b.object) && sourcesOf(b.object).some((s) => s.path && this.isFolder(String(s.path))));
    if (!rootObj) return { cluster, kubernetesVersion, bootstrap, children: [] };
    const treeRepo = normalizeGitUrl(String(sourcesOf(rootObj.object).find((s) => s.path && this.isFolder(String(s.path)))!.repoURL ?? ''));
    // Charts see `.Capabilities.APIVersions` as Argo CD passes them: what the cluster serves when
    // the Application is rendered (chart-renders/api-versions.ts). On the first sync that is the
    // built-in APIs and the CRDs of the Applications in earlier waves: each child is rendered with
    // those (the CRDs taken from the tree rendered for the fresh cluster, as synth does in
    // charts/cluster.ts installedApiVersions). Objects a chart adds once later waves' CRDs are
    // established (a ServiceMonitor) come with a later refresh, when their CRD is there.
    const kube = `${kubernetesVersion}.0`;
    const builtin = builtinApiVersions(kube);
    const root = this.application(rootObj, treeRepo, kubernetesVersion, clusterApiVersions(kube, crdApisOf(bootstrap.map((o) => o.object))));
    const childApps = root.objects.filter((o) => isApplication(o.object));
    const fresh = childApps.map((o) => this.application(o, treeRepo, kubernetesVersion, builtin));
    const waveOf = (o: SimObject) => Number(o.object.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0) || 0;
    const installed = [...bootstrap, ...root.objects];
    const children = childApps.map((o) => {
      const earlier = fresh.filter((_, j) => waveOf(childApps[j]!) < waveOf(o)).flatMap((c) => c.objects);
      const apiVersions = clusterApiVersions(kube, crdApisOf([...installed, ...earlier].map((x) => x.object)));
      return this.application(o, treeRepo, kubernetesVersion, apiVersions);
    });
    return { cluster, kubernetesVersion, bootstrap, root, children };
  }

  private isFolder(path: string): boolean {
    const full = join(this.dir, path);
    return existsSync(full) && statSync(full).isDirectory();
  }

  private application(app: SimObject, treeRepo: string, kubernetesVersion: string, apiVersions: readonly string[]): CollectedApplication {
    const o = app.object;
    const name = String(o.metadata?.name ?? '');
    const objects: SimObject[] = [];
    const problems: SourceProblem[] = [];
    const external: string[] = [];
    const sources = sourcesOf(o);
    const helm = new Map(helmSources([{ cluster: app.cluster, file: app.file, index: 0, object: o }]).map((h) => [h.chart, h]));
    sources.forEach((s, i) => {
      const at = o.spec?.sources ? `.spec.sources[${i}]` : '.spec.source';
      if (s.chart) {
        const source = helm.get(s.chart)!;
        try {
          const r = this.charts.render(source, { kubeVersion: `${kubernetesVersion}.0`, apiVersions });
          if (r.missingSubcharts?.length) external.push(`subcharts ${r.missingSubcharts.join(', ')} of chart ${s.chart} ${s.targetRevision} (not in the cached package)`);
          for (const obj of r.objects) objects.push({ cluster: app.cluster, file: `${app.file}#${s.chart}`, object: obj, application: name, chart: s.chart });
        } catch (e) {
          const message = e instanceof ChartRepoError && /not in the cache|not in .*lock/.test(e.message)
            ? `chart ${s.chart} ${s.targetRevision} not in the chart cache: run infra-synth charts pull (${e.message})`
            : `chart ${s.chart} ${s.targetRevision} cannot be rendered: ${(e as Error).message.split('\n')[0]}`;
          problems.push({ file: app.file, path: `${at}.chart`, message });
        }
      } else if (s.path !== undefined && normalizeGitUrl(String(s.repoURL ?? '')) === treeRepo) {
        if (!this.isFolder(String(s.path))) {
          problems.push({ file: app.file, path: `${at}.path`, message: `source path "${s.path}" is not a folder of this tree; Argo CD fails with "app path does not exist"` });
          return;
        }
        for (const m of this.folder(String(s.path), s.directory?.recurse === true)) objects.push({ ...toSimObject(app.cluster, m), application: name });
      } else if (!s.ref || s.path !== undefined) {
        external.push(`source ${s.repoURL ?? '<no repoURL>'}${s.path !== undefined ? ` ${s.path}` : ''} (another repository)`);
      }
    });
    return { app, name, objects, problems, external };
  }
}

/**
 * The Kubernetes version (MAJOR.MINOR) a cluster runs: what synth records on the root Application
 * in bootstrap/, else the version the charts are rendered for by default.
 */
export function kubernetesVersionOf(bootstrap: readonly SimObject[]): string {
  const recorded = bootstrap.find((o) => isApplication(o.object))?.object.metadata?.annotations?.[KUBERNETES_VERSION_ANNOTATION];
  if (typeof recorded === 'string' && isKnownVersion(recorded)) return recorded;
  return DEFAULT_KUBE_VERSION.split('.').slice(0, 2).join('.');
}

const toSimObject = (cluster: string, m: Manifest): SimObject => ({ cluster, file: m.file, object: m.object });

/** `Kind/namespace/name` of a SimObject. */
export const refOf = (o: SimObject): string => objectRef(o.object);
