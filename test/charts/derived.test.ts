// The platform's hand-offs hold exactly what the charts and the components' own objects write:
// computed here independently from the rendered objects and compared with what synth wrote.
import { renderCluster } from '../../charts/cluster.js';
import { renderFleet } from '../../pipeline/synth.js';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { UPSTREAM_REGISTRIES, longImageForm } from '../../catalog/policy.js';
import { ChartFootprints, FOOTPRINTS_FILE, emptyFootprintFile, readFootprintFile, type FootprintFile } from '../../chart-renders/footprints.js';
import { join } from 'node:path';
import { renderKey } from '../../chart-renders/footprint.js';
import { ChartRenderer, helmSources } from '../../chart-renders/render.js';
import { CLUSTER_SCOPED_KINDS } from '../../primitives/kinds.js';
import { kubeVersionOf } from '../../spec/kubernetes-version.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { ALLOWED_PREFIXES_VARIABLE } from '../../constructs/registry-policy.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { useRealCharts } from '../charts-real/real-charts.js';

type K8s = Record<string, any>;
const group = (o: K8s) => (String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '');
const byKind = (a: { group: string; kind: string }, b: { group: string; kind: string }) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`);

describeWithReferenceData('derived from what the charts render', 'helm/charts', () => {
  const real = useRealCharts(catalogPins().map((p) => p.name));
  let specs: ClusterSpec[] = [];
  beforeAll(async () => { specs = await loadFleet(EXAMPLE_OVERLAYS); }, 120_000);

  // Each cluster rendered once for the whole file (renders are deterministic; the tests only read them).
  const renders = new Map<string, ReturnType<typeof renderCluster>>();
  const rendered = (spec: ClusterSpec) => {
    if (!renders.has(spec.name)) renders.set(spec.name, renderCluster(spec, { footprints: new ChartFootprints(emptyFootprintFile(), real().renderer) }));
    return renders.get(spec.name)!;
  };

  test('each example cluster\'s platform project allows exactly the cluster-scoped kinds its charts and objects write', () => {
    for (const spec of specs) {
      const r = rendered(spec);
      const chartObjects = r.renders.flatMap((x) => x.render.objects);
      const own = r.manifests.filter((m) => !m.file.includes('/bootstrap/') && !m.file.includes('/apps/') && !m.file.includes('/projects/')).map((m) => m.object);
      const crdScope = new Map(chartObjects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => [`${o.spec.group}/${o.spec.names.kind}`, o.spec.scope]));
      const clusterScoped = (o: K8s) => CLUSTER_SCOPED_KINDS.has(`${group(o)}/${o.kind}`) || crdScope.get(`${group(o)}/${o.kind}`) === 'Cluster';
      const expected = new Map<string, { group: string; kind: string }>();
      for (const o of [...chartObjects, ...own]) if (clusterScoped(o)) expected.set(`${group(o)}/${o.kind}`, { group: group(o), kind: String(o.kind) });
      const project = r.manifests.find((m) => m.object.kind === 'AppProject' && m.object.metadata.name === 'platform')!.object;
      expect({ cluster: spec.name, kinds: [...project.spec.clusterResourceWhitelist].sort(byKind) })
        .toEqual({ cluster: spec.name, kinds: [...expected.values()].sort(byKind) });
    }
  }, 600_000);

  test('each example cluster\'s registry allowlist holds exactly the reviewed registries its images need, and every image it runs is allowed', () => {
    for (const spec of specs) {
      const r = rendered(spec);
      const policy = r.manifests.find((m) => m.object.kind === 'ValidatingPolicy' && m.object.metadata.name === 'restrict-image-registries')!.object;
      const prefixes: string[] = JSON.parse(policy.spec.variables.find((v: any) => v.name === ALLOWED_PREFIXES_VARIABLE).expression);
      const images = new Set<string>();
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { if (k === 'image' && typeof x === 'string' && x !== 'auto' && /^[a-z0-9]/i.test(x)) images.add(x); else walk(x); }
      };
      // Every image the charts and the components' own objects name: pod templates, and the
      // images operators run from custom resources (a Prometheus' spec.image).
      for (const x of r.renders) for (const o of x.render.objects) walk(o);
      for (const m of r.manifests) if (!/\/(bootstrap|apps|projects)\//.test(m.file)) walk(m.object);
      for (const image of images) expect({ cluster: spec.name, image, allowed: prefixes.some((p) => image.startsWith(p)) }).toEqual({ cluster: spec.name, image, allowed: true });
      // No reviewed registry the cluster does not use (the signed company registry aside).
      const signed = spec.imagePolicy.signedImages.map((g) => g.slice(0, g.indexOf('*') < 0 ? undefined : g.indexOf('*')));
      const unused = UPSTREAM_REGISTRIES.filter((u) => prefixes.includes(u.prefix.endsWith('/') ? u.prefix : `${u.prefix}:`))
        .filter((u) => ![...images].some((i) => longImageForm(i).startsWith(u.prefix)) && !signed.includes(u.prefix));
      // What only the subcharts the reference package lacks run (catalog/unrendered-subcharts.ts).
      expect({ cluster: spec.name, unused: unused.map((u) => u.prefix).filter((p) => !/kube-state-metrics|kiwigrid|busybox|grafana/.test(p)) }).toEqual({ cluster: spec.name, unused: [] });
    }
  }, 600_000);

  test('a chart that starts writing a new cluster-scoped kind becomes a new rule of the controller\'s ClusterRole', () => {
    const spec = specs.find((s) => s.name === 'dev')!;
    const base = rendered(spec);
    // The recorded footprints of this cluster, with velero's chart now also writing StorageClasses.
    const footprints = new ChartFootprints(emptyFootprintFile(), real().renderer);
    renderCluster(spec, { footprints });
    const file: { -readonly [K in keyof FootprintFile]: any } = { footprintsVersion: 1, renders: {}, footprints: {} };
    for (const u of footprints.used.values()) {
      const footprint = u.chart === 'velero' ? { ...u.footprint, objects: [...u.footprint.objects, { group: 'storage.k8s.io', kind: 'StorageClass', namespace: '' }] } : u.footprint;
      file.renders[u.key] = { chart: u.chart, version: u.version, footprint: u.key };
      file.footprints[u.key] = footprint;
    }
    const changed = renderCluster(spec, { footprints: new ChartFootprints(file) });
    const role = (m: typeof base) => m.manifests.find((x) => x.object.kind === 'ClusterRole' && x.object.metadata.name === 'argocd-platform-cluster-resources')!.object;
    const resources = (o: K8s) => o.rules.filter((r: any) => r.apiGroups.includes('storage.k8s.io')).flatMap((r: any) => r.resources);
    expect(resources(role(base))).not.toContain('storageclasses');
    expect(resources(role(changed))).toContain('storageclasses');
    expect(changed.unrendered.length).toBeGreaterThan(0);
  }, 600_000);

  test('synth without the chart cache (footprints from charts.footprints.json) writes the same files as synth rendering every chart', async () => {
    const rendered = await renderFleet(specs, { charts: { charts: 'require', chartCache: real().cache, footprintsFile: join(REPO_ROOT, FOOTPRINTS_FILE) } });
    const fromFile = await renderFleet(specs, { charts: { charts: 'off', footprintsFile: join(REPO_ROOT, FOOTPRINTS_FILE) } });
    const text = (files: { path: string; content: string }[]) => files.map((f) => `${f.path}\n${f.content}`).sort();
    expect(text(fromFile.files)).toEqual(text(rendered.files));
    expect(rendered.footprints.every((f) => f.rendered)).toBe(true);
  }, 600_000);

  test('the committed charts.footprints.json holds the footprint of every example cluster\'s chart render', () => {
    const committed = new ChartFootprints(readFootprintFile(join(REPO_ROOT, FOOTPRINTS_FILE)));
    for (const spec of specs) {
      const fromFile = renderCluster(spec, { footprints: committed });
      // The API versions too come from the file (the CRDs of the first renders): the same as the charts give.
      expect({ cluster: spec.name, apiVersions: fromFile.apiVersions }).toEqual({ cluster: spec.name, apiVersions: rendered(spec).apiVersions });
      const kv = kubeVersionOf(spec);
      for (const source of helmSources(fromFile.manifests)) {
        const fresh = new ChartFootprints(emptyFootprintFile(), real().renderer).of(source, kv, fromFile.apiVersions).footprint;
        expect({ application: source.application, key: renderKey(source, kv, fromFile.apiVersions), footprint: committed.of(source, kv, fromFile.apiVersions).footprint })
          .toEqual({ application: source.application, key: renderKey(source, kv, fromFile.apiVersions), footprint: fresh });
      }
    }
  }, 600_000);
});

test('without the chart in the cache or the committed file, a footprint is an error naming the command that fixes it', () => {
  const source = { application: 'c/app', file: 'clusters/c/apps/application-app.yaml', chart: 'nothing-like-it', version: '1.0.0', releaseName: 'app', namespace: 'app', values: {}, skipCrds: false };
  const renderer = new ChartRenderer({ cacheDir: '/nonexistent', lockFile: '/nonexistent/charts.lock.json' });
  expect(() => new ChartFootprints(emptyFootprintFile(), renderer).of(source, '1.33.0')).toThrow(/clusters\/c\/apps\/application-app.yaml: c\/app: no footprint of chart nothing-like-it 1.0.0 .*charts pull/);
});
