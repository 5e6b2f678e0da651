// `argocd.hydrate: true`: a cluster's Helm Applications point at folders of their charts'
// rendered objects (pipeline/hydrate.ts) instead of the chart repositories. The charts must have been
// rendered for this synth: hydrating from the committed footprints is impossible.
import { toYaml, type RenderedCluster } from '../charts/cluster.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { OutputFile } from '../writer/index.js';
import { clusterPath } from '../charts/cluster.js';
import { hydrateApplication } from './hydrate.js';
import type { Manifest } from '../primitives/manifests.js';

export interface HydratedCluster {
  readonly files: OutputFile[];
  /** The cluster's own manifests with the Applications rewritten (the hydrated objects are the charts', checked as chart renders). */
  readonly manifests: Manifest[];
  /** One line per Application whose chart was not rendered. */
  readonly problems: string[];
}

export function hydrateCluster(spec: ClusterSpec, rendered: RenderedCluster): HydratedCluster {
  if (rendered.unrendered.length) {
    return { files: rendered.files, manifests: rendered.manifests, problems: rendered.unrendered.map((u) => `${spec.name}: argocd.hydrate needs every chart rendered (${u}): run npx infra-synth charts pull`) };
  }
  const renders = rendered.renders.map((r) => r.render);
  const opts = { clusterPath: clusterPath(spec), repoURL: spec.gitops.repoURL, targetRevision: spec.gitops.targetRevision };
  const extra: OutputFile[] = [];
  const replaced = new Map<string, Record<string, any>>();
  for (const m of rendered.manifests) {
    const o = m.object;
    if (o.kind !== 'Application' || !(o.spec?.source?.chart || o.spec?.sources?.some((s: any) => s?.chart))) continue;
    const h = hydrateApplication(o, renders, opts);
    replaced.set(m.file, h.application);
    extra.push(...h.files);
  }
  const manifests = rendered.manifests.map((m) => (replaced.has(m.file) ? { ...m, object: replaced.get(m.file)! } : m));
  const files = rendered.files.map((f) => (replaced.has(f.path) ? { path: f.path, content: toYaml(replaced.get(f.path)) } : f));
  const byPath = (a: OutputFile, b: OutputFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { files: [...files, ...extra].sort(byPath), manifests, problems: [] };
}
