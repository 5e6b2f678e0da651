// Throughput of schema validation (validate/schema.ts) on realistic objects built in memory,
// and the cost of loading the generated validators. Printed, never asserted.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Manifest } from '../primitives/manifests.js';
import { KINDS } from '../validate/generated/index.js';
import { loadValidator } from '../validate/loader.js';
import { validateSchemas } from '../validate/schema.js';

interface Row { name: string; value: number; unit: string; note?: string }

const KIND_BUILDERS: Record<string, (i: number) => Record<string, any>> = {
  Deployment: (i) => ({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: `team-${i % 50}`, labels: { 'app.kubernetes.io/name': `app-${i}`, 'app.kubernetes.io/part-of': 'shop' } },
    spec: {
      replicas: 1 + (i % 5),
      selector: { matchLabels: { 'app.kubernetes.io/name': `app-${i}` } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': `app-${i}` } },
        spec: {
          serviceAccountName: `app-${i}`,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app', image: `registry.example.com/shop/app-${i}:1.${i % 10}.0`, imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  }),
  Service: (i) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${i}`, namespace: `team-${i % 50}` },
    spec: { selector: { 'app.kubernetes.io/name': `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  }),
  ConfigMap: (i) => ({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `app-${i}`, namespace: `team-${i % 50}` },
    data: { 'config.yaml': `name: app-${i}\nlevel: info\n`, FEATURE_X: 'true' },
  }),
  Application: (i) => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name: `app-${i}`, namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': String(i % 5) } },
    spec: {
      project: 'apps',
      destination: { server: 'https://kubernetes.default.svc', namespace: `team-${i % 50}` },
      source: { repoURL: 'https://charts.example.com', chart: `app-${i}`, targetRevision: '1.2.3', helm: { releaseName: `app-${i}`, valuesObject: { replicaCount: 2, image: { tag: '1.0.0' } } } },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  }),
  Certificate: (i) => ({
    apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: `app-${i}`, namespace: `team-${i % 50}` },
    spec: { secretName: `app-${i}-tls`, dnsNames: [`app-${i}.example.com`], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' } },
  }),
  ServiceMonitor: (i) => ({
    apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: `app-${i}`, namespace: `team-${i % 50}` },
    spec: { selector: { matchLabels: { 'app.kubernetes.io/name': `app-${i}` } }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
  }),
};

function buildManifests(perKind: number): Manifest[] {
  const out: Manifest[] = [];
  for (const [kind, build] of Object.entries(KIND_BUILDERS)) {
    for (let i = 0; i < perKind; i++) out.push({ cluster: `c${i % 10}`, file: `clusters/c${i % 10}/apps/${kind}-${i}.yaml`, index: 0, object: build(i) });
  }
  return out;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** Rows: load time of the validators a tree needs, objects/s valid and invalid, load time of all. */
export async function benchValidation(objectsPerKind = 5000): Promise<Row[]> {
  const manifests = buildManifests(objectsPerKind);
  const kinds = Object.keys(KIND_BUILDERS).length;
  const rows: Row[] = [];

  // First call: imports k8s.js and the CRD modules of the kinds above (cold in a fresh process).
  let t0 = performance.now();
  const warm = await validateSchemas(Object.keys(KIND_BUILDERS).map((k, i) => manifests[i * objectsPerKind]));
  rows.push({ name: `validation: load validators for ${kinds} kinds`, value: Math.round(performance.now() - t0), unit: 'ms', note: 'cold only on the first call in a process' });
  if (warm.length) throw new Error(`bench objects are invalid: ${warm.map((e) => `${e.object} ${e.path} ${e.message}`).join('; ')}`);

  t0 = performance.now();
  const errors = await validateSchemas(manifests);
  const ms = performance.now() - t0;
  if (errors.length) throw new Error(`bench objects are invalid: ${errors[0].message}`);
  rows.push({ name: `validation: ${manifests.length} valid objects (${kinds} kinds)`, value: Math.round(manifests.length / (ms / 1000)), unit: 'obj/s', note: `${ms.toFixed(0)} ms, one core; target >= 10000` });

  // Every object with two errors: the cost of describing problems.
  const broken = manifests.slice(0, Math.min(manifests.length, 5000)).map((m) => ({ ...m, object: { ...m.object, spec: { ...(m.object.spec ?? {}), zzUnknown: 1 }, extra: true } }));
  t0 = performance.now();
  const brokenErrors = await validateSchemas(broken);
  const bms = performance.now() - t0;
  rows.push({ name: `validation: ${broken.length} invalid objects`, value: Math.round(broken.length / (bms / 1000)), unit: 'obj/s', note: `${brokenErrors.length} errors in ${bms.toFixed(0)} ms` });

  const dir = join(import.meta.dirname, '..', 'validate', 'generated');
  const entries = [...new Map(Object.values(KINDS).map((e) => [e.module, e])).values()];
  t0 = performance.now();
  await Promise.all(entries.map((e) => loadValidator(e)));
  rows.push({ name: `validation: load all ${entries.length} generated modules`, value: Math.round(performance.now() - t0), unit: 'ms', note: `${(dirBytes(dir) / 1e6).toFixed(1)} MB on disk, ${Object.keys(KINDS).length} kinds` });
  return rows;
}
