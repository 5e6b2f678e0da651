// Where synth gets a chart's footprint for a cluster: rendered from the chart cache when the
// cache has the chart, else read from the committed `charts.footprints.json`. The file is what
// makes synth deterministic on a machine without the cache (a fresh clone, an offline laptop):
// the derived RBAC, project lists and registry allowlist come out the same everywhere. A synth
// that renders keeps the file fresh, like `.sops.yaml`; CI fills the cache, so a chart bump or
// a values change that alters a footprint shows up in the PR as a change of that file and of the
// RBAC and lists derived from it.
import { existsSync, readFileSync } from 'node:fs';
import { ChartRepoError } from '../helm/repo/errors.js';
import { UNRENDERED_SUBCHARTS } from '../catalog/unrendered-subcharts.js';
import { UserError } from '../primitives/errors.js';
import { canonicalJson, footprintOf, renderKeys, sortedRecord, type ChartFootprint, type FootprintObject } from './footprint.js';
import { mostPermissive, type PodSecurityLevel } from '../pod-security/level.js';
import type { ChartRender, ChartRenderer, HelmSource } from './render.js';
import { createHash } from 'node:crypto';

export const FOOTPRINTS_FILE = 'charts.footprints.json';

/**
 * `INFRA_SYNTH_CHARTS` (auto, require, off): the charts mode when no option sets it. The test
 * suite sets `off` for the suites that are not about charts (rendering every chart costs seconds
 * per synth); CI's own synth runs with `--charts require`.
 */
export function chartsModeFromEnv(env = process.env): 'auto' | 'require' | 'off' {
  const v = env.INFRA_SYNTH_CHARTS;
  if (v === undefined || v === '') return 'auto';
  if (v === 'auto' || v === 'require' || v === 'off') return v;
  throw new UserError(`INFRA_SYNTH_CHARTS: received ${JSON.stringify(v)}; expected auto, require or off`);
}

const FORMAT_VERSION = 1;

/** One render's entry in the file. */
export interface FootprintEntry {
  readonly chart: string;
  readonly version: string;
  /** Key into `footprints` (the content hash: many clusters share one footprint). */
  readonly footprint: string;
  /**
   * renderKey without the API versions: renders of the same values on clusters with other CRDs
   * share it, and answer first for a render the file does not know. @default - none (an older file)
   */
  readonly sourceKey?: string;
}

/** The committed file. */
export interface FootprintFile {
  readonly footprintsVersion: number;
  /** renderKey → entry */
  readonly renders: Readonly<Record<string, FootprintEntry>>;
  readonly footprints: Readonly<Record<string, ChartFootprint>>;
}

export const emptyFootprintFile = (): FootprintFile => ({ footprintsVersion: FORMAT_VERSION, renders: {}, footprints: {} });

/** Reads the committed file; a missing file is an empty one, a broken one an error naming it. */
export function readFootprintFile(path: string): FootprintFile {
  if (!existsSync(path)) return emptyFootprintFile();
  let data: any;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message}); delete it and run synth with the chart cache filled (infra-synth charts pull) to write it again`);
  }
  if (data?.footprintsVersion !== FORMAT_VERSION || typeof data.renders !== 'object' || typeof data.footprints !== 'object') {
    throw new UserError(`${path}: footprintsVersion ${JSON.stringify(data?.footprintsVersion)} is not ${FORMAT_VERSION}; delete it and run synth with the chart cache filled to write it again`);
  }
  return data as FootprintFile;
}

/** The file's text: sorted keys, one stable form, so that an unchanged fleet leaves it byte-identical. */
export function formatFootprintFile(file: FootprintFile): string {
  const sortKeys = <T>(r: Readonly<Record<string, T>>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
  return `${JSON.stringify({ footprintsVersion: file.footprintsVersion, renders: sortKeys(file.renders), footprints: sortKeys(file.footprints) }, null, 2)}\n`;
}

/** Joins the entries synth used into a file (a whole-fleet run: exactly those; a partial one: over the previous file). */
export function mergeFootprints(used: readonly ReportedFootprint[], base?: FootprintFile): FootprintFile {
  const renders: Record<string, FootprintEntry> = { ...(base?.renders ?? {}) };
  const footprints: Record<string, ChartFootprint> = { ...(base?.footprints ?? {}) };
  for (const u of used) {
    if (!u.rendered) continue;
    renders[u.key] = { chart: u.chart, version: u.version, footprint: u.hash, ...(u.sourceKey ? { sourceKey: u.sourceKey } : {}) };
    if (u.footprint) footprints[u.hash] = u.footprint;
  }
  // Footprints no render points at any more go.
  const live = new Set(Object.values(renders).map((r) => r.footprint));
  for (const h of Object.keys(footprints)) if (!live.has(h)) delete footprints[h];
  return { footprintsVersion: FORMAT_VERSION, renders, footprints };
}

/** A footprint synth used for one render, and where it came from. */
export interface UsedFootprint {
  readonly key: string;
  readonly chart: string;
  readonly version: string;
  readonly hash: string;
  /** renderKey without the API versions (FootprintEntry.sourceKey). */
  readonly sourceKey?: string;
  readonly footprint: ChartFootprint;
  /** Rendered now (true), or read from the file (false): only renders are written back. */
  readonly rendered: boolean;
}

/**
 * A used footprint as a render thread reports it to the main thread (render-batch.ts): without
 * the footprint where nothing reads it — one read from the file is never written back, and a
 * render whose hash the same thread's report already carried adds nothing.
 */
export type ReportedFootprint = Omit<UsedFootprint, 'footprint'> & { readonly footprint?: ChartFootprint };

export interface FootprintLookup {
  readonly footprint: ChartFootprint;
  /** The render, when the cache had the chart (for the checks that read every object). */
  readonly render?: ChartRender;
  /** What the caller should tell the user (a partial render, a footprint taken from the file). */
  readonly warnings: readonly string[];
}

/**
 * Footprints for one synth run. With a renderer, charts in the cache are rendered; without one,
 * or for a chart the cache lacks, the committed file answers. A render the file does not know
 * either is an error naming the command that fixes it.
 */
export class ChartFootprints {
  /** Every footprint handed out, by render key (what the file will hold after a whole-fleet run). */
  readonly used = new Map<string, UsedFootprint>();

  constructor(
    private readonly file: FootprintFile,
    private readonly renderer?: ChartRenderer,
    /** Where the file is, for messages. */
    private readonly filePath: string = FOOTPRINTS_FILE,
    /**
     * Charts are off on purpose (`--charts off`, the test suite): values no render recorded take
     * the chart version's recorded footprints together without a warning, and a chart version the
     * file does not know at all gets an empty footprint with one. @default false
     */
    private readonly chartsOff = false,
  ) {}

  /**
   * The footprint of `source` rendered for Kubernetes `kubeVersion` with `apiVersions` (see
   * renderKey; the cluster's, chart-renders/api-versions.ts). @param apiVersions default: none
   */
  of(source: HelmSource, kubeVersion: string, apiVersions: readonly string[] = []): FootprintLookup {
    const { key, sourceKey } = renderKeys(source, kubeVersion, apiVersions);
    const warnings: string[] = [];
    let render: ChartRender | undefined;
    if (this.renderer) {
      try {
        render = this.renderer.render(source, { kubeVersion, apiVersions });
      } catch (e) {
        // Not in the cache (or not locked at this version): the file answers. Anything else (a
        // template error, a failed `required`) is what Argo CD would hit too.
        if (!(e instanceof ChartRepoError)) {
          throw new UserError(`${source.file}: ${source.application}: chart ${source.chart} ${source.version} does not render with these values: ${(e as Error).message}`);
        }
        // Not a warning per Application: synth says once which charts the cache lacks (pipeline/synth.ts).
      }
    }
    let footprint: ChartFootprint;
    if (render) {
      footprint = withUnrenderedSubcharts(footprintOf(render, kubeVersion), render, warnings);
    } else {
      const entry = this.file.renders[key];
      const known = entry ? this.file.footprints[entry.footprint] : undefined;
      if (known) footprint = known;
      else {
        // Values no render recorded (a new cluster, a changed value).
        const union = this.unionFor(sourceKey, source);
        if (!union && this.chartsOff) {
          warnings.push(`${source.application}: ${this.filePath} has no footprint of ${source.chart} ${source.version} and charts are off: the RBAC and allowlists derived for this cluster leave its objects out; synth with the chart cache filled`);
          footprint = { objects: [], crds: [], images: [] };
        } else if (!union) {
          throw new UserError(
            `${source.file}: ${source.application}: no footprint of chart ${source.chart} ${source.version} in ${this.filePath}, `
            + 'and the chart cache does not have the chart: run `npx infra-synth charts pull`, then synth again (it renders the chart and records the footprint)',
          );
        } else {
          footprint = union;
          if (!this.chartsOff) warnings.push(`${source.application}: ${this.filePath} has no render of ${source.chart} ${source.version} with these values: synth used every recorded footprint of that version together; fill the chart cache (infra-synth charts pull) for an exact one`);
        }
      }
    }
    const hash = footprintHash(footprint);
    const used = { key, chart: source.chart, version: source.version, hash, sourceKey, footprint, rendered: !!render };
    this.used.set(key, used);
    this.sinceDrain.push(used);
    return { footprint, render, warnings };
  }

  private sinceDrain: UsedFootprint[] = [];

  /** The file's renders by sourceKey and by chart version, built on first use. */
  private index?: { bySource: Map<string, FootprintEntry[]>; byVersion: Map<string, FootprintEntry[]> };
  /** Unions already taken, by the key of the renders they join: a fleet's clusters share most values. */
  private readonly unions = new Map<string, ChartFootprint | undefined>();

  /**
   * The footprint of values no render recorded: the renders of the same values on clusters with
   * other CRDs together when there are some (they differ at most in what the chart gates on the
   * API versions), else every footprint recorded for this chart version together, which allows
   * what any of its recorded renders needed. Undefined when the file knows no render of the version.
   */
  private unionFor(sourceKey: string, source: HelmSource): ChartFootprint | undefined {
    if (!this.index) {
      const bySource = new Map<string, FootprintEntry[]>();
      const byVersion = new Map<string, FootprintEntry[]>();
      const push = (m: Map<string, FootprintEntry[]>, k: string, r: FootprintEntry) => (m.get(k) ?? m.set(k, []).get(k)!).push(r);
      for (const r of Object.values(this.file.renders)) {
        if (r.sourceKey) push(bySource, r.sourceKey, r);
        push(byVersion, `${r.chart}@${r.version}`, r);
      }
      this.index = { bySource, byVersion };
    }
    const sameValues = this.index.bySource.get(sourceKey);
    const unionKey = sameValues ? `source ${sourceKey}` : `version ${source.chart}@${source.version}`;
    if (!this.unions.has(unionKey)) {
      const same = sameValues ?? this.index.byVersion.get(`${source.chart}@${source.version}`) ?? [];
      this.unions.set(unionKey, same.length ? unionOf(same.map((r) => this.file.footprints[r.footprint]).filter((f): f is ChartFootprint => !!f)) : undefined);
    }
    return this.unions.get(unionKey);
  }

  /** The footprints handed out since the last call (one cluster's, when called around its render). */
  drain(): UsedFootprint[] {
    const out = this.sinceDrain;
    this.sinceDrain = [];
    return out;
  }
}

/** Footprints hashed so far: one taken from the file, or a union, is handed out to many clusters. */
const footprintHashes = new WeakMap<ChartFootprint, string>();

/** The content hash a footprint is stored under in the file. */
function footprintHash(footprint: ChartFootprint): string {
  let hash = footprintHashes.get(footprint);
  if (hash === undefined) {
    hash = createHash('sha256').update(canonicalJson(footprint)).digest('hex').slice(0, 16);
    footprintHashes.set(footprint, hash);
  }
  return hash;
}

/** Several footprints as one: every object, CRD, image and ClusterRole of any of them, and the most permissive Pod Security level per namespace. */
function unionOf(footprints: readonly ChartFootprint[]): ChartFootprint {
  const objects = new Map<string, FootprintObject>();
  const crds = new Map<string, ChartFootprint['crds'][number]>();
  const images = new Set<string>();
  const podSecurity = new Map<string, PodSecurityLevel>();
  const clusterRoles = new Set<string>();
  const boundClusterRoles = new Set<string>();
  for (const f of footprints) {
    for (const o of f.objects) objects.set(`${o.group}/${o.kind}/${o.namespace}`, o);
    for (const c of f.crds) {
      // The versions any of them serves: a chart version's CRDs differ by values at most in which are installed.
      const before = crds.get(`${c.group}/${c.kind}`)?.versions ?? [];
      const versions = [...new Set([...before, ...(c.versions ?? [])])];
      crds.set(`${c.group}/${c.kind}`, { ...c, ...(versions.length ? { versions } : {}) });
    }
    for (const i of f.images) images.add(i);
    for (const [ns, level] of Object.entries(f.podSecurity ?? {})) podSecurity.set(ns, mostPermissive(podSecurity.get(ns), level));
    for (const r of f.clusterRoles ?? []) clusterRoles.add(r);
    for (const r of f.boundClusterRoles ?? []) boundClusterRoles.add(r);
  }
  const sorted = <T>(m: Map<string, T>) => [...m.keys()].sort().map((k) => m.get(k)!);
  return {
    objects: sorted(objects), crds: sorted(crds), images: [...images].sort(),
    podSecurity: sortedRecord(podSecurity), clusterRoles: [...clusterRoles].sort(), boundClusterRoles: [...boundClusterRoles].sort(),
  };
}

/**
 * A render that lacks subcharts (a package made offline without them) gets their footprint from
 * catalog/unrendered-subcharts.ts, so that what the cluster will run is still allowed.
 */
function withUnrenderedSubcharts(footprint: ChartFootprint, render: ChartRender, warnings: string[]): ChartFootprint {
  const missing = render.missingSubcharts ?? [];
  if (!missing.length) return footprint;
  const { chart, version, application } = render.source;
  const objects: FootprintObject[] = [...footprint.objects];
  const images = new Set(footprint.images);
  const podSecurity = new Map(Object.entries(footprint.podSecurity ?? {}));
  const clusterRoles = new Set(footprint.clusterRoles ?? []);
  const boundClusterRoles = new Set(footprint.boundClusterRoles ?? []);
  const unknown: string[] = [];
  for (const name of missing) {
    const known = UNRENDERED_SUBCHARTS.find((s) => s.chart === chart && s.subchart === name);
    if (!known) { unknown.push(name); continue; }
    for (const o of known.objects) objects.push({ group: o.group, kind: o.kind, namespace: o.namespace ?? '' });
    for (const i of known.images) images.add(i);
    const podNs = known.podNamespace ?? '';
    if (known.podSecurity) podSecurity.set(podNs, mostPermissive(podSecurity.get(podNs), known.podSecurity));
    for (const r of known.clusterRoles?.(render.source.releaseName) ?? []) { clusterRoles.add(r); boundClusterRoles.add(r); }
  }
  if (unknown.length) {
    throw new UserError(
      `${render.source.file}: ${application}: the cached package of ${chart} ${version} lacks the subcharts ${unknown.join(', ')} that the values enable; `
      + 'vendor them into the package (infra-synth charts pull from the chart repository), disable them in the values, or declare their footprint in catalog/unrendered-subcharts.ts',
    );
  }
  warnings.push(`${application}: the cached package of ${chart} ${version} lacks the subcharts ${missing.join(', ')}; their objects are not checked, and their footprint comes from catalog/unrendered-subcharts.ts`);
  const key = (o: FootprintObject) => `${o.group}/${o.kind}/${o.namespace}`;
  const unique = new Map(objects.map((o) => [key(o), o]));
  return {
    objects: [...unique.keys()].sort().map((k) => unique.get(k)!), crds: footprint.crds, images: [...images].sort(),
    podSecurity: sortedRecord(podSecurity), clusterRoles: [...clusterRoles].sort(), boundClusterRoles: [...boundClusterRoles].sort(),
  };
}
