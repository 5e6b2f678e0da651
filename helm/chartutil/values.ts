// chartutil.Values: value trees (Go map[string]interface{}), dotted-path lookups, reading a
// values file, and the top-level object templates render against (`.Values`, `.Release`,
// `.Chart`, `.Capabilities`).

import { type Chart } from '../chart/chart.js';
import { unmarshal } from '../encoding/yaml.js';
import { int, isMap } from '../template/value.js';
import { defaultCapabilities, type Capabilities } from './capabilities.js';
import { coalesceValues } from './coalesce.js';
import { schemaProblems } from './schema.js';

export type Values = Record<string, unknown>;

/** The values key shared by a chart and all its subcharts. */
export const GLOBAL_KEY = 'global';

/** A YAML table: what Go's `v.(map[string]interface{})` accepts. */
export function isTable(v: unknown): v is Values {
  return isMap(v);
}

export function hasKey(m: Values, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** chartutil.ErrNoTable. */
export class NoTableError extends Error {
  constructor(readonly key: string) {
    super(`${JSON.stringify(key)} is not a table`);
  }
}

/** chartutil.ErrNoValue. */
export class NoValueError extends Error {
  constructor(readonly key: string) {
    super(`${JSON.stringify(key)} is not a value`);
  }
}

/** copystructure.Copy on a value tree: maps and slices are new, scalars shared. */
export function deepCopy<T>(v: T): T {
  // Scalars first, and keys rather than entries: every render copies each chart's defaults
  // (twice, with dependency processing), thousands of values for the large charts.
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = deepCopy(v[i]);
    return out as T;
  }
  if (isMap(v)) {
    const out: Values = {};
    for (const k of Object.keys(v)) out[k] = deepCopy((v as Values)[k]);
    return out as T;
  }
  return v;
}

/** Values.Table: the table at a dotted path (`foo.bar`); throws NoTableError naming the segment. */
export function table(values: Values, name: string): Values {
  let current = values;
  for (const segment of name.split('.')) {
    if (!hasKey(current, segment)) throw new NoTableError(segment);
    const next = current[segment];
    if (!isTable(next)) throw new NoTableError(segment);
    current = next;
  }
  return current;
}

/** Values.PathValue: the non-table value at a dotted path; throws NoValueError. */
export function pathValue(values: Values, path: string): unknown {
  if (path === '') throw new Error('YAML path cannot be empty');
  const parts = path.split('.');
  const key = parts[parts.length - 1]!;
  let t: Values;
  if (parts.length === 1) {
    t = values;
  } else {
    try {
      t = table(values, parts.slice(0, -1).join('.'));
    } catch {
      throw new NoValueError(key);
    }
  }
  if (hasKey(t, key) && !isTable(t[key])) return t[key];
  throw new NoValueError(key);
}

/** chartutil.ReadValues: a YAML document as a value map; an empty document is an empty map. Throws the codec's error text. */
export function readValues(text: string): Values {
  return (unmarshal(text, 'map') as Values | null) ?? {};
}

/** chartutil.ReleaseOptions. */
export interface ReleaseOptions {
  readonly name: string;
  readonly namespace: string;
  readonly revision?: number;
  readonly isInstall?: boolean;
  readonly isUpgrade?: boolean;
}

export interface RenderValuesOptions {
  /** `--skip-schema-validation`. */
  readonly skipSchemaValidation?: boolean;
}

/**
 * chartutil.ToRenderValuesWithSchemaValidation: coalesce the chart's values with `values`,
 * validate them against the charts' schemas, and build the top-level template data.
 */
export function toRenderValues(
  chart: Chart,
  values: Values,
  release: ReleaseOptions,
  caps: Capabilities = defaultCapabilities(),
  options: RenderValuesOptions = {},
): Values {
  const top: Values = {
    Chart: chart.metadata,
    Capabilities: caps,
    Release: {
      Name: release.name,
      Namespace: release.namespace,
      IsUpgrade: release.isUpgrade ?? false,
      IsInstall: release.isInstall ?? false,
      Revision: int(release.revision ?? 1),
      Service: 'Helm',
    },
  };
  const coalesced = coalesceValues(chart, values);
  if (!options.skipSchemaValidation) {
    const problems = schemaProblems(chart, coalesced);
    if (problems !== '') {
      throw new Error(`values don't meet the specifications of the schema(s) in the following chart(s):\n${problems}`);
    }
  }
  top.Values = coalesced;
  return top;
}
