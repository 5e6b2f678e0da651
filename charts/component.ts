import type { Chart } from 'cdk8s';
import type { ChartPin } from '../catalog/versions.js';
import type { GroupKind } from '../constructs/app-project.js';
import type { ApplicationSpecIgnoreDifferences } from '../imports/argoproj.io.js';
import type { DashboardFile } from '../spec/dashboards.js';
import type { ClusterSpec } from '../spec/schema.js';

/**
 * Sync waves of the root Application's children: Argo CD itself and the projects first, then
 * operators with their CRDs, then the objects that use those CRDs, then the teams' applications.
 */
export const WAVES = {
  argocd: -10,
  projects: -9,
  // The decryptor and the encrypted Secrets come before the operators that read those Secrets.
  secretsOperator: -7,
  secrets: -6,
  operators: -5,
  operatorsExtras: -4,
  config: 0,
  teams: 10,
} as const;

/** One platform component as a cluster gets it: a pinned chart, its own objects, or both. */
export interface PlatformComponent {
  /** Folder under clusters/<cluster>/ and the name of its Application(s). */
  readonly name: string;
  /** Namespace the component runs in. */
  readonly namespace: string;
  /** The upstream chart Argo CD installs, with values from the spec. */
  readonly helm?: {
    readonly chart: ChartPin;
    readonly values: Record<string, unknown>;
    /** @default - the component's name */
    readonly releaseName?: string;
    /** Large CRDs need server-side apply. @default false */
    readonly serverSideApply?: boolean;
    /**
     * Leave the CRDs of the chart's crds/ folders out: another component owns those CRDs (a
     * subchart bundling an older copy of them). @default false
     */
    readonly skipCrds?: boolean;
    /** @default WAVES.operators */
    readonly wave?: number;
    /** Fields controllers own in the chart's objects, left out of Argo CD's diff. @default - none */
    readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
  };
  /**
   * Adds the component's own objects (issuers, policies, ...) to its chart. A component that
   * reads `cluster` (what every other component runs) gets its objects added last.
   */
  readonly addObjects?: (chart: Chart, spec: ClusterSpec, cluster: ClusterFacts | undefined, inputs: RenderInputs) => void;
  /** addObjects reads `cluster.images`: the objects are added after every other component's. @default false */
  readonly readsClusterImages?: boolean;
  /** Wave of the Application that syncs the component's own objects. @default WAVES.config */
  readonly objectsWave?: number;
  /** Extra sync options of the objects' Application (e.g. SkipDryRunOnMissingResource=true). */
  readonly objectsSyncOptions?: readonly string[];
  /**
   * Secrets the component reads by name. Each must exist SOPS-encrypted as
   * secrets/<cluster>/<namespace>/<name>.enc.yaml, or synth fails. @default - none
   */
  readonly secrets?: readonly SecretUse[];
}

/** What the rest of the cluster runs, for components whose objects depend on it (the registry allowlist). */
/**
 * What a cluster's charts read besides its spec. Loaded (and checked) before rendering, so that no
 * chart reads a file and every cluster of a run sees the same inputs.
 */
export interface RenderInputs {
  /** The reviewed Grafana dashboards (spec/dashboards.ts). */
  readonly dashboards: readonly DashboardFile[];
}

export interface ClusterFacts {
  /** Every image reference of the cluster's charts and objects (chart footprints, and repositories without a tag for subcharts the package lacks), sorted. */
  readonly images: readonly string[];
  /**
   * The platform's namespaces: Argo CD's and every component's except the teams' (where the
   * platform adds a team's service objects), sorted. The Kyverno policy admits SopsSecrets only there.
   */
  readonly platformNamespaces: readonly string[];
}

/**
 * A component with what renderCluster computed for it from its chart's footprint and its own
 * objects (charts/derive.ts): never written by hand.
 */
export interface ResolvedComponent extends PlatformComponent {
  /**
   * Cluster-scoped kinds the chart and the objects create: the platform AppProject allows these
   * and no others, and the controller's ClusterRole grants exactly these.
   */
  readonly clusterKinds: readonly GroupKind[];
  /**
   * Namespaces the platform does not manage where the component writes namespaced objects (an
   * aggregated API server's RoleBinding in kube-system), with exactly those kinds: Argo CD may
   * write those kinds there and nothing else (it may read everything there: its cache lists
   * every kind in each namespace it manages), and such a namespace is neither created nor handed
   * over whole.
   */
  readonly foreignObjects: readonly ForeignObjects[];
}

/** A Secret a component references by name (lib/secrets checks that it is delivered). */
export interface SecretUse {
  readonly name: string;
  readonly namespace: string;
  /** Data keys the component reads (shown in the error when the Secret is missing). */
  readonly keys: readonly string[];
  /** The Secret's type when it matters, e.g. `kubernetes.io/tls`. @default Opaque */
  readonly type?: string;
  /** Who reads it, for error messages, e.g. `ClusterIssuer company-ca`. */
  readonly usedBy: string;
  /**
   * Labels the reader finds the Secret by (Argo CD reads only Secrets labelled
   * `argocd.argoproj.io/secret-type`); `secrets add` puts them in the template. @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Data keys whose values the component dictates (a credential's `url`): `secrets add` writes
   * them itself and refuses them from the command line. A subset of `keys`. @default - none
   */
  readonly values?: Readonly<Record<string, string>>;
}

export interface ForeignObjects {
  readonly namespace: string;
  readonly kinds: readonly GroupKind[];
}

