// The synth pipeline: overlays → cluster specs → charts → validated objects → the rendered tree.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FOOTPRINTS_FILE, chartsModeFromEnv, formatFootprintFile, mergeFootprints, readFootprintFile, type ReportedFootprint } from '../chart-renders/footprints.js';
import type { BatchOptions, BatchResult } from './render-batch.js';
import { ChartRenderer } from '../chart-renders/render.js';
import { dirname, join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { synthInfraStacks } from './infra-stacks.js';
import { loadFleet } from '../spec/load.js';
import { listOverlayFiles } from '../spec/overlay-files.js';
import type { ClusterSpec } from '../spec/schema.js';
import { FLEET_WIDE_RULES, checkFleetRules, fleetWideKinds } from '../validate/fleet-rules.js';
import { formatFinding } from '../validate/finding.js';
import { TreeStream, type OutputFile, type TreeChanges, type WriteStep } from '../writer/index.js';
import { listYamlFiles, parseManifests, type Manifest } from '../primitives/manifests.js';
import { renderShards } from './render-shards.js';
import { SOPS_CONFIG, refreshCommittedSopsConfig, renderSopsConfig } from '../secret-store/sops-config.js';
import { defaultSecretsDir } from '../secret-store/store.js';
import { renderServiceDocs, writeServiceDocs } from './service-docs.js';
import { DASHBOARDS_DIR, loadDashboards } from '../spec/dashboards.js';
import { SynthCache, defaultSynthCacheDir, fleetDigest } from './synth-cache.js';
import { defaultCacheDir } from '../helm/repo/cache.js';

export interface SynthOptions {
  /** Folder of overlay files. @default overlays */
  readonly overlaysDir?: string;
  /** Output root (dist, or an infra-gitops checkout). @default dist */
  readonly outDir?: string;
  /** Render only these clusters; the others' files are left alone. @default - every cluster */
  readonly clusters?: readonly string[];
  /** Report what would change and write nothing. @default false */
  readonly check?: boolean;
  /** Called after each cluster is rendered and checked (progress on long runs). @default - none */
  readonly onProgress?: (done: number, total: number) => void;
  /** Folder of encrypted secrets, `<cluster>/<namespace>/<name>.enc.yaml`. @default - `secrets` next to overlaysDir */
  readonly secretsDir?: string;
  /**
   * Folder of the generated per-service pages, kept fresh by a whole-fleet run like `.sops.yaml`
   * (they list every cluster, so a new overlay changes them). Left alone when it does not exist.
   * @default - `docs/services` next to overlaysDir
   */
  readonly docsDir?: string;
  /**
   * Charts rendered from the chart cache (see BatchOptions.charts): `auto` renders what the cache
   * has, `require` fails on a chart it lacks (CI), `off` reads every footprint from
   * charts.footprints.json. @default auto
   */
  readonly charts?: 'auto' | 'require' | 'off';
  /**
   * Replay each rendered cluster's bootstrap and Argo CD sync (simulate/) before writing: what a
   * real cluster would refuse fails synth like a fleet rule, and nothing is written. @default false
   */
  readonly simulate?: boolean;
  /** The chart cache and lock. @default - `$INFRA_SYNTH_CHART_CACHE` or ~/.cache/infra-synth/charts; charts.lock.json in the working directory */
  readonly chartCache?: { readonly cacheDir?: string; readonly lockFile?: string };
  /**
   * Render every cluster, even one whose inputs are those of a synth that passed (pipeline/synth-cache.ts).
   * @default false: such a cluster is read back from the synth cache (also off with INFRA_SYNTH_INCREMENTAL=0)
   */
  readonly full?: boolean;
  /** The synth cache. @default - `$INFRA_SYNTH_SYNTH_CACHE` or ~/.cache/infra-synth/synth */
  readonly synthCacheDir?: string;
  /** @internal Called at each step of the write (WriteOptions.onStep); a throw there leaves the out dir as a kill would. */
  readonly onWriteStep?: (step: WriteStep) => void;
}

export interface SynthResult {
  readonly clusters: readonly string[];
  readonly files: number;
  readonly objects: number;
  readonly changes: TreeChanges;
  /** Source files synth keeps fresh (the committed .sops.yaml, docs/services pages) that it changed, or with check would change. */
  readonly sources: readonly string[];
  /** What synth rendered anyway but the cluster still lacks (secrets not added yet), one line each. */
  readonly warnings: readonly string[];
  /** What this run did first about a write an earlier, killed run left half done. */
  readonly recovered?: 'discarded' | 'rolled-forward';
  /** Worker threads the clusters were rendered on (0: this thread). */
  readonly workers: number;
  /** Clusters whose inputs were unchanged, read back from the synth cache instead of rendered. */
  readonly reused: number;
}

/**
 * Renders clusters from specs and validates the result; throws a UserError listing every problem
 * and finding. With `secretsDir`, each cluster's encrypted secrets are checked (key-free) and added.
 */
export async function renderFleet(
  specs: readonly ClusterSpec[],
  opts: {
    secretsDir?: string;
    onProgress?: (done: number, total: number) => void;
    /** The objects fleet-wide rules read from the clusters not rendered here (a partial synth). */
    restOfFleet?: () => Promise<Manifest[]>;
    /** How charts are rendered and where the committed footprints are (BatchOptions). */
    charts?: Pick<BatchOptions, 'charts' | 'chartCache' | 'footprintsFile'>;
    /** Reuse the results of clusters whose inputs did not change (BatchOptions.incremental). */
    incremental?: BatchOptions['incremental'];
    /** What the charts read besides the specs (BatchOptions.inputs). */
    inputs?: BatchOptions['inputs'];
    /**
     * A write to stage each cluster's files into as soon as it is rendered (then `files` comes back
     * empty); the caller finishes it once everything here passed. @default - files returned as text
     */
    stream?: TreeStream;
  } = {},
): Promise<{ files: OutputFile[]; objects: number; warnings: string[]; workers: number; footprints: ReportedFootprint[]; reused: number }> {
  const stream = opts.stream;
  const stage = stream && { target: stream.target, firstPart: 0 };
  // The stream keeps each cluster's staged entries; dropping them from the cluster's result keeps one copy.
  const onCluster = stream && ((cluster: BatchResult) => stream.add(cluster.staged.splice(0)));
  const { batches, workers } = await renderShards(specs, { secretsDir: opts.secretsDir, ...opts.charts, incremental: opts.incremental, inputs: opts.inputs, stage }, opts.onProgress, onCluster);
  const problems = batches.flatMap((b) => b.problems);
  if (problems.length) throw new UserError(problems);
  const findings = batches.flatMap((b) => b.findings);
  // Rules across clusters run once the per-cluster checks pass, on the objects they read.
  if (!findings.length) {
    const wide = batches.flatMap((b) => b.wide);
    if (opts.restOfFleet) wide.push(...await opts.restOfFleet());
    findings.push(...checkFleetRules(wide, [], {}, FLEET_WIDE_RULES));
  }
  if (findings.length) throw new UserError(findings.map(formatFinding));
  const footprints = batches.flatMap((b) => b.footprints);
  const notRendered = [...new Set(footprints.filter((f) => !f.rendered).map((f) => `${f.chart} ${f.version}`))].sort();
  const mode = opts.charts?.charts ?? chartsModeFromEnv();
  const notice = notRendered.length && mode !== 'off'
    ? [`the chart cache lacks ${notRendered.join(', ')}: their footprints came from ${FOOTPRINTS_FILE} and their values and rendered objects were not checked; run npx infra-synth charts pull`]
    : [];
  return {
    files: batches.flatMap((b) => b.files),
    objects: batches.reduce((n, b) => n + b.objects, 0),
    warnings: [...notice, ...batches.flatMap((b) => b.warnings)],
    workers,
    footprints,
    reused: batches.reduce((n, b) => n + b.reused, 0),
  };
}

/** Loads the overlays, renders and validates every cluster, then writes (or checks) the tree. */
export async function synthFleet(opts: SynthOptions = {}): Promise<SynthResult> {
  const overlaysDir = opts.overlaysDir ?? 'overlays';
  const secretsDir = opts.secretsDir ?? defaultSecretsDir(overlaysDir);
  const specs = await loadFleet(overlaysDir, opts.clusters);
  // Every input is read and checked before the first render: charts read no files.
  const inputs = { dashboards: loadDashboards() };
  // Infra first: a stack that contradicts its overlay or another cluster's fails before any render.
  const infra = await synthInfraStacks(specs, opts.clusters?.length ? await loadFleet(overlaysDir) : specs, overlaysDir);
  const outDir = opts.outDir ?? 'dist';
  const restOfFleet = opts.clusters?.length
    ? () => restOfFleetWide(overlaysDir, specs.map((s) => s.name), outDir, secretsDir, inputs)
    : undefined;
  // The committed footprints live next to overlays/ (the repository root); a fleet elsewhere
  // without its own file reads the working directory's.
  const footprintsFile = join(dirname(overlaysDir), FOOTPRINTS_FILE);
  const readFrom = existsSync(footprintsFile) ? footprintsFile : join(process.cwd(), FOOTPRINTS_FILE);
  const scope = opts.clusters?.length ? [...specs.flatMap((s) => [`clusters/${s.name}/`, `infra/${s.name}/`]), ...infra.managements.map((m) => `management/${m}/`)] : undefined;
  // Each cluster is staged as it is rendered and nothing is committed before every cluster and
  // the fleet-wide rules passed (writer/stream.ts); a dry run stages only for a simulation.
  let recovered: SynthResult['recovered'];
  const checkStaging = opts.check && opts.simulate ? mkdtempSync(join(tmpdir(), 'infra-synth-check-')) : undefined;
  if (checkStaging) mkdirSync(join(checkStaging, 'files'));
  const stream = TreeStream.open(outDir, {
    scope, check: opts.check, checkStagingDir: checkStaging && join(checkStaging, 'files'),
    onRecover: (r) => { recovered = r; }, onStep: opts.onWriteStep,
  });
  let fleet: Awaited<ReturnType<typeof renderFleet>>;
  let changes: TreeChanges;
  let files = 0;
  const incremental = incrementalOf(opts, readFrom);
  try {
    fleet = await renderFleet(specs, {
      secretsDir, onProgress: opts.onProgress, restOfFleet, charts: { charts: opts.charts, footprintsFile: readFrom, chartCache: opts.chartCache },
      incremental, inputs, stream,
    });
    if (opts.simulate) {
      // A simulation renders every chart: without them it could only report what it cannot see.
      const missing = [...new Set(fleet.footprints.filter((f) => !f.rendered).map((f) => `${f.chart} ${f.version}`))].sort();
      if (missing.length) throw new UserError(`synth --simulate needs every chart in the chart cache; it lacks ${missing.join(', ')}: run npx infra-synth charts pull`);
      await simulateBeforeWrite(stream, specs.map((s) => s.name), opts.chartCache);
    }
    // The .sops.yaml files hold every cluster's rule: only a whole-fleet run can write them.
    const own = [...infra.files, ...(scope ? [] : [{ path: SOPS_CONFIG, content: renderSopsConfig(specs, undefined, infra.managementSpecs) }])];
    stream.stage(specs.length, own);
    files = stream.files().length;
    changes = stream.finish();
  } finally {
    stream.abort(); // a no-op once finished; after a failure, nothing was committed and the staging goes
    if (checkStaging) rmSync(checkStaging, { recursive: true, force: true });
  }
  // Results no synth read for a month go (at most one walk of the cache a day).
  if (incremental) new SynthCache(incremental.cacheDir).prune();
  const { objects, workers, footprints, reused } = fleet;
  const warnings = [...infra.warnings, ...fleet.warnings];
  const sources: string[] = [];
  const footprintsChanged = refreshFootprints(footprintsFile, readFrom, footprints, !scope, !!opts.check);
  if (footprintsChanged) sources.push(footprintsChanged);
  if (!scope) {
    const stale = refreshCommittedSopsConfig(specs, secretsDir, !!opts.check, infra.managementSpecs);
    if (stale) sources.push(stale);
    sources.push(...refreshServiceDocs(specs, opts.docsDir ?? join(dirname(overlaysDir), 'docs', 'services'), !!opts.check));
  }
  return { clusters: specs.map((s) => s.name), files, objects, changes, sources, warnings, workers, recovered, reused };
}

/**
 * Simulates the clusters on a copy of their new files (the tree is not written yet: each file is
 * copied from its staged copy, or from the out dir where unchanged), and throws the findings as
 * one UserError, one line each, prefixed by the step that would fail.
 */
async function simulateBeforeWrite(stream: TreeStream, clusters: readonly string[], chartCache: SynthOptions['chartCache']): Promise<void> {
  const { simulateTree, formatSimFinding } = await import('../simulate/index.js');
  const staged = mkdtempSync(join(tmpdir(), 'infra-synth-simulate-'));
  try {
    for (const f of stream.files()) {
      if (!f.path.startsWith('clusters/') || f.state === 'invalid' || f.state === 'folder') continue;
      mkdirSync(dirname(join(staged, f.path)), { recursive: true });
      copyFileSync(stream.source(f), join(staged, f.path));
    }
    const report = await simulateTree(staged, { clusters, charts: new ChartRenderer(chartCache ?? {}) });
    const findings = report.clusters.flatMap((c) => c.findings).map(formatSimFinding);
    if (findings.length) throw new UserError(findings);
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

/**
 * Writes charts.footprints.json when what the renders found differs from it. A whole-fleet run
 * where every chart was rendered writes exactly the footprints used (stale ones go); otherwise the
 * renders are merged into the file and nothing is pruned. Footprints read from the file are never
 * written back. Returns the file when it changed (or, with check, would change).
 */
function refreshFootprints(target: string, readFrom: string, used: readonly ReportedFootprint[], wholeFleet: boolean, check: boolean): string | undefined {
  if (!used.some((u) => u.rendered)) return undefined;
  const previous = readFootprintFile(readFrom);
  const next = wholeFleet && used.every((u) => u.rendered) ? mergeFootprints(used) : mergeFootprints(used, previous);
  const text = formatFootprintFile(next);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === text) return undefined;
  if (!check) writeFileSync(target, text);
  return target;
}

/** The per-service pages list every cluster: a whole-fleet synth rewrites the stale ones. */
function refreshServiceDocs(specs: readonly ClusterSpec[], docsDir: string, check: boolean): string[] {
  if (!existsSync(docsDir)) return [];
  const r = writeServiceDocs(docsDir, renderServiceDocs(specs), check);
  return [...r.written, ...r.removed].map((f) => join(docsDir, f));
}


/**
 * What the fleet-wide rules (unique hosts, ExternalDNS owners, dashboard uids) need of the
 * clusters a partial synth does not render: read from the tree where they were rendered before,
 * rendered now where they were not — so `synth --cluster X` refuses what `validate` would.
 */
async function restOfFleetWide(overlaysDir: string, rendered: readonly string[], outDir: string, secretsDir: string, inputs: BatchOptions['inputs']): Promise<Manifest[]> {
  const kinds = fleetWideKinds();
  const others = listOverlayFiles(overlaysDir)
    .map((f) => f.split(/[\\/]/).pop()!.replace(/\.ts$/, ''))
    .filter((n) => !rendered.includes(n));
  const inTree = others.filter((n) => existsSync(join(outDir, 'clusters', n)));
  const out: Manifest[] = [];
  if (inTree.length) {
    const wanted = new RegExp(`^kind: (?:${[...kinds].join('|')})$`, 'm');
    for (const file of listYamlFiles(join(outDir, 'clusters'))) {
      if (!inTree.includes(file.split('/')[0])) continue;
      const text = readFileSync(join(outDir, 'clusters', file), 'utf8');
      if (!wanted.test(text)) continue;
      for (const m of parseManifests(`clusters/${file}`, text)) if (kinds.has(String(m.object.kind))) out.push(m);
    }
  }
  const missing = others.filter((n) => !inTree.includes(n));
  if (missing.length) {
    const { batches } = await renderShards(await loadFleet(overlaysDir, missing), { secretsDir, inputs });
    for (const b of batches) out.push(...b.wide);
  }
  return out;
}

/**
 * The incremental setting of a run: the digest of what every cluster's render reads besides its
 * own spec and secrets, or undefined for a full synth (`--full`, INFRA_SYNTH_INCREMENTAL=0, or a
 * run from the TypeScript sources, whose edits no digest would see).
 */
function incrementalOf(opts: SynthOptions, footprintsFile: string): BatchOptions['incremental'] {
  if (opts.full || process.env.INFRA_SYNTH_INCREMENTAL === '0') return undefined;
  const mode = opts.charts ?? chartsModeFromEnv();
  const fleet = fleetDigest({
    files: [footprintsFile, opts.chartCache?.lockFile ?? join(process.cwd(), 'charts.lock.json')],
    trees: [join(process.cwd(), DASHBOARDS_DIR)],
    // The cache is content-addressed: which packages it holds is what a render can read.
    listings: mode === 'off' ? [] : [opts.chartCache?.cacheDir ?? defaultCacheDir()],
    settings: { charts: mode },
  });
  return fleet ? { cacheDir: opts.synthCacheDir ?? defaultSynthCacheDir(), fleet } : undefined;
}
