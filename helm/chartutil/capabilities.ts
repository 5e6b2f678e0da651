// `.Capabilities`: what Helm tells templates about the cluster. `helm template` has no cluster,
// so it uses chartutil.DefaultCapabilities (plus --kube-version and --api-versions).

import { type Chart } from '../chart/chart.js';
import { newConstraint, newVersion } from '../semver/index.js';
import { GoStruct } from '../template/value.js';

/** The Helm version templates see as `.Capabilities.HelmVersion.Version` (Helm's internal/version). */
export const HELM_VERSION = 'v3.19';

/**
 * The group/versions of client-go v0.34.2's `scheme.Scheme` after Helm adds apiextensions
 * v1beta1 and v1, as `PrioritizedVersionsAllGroups()` returns them. The scheme sets no version
 * priorities, so the list is its observed versions in registration order: core `v1` first
 * (client-go's scheme init registers meta types under it), then the groups in the order of
 * `localSchemeBuilder` in k8s.io/client-go@v0.34.2 kubernetes/scheme/register.go (each
 * k8s.io/api package registers exactly its own group/version), then Helm's
 * `apiextensionsv1beta1.AddToScheme` and `apiextensionsv1.AddToScheme` calls
 * (helm v3.19.5 pkg/chartutil/capabilities.go allKnownVersions).
 */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1',
  'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1',
  'resource.k8s.io/v1beta2',
  'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1alpha1',
  'apiextensions.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1',
];

/** chartutil.KubeVersion; `{{ .Capabilities.KubeVersion }}` prints its String(). */
export class KubeVersion extends GoStruct {
  readonly goTypeName = 'chartutil.KubeVersion';
  static override goMethods: readonly string[] = ['String', 'GitVersion'];

  constructor(
    public Version: string,
    public Major: string,
    public Minor: string,
  ) {
    super();
  }

  String(): string {
    return this.Version;
  }

  /** Deprecated in Helm, still used by charts. */
  GitVersion(): string {
    return this.Version;
  }
}

/**
 * chartutil.VersionSet, a Go `[]string` with a `Has` method. Templates only call `.Has`, so it
 * is modelled as a struct without fields; `versions` holds the list.
 */
export class VersionSet extends GoStruct {
  static override goMethods: readonly string[] = ['Has'];
  declare readonly versions: readonly string[];

  constructor(versions: readonly string[]) {
    super();
    Object.defineProperty(this, 'versions', { value: [...versions], enumerable: false });
  }

  get goTypeName(): string {
    return 'chartutil.VersionSet';
  }

  /** Exact match: `apps/v1`, or `apps/v1/Deployment` when the set lists kinds. */
  Has(apiVersion: unknown): boolean {
    return this.versions.includes(String(apiVersion));
  }

  toJSON(): readonly string[] {
    return this.versions;
  }
}

/** Helm's internal/version.BuildInfo (GoVersion is empty, as in Helm's own test runs). */
export class BuildInfo extends GoStruct {
  readonly goTypeName = 'version.BuildInfo';
  Version = HELM_VERSION;
  GitCommit = '';
  GitTreeState = '';
  GoVersion = '';

  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.Version) out.version = this.Version;
    if (this.GitCommit) out.git_commit = this.GitCommit;
    if (this.GitTreeState) out.git_tree_state = this.GitTreeState;
    if (this.GoVersion) out.go_version = this.GoVersion;
    return out;
  }
}

export class Capabilities extends GoStruct {
  readonly goTypeName = '*chartutil.Capabilities';

  constructor(
    public KubeVersion: KubeVersion,
    public APIVersions: VersionSet,
    public HelmVersion: BuildInfo = new BuildInfo(),
  ) {
    super();
  }
}

const GENERIC_VERSION = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$/;

/** chartutil.ParseKubeVersion (k8s.io/apimachinery version.ParseGeneric): "1.29", "v1.28+", "1.16.0". */
export function parseKubeVersion(version: string): KubeVersion {
  const m = GENERIC_VERSION.exec(version);
  if (!m) throw new Error(`could not parse ${JSON.stringify(version)} as version`);
  const components = m[1]!.split('.');
  if (components.length < 2) throw new Error(`illegal version string ${JSON.stringify(version)}`);
  const numbers = components.map((comp, i) => {
    if (i === 0 && comp.startsWith('0') && comp !== '0') {
      throw new Error(`illegal zero-prefixed version component ${JSON.stringify(comp)} in ${JSON.stringify(version)}`);
    }
    const n = BigInt(comp);
    if (n > (1n << 64n) - 1n) {
      throw new Error(
        `illegal non-numeric version component ${JSON.stringify(comp)} in ${JSON.stringify(version)}: strconv.ParseUint: parsing ${JSON.stringify(comp)}: value out of range`,
      );
    }
    return n;
  });
  return new KubeVersion(`v${numbers.join('.')}`, String(numbers[0]), String(numbers[1]));
}

/**
 * chartutil.DefaultCapabilities as `helm template` sees it: Kubernetes v1.20.0 (Helm's
 * default when not set at link time, and what its test suite sees), the scheme's API versions,
 * plus extra `apiVersions` (--api-versions) appended.
 */
export function defaultCapabilities(kubeVersion?: string | KubeVersion, apiVersions: readonly string[] = []): Capabilities {
  const kv =
    kubeVersion === undefined
      ? new KubeVersion('v1.20.0', '1', '20')
      : typeof kubeVersion === 'string'
        ? parseKubeVersion(kubeVersion)
        : kubeVersion;
  return new Capabilities(kv, new VersionSet([...DEFAULT_API_VERSIONS, ...apiVersions]));
}

/** chartutil.IsCompatibleRange: false when either side does not parse. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  let v;
  let c;
  try {
    v = newVersion(version);
    c = newConstraint(constraint);
  } catch {
    return false;
  }
  return c.check(v);
}

/** The chart's `kubeVersion` constraint against the cluster version, with Helm's error text. */
export function checkKubeVersion(chart: Chart, caps: Capabilities): void {
  const required = chart.metadata.KubeVersion;
  if (required === '') return;
  const actual = caps.KubeVersion.String();
  if (!isCompatibleRange(required, actual)) {
    throw new Error(`chart requires kubeVersion: ${required} which is incompatible with Kubernetes ${actual}`);
  }
}
