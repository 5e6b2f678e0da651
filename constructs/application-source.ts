import { EXACT_VERSION, type ChartPin } from '../catalog/versions.js';
import type { ApplicationSpecSource } from '../imports/argoproj.io.js';

/**
 * The repository and chart name an Argo CD Application names for a pinned chart. A Helm
 * repository is its URL. A chart in an OCI registry (`oci://host/path/chart`, as the catalog pins
 * it for `charts pull`) is the registry path WITHOUT the scheme and without the chart's name, plus
 * `chart`: with `oci://` Argo CD 3.x reads the source as a plain OCI artifact and ignores `chart`.
 * Such a registry must be declared to Argo CD as a Helm repository with `enableOCI: "true"`
 * (charts/argocd.ts does it from helmRepository()).
 */
export function argoHelmSource(pin: ChartPin): { readonly repoURL: string; readonly chart: string } {
  if (!pin.repoURL.startsWith('oci://')) return { repoURL: pin.repoURL, chart: pin.chart };
  const path = pin.repoURL.slice('oci://'.length).replace(/\/+$/, '');
  const repoURL = path.endsWith(`/${pin.chart}`) ? path.slice(0, -(pin.chart.length + 1)) : path;
  return { repoURL, chart: pin.chart };
}

/**
 * The Argo CD repository (a Secret labelled argocd.argoproj.io/secret-type: repository, as the
 * argo-cd chart's `configs.repositories` renders it) a pinned chart needs, if any: OCI registries
 * only; Helm repositories over HTTPS need no declaration for anonymous pulls.
 */
export function helmRepository(pin: ChartPin): { readonly name: string; readonly url: string; readonly type: 'helm'; readonly enableOCI: 'true' } | undefined {
  if (!pin.repoURL.startsWith('oci://')) return undefined;
  const url = argoHelmSource(pin).repoURL;
  return { name: url.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase(), url, type: 'helm', enableOCI: 'true' };
}

/** Where an Argo CD Application takes its manifests from. Build one with the static factories. */
export abstract class ApplicationSource {
  /** Plain YAML in a folder of a Git repository (the rendered tree). */
  static gitDirectory(props: GitDirectorySourceProps): ApplicationSource {
    return new GitDirectorySource(props);
  }

  /** A Helm chart at an exact version, with values. */
  static helmChart(pin: ChartPin, props: HelmChartSourceProps): ApplicationSource {
    return new HelmChartSource(pin, props);
  }

  /** The repository the source reads, for AppProject sourceRepos. */
  abstract readonly repoURL: string;

  /** Problems with the props, as `field: message` lines; empty when valid. */
  abstract problems(): string[];

  /** The `spec.source` of the Application, as props of the imported L1 class. */
  abstract toSpec(): ApplicationSpecSource;
}

export interface GitDirectorySourceProps {
  readonly repoURL: string;
  /** Branch, tag or commit. */
  readonly targetRevision: string;
  /** Folder in the repository, without leading or trailing `/`. */
  readonly path: string;
  /** Read sub-folders too. @default false */
  readonly recurse?: boolean;
}

class GitDirectorySource extends ApplicationSource {
  readonly repoURL: string;
  constructor(private readonly props: GitDirectorySourceProps) {
    super();
    this.repoURL = props.repoURL;
  }

  problems(): string[] {
    const { path } = this.props;
    const out: string[] = [];
    if (!path || path.startsWith('/') || path.endsWith('/') || path.split('/').includes('..')) {
      out.push(`source.path: received ${JSON.stringify(path)}; expected a relative folder such as clusters/prod/apps`);
    }
    if (!this.props.targetRevision) out.push('source.targetRevision: missing; expected a branch, tag or commit');
    return out;
  }

  toSpec(): ApplicationSpecSource {
    return {
      repoUrl: this.props.repoURL,
      targetRevision: this.props.targetRevision,
      path: this.props.path,
      ...(this.props.recurse ? { directory: { recurse: true } } : {}),
    };
  }
}

export interface HelmChartSourceProps {
  /** Helm release name. */
  readonly releaseName: string;
  /** Chart values (Helm's values.yaml, as an object). @default - the chart's defaults */
  readonly values?: Record<string, unknown>;
  /** Leave the chart's crds/ folder out (CRDs managed elsewhere). @default false */
  readonly skipCrds?: boolean;
}

class HelmChartSource extends ApplicationSource {
  readonly repoURL: string;
  private readonly chart: string;
  constructor(private readonly pin: ChartPin, private readonly props: HelmChartSourceProps) {
    super();
    ({ repoURL: this.repoURL, chart: this.chart } = argoHelmSource(pin));
  }

  problems(): string[] {
    const out: string[] = [];
    if (!EXACT_VERSION.test(this.pin.version)) {
      out.push(`chart.version: received ${JSON.stringify(this.pin.version)} for chart ${this.pin.chart}; expected an exact version such as 1.2.3 (no ranges, no "latest")`);
    }
    if (!/^(https:\/\/|oci:\/\/)/.test(this.pin.repoURL)) {
      out.push(`chart.repoURL: received ${JSON.stringify(this.pin.repoURL)}; expected an https:// Helm repository or an oci:// registry`);
    }
    return out;
  }

  toSpec(): ApplicationSpecSource {
    return {
      repoUrl: this.repoURL,
      chart: this.chart,
      targetRevision: this.pin.version,
      helm: {
        releaseName: this.props.releaseName,
        ...(this.props.skipCrds ? { skipCrds: true } : {}),
        ...(this.props.values && Object.keys(this.props.values).length ? { valuesObject: this.props.values } : {}),
      },
    };
  }
}
