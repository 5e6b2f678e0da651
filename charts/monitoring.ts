import type { Chart } from 'cdk8s';
import { CHARTS, IMAGES } from '../catalog/versions.js';
import { GrafanaDashboard } from '../constructs/grafana-dashboard.js';
import { loadDashboards } from '../lib/dashboards.js';
import { UserError } from '../lib/errors.js';
import { retentionHours } from '../spec/observability.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent } from './component.js';

export const MONITORING_NAMESPACE = 'monitoring';
export const OTEL_NAMESPACE = 'opentelemetry';
/** Release name of kube-prometheus-stack: it prefixes every Service (the edge routes to `<release>-grafana`). */
export const KPS_RELEASE = 'kube-prometheus-stack';
/** The Prometheus Service of the stack, as other components reach it. */
export const PROMETHEUS_SERVICE = `${KPS_RELEASE}-prometheus`;
export const PROMETHEUS_URL = `http://${PROMETHEUS_SERVICE}.${MONITORING_NAMESPACE}.svc:9090`;
/** Loki through its gateway: the same URL in every deployment mode. */
export const LOKI_URL = `http://loki-gateway.${MONITORING_NAMESPACE}.svc`;
export const TEMPO_HOST = `tempo.${MONITORING_NAMESPACE}.svc`;
/** Where services send OTLP (gRPC 4317, HTTP 4318): the collector's Service. */
export const OTLP_ENDPOINT = `http://opentelemetry-collector.${OTEL_NAMESPACE}.svc:4317`;
/** Grafana datasource uids (dashboards and cross-links name them). */
export const DATASOURCE_UIDS = { prometheus: 'prometheus', loki: 'loki', tempo: 'tempo' } as const;
/** Pod annotation naming the volumes Velero's file-system backup copies (opt-in mode). */
export const FS_BACKUP_ANNOTATION = 'backup.velero.io/backup-volumes';
/** The TSDB volume the operator mounts: `prometheus-<Prometheus name>-db`. */
export const PROMETHEUS_VOLUME = `prometheus-${PROMETHEUS_SERVICE}-db`;
/** The grafana chart's volume name for its PVC. */
export const GRAFANA_VOLUME = 'storage';
/** Secret in the monitoring namespace with Grafana's admin user and password (delivered encrypted). */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

const volume = (size: string, storageClass?: string) => ({
  accessModes: ['ReadWriteOnce'],
  resources: { requests: { storage: size } },
  ...(storageClass ? { storageClassName: storageClass } : {}),
});

/**
 * The S3 keys of a Secret as the standard AWS variables, which Loki's and Tempo's S3 clients read
 * when their config names no keys. No `${VAR}` in the values: Argo CD may substitute those itself.
 */
const s3Env = (secret: string) => [
  { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: secret, key: 'access_key_id' } } },
  { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: secret, key: 'secret_access_key' } } },
];

/**
 * Metrics, logs and traces: kube-prometheus-stack (Prometheus, Alertmanager, Grafana with the
 * dashboards of docs/assets/grafana as ConfigMaps), Loki, Tempo, and the OpenTelemetry Collector
 * that receives OTLP from services and forwards traces to Tempo, logs to Loki and metrics to
 * Prometheus (its OTLP receiver). Sized per environment from `observability`.
 */
export function monitoringComponents(spec: ClusterSpec): PlatformComponent[] {
  return [kubePrometheusStack(spec), loki(spec), tempo(spec), otelCollector(spec)];
}


function kubePrometheusStack(spec: ClusterSpec): PlatformComponent {
  const o = spec.observability;
  const sc = o.storageClass;
  // A managed control plane (Yandex, VK Cloud, Cloud.ru) cannot be scraped: the masters are the
  // cloud's, and kube-proxy listens on localhost. Their exporters would only alert forever
  // (KubeControllerManagerDown, KubeSchedulerDown, etcd and KubeProxyDown), so they are off, with
  // their Services, ServiceMonitors, rules and dashboards. On-prem keeps them. CoreDNS runs as
  // pods everywhere and stays: its Service is the one object kps writes into kube-system there.
  const scrapeControlPlane = spec.infrastructure !== 'managed';
  return {
    name: KPS_RELEASE,
    namespace: MONITORING_NAMESPACE,
    helm: {
      chart: CHARTS.kubePrometheusStack,
      releaseName: KPS_RELEASE,
      wave: WAVES.operators,
      // Its CRDs exceed the 256 KiB last-applied annotation.
      serverSideApply: true,
      values: {
        crds: { enabled: true },
        kubeControllerManager: { enabled: scrapeControlPlane },
        kubeScheduler: { enabled: scrapeControlPlane },
        kubeEtcd: { enabled: scrapeControlPlane },
        kubeProxy: { enabled: scrapeControlPlane },
        prometheus: {
          prometheusSpec: {
            replicas: o.prometheus.replicas,
            retention: o.prometheus.retention,
            externalLabels: { cluster: spec.name, cloud: spec.cloud, env: spec.environment },
            // Without these, only objects labelled with the release are picked up.
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
            probeSelectorNilUsesHelmValues: false,
            scrapeConfigSelectorNilUsesHelmValues: false,
            // The OpenTelemetry Collector pushes OTLP metrics (/api/v1/otlp); Tempo's metrics
            // generator remote-writes (/api/v1/write).
            enableOTLPReceiver: true,
            enableRemoteWriteReceiver: true,
            ...(o.prometheus.storage ? { storageSpec: { volumeClaimTemplate: { spec: volume(o.prometheus.storage, sc) } } } : {}),
            // Velero backs up only the volumes a pod names (opt-in): the TSDB, not Loki's or Tempo's WAL.
            ...(o.prometheus.storage && spec.backup.volumes ? { podMetadata: { annotations: { [FS_BACKUP_ANNOTATION]: PROMETHEUS_VOLUME } } } : {}),
            // Argo CD's own metrics (sync status, health) for the Argo CD dashboard: its pods name
            // their metrics port `metrics`; no Services of the argo-cd chart are needed.
            additionalScrapeConfigs: [{
              job_name: 'argocd',
              kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [spec.argocd.namespace] } }],
              relabel_configs: [
                { source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: 'metrics' },
                { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], target_label: 'job' },
                { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
              ],
            }],
          },
        },
        alertmanager: { alertmanagerSpec: { replicas: o.alertmanager.replicas } },
        // The seed's standard backup must be watched, not assumed (docs/runbooks/restore.md).
        additionalPrometheusRulesMap: { 'platform-backups': { groups: [BACKUP_ALERTS] } },
        grafana: {
          admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
          ...(o.grafana.storage && spec.backup.volumes ? { podAnnotations: { [FS_BACKUP_ANNOTATION]: GRAFANA_VOLUME } } : {}),
          persistence: o.grafana.storage
            ? { enabled: true, size: o.grafana.storage, ...(sc ? { storageClassName: sc } : {}) }
            : { enabled: false },
          'grafana.ini': { server: { root_url: `https://grafana.${spec.domain}` } },
          sidecar: {
            dashboards: {
              enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL',
              folderAnnotation: 'grafana_folder', provider: { foldersFromFilesStructure: true },
            },
            datasources: { enabled: true, defaultDatasourceEnabled: true, uid: DATASOURCE_UIDS.prometheus },
          },
          additionalDataSources: [
            { name: 'Loki', type: 'loki', uid: DATASOURCE_UIDS.loki, access: 'proxy', url: LOKI_URL },
            {
              name: 'Tempo', type: 'tempo', uid: DATASOURCE_UIDS.tempo, access: 'proxy', url: `http://${TEMPO_HOST}:3200`,
              jsonData: {
                tracesToLogsV2: { datasourceUid: DATASOURCE_UIDS.loki, filterByTraceID: true },
                serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
                nodeGraph: { enabled: true },
              },
            },
          ],
        },
      },
    },
    secrets: [{ name: GRAFANA_ADMIN_SECRET, namespace: MONITORING_NAMESPACE, keys: ['admin-user', 'admin-password'], usedBy: 'Grafana (admin.existingSecret)' }],
    addObjects: addDashboards,
    // Dashboards can be large: past the client-side last-applied annotation limit.
    objectsSyncOptions: ['ServerSideApply=true'],
  };
}

/**
 * Alerts on the backups of the stateful components: Velero Schedules and Vault raft snapshots.
 * Templates use `.Labels`, not `$labels`: Argo CD interpolates `$` variables in Helm input.
 */
export const BACKUP_ALERTS = {
  name: 'platform-backups',
  rules: [
    {
      alert: 'VeleroBackupTooOld',
      expr: 'time() - velero_backup_last_successful_timestamp{schedule!=""} > 26 * 3600',
      for: '15m',
      labels: { severity: 'critical' },
      annotations: { summary: 'Velero Schedule {{ .Labels.schedule }} has had no successful backup for more than 26 hours', runbook_url: 'docs/runbooks/restore.md' },
    },
    {
      alert: 'VeleroBackupFailed',
      expr: 'increase(velero_backup_failure_total[1h]) > 0 or increase(velero_backup_partial_failure_total[1h]) > 0',
      labels: { severity: 'warning' },
      annotations: { summary: 'A Velero backup of schedule {{ .Labels.schedule }} failed in the last hour' },
    },
    {
      alert: 'VaultRaftSnapshotTooOld',
      expr: 'time() - kube_cronjob_status_last_successful_time{namespace="vault", cronjob="vault-raft-snapshot"} > 3 * 3600',
      for: '15m',
      labels: { severity: 'critical' },
      annotations: { summary: 'No Vault raft snapshot for more than 3 hours (CronJob vault/vault-raft-snapshot)', runbook_url: 'docs/runbooks/restore.md' },
    },
  ],
};

/** Every dashboard of docs/assets/grafana as a ConfigMap next to Grafana. */
function addDashboards(chart: Chart): void {
  const taken = new Map<string, string>();
  for (const d of loadDashboards()) {
    const name = dashboardConfigMapName(d.folder, d.name);
    const other = taken.get(name);
    if (other) throw new UserError(`${d.file}: file name: becomes ConfigMap ${name}, as ${other} does; rename one of them`);
    taken.set(name, d.file);
    new GrafanaDashboard(chart, name, { namespace: MONITORING_NAMESPACE, folder: d.folder, json: d.json, uid: d.uid, source: d.file });
  }
}

/** `dashboard-<folder>-<name>` as a DNS label (`_` and `.` become `-`, at most 63 characters). */
export function dashboardConfigMapName(folder: string, name: string): string {
  return `dashboard-${folder === 'General' ? '' : `${folder}-`}${name}`.replace(/[_.]/g, '-').slice(0, 63).replace(/-+$/, '');
}

function loki(spec: ClusterSpec): PlatformComponent {
  const l = spec.observability.loki;
  const sc = spec.observability.storageClass;
  const s3 = l.backend === 's3';
  const store = s3 ? 's3' : 'filesystem';
  const bucket = l.bucket ?? `${spec.name}-loki`;
  const monolithic = l.mode === 'Monolithic';
  const expand = s3 ? { extraEnv: s3Env(l.credentialsSecret) } : {};
  const persistence = { persistence: { enabled: true, size: l.storage, ...(sc ? { storageClass: sc } : {}) } };
  return {
    name: 'loki',
    namespace: MONITORING_NAMESPACE,
    helm: {
      chart: CHARTS.loki,
      wave: WAVES.operatorsExtras,
      values: {
        deploymentMode: l.mode,
        loki: {
          // One tenant per cluster: no X-Scope-OrgID to set in every client.
          auth_enabled: false,
          commonConfig: { replication_factor: s3 && l.replicas >= 3 ? 3 : 1 },
          schemaConfig: {
            configs: [{ from: '2026-01-01', store: 'tsdb', object_store: store, schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
          },
          limits_config: { retention_period: `${retentionHours(l.retention)}h`, allow_structured_metadata: true },
          compactor: { retention_enabled: true, delete_request_store: store },
          storage: s3
            ? {
              type: 's3',
              // Loki 18.11 reads chunks and ruler only (templates/_helpers.tpl); there is no admin bucket.
              bucketNames: { chunks: bucket, ruler: bucket },
              s3: {
                endpoint: spec.objectStorage.endpoint, region: spec.objectStorage.region,
                s3ForcePathStyle: true, insecure: spec.objectStorage.endpoint.startsWith('http://'),
              },
            }
            : { type: 'filesystem' },
        },
        singleBinary: monolithic ? { replicas: l.replicas, ...persistence, ...expand } : { replicas: 0 },
        ...(monolithic ? {} : {
          ingester: { replicas: 3, ...persistence, ...expand },
          distributor: { replicas: 2, ...expand },
          querier: { replicas: 2, ...expand },
          queryFrontend: { replicas: 2, ...expand },
          queryScheduler: { replicas: 2, ...expand },
          compactor: { replicas: 1, ...persistence, ...expand },
          indexGateway: { replicas: 2, ...persistence, ...expand },
        }),
        // SimpleScalable targets off in both modes.
        read: { replicas: 0 }, write: { replicas: 0 }, backend: { replicas: 0 },
        // Memcached caches pay off at volume only; Loki's embedded cache serves these sizes.
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        lokiCanary: { enabled: false },
        monitoring: { serviceMonitor: { enabled: true } },
        test: { enabled: false },
        // The rules sidecar (docker.io/kiwigrid/k8s-sidecar, outside the registry allowlist) loads
        // ruler rules from ConfigMaps and Secrets labelled loki_rule, with a ClusterRole that reads
        // Secrets cluster-wide. The platform alerts from Prometheus and ships no Loki rules: off.
        sidecar: { rules: { enabled: false } },
        // Without the sidecar nothing of Loki reads the API: no ClusterRole (the chart would still
        // render an empty one and its binding), so Loki needs no cluster-scoped kind.
        rbac: { namespaced: true },
        // The gateway's access-log exporter (ghcr.io/jkroepke/access-log-exporter, outside the
        // allowlist) feeds no dashboard or alert of the platform: off. Loki's own metrics stay.
        gateway: { metrics: { enabled: false } },
      },
    },
    ...(s3 ? { secrets: [{ name: l.credentialsSecret, namespace: MONITORING_NAMESPACE, keys: ['access_key_id', 'secret_access_key'], usedBy: 'Loki (S3 storage)' }] } : {}),
  };
}

function tempo(spec: ClusterSpec): PlatformComponent {
  const t = spec.observability.tempo;
  const sc = spec.observability.storageClass;
  const s3 = t.backend === 's3';
  const endpoint = new URL(spec.objectStorage.endpoint);
  return {
    name: 'tempo',
    namespace: MONITORING_NAMESPACE,
    helm: {
      chart: CHARTS.tempo,
      wave: WAVES.operatorsExtras,
      values: {
        tempo: {
          retention: `${retentionHours(t.retention)}h`,
          storage: {
            trace: s3
              ? {
                backend: 's3',
                s3: {
                  bucket: t.bucket ?? `${spec.name}-tempo`, endpoint: endpoint.host, region: spec.objectStorage.region,
                  insecure: endpoint.protocol === 'http:', forcepathstyle: true,
                },
              }
              : { backend: 'local', local: { path: '/var/tempo/traces' }, wal: { path: '/var/tempo/wal' } },
          },
          receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
          // Span metrics and the service graph, for Grafana's service map. The generator runs only
          // the processors the overrides enable (none by default); chart 2.2.4 writes
          // `tempo.overrides` into tempo.yaml in the new format (`defaults.metrics_generator`).
          metricsGenerator: { enabled: true, remoteWriteUrl: `${PROMETHEUS_URL}/api/v1/write` },
          overrides: { defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } },
          ...(s3 ? { extraEnv: s3Env(t.credentialsSecret) } : {}),
        },
        persistence: { enabled: true, size: t.storage, ...(sc ? { storageClassName: sc } : {}) },
        serviceMonitor: { enabled: true },
      },
    },
    ...(s3 ? { secrets: [{ name: t.credentialsSecret, namespace: MONITORING_NAMESPACE, keys: ['access_key_id', 'secret_access_key'], usedBy: 'Tempo (S3 storage)' }] } : {}),
  };
}

function otelCollector(spec: ClusterSpec): PlatformComponent {
  const c = spec.observability.otelCollector;
  const pipeline = (exporter: string) => ({ receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', 'resource', 'batch'], exporters: [exporter] });
  return {
    name: 'opentelemetry-collector',
    namespace: OTEL_NAMESPACE,
    helm: {
      chart: CHARTS.otelCollector,
      releaseName: 'opentelemetry-collector',
      wave: WAVES.operatorsExtras,
      values: {
        // Both are required by the chart (empty defaults).
        mode: c.mode,
        image: c.image
          ? { repository: c.image.repository, tag: c.image.tag }
          : { repository: IMAGES.otelCollectorK8s.repository, tag: IMAGES.otelCollectorK8s.tag },
        command: { name: c.image?.command ?? 'otelcol-k8s' },
        ...(c.mode === 'deployment' ? { replicaCount: c.replicas } : {}),
        presets: { kubernetesAttributes: { enabled: true } },
        // The collector's own metrics (dropped spans, queue sizes), scraped by Prometheus.
        ports: { metrics: { enabled: true } },
        serviceMonitor: { enabled: true },
        config: {
          // Receivers: the chart's default `otlp` (gRPC 4317, HTTP 4318 on the pod IP) is kept as is.
          processors: {
            batch: {},
            memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 },
            resource: { attributes: [{ key: 'k8s.cluster.name', value: spec.name, action: 'upsert' }, { key: 'deployment.environment', value: spec.environment, action: 'upsert' }] },
          },
          exporters: {
            'otlp/tempo': { endpoint: `${TEMPO_HOST}:4317`, tls: { insecure: true } },
            // Loki 3 takes OTLP natively on /otlp.
            'otlphttp/loki': { endpoint: `${LOKI_URL}/otlp` },
            // Prometheus's own OTLP receiver: the exporter every collector distribution ships.
            'otlphttp/prometheus': { endpoint: `${PROMETHEUS_URL}/api/v1/otlp` },
          },
          service: {
            pipelines: {
              traces: pipeline('otlp/tempo'),
              logs: pipeline('otlphttp/loki'),
              metrics: pipeline('otlphttp/prometheus'),
            },
          },
        },
      },
    },
    // kubernetesAttributes reads pods and namespaces cluster-wide.
  };
}
