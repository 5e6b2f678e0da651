// The per-cluster half of synth: render, carry secrets, validate schemas and per-cluster rules.
// It runs in-process, or in worker threads for large fleets (pipeline/render-shards.ts); both give
// the same bytes, since clusters are independent.
import { renderCluster } from '../charts/cluster.js';
import type { RenderInputs } from '../charts/component.js';
import type { ClusterSpec } from '../spec/schema.js';
import { checkFleetRules, fleetWideKinds, wideView } from '../validate/fleet-rules.js';
import type { Finding } from '../validate/finding.js';
import { validateSchemas } from '../validate/schema.js';
import { stageFiles, type OutputFile, type StageTarget, type StagedFile } from '../writer/index.js';
import type { Manifest } from '../primitives/manifests.js';
import { clusterSecrets } from './secrets/fleet.js';
import { join } from 'node:path';
import { checkChartRenders } from './chart-checks.js';
import { hydrateCluster } from './hydrate-cluster.js';
import { ChartFootprints, FOOTPRINTS_FILE, chartsModeFromEnv, readFootprintFile, type ReportedFootprint, type UsedFootprint } from '../chart-renders/footprints.js';
export { chartsModeFromEnv } from '../chart-renders/footprints.js';
import { ChartRenderer } from '../chart-renders/render.js';
import { SynthCache, clusterDigest } from './synth-cache.js';
import { collectIfOver } from './heap-budget.js';
import { missingAlertReceiver, missingVaultSealKey } from '../spec/observability.js';

export interface BatchOptions {
  /** Folder of encrypted secrets; without it the clusters are rendered without their secrets. */
  readonly secretsDir?: string;
  /** The committed charts.footprints.json. @default - charts.footprints.json in the working directory */
  readonly footprintsFile?: string;
  /**
   * Charts rendered from the chart cache: `auto` renders those the cache has (their values and
   * objects are checked, their footprints fresh) and reads the rest from footprintsFile with a
   * warning; `require` makes a chart missing from the cache an error (CI); `off` renders none.
   * @default auto
   */
  readonly charts?: 'auto' | 'require' | 'off';
  /** Where the chart cache and lock are. @default - `$INFRA_SYNTH_CHART_CACHE` or ~/.cache/infra-synth/charts; charts.lock.json in the working directory */
  readonly chartCache?: { readonly cacheDir?: string; readonly lockFile?: string };
  /**
   * Keep each passing cluster's result under the digest of its inputs and reuse it while they stay
   * the same (pipeline/synth-cache.ts): `fleet` is the digest of the inputs every cluster shares.
   * @default - every cluster rendered
   */
  readonly incremental?: { readonly cacheDir: string; readonly fleet: string };
  /**
   * What the charts read besides the specs, loaded once before rendering (and sent to workers).
   * @default - loaded by renderCluster from the working directory
   */
  readonly inputs?: RenderInputs;
  /**
   * Stage each cluster's files into a streaming write as soon as the cluster passes its own checks
   * (writer/stage.ts), in the thread that rendered it, and report them in BatchResult.staged
   * instead of BatchResult.files: the text is dropped with the cluster. Cluster i of `specs` is
   * part `firstPart + i` of the write. @default - files returned as text
   */
  readonly stage?: { readonly target: StageTarget; readonly firstPart: number };
  /**
   * Collect this thread's garbage before a cluster once its heap holds more than this many MiB
   * (pipeline/heap-budget.ts), so that a large fleet's peak memory stays flat. @default - V8's own pace
   */
  readonly heapBudgetMb?: number;
}

/** What is kept of a cluster that passed: everything renderBatch reports of it. */
interface KeptCluster {
  readonly files: OutputFile[];
  readonly warnings: string[];
  readonly wide: Manifest[];
  readonly footprints: UsedFootprint[];
  readonly objects: number;
}

export interface BatchResult {
  /** The clusters' files, when not staged (BatchOptions.stage). */
  readonly files: OutputFile[];
  /** The clusters' staged files (path, hash, staged copy), with BatchOptions.stage. */
  readonly staged: StagedFile[];
  /** Problems with the inputs (secrets), one line each. */
  readonly problems: string[];
  /** Secrets the components read that are not there yet (see FleetSecrets.missing). */
  readonly warnings: string[];
  /** Schema errors, or (when there are none) per-cluster fleet rule findings. */
  readonly findings: Finding[];
  /** The objects fleet-wide rules read (see FleetWideRule.kinds). */
  readonly wide: Manifest[];
  /** The chart footprints the clusters used (what charts.footprints.json holds after the run), each key once per batch. */
  readonly footprints: ReportedFootprint[];
  objects: number;
  /** Clusters read back from the synth cache instead of rendered (BatchOptions.incremental). */
  reused: number;
}

/**
 * Renders and checks a batch of clusters, one cluster at a time so that only the output (staged,
 * with BatchOptions.stage, or its text) and the few objects fleet-wide rules read outlive each
 * cluster: memory stays flat in the number of clusters. Nothing here looks across clusters.
 */
export async function renderBatch(
  specs: readonly ClusterSpec[], opts: BatchOptions = {},
  /** Called with each cluster's result as soon as it is done (a worker streams them). @default - collected and returned */
  emit?: (result: BatchResult) => void,
): Promise<BatchResult> {
  const wideKinds = fleetWideKinds();
  const all = emptyBatch();
  const mode = opts.charts ?? chartsModeFromEnv();
  const renderer = mode === 'off' ? undefined : new ChartRenderer(opts.chartCache ?? {});
  const footprintsFile = opts.footprintsFile ?? join(process.cwd(), FOOTPRINTS_FILE);
  const footprints = new ChartFootprints(readFootprintFile(footprintsFile), renderer, footprintsFile, mode === 'off');
  const kept = opts.incremental ? new SynthCache(opts.incremental.cacheDir) : undefined;
  // The main thread keeps every cluster's report until the end: a footprint's content (~1.6 KB) goes
  // only where charts.footprints.json needs it, once per render hash; at 1000 clusters with charts
  // off the footprints read from the file were 23 MB of the main thread's heap at its peak.
  const carried = new Set<string>();
  const report = (u: UsedFootprint): ReportedFootprint => {
    if (u.rendered && !carried.has(u.hash)) {
      carried.add(u.hash);
      return u;
    }
    return { key: u.key, chart: u.chart, version: u.version, hash: u.hash, ...(u.sourceKey ? { sourceKey: u.sourceKey } : {}), rendered: u.rendered };
  };
  for (const [index, spec] of specs.entries()) {
    collectIfOver(opts.heapBudgetMb);
    const out: BatchResult = emit ? emptyBatch() : all;
    const keep = (files: readonly OutputFile[]) => {
      if (opts.stage) for (const e of stageFiles(opts.stage.target, opts.stage.firstPart + index, files)) out.staged.push(e);
      else for (const f of files) out.files.push(f);
    };
    const digest = opts.incremental ? clusterDigest(opts.incremental.fleet, spec, opts.secretsDir) : undefined;
    const hit = digest ? kept?.get<KeptCluster>(digest) : undefined;
    if (hit) {
      keep(hit.files);
      out.warnings.push(...hit.warnings);
      for (const m of hit.wide) out.wide.push(m);
      for (const u of hit.footprints) out.footprints.push(report(u));
      out.objects += hit.objects;
      out.reused += 1;
      emit?.(out);
      continue;
    }
    const start = { problems: out.problems.length, findings: out.findings.length, warnings: out.warnings.length, wide: out.wide.length, objects: out.objects };
    const before = new Set(footprints.used.keys());
    footprints.drain();
    const rendered = renderCluster(spec, { footprints, inputs: opts.inputs });
    const clusterFootprints = footprints.drain();
    const unalerted = missingAlertReceiver(spec);
    if (unalerted) out.problems.push(unalerted);
    const keyless = missingVaultSealKey(spec);
    if (keyless) out.problems.push(keyless);
    // Each footprint once per batch (a worker's emitted clusters are joined): sending every key
    // used so far with every cluster grew quadratically with the fleet (3.3 GB at 1000 clusters).
    for (const [key, used] of footprints.used) if (!before.has(key)) out.footprints.push(report(used));
    if (mode === 'require' && rendered.unrendered.length) {
      out.problems.push(...rendered.unrendered.map((u) => `${u}; synth --charts require needs every chart rendered: run npx infra-synth charts pull`));
    }
    out.warnings.push(...rendered.warnings);
    const cluster = spec.argocd.hydrate ? hydrateCluster(spec, rendered) : { files: rendered.files, manifests: rendered.manifests, problems: [] };
    out.problems.push(...cluster.problems);
    // Encrypted secrets are carried byte for byte, after key-free checks (pipeline/secrets/fleet.ts).
    const secrets = opts.secretsDir ? clusterSecrets(spec, opts.secretsDir) : { files: [], manifests: [], problems: [], missing: [] };
    const files = [...cluster.files, ...secrets.files];
    const manifests = [...cluster.manifests, ...secrets.manifests];
    out.problems.push(...secrets.problems);
    out.warnings.push(...secrets.missing);
    const schemaErrors = await validateSchemas(manifests, { kubernetesVersion: spec.kubernetesVersion });
    // Rules read objects the schemas passed, so that a rule never trips over a malformed object.
    out.findings.push(...(schemaErrors.length ? schemaErrors : checkFleetRules(manifests, files.map((f) => f.path), undefined, {})));
    if (renderer && rendered.renders.length) {
      const checked = await checkChartRenders(rendered.renders, manifests, renderer, spec.kubernetesVersion);
      out.findings.push(...checked.findings);
      out.warnings.push(...checked.warnings);
    }
    // A cluster with problems or findings is staged all the same: the run then fails, and a
    // failed run commits nothing (writer/stream.ts).
    keep(files);
    for (const m of manifests) {
      const kept = wideKinds.has(String(m.object.kind)) ? wideView(m) : undefined;
      if (kept) out.wide.push(kept);
    }
    out.objects += manifests.length;
    if (digest && out.problems.length === start.problems && out.findings.length === start.findings) {
      kept!.put(digest, {
        files, warnings: out.warnings.slice(start.warnings), wide: out.wide.slice(start.wide),
        footprints: [...new Map(clusterFootprints.map((u) => [u.key, u])).values()], objects: out.objects - start.objects,
      } satisfies KeptCluster);
    }
    emit?.(out);
  }
  return all;
}

const emptyBatch = (): BatchResult => ({ files: [], staged: [], problems: [], warnings: [], findings: [], wide: [], footprints: [], objects: 0, reused: 0 });

/** Joins batch results in order. */
export function joinBatches(batches: readonly BatchResult[]): BatchResult {
  const out = emptyBatch();
  for (const b of batches) {
    for (const f of b.files) out.files.push(f);
    for (const e of b.staged) out.staged.push(e);
    out.problems.push(...b.problems);
    out.warnings.push(...b.warnings);
    out.findings.push(...b.findings);
    for (const m of b.wide) out.wide.push(m);
    for (const f of b.footprints) out.footprints.push(f);
    out.objects += b.objects;
    out.reused += b.reused;
  }
  return out;
}
