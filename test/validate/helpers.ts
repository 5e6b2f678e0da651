import type { Manifest } from '../../primitives/manifests.js';
import { formatSchemaError, validateSchemas } from '../../validate/schema.js';

/** Validates objects as if each were the only document of its own file in cluster `c1`. */
export async function problems(...objects: Record<string, any>[]): Promise<string[]> {
  const manifests: Manifest[] = objects.map((object, i) => ({ cluster: 'c1', file: `clusters/c1/test/${i}.yaml`, index: 0, object }));
  return (await validateSchemas(manifests)).map(formatSchemaError);
}

/** The `<path>: <message>` part of each problem of one object. */
export async function messages(object: Record<string, any>): Promise<string[]> {
  const prefix = `c1: clusters/c1/test/0.yaml: `;
  return (await problems(object)).map((p) => p.slice(prefix.length).split(': ').slice(1).join(': '));
}

export const clone = <T>(o: T): T => structuredClone(o);

export function deployment(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          serviceAccountName: 'web',
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'web',
            image: 'registry.example.com/shop/web:1.4.2',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5 },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  };
}

export function service(): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'metrics', port: 9090, targetPort: 9090 }],
    },
  };
}

export function configMap(): Record<string, any> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'shop' }, data: { 'app.yaml': 'level: info\n' } };
}

export function application(): Record<string, any> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'cert-manager', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-10' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: 'platform',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'cert-manager' },
      source: {
        repoURL: 'https://charts.jetstack.io',
        chart: 'cert-manager',
        targetRevision: 'v1.21.1',
        helm: { releaseName: 'cert-manager', valuesObject: { crds: { enabled: true }, replicaCount: 2, podLabels: { team: 'platform' } } },
      },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'], retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } } },
    },
  };
}
