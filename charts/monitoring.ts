import type { Chart } from 'cdk8s';
import { CHARTS, IMAGES } from '../catalog/versions.js';
import { GrafanaDashboard } from '../constructs/grafana-dashboard.js';
import { UserError } from '../primitives/errors.js';
import { browserOrigins, retentionHours } from '../spec/observability.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type ClusterFacts, type PlatformComponent, type RenderInputs, type SecretUse } from './component.js';
import { runtimePatchedWebhook } from './webhook-drift.js';
import { VAULT_ALERTS } from './vault.js';
import { ARGOCD_ALERTS } from './argocd-metrics.js';

export const MONITORING_NAMESPACE = 'monitoring';
export const OTEL_NAMESPACE = 'opentelemetry';
/**
 * The node agents of monitoring: they need the privileged Pod Security level (host paths, root),
 * and in a namespace of their own they do not make the servers' namespace (Prometheus, Grafana,
 * Alertmanager, Loki, Tempo) privileged. Prometheus finds their ServiceMonitors in every
 * namespace (serviceMonitorNamespaceSelector is the chart's `{}`), and they reach Loki by its
 * Service's cluster name; no NetworkPolicy stands between them.
 */
export const MONITORING_AGENTS_NAMESPACE = 'monitoring-agents';
/** Release name of kube-prometheus-stack: it prefixes every Service (the edge routes to `<release>-grafana`). */
export const KPS_RELEASE = 'kube-prometheus-stack';
/** The Prometheus Service of the stack, as other components reach it. */
export const PROMETHEUS_SERVICE = `${KPS_RELEASE}-prometheus`;
export const PROMETHEUS_URL = `http://${PROMETHEUS_SERVICE}.${MONITORING_NAMESPACE}.svc:9090`;
/** The operator's headless Service over the Prometheus pods: the StatefulSet's serviceName, so each pod has a DNS name under it. */
export const PROMETHEUS_HEADLESS_SERVICE = 'prometheus-operated';
/** Loki through its gateway: the same URL in every deployment mode. */
export const LOKI_URL = `http://loki-gateway.${MONITORING_NAMESPACE}.svc`;
export const TEMPO_HOST = `tempo.${MONITORING_NAMESPACE}.svc`;
/** Where services send OTLP (gRPC 4317, HTTP 4318): the collector's Service. */
export const OTLP_ENDPOINT = `http://opentelemetry-collector.${OTEL_NAMESPACE}.svc:4317`;
/** Release (Application, Service) of the collector that takes OTLP/HTTP from browsers. */
export const BROWSER_COLLECTOR_RELEASE = 'opentelemetry-collector-browser';
/** Its OTLP/HTTP port (the chart's `otlp-http`). */
export const BROWSER_OTLP_PORT = 4318;
/** The OTLP/HTTP paths of the three signals: all the ingress routes to the browser collector. */
export const BROWSER_OTLP_PATHS = ['/v1/traces', '/v1/metrics', '/v1/logs'] as const;
/** Resource attribute, set by the browser collector on everything it forwards, that tells browser data from the services'. */
export const BROWSER_SOURCE_ATTRIBUTE = { key: 'telemetry.source', value: 'browser' } as const;
/** The largest OTLP request body the browser collector reads (the collector's default is 20 MiB). */
export const BROWSER_MAX_REQUEST_BYTES = 1024 * 1024;
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

/**
 * Each Prometheus replica by its pod's stable name (`prometheus-<Prometheus>-<i>.prometheus-operated`).
 * The replicas do not share data: what is pushed (OTLP from the collector, Tempo's remote-write)
 * goes to every one of them, or a push through the Service would land on one replica at random.
 */
export function prometheusReplicaUrls(spec: ClusterSpec): string[] {
  return Array.from({ length: spec.observability.prometheus.replicas }, (_, i) =>
    `http://prometheus-${PROMETHEUS_SERVICE}-${i}.${PROMETHEUS_HEADLESS_SERVICE}.${MONITORING_NAMESPACE}.svc:9090`);
}

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
  const o = spec.observability;
  return [
    kubePrometheusStack(spec), loki(spec), tempo(spec), otelCollector(spec),
    // Without the log collector, node-exporter is still there: the namespace stays managed (a
    // component with neither chart nor objects renders no Application, only the namespace).
    o.containerLogs ? containerLogCollector(spec) : { name: MONITORING_AGENTS_NAMESPACE, namespace: MONITORING_AGENTS_NAMESPACE },
    ...(o.browserTelemetry.enabled ? [browserCollector(spec)] : []),
  ];
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
      // The certgen patch Job sets the admission webhooks' caBundle (and failurePolicy when one is configured).
      ignoreDifferences: [
        runtimePatchedWebhook('ValidatingWebhookConfiguration', `${KPS_RELEASE}-admission`),
        runtimePatchedWebhook('MutatingWebhookConfiguration', `${KPS_RELEASE}-admission`),
      ],
      values: {
        crds: { enabled: true },
        kubeControllerManager: { enabled: scrapeControlPlane },
        kubeScheduler: { enabled: scrapeControlPlane },
        kubeEtcd: { enabled: scrapeControlPlane },
        kubeProxy: { enabled: scrapeControlPlane },
        // node-exporter (host network, PID namespace and filesystem: privileged) with the other
        // node agents, so that the servers' namespace is not privileged. The chart supports it
        // (namespaceOverride, read by the parent's helpers too); the DaemonSet, its Service and
        // ServiceMonitor move, the rules and dashboards select by job and stay.
        'prometheus-node-exporter': { namespaceOverride: MONITORING_AGENTS_NAMESPACE },
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
            // generator remote-writes (/api/v1/write). Both push to every replica (prometheusReplicaUrls).
            enableOTLPReceiver: true,
            enableRemoteWriteReceiver: true,
            ...(o.prometheus.storage ? { storageSpec: { volumeClaimTemplate: { spec: volume(o.prometheus.storage, sc) } } } : {}),
            // Velero backs up only the volumes a pod names (opt-in): the TSDB, not Loki's or Tempo's WAL.
            ...(o.prometheus.storage && spec.backup.volumes ? { podMetadata: { annotations: { [FS_BACKUP_ANNOTATION]: PROMETHEUS_VOLUME } } } : {}),
            // Argo CD's own metrics come through the argo-cd chart's ServiceMonitors (charts/argocd-metrics.ts).
          },
        },
        alertmanager: alertmanagerValues(spec),
        // The seed's standard backup must be watched, not assumed (docs/runbooks/restore.md).
        additionalPrometheusRulesMap: {
          'platform-backups': { groups: [BACKUP_ALERTS] }, 'platform-vault': { groups: [VAULT_ALERTS] }, 'platform-argocd': { groups: [ARGOCD_ALERTS] },
        },
        grafana: {
          admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
          // A ReadWriteOnce volume attaches to one node: a rolling update's new pod on another node
          // would wait for it forever while the old pod holds it.
          ...(o.grafana.storage ? { deploymentStrategy: { type: 'Recreate' } } : {}),
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
    secrets: [
      { name: GRAFANA_ADMIN_SECRET, namespace: MONITORING_NAMESPACE, keys: ['admin-user', 'admin-password'], usedBy: 'Grafana (admin.existingSecret)' },
      ...alertmanagerSecrets(spec),
    ],
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
function addDashboards(chart: Chart, _spec: ClusterSpec, _cluster: ClusterFacts | undefined, inputs: RenderInputs): void {
  const taken = new Map<string, string>();
  for (const d of inputs.dashboards) {
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
          metricsGenerator: {
            enabled: true,
            // One remote-write queue per Prometheus replica (each retries on its own).
            storage: { remote_write: prometheusReplicaUrls(spec).map((url) => ({ url: `${url}/api/v1/write` })) },
          },
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

/** Adds the cluster's name and environment to every signal a collector forwards. */
const clusterResource = (spec: ClusterSpec) => ({
  attributes: [{ key: 'k8s.cluster.name', value: spec.name, action: 'upsert' }, { key: 'deployment.environment', value: spec.environment, action: 'upsert' }],
});
const memoryLimiter = { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 };
/** Loki 3 takes OTLP natively on /otlp. */
const lokiExporter = { endpoint: `${LOKI_URL}/otlp` };
const collectorImage = (spec: ClusterSpec) => {
  const c = spec.observability.otelCollector;
  return {
    image: c.image ? { repository: c.image.repository, tag: c.image.tag } : { repository: IMAGES.otelCollectorK8s.repository, tag: IMAGES.otelCollectorK8s.tag },
    command: { name: c.image?.command ?? 'otelcol-k8s' },
  };
};

/**
 * Where a collector sends each signal: traces to Tempo, logs to Loki, metrics to every Prometheus
 * replica's own OTLP receiver (otlphttp, the exporter every collector distribution ships; each has
 * its own queue and retries, so one replica down does not hold up the others).
 */
function backendExporters(spec: ClusterSpec) {
  const prometheus = Object.fromEntries(prometheusReplicaUrls(spec).map((url, i) => [`otlphttp/prometheus-${i}`, { endpoint: `${url}/api/v1/otlp` }]));
  return {
    exporters: {
      'otlp/tempo': { endpoint: `${TEMPO_HOST}:4317`, tls: { insecure: true } },
      'otlphttp/loki': lokiExporter,
      ...prometheus,
    },
    bySignal: { traces: ['otlp/tempo'], logs: ['otlphttp/loki'], metrics: Object.keys(prometheus) },
  };
}

function otelCollector(spec: ClusterSpec): PlatformComponent {
  const c = spec.observability.otelCollector;
  const processors = ['memory_limiter', 'k8sattributes', 'resource', 'batch'];
  const pipeline = (exporters: string[]) => ({ receivers: ['otlp'], processors, exporters });
  const backends = backendExporters(spec);
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
        ...collectorImage(spec),
        ...(c.mode === 'deployment' ? { replicaCount: c.replicas } : {}),
        presets: { kubernetesAttributes: { enabled: true } },
        // The collector's own metrics (dropped spans, queue sizes), scraped by Prometheus.
        ports: { metrics: { enabled: true } },
        serviceMonitor: { enabled: true },
        config: {
          // Receivers: the chart's default `otlp` (gRPC 4317, HTTP 4318 on the pod IP) is kept as is.
          processors: {
            batch: {},
            memory_limiter: memoryLimiter,
            resource: clusterResource(spec),
          },
          exporters: backends.exporters,
          service: {
            pipelines: {
              traces: pipeline(backends.bySignal.traces),
              logs: pipeline(backends.bySignal.logs),
              metrics: pipeline(backends.bySignal.metrics),
            },
          },
        },
      },
    },
    // kubernetesAttributes reads pods and namespaces cluster-wide.
  };
}

/** Where Alertmanager finds a Secret's key: kube-prometheus-stack mounts `alertmanagerSpec.secrets` there. */
const alertmanagerSecretFile = (secret: string, key: string) => `/etc/alertmanager/secrets/${secret}/${key}`;
/** Data keys of the Secrets the overlay names for Alertmanager. */
const ALERT_SECRET_KEYS = { smtp: 'password', telegram: 'bot-token', webhook: 'token' } as const;

/** The Secrets Alertmanager reads (SMTP password, bot tokens, webhook tokens), each with the keys it reads. */
function alertmanagerSecrets(spec: ClusterSpec): SecretUse[] {
  const a = spec.observability.alertmanager;
  const keys = new Map<string, Set<string>>();
  const use = (name: string | undefined, key: string) => {
    if (name) keys.set(name, (keys.get(name) ?? new Set()).add(key));
  };
  use(a.smtp?.passwordSecret, ALERT_SECRET_KEYS.smtp);
  for (const r of a.receivers) {
    use(r.telegram?.botTokenSecret, ALERT_SECRET_KEYS.telegram);
    use(r.webhook?.tokenSecret, ALERT_SECRET_KEYS.webhook);
  }
  return [...keys].map(([name, k]) => ({ name, namespace: MONITORING_NAMESPACE, keys: [...k].sort(), usedBy: 'Alertmanager (alertmanager.alertmanagerSpec.secrets)' }));
}

/**
 * Alertmanager's values: replicas, and with receivers the whole routing config (the chart's
 * default sends everything to the receiver "null"). Credentials are files from mounted Secrets
 * (`*_file` fields), never values. Matchers need no `$`, which Argo CD would interpolate.
 */
export function alertmanagerValues(spec: ClusterSpec): Record<string, unknown> {
  const a = spec.observability.alertmanager;
  const secrets = alertmanagerSecrets(spec).map((s) => s.name);
  const alertmanagerSpec = { replicas: a.replicas, ...(secrets.length ? { secrets } : {}) };
  if (!a.receivers.length) return { alertmanagerSpec };
  const teamNamespaces = (team: string) => spec.teams.find((t) => t.name === team)?.namespaces ?? [];
  const smtp = a.smtp;
  return {
    alertmanagerSpec,
    config: {
      // Merged by Helm into the chart's global (resolve_timeout).
      ...(smtp ? {
        global: {
          smtp_smarthost: smtp.smarthost, smtp_from: smtp.from, smtp_require_tls: smtp.requireTls,
          ...(smtp.username && smtp.passwordSecret
            ? { smtp_auth_username: smtp.username, smtp_auth_password_file: alertmanagerSecretFile(smtp.passwordSecret, ALERT_SECRET_KEYS.smtp) }
            : {}),
        },
      } : {}),
      route: {
        receiver: a.defaultReceiver ?? a.receivers[0].name,
        routes: [
          // The chart's: Watchdog fires always (a dead man's switch for an outside heartbeat).
          { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
          ...a.routes.map((r) => ({
            receiver: r.receiver,
            matchers: [
              ...(r.severity ? [`severity =~ "${r.severity.join('|')}"`] : []),
              ...(r.team ? [`namespace =~ "${teamNamespaces(r.team).join('|')}"`] : []),
            ],
            ...(r.continue ? { continue: true } : {}),
          })),
        ],
      },
      receivers: [
        { name: 'null' },
        ...a.receivers.map((r) => ({
          name: r.name,
          ...(r.email ? { email_configs: r.email.map((to) => ({ to, send_resolved: true })) } : {}),
          ...(r.telegram ? {
            telegram_configs: [{
              chat_id: r.telegram.chatId, send_resolved: true,
              bot_token_file: alertmanagerSecretFile(r.telegram.botTokenSecret, ALERT_SECRET_KEYS.telegram),
            }],
          } : {}),
          ...(r.webhook ? {
            webhook_configs: [{
              url: r.webhook.url, send_resolved: true,
              ...(r.webhook.tokenSecret
                ? { http_config: { authorization: { type: 'Bearer', credentials_file: alertmanagerSecretFile(r.webhook.tokenSecret, ALERT_SECRET_KEYS.webhook) } } }
                : {}),
            }],
          } : {}),
        })),
      ],
    },
  };
}

/**
 * For the collectors whose whole configuration is ours (`alternateConfig`): the health check the
 * chart's probes call, and the collector's own metrics on 8888 for its ServiceMonitor. No
 * `${env:...}` in values (Argo CD substitutes `$` variables in Helm input): listen on all addresses.
 */
const HEALTH_CHECK = { health_check: { endpoint: '0.0.0.0:13133' } };
const OWN_TELEMETRY = {
  extensions: ['health_check'],
  telemetry: { metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }] } },
};
/** The chart's receiver ports, all off: each collector turns on what it receives. */
const NO_RECEIVER_PORTS = Object.fromEntries(['otlp', 'otlp-http', 'jaeger-compact', 'jaeger-thrift', 'jaeger-grpc', 'zipkin'].map((p) => [p, { enabled: false }]));

/** Release (and Application) name of the node-level log collector. */
export const CONTAINER_LOGS_RELEASE = 'opentelemetry-collector-logs';

/**
 * Container logs from every node: a second collector release as a DaemonSet with the chart's
 * logsCollection preset (filelog on /var/log/pods, CRI parsing, checkpoints under
 * /var/lib/otelcol so a restart neither loses nor repeats lines) and kubernetesAttributes (pod,
 * namespace, workload; each agent asks only about its own node's pods), sent to Loki over OTLP.
 *
 * It runs in the node agents' namespace (MONITORING_AGENTS_NAMESPACE), neither in opentelemetry nor
 * in monitoring: reading the nodes' log files needs hostPath volumes and root, which only the
 * privileged Pod Security level admits, and beside the OTLP gateway (which every service talks
 * to) or the monitoring servers it would make their namespace privileged too.
 */
function containerLogCollector(spec: ClusterSpec): PlatformComponent {
  const processors = ['memory_limiter', 'k8sattributes', 'resource', 'batch'];
  return {
    name: CONTAINER_LOGS_RELEASE,
    namespace: MONITORING_AGENTS_NAMESPACE,
    helm: {
      chart: CHARTS.otelCollector,
      releaseName: CONTAINER_LOGS_RELEASE,
      wave: WAVES.operatorsExtras,
      values: {
        mode: 'daemonset',
        ...collectorImage(spec),
        presets: {
          logsCollection: { enabled: true, storeCheckpoints: true },
          kubernetesAttributes: { enabled: true },
        },
        // Every node, tainted ones (control plane, dedicated pools) included.
        tolerations: [{ operator: 'Exists' }],
        // It receives nothing: no host ports (the chart's default opens OTLP, Jaeger and Zipkin on
        // every node). Only its own metrics, scraped by Prometheus.
        ports: { ...NO_RECEIVER_PORTS, metrics: { enabled: true } },
        serviceMonitor: { enabled: true },
        // The whole configuration (the chart's `config` would add the OTLP, Jaeger, Zipkin and
        // Prometheus receivers and debug pipelines); the presets still add filelog and k8sattributes.
        // No `${env:...}` in values (Argo CD substitutes `$` variables in Helm input): listen on all addresses.
        alternateConfig: {
          extensions: HEALTH_CHECK,
          receivers: {},
          processors: { batch: {}, memory_limiter: memoryLimiter, resource: clusterResource(spec) },
          exporters: { 'otlphttp/loki': lokiExporter },
          service: {
            ...OWN_TELEMETRY,
            pipelines: { logs: { receivers: [], processors, exporters: ['otlphttp/loki'] } },
          },
        },
      },
    },
  };
}

/**
 * What the browser collector keeps of each item: attribute counts and value lengths (OTTL `limit`
 * and `truncate_all`), and log bodies up to 4 KiB. A page's script is anyone's to write; these make
 * one request cost the backends a bounded amount, whatever it carries.
 */
export const BROWSER_LIMITS = { resourceAttributes: 32, attributes: 64, pointAttributes: 16, valueLength: 1024, logBody: 4096 } as const;

const limitStatements = (count: number, length: number) => [`limit(attributes, ${count}, [])`, `truncate_all(attributes, ${length})`];

/**
 * The OTLP/HTTP endpoint for browsers (observability.browserTelemetry): a third release of the
 * collector chart in the opentelemetry namespace, separate from the services' gateway so that
 * the public, unauthenticated traffic neither shares its memory and queues nor reaches its
 * OTLP/gRPC port. Its one receiver is OTLP/HTTP with CORS for the cluster's own pages only and a
 * 1 MiB body limit; memory_limiter first, then the size limits, then the resource: Kubernetes
 * attributes a page may have claimed are dropped, and the cluster, the environment and
 * `telemetry.source=browser` are set. It exports straight to Tempo, Loki and Prometheus, as the
 * gateway does (passing through the gateway would stamp the gateway pod's Kubernetes metadata on
 * browser data). The ingress routes only the three OTLP paths to it, with TLS and a rate limit
 * (charts/ingress.ts).
 */
function browserCollector(spec: ClusterSpec): PlatformComponent {
  const b = spec.observability.browserTelemetry;
  const backends = backendExporters(spec);
  const L = BROWSER_LIMITS;
  const processors = ['memory_limiter', 'transform/limits', 'resource/browser', 'batch'];
  const pipeline = (exporters: string[]) => ({ receivers: ['otlp'], processors, exporters });
  const resource = { context: 'resource', statements: limitStatements(L.resourceAttributes, L.valueLength) };
  return {
    name: BROWSER_COLLECTOR_RELEASE,
    namespace: OTEL_NAMESPACE,
    helm: {
      chart: CHARTS.otelCollector,
      releaseName: BROWSER_COLLECTOR_RELEASE,
      wave: WAVES.operatorsExtras,
      values: {
        mode: 'deployment',
        replicaCount: b.replicas,
        ...collectorImage(spec),
        // A memory limit makes memory_limiter's percentages (and the chart's GOMEMLIMIT) mean
        // something: without one they are shares of the node's memory.
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        ports: { ...NO_RECEIVER_PORTS, 'otlp-http': { enabled: true, containerPort: BROWSER_OTLP_PORT, servicePort: BROWSER_OTLP_PORT, protocol: 'TCP' }, metrics: { enabled: true } },
        serviceMonitor: { enabled: true },
        alternateConfig: {
          extensions: HEALTH_CHECK,
          receivers: {
            otlp: {
              protocols: {
                http: {
                  endpoint: `0.0.0.0:${BROWSER_OTLP_PORT}`,
                  max_request_body_size: BROWSER_MAX_REQUEST_BYTES,
                  // Content-Type is always allowed; no other header (no credentials from pages).
                  cors: { allowed_origins: browserOrigins(spec), max_age: 7200 },
                },
              },
            },
          },
          processors: {
            memory_limiter: memoryLimiter,
            'transform/limits': {
              error_mode: 'ignore',
              trace_statements: [
                resource,
                { context: 'span', statements: limitStatements(L.attributes, L.valueLength) },
                { context: 'spanevent', statements: limitStatements(L.attributes, L.valueLength) },
              ],
              metric_statements: [resource, { context: 'datapoint', statements: limitStatements(L.pointAttributes, L.valueLength) }],
              log_statements: [
                resource,
                { context: 'log', statements: [...limitStatements(L.attributes, L.valueLength), `set(body, Substring(body, 0, ${L.logBody})) where IsString(body) and Len(body) > ${L.logBody}`] },
              ],
            },
            'resource/browser': {
              attributes: [
                // A page is no pod: whatever k8s.* it sends would pass for the platform's metadata.
                { pattern: '^k8s\\..*', action: 'delete' },
                ...clusterResource(spec).attributes,
                { ...BROWSER_SOURCE_ATTRIBUTE, action: 'upsert' },
              ],
            },
            batch: {},
          },
          exporters: backends.exporters,
          service: {
            ...OWN_TELEMETRY,
            pipelines: {
              traces: pipeline(backends.bySignal.traces),
              metrics: pipeline(backends.bySignal.metrics),
              logs: pipeline(backends.bySignal.logs),
            },
          },
        },
      },
    },
  };
}
