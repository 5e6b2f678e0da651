// `helm unittest <chart>`: find the chart's suite files (default `tests/*_test.yaml`, globs
// relative to the chart, `**` crossing folders), run every suite, and print the plugin's report
// (PASS/FAIL per suite, failed asserts with their messages, then the totals).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Chart } from '../chart/chart.js';
import { loadChart } from '../chart/load.js';
import { chartRenderer } from './render.js';
import { runSuite, type SuiteResult, type TestResult } from './runner.js';
import { parseSuiteFile, type TestSuite } from './suite.js';

export const DEFAULT_TEST_FILES = ['tests/*_test.yaml'];

export interface ChartTestOptions {
  /** Suite file globs relative to the chart (default `tests/*_test.yaml`). */
  readonly testFiles?: readonly string[];
  readonly failFast?: boolean;
  readonly updateSnapshots?: boolean;
  readonly writeSnapshots?: boolean;
  /** Values files added after every suite's own (the plugin's -v), relative to the working directory. */
  readonly valuesFiles?: readonly string[];
  /** Also run the suites of subcharts kept as folders under charts/ (the plugin's default). */
  readonly withSubcharts?: boolean;
}

/** A folder of suites and where its chart sits in the tree (`parent/charts/sub`). */
export interface SuiteSource {
  readonly chartDir: string;
  readonly chartRoute: string;
  readonly files: readonly string[];
}

export interface ChartTestResult {
  readonly chart: string;
  readonly suites: readonly SuiteResult[];
  readonly passed: boolean;
}

/** A filepathx-style glob as a regexp over `/`-separated relative paths. */
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, root: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, root, out);
    else out.push(relative(root, p).split(sep).join('/'));
  }
}

/** The suite files of a chart matching the globs, in path order. */
export function findSuiteFiles(chartDir: string, globs: readonly string[] = DEFAULT_TEST_FILES): string[] {
  const all: string[] = [];
  walk(chartDir, chartDir, all);
  const out = new Set<string>();
  for (const g of globs) {
    if (isAbsolute(g)) { out.add(g); continue; }
    const re = globRegExp(g.replace(/^\.\//, ''));
    for (const f of all) if (re.test(f)) out.add(join(chartDir, f));
  }
  return [...out];
}

/** A condition of the parent's dependency entry, read as the plugin does: a missing or non-bool value enables. */
function conditionHolds(condition: string, values: Record<string, unknown>): boolean {
  if (condition === '') return true;
  let current: unknown = values;
  const parts = condition.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return true;
    const m = current as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(m, parts[i])) return true;
    current = m[parts[i]];
  }
  return typeof current === 'boolean' ? current : true;
}

function tagsHold(tags: readonly string[], values: Record<string, unknown>): boolean {
  if (tags.length === 0) return true;
  const t = values.tags;
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return true;
  return tags.some((tag) => (t as Record<string, unknown>)[tag] === true);
}

/** The chart's suites and, when asked, those of its enabled folder subcharts (getV3TestSuitesWithValues). */
export function suiteSources(chart: Chart, chartDir: string, globs: readonly string[], withSubcharts: boolean, route = chart.name(), rootValues = chart.values ?? {}): SuiteSource[] {
  const out: SuiteSource[] = [{ chartDir, chartRoute: route, files: findSuiteFiles(chartDir, globs) }];
  if (!withSubcharts) return out;
  for (const sub of chart.dependencies()) {
    const dep = chart.metadata.Dependencies.find((d) => (d.Alias || d.Name) === sub.name());
    if (dep && !(dep.Condition ? conditionHolds(dep.Condition, rootValues) : tagsHold(dep.Tags, rootValues))) continue;
    const dir = join(chartDir, 'charts', sub.name());
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    out.push(...suiteSources(sub, dir, globs, true, `${route}/charts/${sub.name()}`, rootValues));
  }
  return out;
}

/** Runs the suites of `suiteFiles` (all parsed first: a broken file fails the chart) against the chart. */
export function runChartSuites(chartDir: string, suiteFiles: readonly string[], options: ChartTestOptions = {}, chartRoute?: string, loaded?: Chart): ChartTestResult {
  const chart = loaded ?? loadChart(chartDir);
  const render = chartRenderer(chart);
  const suites: SuiteResult[] = [];
  for (const file of suiteFiles) {
    let parsed: TestSuite[];
    try {
      parsed = parseSuiteFile(file);
    } catch (e) {
      suites.push({ name: '', file, passed: false, skipped: false, execError: (e as Error).message, tests: [] });
      continue;
    }
    const extraValues = (options.valuesFiles ?? []).map((f) => resolve(f));
    for (const parsedSuite of parsed) {
      const suite = extraValues.length > 0 ? { ...parsedSuite, values: [...parsedSuite.values, ...extraValues] } : parsedSuite;
      suites.push(runSuite(suite, { chartName: chart.name(), chartRoute, render, failFast: options.failFast, updateSnapshots: options.updateSnapshots, writeSnapshots: options.writeSnapshots }));
    }
  }
  return { chart: chart.name(), suites, passed: suites.every((s) => s.passed || s.skipped) };
}

/** `helm unittest <chart>`: the chart's suites, then (by default) its folder subcharts' suites, all rendered through the chart. */
export function runChartTests(chartDir: string, options: ChartTestOptions = {}): ChartTestResult {
  const chart = loadChart(chartDir);
  const sources = suiteSources(chart, chartDir, options.testFiles ?? DEFAULT_TEST_FILES, options.withSubcharts ?? true);
  const suites = sources.flatMap((s) => runChartSuites(chartDir, s.files, options, s.chartRoute, chart).suites);
  return { chart: chart.name(), suites, passed: suites.every((s) => s.passed || s.skipped) };
}

function testLines(t: TestResult): string[] {
  if (t.passed) return [];
  if (t.skipped) return [`\t- SKIPPED '${t.name}'`];
  if (t.execError !== undefined) return [`\t- ${t.name}`, `\t\tError: ${t.execError}`, ''];
  const lines = [`\t- ${t.name}`, ''];
  for (const a of t.asserts) {
    if (a.passed) continue;
    lines.push(`\t\t- asserts[${a.index}]${a.not ? ' NOT' : ''} \`${a.type}\` fail`);
    for (const info of a.failInfo) lines.push(`\t\t\t${info}`);
    lines.push('');
  }
  return lines;
}

function counts(label: string, passed: number, failed: number, skipped: number): string {
  const failedPart = failed > 0 ? `${failed} failed, ` : '';
  return skipped > 0
    ? `${label}${failedPart}${passed} passed, ${skipped} skipped, ${passed + failed + skipped} total`
    : `${label}${failedPart}${passed} passed, ${passed + failed} total`;
}

/** The plugin's console report for one chart. */
export function formatReport(result: ChartTestResult, chartDir: string): string {
  const lines = [``, `### Chart [ ${result.chart} ] ${chartDir}`, ''];
  let suitesPassed = 0;
  let suitesFailed = 0;
  let suitesSkipped = 0;
  let testsPassed = 0;
  let testsFailed = 0;
  let testsSkipped = 0;
  for (const s of result.suites) {
    const label = s.skipped ? ' SKIP ' : s.passed && !s.execError ? ' PASS ' : ' FAIL ';
    lines.push(`${label} ${s.name}\t${relative(chartDir, s.file) || s.file}`);
    if (s.execError) lines.push('\t- Execution Error: ', `\t\t${s.execError}`, '');
    for (const t of s.tests) {
      lines.push(...testLines(t));
      if (t.skipped) testsSkipped++;
      else if (t.passed) testsPassed++;
      else testsFailed++;
    }
    if (s.skipped) suitesSkipped++;
    else if (s.passed && !s.execError) suitesPassed++;
    else suitesFailed++;
  }
  lines.push('', counts('Charts:      ', result.passed ? 1 : 0, result.passed ? 0 : 1, 0));
  lines.push(counts('Test Suites: ', suitesPassed, suitesFailed, suitesSkipped));
  lines.push(counts('Tests:       ', testsPassed, testsFailed, testsSkipped));
  return `${lines.join('\n')}\n`;
}
