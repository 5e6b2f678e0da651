// Helm's value coalescing (pkg/chartutil/coalesce.go, v3.19):
// - the user's values win over the chart's defaults; maps merge, everything else is replaced;
// - a user `null` deletes the default (CoalesceValues) or is kept (MergeValues, used while
//   processing dependencies so that a later coalesce can still delete);
// - each subchart's values live under its name; `global` is copied down into every subchart;
// - type conflicts are logged, with Helm's texts, and skipped.

import { type Chart } from '../chart/chart.js';
import { formatValue, sprintf } from '../template/fmt.js';
import { logf } from './log.js';
import { deepCopy, GLOBAL_KEY, hasKey, isTable, type Values } from './values.js';

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/** chartutil.CoalesceValues: the chart tree's defaults under `values`, nulls deleting defaults. Does not modify `values`. */
export function coalesceValues(chart: Chart, values: Values | null | undefined): Values {
  return coalesce(chart, deepCopy(values ?? {}), '', false);
}

/** chartutil.MergeValues: as coalesceValues, but nulls are kept. */
export function mergeValues(chart: Chart, values: Values | null | undefined): Values {
  return coalesce(chart, deepCopy(values ?? {}), '', true);
}

/** chartutil.CoalesceTables: merge `src` into `dst` (which wins), deleting keys `dst` sets to null. Modifies `dst`. */
export function coalesceTables(dst: Values | null, src: Values | null): Values | null {
  return coalesceTablesFullKey(dst, src, '', false);
}

/** chartutil.MergeTables: as coalesceTables, keeping nulls. */
export function mergeTables(dst: Values | null, src: Values | null): Values | null {
  return coalesceTablesFullKey(dst, src, '', true);
}

function coalesce(chart: Chart, dest: Values, prefix: string, merge: boolean): Values {
  coalesceChartValues(chart, dest, prefix, merge);
  return coalesceDeps(chart, dest, prefix, merge);
}

function coalesceDeps(chart: Chart, dest: Values, prefix: string, merge: boolean): Values {
  for (const subchart of chart.dependencies()) {
    const name = subchart.name();
    if (!hasKey(dest, name)) {
      dest[name] = {};
    } else if (!isTable(dest[name])) {
      throw new Error(sprintf('type mismatch on %s: %t', [name, dest[name]]));
    }
    const subValues = dest[name] as Values;
    const subPrefix = concatPrefix(prefix, chart.metadata.Name);
    coalesceGlobals(subValues, dest, subPrefix);
    dest[name] = coalesce(subchart, subValues, subPrefix, merge);
  }
  return dest;
}

/** Copy `src`'s globals into `dest`'s, the parent's winning for maps merged top-down. */
function coalesceGlobals(dest: Values, src: Values, prefix: string): void {
  let destGlobals: Values;
  let srcGlobals: Values;
  if (!hasKey(dest, GLOBAL_KEY)) {
    destGlobals = {};
  } else if (isTable(dest[GLOBAL_KEY])) {
    destGlobals = dest[GLOBAL_KEY] as Values;
  } else {
    logf(`warning: skipping globals because destination ${GLOBAL_KEY} is not a table.`, 'coalesce.go:138');
    return;
  }
  if (!hasKey(src, GLOBAL_KEY)) {
    srcGlobals = {};
  } else if (isTable(src[GLOBAL_KEY])) {
    srcGlobals = src[GLOBAL_KEY] as Values;
  } else {
    logf(`warning: skipping globals because source ${GLOBAL_KEY} is not a table.`, 'coalesce.go:145');
    return;
  }

  for (const [key, val] of Object.entries(srcGlobals)) {
    if (isTable(val)) {
      // A shallow copy, as Helm's copyMap: nested tables stay shared with the parent's globals.
      const copied: Values = { ...val };
      if (!hasKey(destGlobals, key)) {
        destGlobals[key] = copied;
      } else if (!isTable(destGlobals[key])) {
        logf(`Conflict: cannot merge map onto non-map for ${JSON.stringify(key)}. Skipping.`, 'coalesce.go:161');
      } else {
        // Always a merge here: the nulls are removed when the subchart itself is coalesced.
        coalesceTablesFullKey(copied, destGlobals[key] as Values, concatPrefix(prefix, key), true);
        destGlobals[key] = copied;
      }
    } else if (hasKey(destGlobals, key) && isTable(destGlobals[key])) {
      logf(`key ${key} is table. Skipping`, 'coalesce.go:175');
    } else {
      destGlobals[key] = val;
    }
  }
  dest[GLOBAL_KEY] = destGlobals;
}

/** Whether `key` names a subchart of `chart` (its values merge, keeping nulls for the subchart's own pass). */
function childChartMergeTrue(chart: Chart, key: string, merge: boolean): boolean {
  return chart.dependencies().some((sub) => sub.name() === key) || merge;
}

/** The chart's own defaults under the values `v` (in place). */
function coalesceChartValues(chart: Chart, v: Values, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, chart.metadata.Name);
  const defaults = deepCopy(chart.values ?? {});
  for (const [key, val] of Object.entries(defaults)) {
    if (!hasKey(v, key)) {
      v[key] = val;
      continue;
    }
    const value = v[key];
    if (value === null && !merge) {
      delete v[key];
    } else if (isTable(value)) {
      if (!isTable(val)) {
        if (val !== null) logf(`warning: skipped value for ${subPrefix}.${key}: Not a table.`, 'coalesce.go:237');
      } else {
        coalesceTablesFullKey(value, val, concatPrefix(subPrefix, key), childChartMergeTrue(chart, key, merge));
      }
    }
  }
}

function coalesceTablesFullKey(dst: Values | null, src: Values | null, prefix: string, merge: boolean): Values | null {
  if (src === null) return dst;
  if (dst === null) return src;
  for (const [key, val] of Object.entries(dst)) {
    if (val === null) src[key] = null;
  }
  for (const [key, val] of Object.entries(src)) {
    const fullKey = concatPrefix(prefix, key);
    const present = hasKey(dst, key);
    const dv = dst[key];
    if (present && !merge && dv === null) {
      delete dst[key];
    } else if (!present) {
      dst[key] = val;
    } else if (isTable(val)) {
      if (isTable(dv)) {
        coalesceTablesFullKey(dv, val, fullKey, merge);
      } else {
        logf(`warning: cannot overwrite table with non table for ${fullKey} (${formatValue(val)})`, 'coalesce.go:303');
      }
    } else if (isTable(dv) && val !== null) {
      logf(`warning: destination for ${fullKey} is a table. Ignoring non-table value (${formatValue(val)})`, 'coalesce.go:306');
    }
  }
  return dst;
}
