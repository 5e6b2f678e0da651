// Helm's dependency processing (pkg/chartutil/dependencies.go, v3.19), run before rendering:
// - each Chart.yaml dependency picks its subchart by name and version range; an `alias`
//   renames a copy of it (so one chart can be included twice);
// - `tags` and then `condition` (comma list, the first path that holds a bool decides) switch
//   subcharts off; disabled subcharts leave the tree;
// - `import-values` copy a child's values (`exports.x` strings, or `{child, parent}` maps)
//   into the parent's defaults, below the parent's own values.
//
// Helm mutates the loaded chart. We work on a copy of the tree so that a loaded chart can be
// cached and rendered again with other values.

import { Chart, type Dependency } from '../chart/chart.js';
import { formatValue } from '../template/fmt.js';
import { isCompatibleRange } from './capabilities.js';
import { coalesceTables, coalesceValues, mergeTables, mergeValues } from './coalesce.js';
import { logf } from './log.js';
import { deepCopy, hasKey, isTable, NoValueError, pathValue, table, type Values } from './values.js';

/** A copy of the chart tree whose metadata and dependency lists can change; files and values are shared. */
function copyTree(chart: Chart): Chart {
  const copy = chart.shallowCopy(chart.metadata.deepClone());
  copy.setDependencies(...chart.dependencies().map(copyTree));
  return copy;
}

/**
 * Helm's ProcessDependenciesWithMerge (what install and template run) on a copy of `chart`: the
 * returned tree holds only the enabled subcharts (aliased copies renamed) and defaults with
 * imported values. `chart` is not changed. `merge: false` is the older ProcessDependencies,
 * whose import-values coalescing drops nulls.
 */
export function processDependencies(chart: Chart, values: Values, options: { readonly merge?: boolean } = {}): Chart {
  const copy = copyTree(chart);
  processDependencyEnabled(copy, values, '');
  processDependencyImportValues(copy, options.merge ?? true);
  return copy;
}

function processDependencyConditions(reqs: readonly Dependency[], cvals: Values, cpath: string): void {
  for (const r of reqs) {
    for (const condition of r.Condition.trim().split(',')) {
      if (condition.length === 0) continue;
      let value: unknown;
      try {
        value = pathValue(cvals, cpath + condition);
      } catch (e) {
        if (!(e instanceof NoValueError)) logf(`Warning: PathValue returned error ${(e as Error).message}`, 'dependencies.go:67');
        continue;
      }
      if (typeof value === 'boolean') {
        r.Enabled = value;
        break;
      }
      logf(`Warning: Condition path '${condition}' for chart ${r.Name} returned non-bool value`, 'dependencies.go:64');
    }
  }
}

function processDependencyTags(reqs: readonly Dependency[], cvals: Values): void {
  let tags: Values;
  try {
    tags = table(cvals, 'tags');
  } catch {
    return;
  }
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const tag of r.Tags) {
      if (!hasKey(tags, tag)) continue;
      const b = tags[tag];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else {
        logf(`Warning: Tag '${tag}' for chart ${r.Name} returned non-bool value`, 'dependencies.go:95');
      }
    }
    if (!hasTrue && hasFalse) r.Enabled = false;
    else r.Enabled = true;
  }
}

/** The subchart a dependency names (name and version range), as a copy renamed to its alias. */
function getAliasDependency(charts: readonly Chart[], dep: Dependency): Chart | null {
  for (const c of charts) {
    if (c.name() !== dep.Name) continue;
    if (!isCompatibleRange(dep.Version, c.metadata.Version)) continue;
    const md = c.metadata.shallowClone();
    if (dep.Alias !== '') md.Name = dep.Alias;
    return c.shallowCopy(md);
  }
  return null;
}

function processDependencyEnabled(c: Chart, v: Values, path: string): void {
  if (!c.metadata.dependenciesDeclared) return;
  const reqs = c.metadata.Dependencies;

  // Subcharts that no Chart.yaml entry names are kept as they are.
  const chartDependencies: Chart[] = c
    .dependencies()
    .filter((existing) => !reqs.some((req) => existing.name() === req.Name && isCompatibleRange(req.Version, existing.metadata.Version)));
  for (const req of reqs) {
    const found = getAliasDependency(c.dependencies(), req);
    if (found !== null) chartDependencies.push(found);
    if (req.Alias !== '') req.Name = req.Alias;
  }
  c.setDependencies(...chartDependencies);

  for (const req of reqs) req.Enabled = true;
  const cvals = coalesceValues(c, v);
  processDependencyTags(reqs, cvals);
  processDependencyConditions(reqs, cvals, path);

  const removed = new Set(reqs.filter((r) => !r.Enabled).map((r) => r.Name));
  const kept = c.dependencies().filter((sub) => !removed.has(sub.metadata.Name));
  const keptReqs = reqs.filter((r) => !removed.has(r.Name));

  for (const sub of kept) processDependencyEnabled(sub, cvals, `${path}${sub.metadata.Name}.`);

  // Go appends to a nil slice: no enabled entries leaves Dependencies nil.
  c.metadata.Dependencies = keptReqs;
  c.metadata.dependenciesDeclared = keptReqs.length > 0;
  c.setDependencies(...kept);
}

/** "a.b" → {a: {b: data}}; "." → data. */
function pathToMap(path: string, data: Values): Values {
  if (path === '.') return data;
  let current: Values = data;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i--) current = { [parts[i]!]: current };
  return current;
}

/** Helm's trimNilValues: a copy without null leaves. */
function trimNilValues(values: Values): Values {
  const copy = deepCopy(values);
  const trim = (m: Values): Values => {
    for (const [key, val] of Object.entries(m)) {
      if (val === null) delete m[key];
      else if (isTable(val)) m[key] = trim(val);
    }
    return m;
  };
  return trim(copy);
}

function processImportValues(c: Chart, merge: boolean): void {
  if (!c.metadata.dependenciesDeclared) return;
  let cvals = merge ? mergeValues(c, null) : coalesceValues(c, null);
  const combine = merge ? mergeTables : coalesceTables;
  let imported: Values = {};
  for (const r of c.metadata.Dependencies) {
    const rewritten: unknown[] = [];
    for (const item of r.ImportValues) {
      if (isTable(item)) {
        const child = formatValue(item.child);
        const parent = formatValue(item.parent);
        rewritten.push({ child, parent });
        let found: Values;
        try {
          found = table(cvals, `${r.Name}.${child}`);
        } catch (e) {
          logf(`Warning: ImportValues missing table from chart ${r.Name}: ${(e as Error).message}`, 'dependencies.go:270');
          continue;
        }
        imported = combine(imported, pathToMap(parent, found))!;
      } else if (typeof item === 'string') {
        const child = `exports.${item}`;
        rewritten.push({ child, parent: '.' });
        let found: Values;
        try {
          found = table(cvals, `${r.Name}.${child}`);
        } catch (e) {
          logf(`Warning: ImportValues missing table: ${(e as Error).message}`, 'dependencies.go:287');
          continue;
        }
        imported = combine(imported, found)!;
      }
    }
    r.ImportValues = rewritten;
  }
  // Imported values rank below the parent's own: the parent can import a section and override parts.
  if (merge) {
    c.values = mergeTables(deepCopy(cvals), imported);
  } else {
    cvals = trimNilValues(cvals);
    c.values = coalesceTables(cvals, imported);
  }
}

function processDependencyImportValues(c: Chart, merge: boolean): void {
  for (const d of c.dependencies()) processDependencyImportValues(d, merge);
  processImportValues(c, merge);
}
