// The checks synth runs on what the charts render for a cluster (issue: synth sees what the
// charts render): each Application's values against its chart (a key the chart never reads is a
// typo Helm ignores), that the chart renders the same objects every time (chart-renders/stability.ts),
// every rendered object against its schema, and the chart rules (validate/chart-rules.ts) next to
// the cluster's own objects.
import type { ComponentRender } from '../charts/cluster.js';
import { checkChartObjects, type ChartObjects } from '../validate/chart-rules.js';
import type { Finding } from '../validate/finding.js';
import { validateAgainstCrds } from '../validate/crd-schemas.js';
import { validateSchemas } from '../validate/schema.js';
import type { ChartRenderer } from '../chart-renders/render.js';
import { checkChartValues, whereOf } from '../chart-renders/values.js';
import { objectRef, type Manifest } from '../primitives/manifests.js';

export interface ChartCheckResult {
  readonly findings: Finding[];
  readonly warnings: string[];
}

/** Checks the renders of one cluster; `manifests` are the cluster's own objects (the Applications among them). */
export async function checkChartRenders(
  renders: readonly ComponentRender[], manifests: readonly Manifest[], renderer: ChartRenderer,
  /** The cluster's Kubernetes version (MAJOR.MINOR), for the schemas. */
  kubernetesVersion?: string,
): Promise<ChartCheckResult> {
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const charts: ChartObjects[] = [];
  for (const { render } of renders) {
    const s = render.source;
    const application = manifests.find((m) => m.file === s.file && m.object.kind === 'Application');
    const at = application ? helmValuesPath(application.object, s.chart) : '.spec.source.helm.valuesObject';
    // A render succeeded, so values.schema.json holds (the render validates it): keys only.
    for (const p of checkChartValues(renderer.loadedChart(s), s.values, whereOf(s), { schema: false })) {
      if (p.severity === 'warning') { warnings.push(p.message); continue; }
      findings.push({
        ...(application?.cluster !== undefined ? { cluster: application.cluster } : {}),
        file: s.file,
        object: application ? objectRef(application.object) : `Application/${s.application.split('/').pop()}`,
        path: `${at}${p.path.startsWith('[') ? '' : '.'}${p.path}`,
        message: p.message,
      });
    }
    for (const u of render.unstable ?? []) {
      findings.push({
        ...(application?.cluster !== undefined ? { cluster: application.cluster } : {}),
        file: s.file,
        object: application ? objectRef(application.object) : `Application/${s.application.split('/').pop()}`,
        path: at,
        message: `${s.chart} ${s.version} renders ${u.object} otherwise each time (at ${u.path}, its templates read the clock or random bytes): `
          + 'Argo CD renders the chart again on every new commit and hard refresh, so the app never stays Synced and a sync replaces what was generated; '
          + 'set the value the template falls back from, or have the object made outside the chart (cert-manager, Vault)',
      });
    }
    // The API server reads an explicit null as an unset field (charts write `annotations:` with
    // nothing under it); the schemas are checked on what the server keeps.
    const objects: Manifest[] = render.objects.map((object, index) => ({ cluster: application?.cluster, file: s.file, index, object: withoutNulls(object) as Record<string, any> }));
    charts.push({ application: s.application, chart: `${s.chart} ${s.version}`, manifests: objects });
    // Custom resources against the CRDs the chart itself ships; the rest against the schemas of
    // the cluster's Kubernetes version and of the CRDs in validate/generated.
    const crds = render.objects.filter((o) => o.kind === 'CustomResourceDefinition');
    const own = crds.length ? await validateAgainstCrds(objects, crds) : { errors: [], covered: new Set<Manifest>() };
    const rest = objects.filter((m) => !own.covered.has(m));
    for (const e of [...own.errors, ...await validateSchemas(rest, { kubernetesVersion })]) {
      findings.push({ ...(e.cluster !== undefined ? { cluster: e.cluster } : {}), file: e.file, object: e.object, path: e.path || '.', message: `rendered by ${s.chart} ${s.version}: ${e.message}` });
    }
  }
  findings.push(...checkChartObjects(charts, manifests));
  return { findings, warnings };
}

/** A copy without null-valued object fields (list items stay). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!v || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/** Where an Application holds the values of a chart: `.spec.source.helm.valuesObject` or `.spec.sources[i]...`. */
function helmValuesPath(app: Record<string, any>, chart: string): string {
  const i = (app.spec?.sources ?? []).findIndex((s: any) => s?.chart === chart);
  return i >= 0 ? `.spec.sources[${i}].helm.valuesObject` : '.spec.source.helm.valuesObject';
}
