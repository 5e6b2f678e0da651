// Hydrated output (the rendered-manifests pattern, `argocd.hydrate` in an overlay): an
// Application's Helm sources are replaced by folders of what the charts render for the cluster,
// so that Argo CD reads only the infra-gitops repository and never a chart registry.
//
// Argo CD must behave as it does with the Helm source. What it does with a chart's objects is
// decided by their annotations, whatever the source type (docs/hydration.md has the upstream
// references), so the objects are written as rendered:
// - `helm.sh/hook`, `hook-weight`, `hook-delete-policy` and `helm.sh/resource-policy` are read
//   by gitops-engine and Argo CD's controller on any object: kept as they are (mapping them to
//   Argo CD's own annotations would change nothing, and an object that carries an Argo CD hook
//   annotation has its Helm ones ignored);
// - Helm test hooks (`test`, `test-success`, `test-failure`) belong to no sync phase, so Argo CD
//   never applies them: left out, with their images;
// - CRDs go first by Argo CD's own ordering (kind order within a wave, and CRDs before the
//   resources of their kind): nothing to add. `helm.skipCrds` is honoured by the render;
// - a missing `metadata.namespace` is filled with the destination namespace by Argo CD for
//   namespaced kinds, for any source: left as rendered, so that a cluster-scoped object never
//   gets one and the file is exactly the chart's object;
// - client-side apply stores the whole object in an annotation, and annotations are limited to
//   256 KiB: where the Application does not apply server-side, such an object gets
//   `argocd.argoproj.io/sync-options: ServerSideApply=true` (Argo CD's per-object option);
// - no Secret with material is written (pipeline/hydrate-secrets.ts): the tree is in Git, in clear.
// What hydration adds, it checks: a render without subcharts the values enable (an offline
// package) would make Argo CD delete what they run, and a folder over the bytes Argo CD's
// repo-server reads from a directory source would fail the Application; both are refused.
import type { OutputFile } from '../writer/index.js';
import type { ChartRender } from '../chart-renders/render.js';
import { UserError } from '../primitives/errors.js';
import { secretMaterial } from './hydrate-secrets.js';
import { hydratedYaml } from './hydrate-yaml.js';

/** The folder under a cluster's folder that holds hydrated charts, one subfolder per Application. */
export const HYDRATED_DIR = 'hydrated';

export interface HydrateOptions {
  /** The cluster's folder in the tree, e.g. `clusters/yc-prod`. */
  readonly clusterPath: string;
  /** The repository Argo CD reads the tree from (the spec's `gitops.repoURL`). */
  readonly repoURL: string;
  /** Its revision (the spec's `gitops.targetRevision`). */
  readonly targetRevision: string;
  /**
   * The most bytes Argo CD's repo-server reads from one directory source: more, and it refuses
   * to generate the Application's manifests (`reposerver.max.combined.directory.manifests.size`
   * in argocd-cmd-params-cm). A larger folder is refused here, at synth.
   * @default 10_000_000 - Argo CD's default, "10M"
   */
  readonly maxFolderBytes?: number;
}

export interface HydratedApplication {
  /** The Application with each Helm source replaced by a directory source. */
  readonly application: Record<string, any>;
  /** One file per rendered object, sorted by path. */
  readonly files: OutputFile[];
}

/** Argo CD's default `reposerver.max.combined.directory.manifests.size` ("10M", a decimal quantity). */
export const ARGOCD_MAX_DIRECTORY_BYTES = 10_000_000;

const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const SERVER_SIDE_APPLY = 'ServerSideApply=true';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** apimachinery's TotalAnnotationSizeLimitB: keys and values of all annotations together. */
const ANNOTATIONS_LIMIT = 256 * 1024;
/** Helm hook types no Argo CD sync phase runs (gitops-engine pkg/sync/hook/helm/type.go maps none of them). */
const HELM_TEST_HOOKS = new Set(['test', 'test-success', 'test-failure']);

const isHelmSource = (s: any): boolean => !!s?.chart;
const csv = (v: unknown): string[] => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);

/**
 * The Application rewritten to read hydrated folders, and the files of those folders. `renders`
 * are the renders of this Application's Helm sources in source order (renders of other
 * Applications are ignored). Throws a UserError, one line per problem, when a chart renders a
 * Secret with material, when a render lacks subcharts the values enable, or when a folder is
 * larger than Argo CD reads. An Application without a Helm source is returned as it is, with no
 * files.
 */
export function hydrateApplication(
  application: Record<string, any>,
  renders: readonly ChartRender[],
  opts: HydrateOptions,
): HydratedApplication {
  const name = String(application.metadata?.name);
  const multi = Array.isArray(application.spec?.sources);
  const sources: any[] = multi ? application.spec.sources : application.spec?.source ? [application.spec.source] : [];
  const helm = sources.filter(isHelmSource);
  if (helm.length === 0) return { application, files: [] };

  const own = renders.filter((r) => r.source.application.endsWith(`/${name}`));
  if (own.length !== helm.length || own.some((r, i) => r.source.chart !== helm[i].chart || r.source.version !== String(helm[i].targetRevision))) {
    throw new Error(`hydrateApplication: Application ${name} has Helm sources ${helm.map((s) => `${s.chart}@${s.targetRevision}`).join(', ')}, but the renders given are of ${own.map((r) => `${r.source.chart}@${r.source.version}`).join(', ') || 'none'}`);
  }

  const serverSide = (application.spec?.syncPolicy?.syncOptions ?? []).includes(SERVER_SIDE_APPLY);
  const folders = helmFolders(opts.clusterPath, name, helm);
  const problems: string[] = [];
  const files: OutputFile[] = [];
  own.forEach((render, i) => {
    const missing = missingSubcharts(render);
    if (missing.length) {
      const [cluster, app] = clusterAndApplication(render);
      problems.push(`${cluster}: argocd.hydrate: Application ${app} (chart ${render.source.chart} ${render.source.version}) rendered without its subcharts ${missing.join(', ')}, which the cached package lacks (packaged offline by charts pull --from); hydrated, Argo CD would delete what they run — fill the cache from the chart repository (infra-synth charts pull), or set argocd.hydrate: false`);
      return;
    }
    const objects = render.objects.filter((o) => !isHelmTest(o));
    for (const o of objects) problems.push(...secretProblems(render, o));
    const bases = fileBases(objects);
    let bytes = 0;
    objects.forEach((o, j) => {
      const content = hydratedYaml(serverSide ? o : withServerSideApplyIfLarge(o));
      bytes += Buffer.byteLength(content);
      files.push({ path: `${folders[i]}/${bases[j]}.yaml`, content });
    });
    const max = opts.maxFolderBytes ?? ARGOCD_MAX_DIRECTORY_BYTES;
    if (bytes > max) {
      const [cluster, app] = clusterAndApplication(render);
      problems.push(`${cluster}: argocd.hydrate: Application ${app} (chart ${render.source.chart} ${render.source.version}) renders ${bytes} bytes into ${folders[i]}, more than the ${max} Argo CD's repo-server reads from one directory source (reposerver.max.combined.directory.manifests.size in the argo-cd chart's configs.params); raise it there, or set argocd.hydrate: false`);
    }
  });
  if (problems.length) throw new UserError(problems.sort());

  let h = 0;
  const rewritten = sources.map((s) => (isHelmSource(s) ? directorySource(s, folders[h++], opts) : s));
  const spec = { ...application.spec };
  if (multi) spec.sources = rewritten;
  else spec.source = rewritten[0];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { application: { ...application, spec }, files };
}

/** The folder of each Helm source: `hydrated/<Application>`, or one subfolder per release when there are several. */
function helmFolders(clusterPath: string, name: string, helm: readonly any[]): string[] {
  const base = `${clusterPath}/${HYDRATED_DIR}/${name}`;
  if (helm.length === 1) return [base];
  const releases = helm.map((s) => String(s.helm?.releaseName ?? s.chart));
  return releases.map((r, i) => `${base}/${releases.indexOf(r) === releases.lastIndexOf(r) ? r : `${r}-${i}`}`);
}

/**
 * A directory source in place of a Helm one; the source's `name` (how the UI and CLI call it)
 * stays. Keys in order, as everywhere in the tree.
 */
function directorySource(helmSource: any, path: string, opts: HydrateOptions): Record<string, unknown> {
  return {
    directory: { recurse: true },
    ...(helmSource.name ? { name: helmSource.name } : {}),
    path,
    repoURL: opts.repoURL,
    targetRevision: opts.targetRevision,
  };
}

/** A Helm test hook without an Argo CD hook annotation (which would make it run). */
function isHelmTest(o: Record<string, any>): boolean {
  const a = o.metadata?.annotations ?? {};
  if (a['argocd.argoproj.io/hook'] !== undefined) return false;
  const types = csv(a['helm.sh/hook']);
  return types.length > 0 && types.every((t) => HELM_TEST_HOOKS.has(t));
}

/**
 * Subcharts the values enable that the render left out because the cached package lacks them
 * (`ChartRender.missingSubcharts`, set by renderers that render such packages at all).
 */
function missingSubcharts(render: ChartRender): readonly string[] {
  return (render as { readonly missingSubcharts?: readonly string[] }).missingSubcharts ?? [];
}

/** The cluster and Application names of a render (its source's `<cluster>/<Application>`). */
function clusterAndApplication(render: ChartRender): [string, string] {
  const slash = render.source.application.indexOf('/');
  return [render.source.application.slice(0, slash), render.source.application.slice(slash + 1)];
}

function secretProblems(render: ChartRender, o: Record<string, any>): string[] {
  if (o.kind !== 'Secret' || o.apiVersion !== 'v1') return [];
  const [cluster, app] = clusterAndApplication(render);
  const ns = o.metadata?.namespace ?? render.source.namespace;
  const material = secretMaterial(o);
  if (material.length === 0) return [];
  const reasons = [...new Set(material.map((m) => m.reason))].join('; ');
  return [`${cluster}: argocd.hydrate: Application ${app} (chart ${render.source.chart} ${render.source.version}) renders Secret ${ns}/${o.metadata?.name} with ${material.map((m) => m.path).join(', ')} (${reasons}); hydrated, it would be in Git in plaintext — have the chart read a Secret delivered encrypted (secrets/${cluster}/) through its values, or set argocd.hydrate: false`];
}

/**
 * File names as the rest of the tree has them, `<kind>-<name>`; qualified with the namespace, then
 * the API group, when two objects would share a name, and numbered in render order when even that
 * does not tell them apart (a chart that renders one object twice).
 */
function fileBases(objects: readonly Record<string, any>[]): string[] {
  const kind = (o: Record<string, any>) => String(o.kind).toLowerCase();
  const ns = (o: Record<string, any>) => (o.metadata?.namespace ? `${o.metadata.namespace}.` : '');
  const group = (o: Record<string, any>) => (String(o.apiVersion).includes('/') ? `.${String(o.apiVersion).split('/')[0]}` : '');
  const namings = [
    (o: Record<string, any>) => `${kind(o)}-${o.metadata?.name}`,
    (o: Record<string, any>) => `${kind(o)}-${ns(o)}${o.metadata?.name}`,
    (o: Record<string, any>) => `${kind(o)}${group(o)}-${ns(o)}${o.metadata?.name}`,
  ];
  const names = objects.map(namings[0]);
  for (const naming of namings.slice(1)) {
    const counts = count(names);
    objects.forEach((o, i) => {
      if (counts.get(names[i])! > 1) names[i] = naming(o);
    });
  }
  const counts = count(names);
  const seen = new Map<string, number>();
  return names.map((n) => {
    if (counts.get(n)! === 1) return n;
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return `${n}-${k}`;
  });
}

function count(names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of names) out.set(n, (out.get(n) ?? 0) + 1);
  return out;
}

/**
 * The object, with `ServerSideApply=true` added to its sync options when client-side apply would
 * fail on it: kubectl stores the object as JSON in the last-applied annotation, and all
 * annotations together may hold 256 KiB. Objects that choose an apply mode themselves
 * (ServerSideApply=..., Replace=true) are left alone. Never modifies the render.
 */
function withServerSideApplyIfLarge(o: Record<string, any>): Record<string, any> {
  const options = csv(o.metadata?.annotations?.[SYNC_OPTIONS]);
  if (options.some((x) => x.startsWith('ServerSideApply=') || x === 'Replace=true')) return o;
  if (lastAppliedAnnotationsSize(o) <= ANNOTATIONS_LIMIT) return o;
  const annotations = { ...(o.metadata?.annotations ?? {}), [SYNC_OPTIONS]: [...options, SERVER_SIDE_APPLY].join(',') };
  return { ...o, metadata: { ...o.metadata, annotations } };
}

/** The size of the object's annotations once client-side apply has added last-applied-configuration. */
function lastAppliedAnnotationsSize(o: Record<string, any>): number {
  let size = 0;
  for (const [k, v] of Object.entries<unknown>(o.metadata?.annotations ?? {})) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  return size + Buffer.byteLength(LAST_APPLIED) + goJsonLength(o);
}

/** Bytes of the object as Go's encoding/json writes it: JSON.stringify's, with <, > and & escaped as \u003c etc. */
function goJsonLength(o: unknown): number {
  const json = JSON.stringify(o);
  let escaped = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x3c || c === 0x3e || c === 0x26) escaped++;
  }
  return Buffer.byteLength(json) + 5 * escaped;
}
