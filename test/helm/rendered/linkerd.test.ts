// Linkerd's CLI goldens (cli/cmd/testdata/install_helm_*.golden, TestRenderHelm): the Go test
// builds the chart in memory (metadata: the name only; the listed templates plus the partials
// dependency), passes the values through linkerd's Go struct, renders with Helm's engine and
// compares YAML-aware. The struct round trip (unknown keys dropped, defaults filled) cannot be
// reproduced from values.yaml, so these goldens are approximate by nature: a case whose only
// differences come from that round trip is listed as a known mismatch in conformance-skips.ts.
import { readFileSync } from 'node:fs';
import { loadChart } from '../../../helm/chart/load.js';
import { Metadata } from '../../../helm/chart/chart.js';
import { defaultCapabilities } from '../../../helm/chartutil/capabilities.js';
import { toRenderValues } from '../../../helm/chartutil/values.js';
import { Engine } from '../../../helm/engine/engine.js';
import { deepEqual } from '../../../helm/unittest/asserts.js';
import { decodeAll, decode, isYamlMap, type YamlValue } from '../../../helm/unittest/yamlv3.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { skipReason } from '../conformance-skips.js';

const CORPUS = 'helm/conformance/rendered/linkerd-edge-26.8.3-cli-helm-goldens';
const CHARTS: Record<string, string> = {
  'linkerd-crds': 'helm/charts/linkerd-crds-2026.8.3',
  'linkerd-control-plane': 'helm/charts/linkerd-control-plane-2026.8.3',
};

interface Case {
  name: string;
  chart: string;
  golden: string;
  ha?: boolean;
  ignoreOutboundPorts?: string;
  ignoreInboundPorts?: string;
  additionalConfig?: Record<string, unknown>;
  extraOverride?: Record<string, unknown>;
}

interface Recipe {
  crdsChart: { templates: string[] };
  controlPlaneTemplates: string[];
  override: Record<string, unknown>;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Values merged the way yaml.Unmarshal fills a struct that already holds values: maps merge, the rest is replaced. */
function mergeOnto(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(src)) dst[k] = isMap(v) && isMap(dst[k]) ? mergeOnto({ ...(dst[k] as Record<string, unknown>) }, v) : v;
  return dst;
}

/** sigs.k8s.io/yaml's view (JSON numbers): ints and floats compare equal. */
function jsonish(v: YamlValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(jsonish);
  if (isYamlMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonish(x)]));
  return v;
}

/** The documents of a golden as linkerd's DiffTestYAML reads them (empty documents dropped). */
function documents(text: string): unknown[] {
  return decodeAll(text).filter((d) => d !== null).map(jsonish);
}

function render(c: Case, recipe: Recipe): string {
  const dir = referencePath(CHARTS[c.chart]);
  const loaded = loadChart(dir);
  let values = { ...(loaded.values ?? {}) };
  if (c.chart === 'linkerd-control-plane') {
    if (c.ha) values = mergeOnto(values, decode(readFileSync(`${dir}/values-ha.yaml`, 'utf8')) as Record<string, unknown>);
    values = mergeOnto(values, {
      proxyInit: { ignoreOutboundPorts: c.ignoreOutboundPorts, ignoreInboundPorts: c.ignoreInboundPorts },
      heartbeatSchedule: '1 2 3 4 5',
    });
    if (c.additionalConfig) values = mergeOnto(values, c.additionalConfig);
  }
  const metadata = new Metadata();
  metadata.Name = c.chart;
  const chart = loaded.shallowCopy(metadata);
  const names = c.chart === 'linkerd-crds' ? recipe.crdsChart.templates : recipe.controlPlaneTemplates;
  chart.templates = names.flatMap((n) => loaded.templates.filter((t) => t.name === n));
  chart.values = JSON.parse(JSON.stringify(jsonish(values as YamlValue))) as Record<string, unknown>;
  chart.setDependencies(...loaded.dependencies());
  const override = mergeOnto(JSON.parse(JSON.stringify(recipe.override)) as Record<string, unknown>, c.extraOverride ?? {});
  const top = toRenderValues(chart, override, { name: 'linkerd2', namespace: 'linkerd-dev', isInstall: true, isUpgrade: false }, defaultCapabilities(), { skipSchemaValidation: true });
  const rendered = new Engine().render(chart, top);
  let out = '';
  for (const t of chart.templates) {
    const source = `${c.chart}/${t.name}`;
    if (source in rendered) out += `---\n# Source: ${source}\n${rendered[source]}`;
  }
  for (const dep of chart.dependencies()) {
    for (const t of dep.templates) {
      const source = `${c.chart}/charts/${dep.name()}/${t.name}`;
      if (source in rendered) out += `---\n# Source: ${source}\n${rendered[source]}`;
    }
  }
  return out;
}

describeWithReferenceData('Linkerd CLI Helm goldens (approximate)', [CORPUS, 'helm/charts'], () => {
  const data = JSON.parse(readFileSync(referencePath(`${CORPUS}/cases.json`), 'utf8')) as { recipe: Recipe; cases: Case[] };
  let passed = 0;
  const known = data.cases.filter((c) => skipReason('linkerd-goldens', c.name)).length;
  afterAll(() => {
    process.stderr.write(`linkerd goldens (approximate): ${passed}/${data.cases.length} match, ${known} known mismatches (conformance-skips.ts)\n`);
  });
  for (const c of data.cases) {
    const reason = skipReason('linkerd-goldens', c.name);
    if (reason) {
      test.skip(`${c.name} (skipped: ${reason})`, () => undefined);
      continue;
    }
    test(c.name, () => {
      const got = documents(render(c, data.recipe));
      const want = documents(readFileSync(referencePath(`${CORPUS}/${c.golden}`), 'utf8'));
      const differing = want.map((w, i) => (deepEqual(w as YamlValue, got[i] as YamlValue) ? -1 : i)).filter((i) => i >= 0);
      if (differing.length > 0 || got.length !== want.length) {
        const i = differing[0] ?? Math.min(got.length, want.length);
        expect({ documents: got.length, first: got[i] }).toEqual({ documents: want.length, first: want[i] });
      }
      passed++;
    });
  }
});
