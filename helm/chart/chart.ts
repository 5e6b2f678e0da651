// Helm's pkg/chart: a loaded chart, its Chart.yaml metadata, its dependency list and lock.
//
// `Metadata`, `Maintainer` and `Dependency` are Go structs that templates see (`.Chart` is a
// `*chart.Metadata`), so their fields carry Go's exported names. `toJSON()` gives the
// encoding/json view (json tags, omitempty), which is what `toYaml .Chart` and `toJson` print.

import { GoStruct } from '../template/value.js';

export const API_VERSION_V1 = 'v1';
export const API_VERSION_V2 = 'v2';

/** A file of a chart: `name` is its slash-separated path relative to the chart root. */
export interface ChartFile {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Go's omitempty: zero values and empty slices/maps are left out. */
function omitEmpty(entries: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value === '' || value === false || value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) continue;
    out[key] = value;
  }
  return out;
}

export class Maintainer extends GoStruct {
  readonly goTypeName = '*chart.Maintainer';
  Name = '';
  Email = '';
  URL = '';

  toJSON(): Record<string, unknown> {
    return omitEmpty({ name: this.Name, email: this.Email, url: this.URL });
  }
}

export class Dependency extends GoStruct {
  readonly goTypeName = '*chart.Dependency';
  /** Must match the name in the dependency's Chart.yaml. */
  Name = '';
  /** A version or a semver range. */
  Version = '';
  Repository = '';
  /** Comma-separated value paths; the first one that resolves to a bool decides. */
  Condition = '';
  Tags: string[] = [];
  /** Set by dependency processing, not read from Chart.yaml in practice. */
  Enabled = false;
  /** Strings, or `{child, parent}` maps. */
  ImportValues: unknown[] = [];
  Alias = '';

  clone(): Dependency {
    const copy = new Dependency();
    Object.assign(copy, this);
    copy.Tags = [...this.Tags];
    copy.ImportValues = [...this.ImportValues];
    return copy;
  }

  toJSON(): Record<string, unknown> {
    // `name` and `repository` have no omitempty in Helm's struct tags.
    return {
      name: this.Name,
      ...omitEmpty({ version: this.Version }),
      repository: this.Repository,
      ...omitEmpty({
        condition: this.Condition,
        tags: this.Tags,
        enabled: this.Enabled,
        'import-values': this.ImportValues,
        alias: this.Alias,
      }),
    };
  }
}

/** The contents of Chart.yaml, exposed to templates as `.Chart`. */
export class Metadata extends GoStruct {
  readonly goTypeName = '*chart.Metadata';
  static override goMethods: readonly string[] = [];
  Name = '';
  Home = '';
  Sources: string[] = [];
  Version = '';
  Description = '';
  Keywords: string[] = [];
  Maintainers: Maintainer[] = [];
  Icon = '';
  APIVersion = '';
  Condition = '';
  Tags = '';
  AppVersion = '';
  Deprecated = false;
  Annotations: Record<string, string> = {};
  KubeVersion = '';
  Dependencies: Dependency[] = [];
  Type = '';

  /**
   * Whether Chart.yaml (or requirements.yaml) has a non-null `dependencies` key: Go tells a nil
   * slice from an empty one there, and dependency processing stops early on nil.
   */
  declare dependenciesDeclared: boolean;

  constructor() {
    super();
    Object.defineProperty(this, 'dependenciesDeclared', { value: false, writable: true, enumerable: false });
  }

  /** Go's `md := *c.Metadata`: a new struct sharing the slices and the *Dependency pointers. */
  shallowClone(): Metadata {
    const copy = new Metadata();
    Object.assign(copy, this);
    copy.dependenciesDeclared = this.dependenciesDeclared;
    return copy;
  }

  /** A copy sharing nothing mutable with this one. */
  deepClone(): Metadata {
    const copy = this.shallowClone();
    copy.Sources = [...this.Sources];
    copy.Keywords = [...this.Keywords];
    copy.Maintainers = this.Maintainers.map((m) => Object.assign(new Maintainer(), m));
    copy.Annotations = { ...this.Annotations };
    copy.Dependencies = this.Dependencies.map((d) => d.clone());
    return copy;
  }

  toJSON(): Record<string, unknown> {
    return omitEmpty({
      name: this.Name,
      home: this.Home,
      sources: this.Sources,
      version: this.Version,
      description: this.Description,
      keywords: this.Keywords,
      maintainers: this.Maintainers,
      icon: this.Icon,
      apiVersion: this.APIVersion,
      condition: this.Condition,
      tags: this.Tags,
      appVersion: this.AppVersion,
      deprecated: this.Deprecated,
      annotations: this.Annotations,
      kubeVersion: this.KubeVersion,
      dependencies: this.Dependencies,
      type: this.Type,
    });
  }
}

/** Chart.lock (or requirements.lock for v1 charts). */
export interface Lock {
  /** RFC 3339 text as written; nothing renders it. */
  generated: string;
  digest: string;
  dependencies: Dependency[];
}

/** A CRD file of a chart or one of its subcharts; `filename` is prefixed with the chart's full path. */
export interface CrdObject {
  readonly name: string;
  readonly filename: string;
  readonly file: ChartFile;
}

function hasManifestExtension(name: string): boolean {
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  const ext = dot > slash ? name.slice(dot).toLowerCase() : '';
  return ext === '.yaml' || ext === '.yml' || ext === '.json';
}

export class Chart {
  /** Every file of the chart as loaded, ignored ones excluded (Helm's `Raw`). */
  raw: ChartFile[] = [];
  metadata: Metadata;
  lock: Lock | null = null;
  templates: ChartFile[] = [];
  /** values.yaml as Go values; null when the chart has none or it is empty. */
  values: Record<string, unknown> | null = null;
  schema?: Uint8Array;
  /** Every file that is not Chart.yaml, values.yaml, a template, a lock or a subchart. */
  files: ChartFile[] = [];

  private parentChart: Chart | null = null;
  private dependencyCharts: Chart[] = [];

  constructor(metadata: Metadata = new Metadata()) {
    this.metadata = metadata;
  }

  name(): string {
    return this.metadata.Name;
  }

  appVersion(): string {
    return this.metadata.AppVersion;
  }

  dependencies(): Chart[] {
    return this.dependencyCharts;
  }

  setDependencies(...charts: Chart[]): void {
    this.dependencyCharts = [];
    this.addDependency(...charts);
  }

  addDependency(...charts: Chart[]): void {
    for (const chart of charts) {
      chart.parentChart = this;
      this.dependencyCharts.push(chart);
    }
  }

  parent(): Chart | null {
    return this.parentChart;
  }

  isRoot(): boolean {
    return this.parentChart === null;
  }

  root(): Chart {
    return this.parentChart === null ? this : this.parentChart.root();
  }

  /** Dotted path of names from the root, e.g. `parent.child`. */
  chartPath(): string {
    return this.parentChart === null ? this.name() : `${this.parentChart.chartPath()}.${this.name()}`;
  }

  /** Slash path from the root through `charts/`, e.g. `parent/charts/child` (the `# Source:` prefix). */
  chartFullPath(): string {
    return this.parentChart === null ? this.name() : `${this.parentChart.chartFullPath()}/charts/${this.name()}`;
  }

  /** Files under `crds/` with a manifest extension, this chart's first, then each dependency's. */
  crds(): ChartFile[] {
    const own = this.files.filter((f) => f.name.startsWith('crds/') && hasManifestExtension(f.name));
    return [...own, ...this.dependencyCharts.flatMap((d) => d.crds())];
  }

  crdObjects(): CrdObject[] {
    const own = this.files
      .filter((f) => f.name.startsWith('crds/') && hasManifestExtension(f.name))
      .map((f) => ({ name: f.name, filename: `${this.chartFullPath()}/${f.name}`, file: f }));
    return [...own, ...this.dependencyCharts.flatMap((d) => d.crdObjects())];
  }

  /**
   * A shallow copy sharing files and values but with its own metadata copy and no parent,
   * as Helm's `out := *c` in dependency aliasing; dependencies are kept (the same chart objects).
   */
  shallowCopy(metadata: Metadata = this.metadata.shallowClone()): Chart {
    const copy = new Chart(metadata);
    copy.raw = this.raw;
    copy.lock = this.lock;
    copy.templates = this.templates;
    copy.values = this.values;
    copy.schema = this.schema;
    copy.files = this.files;
    copy.parentChart = this.parentChart;
    copy.dependencyCharts = this.dependencyCharts;
    return copy;
  }
}
