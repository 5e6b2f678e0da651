// `helm install` / `helm template` up to the rendered release (cmd/helm runInstall +
// pkg/action Install.RunWithContext, client-only): installability, dependency presence, the
// release name, dependency processing, capabilities, render values with schema validation,
// then renderResources. Errors carry Helm's text.
import type { Chart } from '../chart/chart.js';
import {
  type Capabilities,
  checkKubeVersion,
  defaultCapabilities,
  type KubeVersion,
  parseKubeVersion,
} from '../chartutil/capabilities.js';
import { processDependencies } from '../chartutil/dependencies.js';
import { toRenderValues } from '../chartutil/values.js';
import type { LookupFunction } from '../engine/engine.js';
import { type RenderedRelease, RenderResourcesError, renderResources } from './render.js';

/** What `helm install`/`helm template` is asked to do with a loaded chart. */
export interface InstallOptions {
  readonly releaseName: string;
  /** Default `default`. */
  readonly namespace?: string;
  /** User-supplied values, already merged from -f/--set (see mergeValues). */
  readonly values?: Record<string, unknown>;
  /** `--kube-version` (e.g. `1.30` or `v1.30.2`); default the built-in v1.20.0. */
  readonly kubeVersion?: string;
  /** `--api-versions`, added to the default set. */
  readonly apiVersions?: readonly string[];
  readonly includeCrds?: boolean;
  /** `--is-upgrade` (a dry run sets .Release.IsUpgrade instead of IsInstall). */
  readonly isUpgrade?: boolean;
  readonly dryRun?: boolean;
  readonly hideSecret?: boolean;
  readonly skipSchemaValidation?: boolean;
  readonly subNotes?: boolean;
  /** Accept any release name (helm-unittest renders as `RELEASE-NAME`). */
  readonly skipNameValidation?: boolean;
  readonly lookup?: LookupFunction;
}

/** A rendered release, or the render error with whatever was rendered before it. */
export interface InstallResult extends RenderedRelease {
  releaseName: string;
  namespace: string;
}

/**
 * Thrown for an install that fails. `release` is set when the failure came from rendering
 * (helm then says "Use --debug flag to render out invalid YAML" and prints it with --debug).
 */
export class InstallError extends Error {
  override name = 'InstallError';
  constructor(message: string, readonly release?: Pick<RenderedRelease, 'manifest' | 'hooks'>) {
    super(message);
  }
}

const VALID_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_RELEASE_NAME_LEN = 53;

/** chartutil.ValidateReleaseName, wrapped as Install.availableName wraps it. */
export function validateReleaseName(name: string): void {
  let problem: string | undefined;
  if (name === '') problem = 'no name provided';
  else if (Buffer.byteLength(name) > MAX_RELEASE_NAME_LEN || !VALID_RELEASE_NAME.test(name)) {
    problem = `invalid release name, must match regex ${VALID_RELEASE_NAME.source} and the length must not be longer than 53`;
  }
  if (problem) throw new InstallError(`release name ${JSON.stringify(name)}: ${problem}`);
}

/** cmd/helm checkIfInstallable: only application charts install. */
export function checkIfInstallable(chart: Chart): void {
  const type = chart.metadata.Type;
  if (type === '' || type === 'application') return;
  throw new InstallError(`${type} charts are not installable`);
}

/** action.CheckDependencies: every Chart.yaml dependency must be present under charts/. */
export function checkDependencies(chart: Chart): void {
  const present = new Set(chart.dependencies().map((d) => d.name()));
  const missing = chart.metadata.Dependencies.filter((d) => !present.has(d.Name)).map((d) => d.Name);
  if (missing.length > 0) {
    throw new InstallError(
      'An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: ' +
        `found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
    );
  }
}

/** The capabilities of a client-only install: defaults, the asked kube version, extra API versions. */
export function clientCapabilities(kubeVersion?: string, apiVersions: readonly string[] = []): Capabilities {
  let kv: KubeVersion | undefined;
  if (kubeVersion !== undefined && kubeVersion !== '') {
    try {
      kv = parseKubeVersion(kubeVersion);
    } catch (e) {
      throw new InstallError(`invalid kube version '${kubeVersion}': ${(e as Error).message}`);
    }
  }
  return defaultCapabilities(kv, apiVersions);
}

/** Install.RunWithContext for a client-only (dry-run or fake-cluster) install. */
export function installChart(chart: Chart, options: InstallOptions): InstallResult {
  checkIfInstallable(chart);
  if (chart.metadata.Dependencies.length > 0) checkDependencies(chart);
  if (!options.dryRun && options.hideSecret) throw new InstallError('Hiding Kubernetes secrets requires a dry-run mode');
  if (!options.skipNameValidation) validateReleaseName(options.releaseName);

  const namespace = options.namespace ?? 'default';
  const values = options.values ?? {};
  let processed: Chart;
  try {
    processed = processDependencies(chart, values);
  } catch (e) {
    throw new InstallError((e as Error).message);
  }
  const caps = clientCapabilities(options.kubeVersion, options.apiVersions);
  const isUpgrade = options.isUpgrade === true;
  let renderValues: Record<string, unknown>;
  try {
    renderValues = toRenderValues(
      processed,
      values,
      { name: options.releaseName, namespace, revision: 1, isInstall: !isUpgrade, isUpgrade },
      caps,
      { skipSchemaValidation: options.skipSchemaValidation === true },
    );
  } catch (e) {
    throw new InstallError((e as Error).message);
  }

  try {
    checkKubeVersion(processed, caps);
    const rendered = renderResources(processed, renderValues, {
      includeCrds: options.includeCrds,
      hideSecret: options.hideSecret,
      subNotes: options.subNotes,
      lookup: options.lookup,
    });
    return { ...rendered, releaseName: options.releaseName, namespace };
  } catch (e) {
    const partial = e instanceof RenderResourcesError ? { manifest: e.manifest, hooks: e.hooks } : { manifest: '', hooks: [] };
    throw new InstallError((e as Error).message, partial);
  }
}

/** pkg/cli/values mergeMaps: later maps win; nested maps merge. */
export function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (isPlainMap(v) && isPlainMap(prev)) out[k] = mergeMaps(prev, v);
    else out[k] = v;
  }
  return out;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
