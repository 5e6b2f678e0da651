// Speed of `infra-synth diff` on a fleet-sized pair of trees, from disk to a finished comment.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { diffTrees, renderJson, renderMarkdown } from '../diff/index.js';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const CLUSTERS = 100;
const COMPONENTS = ['apps', 'argo-cd', 'cert-manager', 'external-dns', 'ingress', 'monitoring', 'policy', 'secrets'];
/** Objects per component: 8 × 12 + a root Application or so ≈ 100 objects per cluster. */
const PER_COMPONENT = 12;
const RUNS = 3;

/**
 * Two generated 100-cluster trees (≈ 100 objects each) where a few per cent of objects differ:
 * about 3 % changed, 1 % added, 1 % removed, and some files moved (not a change). Timed: reading
 * both trees from disk, comparing them, and rendering the Markdown comment and the JSON.
 */
export async function benchDiff(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'infra-synth-bench-diff-'));
  try {
    const { objects } = generateFleet(root);
    const times: number[] = [];
    let summary = '';
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const report = await diffTrees({ base: join(root, 'base'), head: join(root, 'head') });
      const md = renderMarkdown(report);
      renderJson(report);
      times.push(performance.now() - t0);
      const s = report.summary;
      summary = `${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.moved} moved; comment ${md.length} chars`;
    }
    times.sort((a, b) => a - b);
    return [{
      name: `diff: ${CLUSTERS} clusters × ~${Math.round(objects / CLUSTERS)} objects, read both trees + compare + markdown + json`,
      value: Math.round(times[Math.floor(RUNS / 2)]),
      unit: 'ms',
      note: `median of ${RUNS} (min ${Math.round(times[0])}, max ${Math.round(times[RUNS - 1])}); ${objects} objects per tree; ${summary}; target ≤ 2000 ms`,
    }];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Writes `<root>/base` and `<root>/head`; returns the number of objects in base. */
export function generateFleet(root: string, clusters = CLUSTERS): { objects: number } {
  let objects = 0;
  for (let c = 0; c < clusters; c++) {
    const cluster = `${['yc', 'sber', 'vk', 'onprem'][c % 4]}-${['dev', 'stage', 'prod'][c % 3]}-${c}`;
    for (const [ci, component] of COMPONENTS.entries()) {
      const base: object[] = [];
      const head: object[] = [];
      for (let i = 0; i < PER_COMPONENT; i++) {
        const n = c * 1000 + ci * 100 + i;
        const obj = makeObject(cluster, component, i, 1);
        base.push(obj);
        objects++;
        // Deterministic spread of changes: ~3 % changed, ~1 % removed, ~1 % added.
        if (n % 97 === 5) continue;
        head.push(n % 33 === 7 ? makeObject(cluster, component, i, 2) : obj);
        if (n % 101 === 3) head.push(makeObject(cluster, component, i + 100, 1));
      }
      // One component in ten is laid out in another file on the head side: a move, not a change.
      const headFile = (c + ci) % 10 === 0 ? 'moved.yaml' : 'objects.yaml';
      write(join(root, 'base', 'clusters', cluster, component, 'objects.yaml'), base);
      write(join(root, 'head', 'clusters', cluster, component, headFile), head);
    }
  }
  return { objects };
}

function write(file: string, docs: object[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, docs.map((d) => yaml.dump(d)).join('---\n'));
}

function makeObject(cluster: string, component: string, i: number, version: number): object {
  const labels = { 'app.kubernetes.io/name': `${component}-${i}`, 'app.kubernetes.io/part-of': component, env: cluster.split('-')[1] };
  if (i % 3 === 0) {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${component}-${i}`, namespace: component, labels },
      spec: {
        replicas: version === 1 ? 2 : 3,
        selector: { matchLabels: { 'app.kubernetes.io/name': `${component}-${i}` } },
        template: {
          metadata: { labels },
          spec: {
            containers: [{
              name: 'app',
              image: `registry.example.com/${component}:${version === 1 ? '1.4.2' : '1.5.0'}`,
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              env: [{ name: 'CLUSTER', value: cluster }, { name: 'LOG_LEVEL', value: 'info' }],
            }],
          },
        },
      },
    };
  }
  if (i % 3 === 1) {
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `${component}-${i}`, namespace: 'argocd', labels, annotations: { 'argocd.argoproj.io/sync-wave': String(i) } },
      spec: {
        project: component,
        destination: { server: 'https://kubernetes.default.svc', namespace: component },
        source: { repoURL: 'https://charts.example.com', chart: component, targetRevision: version === 1 ? '1.2.3' : '1.3.0', helm: { valuesObject: { replicas: 2, cluster } } },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${component}-${i}`, namespace: component, labels },
    data: Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`setting-${k}`, `value-${k}-${version === 1 || k !== 3 ? 'a' : 'b'}`])),
  };
}
