// The example fleet, rendered by synth into a temp folder, simulated with its pinned charts
// (rendered from the reference data through the chart cache helper); then the faults a manual
// review found in this tree, put back one at a time, each reported at the step where a real
// cluster would fail.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import type { HelmSource } from '../../chart-renders/render.js';
import { synthFleet } from '../../pipeline/synth.js';
import { simulateTree } from '../../simulate/index.js';
import type { SimFinding } from '../../simulate/model.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { tempDir } from '../helpers/tmp.js';
import { useRealCharts } from '../charts-real/real-charts.js';

/**
 * The reference data does not vendor these charts' subcharts (a real chart repository's package
 * does): they are rendered with those subcharts disabled, as test/charts-real does, so that the
 * rest of the chart (CRDs, kube-system Services, rules) is simulated.
 */
const UNVENDORED: Record<string, (values: Record<string, any>) => Record<string, unknown>> = {
  'kube-prometheus-stack': (v) => ({ grafana: { ...v.grafana, enabled: false }, kubeStateMetrics: { enabled: false }, nodeExporter: { enabled: false } }),
};

/** `[step] cluster object path: message`, cut where the message stops naming the cause. */
const line = (f: SimFinding) => `[${f.step}] ${f.cluster} ${f.object}${f.path ? ` ${f.path}` : ''}: ${f.message.split(': ')[0]}`;

describeWithReferenceData('simulate: the example fleet', 'helm/charts', () => {
  const charts = useRealCharts(catalogPins().map((p) => p.name));
  // Every cluster renders its charts once, whichever fault a test puts back.
  const renders = new Map<string, Record<string, any>[] | Error>();
  const renderer = {
    render(source: HelmSource) {
      const key = JSON.stringify(source);
      if (!renders.has(key)) {
        try {
          renders.set(key, source.chart in UNVENDORED ? charts().renderWithoutDisabledDependencies({ ...source, values: { ...source.values, ...UNVENDORED[source.chart](source.values) } }) : charts().renderSource(source));
        } catch (e) {
          renders.set(key, e as Error);
        }
      }
      const r = renders.get(key)!;
      if (r instanceof Error) throw r;
      return { objects: r };
    },
  };
  let tree = '';
  beforeAll(async () => {
    const repo = tempDir('simulate-fleet-');
    cpSync(EXAMPLE_OVERLAYS, join(repo, 'overlays'), { recursive: true });
    cpSync(join(REPO_ROOT, 'secrets'), join(repo, 'secrets'), { recursive: true });
    tree = join(repo, 'dist');
    await synthFleet({ overlaysDir: join(repo, 'overlays'), outDir: tree });
  }, 300_000);

  /** A copy of the rendered tree with one file's first document changed. */
  const withChange = (file: string, change: (o: Record<string, any>) => void): string => {
    const copy = tempDir('simulate-fault-');
    cpSync(tree, copy, { recursive: true });
    const o = yaml.load(readFileSync(join(copy, file), 'utf8')) as Record<string, any>;
    change(o);
    writeFileSync(join(copy, file), yaml.dump(o));
    return copy;
  };
  const simulate = async (dir: string, cluster?: string) =>
    (await simulateTree(dir, { charts: renderer, ...(cluster ? { clusters: [cluster] } : {}) })).clusters.flatMap((c) => c.findings.map(line));

  test('every example cluster simulates clean: nothing a real cluster would refuse, from bootstrap to the last wave', async () => {
    expect(await simulate(tree)).toEqual([]);
  }, 600_000);

  test('the controller forbidden from listing cluster-scoped kinds (no resource.respectRBAC): the cluster cache fails as soon as Argo CD starts', async () => {
    const dir = withChange('clusters/dev/apps/application-argo-cd.yaml', (app) => {
      delete app.spec.source.helm.valuesObject.configs.cm['resource.respectRBAC'];
    });
    const [first] = await simulate(dir, 'dev');
    expect(first).toBe('[argo-cd cluster cache] dev ServiceAccount/argocd/argocd-application-controller: the application controller may not list componentstatuses cluster-wide (built-in)');
  }, 600_000);

  test('the kube-system objects outside the platform project: the sync that writes them is refused', async () => {
    const dir = withChange('clusters/dev/bootstrap/appproject-platform.yaml', (project) => {
      project.spec.destinations = project.spec.destinations.filter((d: any) => d.namespace !== 'kube-system');
    });
    const out = await simulate(dir, 'dev');
    const refused = out.filter((l) => l.includes('not permitted in project'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((l) => !/^\[wave -5: kube-prometheus-stack\] dev Service\/kube-system\/kube-prometheus-stack-[a-z-]+ \.metadata\.namespace: namespace kube-system is not permitted in project 'platform'$/.test(l))).toEqual([]);
  }, 600_000);

  test('the Istio gateway placeholder image outside the registry policy: Kyverno refuses the gateway, and the root never starts the next wave', async () => {
    const dir = withChange('clusters/yc-prod/kyverno/validatingpolicy-restrict-image-registries.yaml', (policy) => {
      for (const v of policy.spec.validations) v.expression = String(v.expression).replace(/c\.image == '[^']*' \|\| /g, '');
    });
    expect(await simulate(dir, 'yc-prod')).toEqual([
      '[wave -3: istio-ingress] yc-prod Deployment/istio-ingress/istio-ingressgateway .spec.template.spec: denied by Kyverno ValidatingPolicy restrict-image-registries',
      '[wave 0: root] yc-prod Application/argocd/root: wave 0 never starts',
    ]);
  }, 600_000);

  test('child Applications syncing without a health check: each later wave that needs an earlier Application\'s CRD is reported where it would fail', async () => {
    const dir = withChange('clusters/dev/apps/application-argo-cd.yaml', (app) => {
      delete app.spec.source.helm.valuesObject.configs.cm['resource.customizations.health.argoproj.io_Application'];
    });
    const out = await simulate(dir, 'dev');
    expect(out).toEqual(expect.arrayContaining([
      '[wave -6: secrets] dev SopsSecret/argocd/git-repo-creds: needs its CRD (isindir.github.com/SopsSecret) from Application sops-secrets-operator (wave -7), but the root does not wait for sops-secrets-operator to be Healthy before wave -6',
      '[wave -4: kyverno-config] dev ValidatingPolicy/require-requests-limits: needs its CRD (policies.kyverno.io/ValidatingPolicy) from Application kyverno (wave -5), but the root does not wait for kyverno to be Healthy before wave -4',
    ]));
    expect(out.filter((l) => l.includes('never starts'))).toEqual([]);
  }, 600_000);
});
