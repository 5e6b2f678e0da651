import { basename, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { build } from 'esbuild';
import { UserError } from '../primitives/errors.js';
import { cloudDefaults, environmentDefaults, platformDefaults } from './defaults.js';
import { deepMerge, isPlainObject } from './merge.js';
import { outputsFileOf, readInfraOutputs } from './infra-outputs.js';
import type { SpecLayer } from './overlay.js';
import { checkSpecRules } from './rules.js';
import { listOverlayFiles } from './overlay-files.js';
import { CLOUDS, ENVIRONMENTS, clusterSpecSchema, type ClusterSpec } from './schema.js';

/** One overlay as read from its file, before defaults and validation. */
export interface OverlaySource {
  /** Cluster name: the file's name without extension. */
  readonly name: string;
  /** How errors name the file, e.g. overlays/yc-prod.ts. */
  readonly file: string;
  readonly overlay: unknown;
  /** Its infrastructure outputs file, `<cluster>.outputs.json` beside it (read when it exists). */
  readonly outputsFile?: { readonly path: string; readonly file: string };
}

/** Applies the default layers to an overlay and validates the result; returns the spec or the problems, one line each. */
export function resolveCluster(src: OverlaySource): { spec?: ClusterSpec; problems: string[] } {
  const at = (path: string, msg: string) => `${src.file}: ${path || '(overlay)'}: ${msg}`;
  if (!isPlainObject(src.overlay)) {
    return { problems: [at('', 'the default export must be an object (export default { cloud, environment, domain, ... } satisfies ClusterOverlay)')] };
  }
  const overlay = src.overlay;
  const problems: string[] = [];
  if ('name' in overlay) problems.push(at('name', "remove this field: a cluster's name is its overlay file's name"));
  const { name: _ignored, ...rest } = overlay;
  const cloud = (CLOUDS as readonly unknown[]).includes(overlay.cloud) ? cloudDefaults[overlay.cloud as ClusterSpec['cloud']] : undefined;
  const env = (ENVIRONMENTS as readonly unknown[]).includes(overlay.environment) ? environmentDefaults[overlay.environment as ClusterSpec['environment']] : undefined;
  const fromOutputs = outputsLayer(src, rest, problems);
  const merged = deepMerge(platformDefaults, cloud, env, rest, fromOutputs, { name: src.name }) as Record<string, unknown>;

  const parsed = clusterSpecSchema.safeParse(merged);
  if (!parsed.success) {
    // An unknown cloud or environment means its defaults layer was not applied: every field it
    // would have filled is then "missing". Report the root cause, not what follows from it.
    const layersMissing = !cloud || !env;
    const followsFromLayers = (issue: z.core.$ZodIssue) => layersMissing
      && !['cloud', 'environment'].includes(String(issue.path[0]))
      && valueAt(merged, issue.path) === undefined;
    for (const issue of parsed.error.issues) {
      if (!followsFromLayers(issue)) problems.push(at(dotted(issue.path), describeIssue(issue, merged)));
    }
    if (issue0IsName(parsed.error.issues)) problems.push(at('name', `the file name "${src.name}" must be a DNS label`));
    return { problems };
  }
  for (const p of checkSpecRules(parsed.data)) problems.push(at(p.path, p.message));
  return problems.length ? { problems } : { spec: parsed.data, problems };
}

/**
 * The layer the cluster's outputs file adds: `infra.outputs`, and a Yandex registry's ID where the
 * overlay declares the registry without one. Problems (a bad file, an overlay setting what the
 * file holds) go to `problems`.
 */
function outputsLayer(src: OverlaySource, overlay: Record<string, unknown>, problems: string[]): SpecLayer | undefined {
  const infra = isPlainObject(overlay.infra) ? overlay.infra : {};
  if ('outputs' in infra) problems.push(`${src.file}: infra.outputs: remove this field; the outputs come from ${src.outputsFile?.file ?? `${src.name}.outputs.json`}, which \`infra-synth onboard ${src.name}\` writes`);
  if (!src.outputsFile) return undefined;
  const r = readInfraOutputs(src.outputsFile.path, src.outputsFile.file, src.name);
  problems.push(...r.problems);
  if (!r.outputs) return undefined;
  const registry = isPlainObject(infra.registry) ? infra.registry : undefined;
  const id = r.outputs.registry_id;
  const layer: SpecLayer = { infra: { outputs: r.outputs } };
  if (overlay.cloud === 'yandex' && registry && id) {
    if (registry.id === undefined) layer.infra!.registry = { id };
    else if (registry.id !== id) problems.push(`${src.file}: infra.registry.id: received ${JSON.stringify(registry.id)}, but ${src.outputsFile.file} says the stack made registry "${id}"; remove infra.registry.id (the outputs file sets it)`);
  }
  return layer;
}

/** Resolves every overlay; throws one UserError listing all problems of all overlays. */
export function resolveFleet(sources: readonly OverlaySource[]): ClusterSpec[] {
  const specs: ClusterSpec[] = [];
  const problems: string[] = [];
  for (const src of sources) {
    const r = resolveCluster(src);
    problems.push(...r.problems);
    if (r.spec) specs.push(r.spec);
  }
  if (problems.length) throw new UserError(problems);
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}


/**
 * Loads overlay files. They are TypeScript, so esbuild bundles them in memory (one build for all
 * files) and each is imported from a data: URL: overlays added after the build of the tool are
 * picked up without rebuilding it.
 */
export async function loadOverlayFiles(files: readonly string[], cwd = process.cwd()): Promise<OverlaySource[]> {
  const shown = (path: string) => relative(cwd, path) || path;
  let outputs: { text: string }[];
  try {
    const result = await build({
      entryPoints: files.map((path, i) => ({ in: path, out: `overlay-${i}` })),
      outdir: '/overlays', bundle: true, write: false, format: 'esm', platform: 'node',
      target: 'node20', logLevel: 'silent', sourcemap: false,
    });
    outputs = files.map((_, i) => result.outputFiles.find((o) => o.path === `/overlays/overlay-${i}.js`)!);
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    if (!errors?.length) throw new UserError(`overlays: could not load: ${(e as Error).message.split('\n')[0]}`);
    throw new UserError(errors.map((err) => err.location
      ? `${shown(resolve(err.location.file))}:${err.location.line}:${err.location.column} ${err.text}`
      : `overlays: ${err.text}`));
  }
  const problems: string[] = [];
  const out: OverlaySource[] = [];
  for (const [i, path] of files.entries()) {
    const file = shown(path);
    const name = basename(path).replace(/\.ts$/, '');
    try {
      const mod = await importOverlay(outputs[i].text);
      if (!('default' in mod)) {
        problems.push(`${file}: (overlay): no default export (expected export default { cloud, environment, domain, ... } satisfies ClusterOverlay)`);
        continue;
      }
      const outputsPath = outputsFileOf(path);
      out.push({ name, file, overlay: mod.default, outputsFile: { path: outputsPath, file: shown(outputsPath) } });
    } catch (e) {
      problems.push(`${file}: could not load: ${describeThrown(e)}`);
    }
  }
  if (problems.length) throw new UserError(problems);
  return out;
}

/** How long an overlay's module may take to evaluate (top-level await included). */
const OVERLAY_LOAD_TIMEOUT_MS = Number(process.env.INFRA_SYNTH_OVERLAY_TIMEOUT_MS ?? 10_000);

class OverlayExit extends Error {}

/**
 * Evaluates one bundled overlay. An overlay is data, but it is code: it may throw anything, await
 * forever (node would exit 13 with nothing said) or call process.exit (the run would end with
 * nothing checked). Each of these becomes a problem naming the overlay.
 */
async function importOverlay(code: string): Promise<Record<string, unknown>> {
  const exit = process.exit;
  process.exit = ((code?: number | string | null) => {
    throw new OverlayExit(`it called process.exit(${code ?? ''}); an overlay must only export its cluster's data`);
  }) as typeof process.exit;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(
        `it did not finish loading within ${OVERLAY_LOAD_TIMEOUT_MS / 1000} s (a top-level await that never settles?)`,
      )), OVERLAY_LOAD_TIMEOUT_MS);
    });
    return await Promise.race([import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`), timeout]);
  } catch (e) {
    if (e instanceof OverlayExit) throw e;
    throw e instanceof Error ? e : new Error(`it threw ${describeThrown(e)}`);
  } finally {
    clearTimeout(timer);
    process.exit = exit;
  }
}

/** One line for whatever an overlay threw (an Error, a string, anything). */
function describeThrown(e: unknown): string {
  if (e instanceof Error) return (e.message || e.name).split('\n')[0];
  if (typeof e === 'string') return e.split('\n')[0];
  try { return JSON.stringify(e) ?? String(e); } catch { return String(e); }
}

/** Loads, merges and validates the overlays of a folder (all, or the named clusters). */
export async function loadFleet(dir: string, only?: readonly string[]): Promise<ClusterSpec[]> {
  let files = listOverlayFiles(dir);
  if (only?.length) {
    const known = new Set(files.map((f) => basename(f, '.ts')));
    const unknown = only.filter((n) => !known.has(n));
    if (unknown.length) {
      throw new UserError(unknown.map((n) => `--cluster ${n}: no overlay ${join(dir, `${n}.ts`)} (clusters: ${[...known].join(', ')})`));
    }
    files = files.filter((f) => only.includes(basename(f, '.ts')));
  }
  if (!files.length) throw new UserError(`${dir}: no overlays (expected one <cluster>.ts file per cluster)`);
  return resolveFleet(await loadOverlayFiles(files));
}

export function dotted(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), obj);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function issue0IsName(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.some((i) => i.path.length === 1 && i.path[0] === 'name');
}

export function describeIssue(issue: z.core.$ZodIssue, merged: unknown): string {
  const received = valueAt(merged, issue.path);
  switch (issue.code) {
    case 'invalid_value':
      return `${received === undefined ? 'missing' : `received ${show(received)}`}; expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      // A schema that knows why a field has no default says so itself ("missing; ...").
      return received === undefined
        ? (issue.message.startsWith('missing;') ? issue.message : `missing; expected ${issue.expected}`)
        : `received ${show(received)}; expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_format':
    case 'invalid_string' as string:
      return `received ${show(received)}; expected ${issue.message.startsWith('Invalid') ? (issue as { format?: string }).format ?? issue.message : issue.message}`;
    case 'too_small':
      return `received ${show(received)}; expected ${issue.origin === 'array' ? `at least ${issue.minimum} item(s)` : `at least ${issue.minimum}`}`;
    case 'too_big':
      return `received ${show(received)}; expected ${issue.origin === 'array' ? `at most ${issue.maximum} item(s)` : `at most ${issue.maximum}`}`;
    default:
      return `received ${show(received)}; ${issue.message}`;
  }
}
