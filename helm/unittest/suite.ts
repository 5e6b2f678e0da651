// helm-unittest suite files (test_suite.go, test_job.go, assertion.go): a file holds one or more
// suites separated by `---`; a suite names the templates it renders and its tests; a test sets
// values, release, capabilities and chart overrides and lists asserts. Parsing checks what the
// plugin checks (no tests, no asserts, unknown or duplicate assert types) with its wording.
import { readFileSync } from 'node:fs';
import { ASSERT_TYPES, makeValidator, type Validator } from './asserts.js';
import { validatePath } from './paths.js';
import { decode, isYamlMap, type YamlValue } from './yamlv3.js';

/** Chooses documents by the value at a path (valueutils.DocumentSelector). */
export interface DocumentSelector {
  readonly path: string;
  readonly value: YamlValue | undefined;
  readonly matchMany: boolean;
  readonly skipEmptyTemplates: boolean;
}

export interface Assertion {
  readonly type: string;
  readonly validator: Validator;
  readonly not: boolean;
  readonly antonym: boolean;
  readonly requireRenderSuccess: boolean;
  readonly template: string;
  /** -1 when not given. */
  readonly documentIndex: number;
  readonly documentSelector?: DocumentSelector;
  /** Position in the test's asserts, for messages (`asserts[2]`). */
  readonly index: number;
}

export interface ReleaseSettings {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly upgrade: boolean;
}

export interface CapabilitiesSettings {
  readonly majorVersion: string;
  readonly minorVersion: string;
  /** undefined: not given; null: given but empty (`apiVersions:`), which drops the suite's. */
  readonly apiVersions: string[] | null | undefined;
}

export interface ChartOverrides {
  readonly version: string;
  readonly appVersion: string;
}

/** Objects `lookup` finds (kubernetesProvider.objects); `scheme` maps kinds to their list kinds. */
export interface KubernetesProvider {
  readonly scheme: Record<string, YamlValue>;
  readonly objects: YamlValue[];
}

export interface TestJob {
  readonly name: string;
  readonly values: string[];
  /** `set` entries in file order (path → value). */
  readonly set: [string, YamlValue][];
  readonly template: string;
  readonly templates: string[];
  readonly documentIndex?: number;
  readonly documentSelector?: DocumentSelector;
  readonly release: ReleaseSettings;
  readonly chart: ChartOverrides;
  readonly capabilities: CapabilitiesSettings;
  readonly asserts: Assertion[];
  readonly skipReason: string;
  readonly kubernetesProvider: KubernetesProvider;
}

export interface TestSuite {
  readonly name: string;
  /** The suite file, as given. */
  readonly file: string;
  /** Position of the suite in its file (0 for the first `---` part). */
  readonly part: number;
  readonly values: string[];
  readonly set: [string, YamlValue][];
  readonly templates: string[];
  readonly excludeTemplates: string[];
  readonly includeCrds: boolean;
  readonly release: ReleaseSettings;
  readonly chart: ChartOverrides;
  readonly capabilities: CapabilitiesSettings;
  readonly kubernetesProvider: KubernetesProvider;
  readonly skipReason: string;
  readonly snapshotId: string;
  readonly tests: TestJob[];
}

/** A suite file that the plugin refuses (syntax, no tests, no asserts, bad assert). */
export class SuiteError extends Error {}

// The plugin splits suite files the way Helm splits manifests (releaseutil's SplitManifests).
const SPLITTER = /(?:^|\s*\n)---\s*/;

function str(v: YamlValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new SuiteError(`cannot unmarshal ${Array.isArray(v) ? '!!seq' : '!!map'} into string`);
}

function strList(v: YamlValue | undefined, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new SuiteError(`cannot unmarshal !!${typeof v === 'object' ? 'map' : 'str'} into []string (${field})`);
  return v.map((x) => str(x));
}

function map(v: YamlValue | undefined, field: string): Record<string, YamlValue> {
  if (v === undefined || v === null) return {};
  if (!isYamlMap(v)) throw new SuiteError(`cannot unmarshal into a mapping (${field})`);
  return v;
}

function intOf(v: YamlValue | undefined, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'bigint') return Number(v);
  throw new SuiteError(`cannot unmarshal ${JSON.stringify(String(v))} into int (${field})`);
}

function release(v: YamlValue | undefined): ReleaseSettings {
  const m = map(v, 'release');
  return { name: str(m.name), namespace: str(m.namespace), revision: intOf(m.revision, 'release.revision') ?? 0, upgrade: m.upgrade === true };
}

function chartOverrides(v: YamlValue | undefined): ChartOverrides {
  const m = map(v, 'chart');
  return { version: str(m.version), appVersion: str(m.appVersion) };
}

/** Test-level capabilities keep int versions as text and tell an empty apiVersions from none. */
function capabilities(v: YamlValue | undefined, testLevel: boolean): CapabilitiesSettings {
  const m = map(v, 'capabilities');
  const version = (x: YamlValue | undefined) => (typeof x === 'string' ? x : typeof x === 'bigint' ? x.toString() : testLevel ? '' : str(x));
  let apiVersions: string[] | null | undefined;
  if (!Object.prototype.hasOwnProperty.call(m, 'apiVersions')) apiVersions = testLevel ? [] : undefined;
  else if (Array.isArray(m.apiVersions)) apiVersions = m.apiVersions.filter((x): x is string => typeof x === 'string');
  else if (m.apiVersions === null) apiVersions = testLevel ? null : undefined;
  else apiVersions = null;
  return { majorVersion: version(m.majorVersion), minorVersion: version(m.minorVersion), apiVersions };
}

function kubernetesProvider(v: YamlValue | undefined): KubernetesProvider {
  const m = map(v, 'kubernetesProvider');
  const objects = m.objects;
  return { scheme: map(m.scheme, 'kubernetesProvider.scheme'), objects: Array.isArray(objects) ? objects : [] };
}

function setEntries(v: YamlValue | undefined): [string, YamlValue][] {
  return Object.entries(map(v, 'set'));
}

function documentSelector(v: YamlValue | undefined): DocumentSelector | undefined {
  if (v === undefined || v === null) return undefined;
  const m = map(v, 'documentSelector');
  if (typeof m.path !== 'string') throw new SuiteError("empty 'documentSelector.path' not supported");
  validatePath(m.path);
  return {
    path: m.path,
    value: Object.prototype.hasOwnProperty.call(m, 'value') ? m.value : undefined,
    matchMany: m.matchMany === true,
    skipEmptyTemplates: m.skipEmptyTemplates === true,
  };
}

function assertion(v: YamlValue, index: number): Assertion {
  const m = map(v, 'asserts');
  const types = Object.keys(m).filter((k) => Object.prototype.hasOwnProperty.call(ASSERT_TYPES, k));
  if (types.length > 1) throw new SuiteError(`assertion type \`${types[0]}\` and \`${types[1]}\` is declared duplicately`);
  if (types.length === 0) {
    for (const k of Object.keys(m)) {
      if (!['template', 'documentIndex', 'not', 'documentSelector'].includes(k)) throw new SuiteError(`Assertion type \`${k}\` is invalid`);
    }
    throw new SuiteError('no assertion type defined');
  }
  const type = types[0];
  const d = ASSERT_TYPES[type];
  return {
    type,
    validator: makeValidator(type, m[type]),
    not: m.not === true,
    antonym: d.antonym,
    requireRenderSuccess: d.requireRenderSuccess,
    template: typeof m.template === 'string' ? m.template : '',
    documentIndex: typeof m.documentIndex === 'bigint' ? Number(m.documentIndex) : -1,
    documentSelector: isYamlMap(m.documentSelector) ? documentSelector(m.documentSelector) : undefined,
    index,
  };
}

function testJob(v: YamlValue): TestJob {
  const m = map(v, 'tests');
  const asserts = Array.isArray(m.asserts) ? m.asserts : [];
  return {
    name: str(m.it),
    values: strList(m.values, 'values'),
    set: setEntries(m.set),
    template: str(m.template),
    templates: strList(m.templates, 'templates'),
    documentIndex: intOf(m.documentIndex, 'documentIndex'),
    documentSelector: documentSelector(m.documentSelector),
    release: release(m.release),
    chart: chartOverrides(m.chart),
    capabilities: capabilities(m.capabilities, true),
    asserts: asserts.map((a, i) => assertion(a, i)),
    skipReason: str(map(m.skip, 'skip').reason),
    kubernetesProvider: kubernetesProvider(m.kubernetesProvider),
  };
}

/** One suite document of a suite file. */
export function parseSuite(content: string, file: string, part = 0): TestSuite | undefined {
  let doc: YamlValue;
  try {
    doc = decode(content);
  } catch (e) {
    const message = (e as Error).message;
    // go-yaml rejects escapes such as "\d" in double-quoted regexps; the plugin then doubles
    // every odd run of backslashes in the whole suite and decodes again (so "\n" turns literal).
    if (!message.includes('unknown escape character')) throw new SuiteError(message);
    try {
      doc = decode(content.replace(/\\+/g, (run) => (run.length % 2 === 1 ? `${run}\\` : run)));
    } catch (e2) {
      throw new SuiteError((e2 as Error).message);
    }
  }
  if (doc === null) return undefined;
  const m = map(doc, 'suite');
  const tests = Array.isArray(m.tests) ? m.tests.filter((t) => t !== null).map(testJob) : [];
  if (tests.length === 0) throw new SuiteError('no tests found');
  if (tests.some((t) => t.asserts.length === 0)) throw new SuiteError('no asserts found');
  return {
    name: str(m.suite),
    file,
    part,
    values: strList(m.values, 'values'),
    set: setEntries(m.set),
    templates: strList(m.templates, 'templates'),
    excludeTemplates: strList(m.excludeTemplates, 'excludeTemplates'),
    includeCrds: m.includeCrds === true,
    release: release(m.release),
    chart: chartOverrides(m.chart),
    capabilities: capabilities(m.capabilities, false),
    kubernetesProvider: kubernetesProvider(m.kubernetesProvider),
    skipReason: str(map(m.skip, 'skip').reason),
    snapshotId: str(m.snapshotId),
    tests,
  };
}

/** Every suite of a suite file (ParseTestSuiteFile). */
export function parseSuiteFile(file: string, content = readFileSync(file, 'utf8')): TestSuite[] {
  const suites: TestSuite[] = [];
  content.split(SPLITTER).forEach((part, i) => {
    if (part.trim() === '') return;
    const s = parseSuite(part, file, i);
    if (s) suites.push(s);
  });
  return suites;
}
