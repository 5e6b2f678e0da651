import { PROMETHEUS_SERVICE } from '../../charts/monitoring.js';
import { find, objectsFor, valuesOf } from './helpers.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const dev = { cloud: 'onprem', infrastructure: 'baremetal', ...ONPREM_SITE, environment: 'dev', domain: 'dev.localhost', ingress: { kind: 'traefik' }, dns: { provider: 'none' }, tls: { issuer: 'self-signed' } };
const prodObjects = objectsFor();
const devObjects = objectsFor(dev);

describe('kube-prometheus-stack', () => {
  const kps = (objects: any[]) => valuesOf(objects, 'kube-prometheus-stack');

  test('is applied server-side (its CRDs exceed the annotation limit) and picks up every ServiceMonitor, not only release-labelled ones', () => {
    expect(find(prodObjects, 'Application', 'kube-prometheus-stack').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    const p = kps(prodObjects).prometheus.prometheusSpec;
    for (const k of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) expect(p[`${k}SelectorNilUsesHelmValues`]).toBe(false);
  });

  test('dev keeps 2 days in an emptyDir; prod keeps 30 days on 100Gi volumes with two replicas', () => {
    expect([kps(devObjects).prometheus.prometheusSpec.retention, kps(devObjects).prometheus.prometheusSpec.storageSpec]).toEqual(['2d', undefined]);
    const p = kps(prodObjects).prometheus.prometheusSpec;
    expect([p.retention, p.replicas, p.storageSpec.volumeClaimTemplate.spec.resources.requests.storage]).toEqual(['30d', 2, '100Gi']);
    expect(kps(prodObjects).alertmanager.alertmanagerSpec.replicas).toBe(3);
    expect([kps(devObjects).grafana.persistence.enabled, kps(prodObjects).grafana.persistence.size]).toEqual([false, '10Gi']);
  });

  test('Grafana loads dashboards from labelled ConfigMaps of every namespace, with Loki and Tempo datasources wired by values', () => {
    const g = kps(prodObjects).grafana;
    expect(g.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL', folderAnnotation: 'grafana_folder' });
    expect(g.additionalDataSources.map((d: any) => [d.type, d.url])).toEqual([['loki', 'http://loki-gateway.monitoring.svc'], ['tempo', 'http://tempo.monitoring.svc:3200']]);
    expect(g.admin.existingSecret).toBe('grafana-admin');
  });
});

describe('Loki and Tempo', () => {
  test('dev: Monolithic Loki and Tempo on their own volumes', () => {
    const l = valuesOf(devObjects, 'loki');
    expect([l.deploymentMode, l.singleBinary.replicas, l.loki.storage.type]).toEqual(['Monolithic', 1, 'filesystem']);
    expect(valuesOf(devObjects, 'tempo').tempo.storage.trace.backend).toBe('local');
  });

  test('prod: three Monolithic Loki replicas on the cloud\'s S3, keys from a Secret as the AWS env vars (no ${VAR} for Argo CD to substitute), retention in hours', () => {
    const l = valuesOf(prodObjects, 'loki');
    expect([l.singleBinary.replicas, l.loki.commonConfig.replication_factor, l.loki.limits_config.retention_period]).toEqual([3, 3, '720h']);
    expect(l.loki.storage.s3).toMatchObject({ endpoint: 'https://hb.ru-msk.vkcloud-storage.ru', region: 'ru-msk', s3ForcePathStyle: true });
    expect(l.loki.storage.s3.accessKeyId).toBeUndefined();
    expect(l.loki.storage.bucketNames.chunks).toBe('c1-loki');
    expect(l.singleBinary.extraEnv[0]).toEqual({ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'loki-s3', key: 'access_key_id' } } });
    expect(JSON.stringify(valuesOf(prodObjects, 'loki')) + JSON.stringify(valuesOf(prodObjects, 'tempo'))).not.toContain('${');
    const t = valuesOf(prodObjects, 'tempo').tempo;
    expect([t.storage.trace.backend, t.storage.trace.s3.endpoint, t.retention]).toEqual(['s3', 'hb.ru-msk.vkcloud-storage.ru', '336h']);
  });

  test('Distributed Loki gets its components and no single binary', () => {
    const l = valuesOf(objectsFor({ observability: { loki: { mode: 'Distributed' } } }), 'loki');
    expect([l.deploymentMode, l.singleBinary.replicas, l.ingester.replicas]).toEqual(['Distributed', 0, 3]);
  });
});

describe('OpenTelemetry Collector', () => {
  test('sets the two values the chart requires, and forwards traces to Tempo, logs to Loki, metrics to Prometheus', () => {
    const v = valuesOf(prodObjects, 'opentelemetry-collector');
    expect(v.mode).toBe('deployment');
    expect(v.image.repository).toBe('ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s');
    const p = v.config.service.pipelines;
    expect([p.traces.exporters, p.logs.exporters, p.metrics.exporters]).toEqual([['otlp/tempo'], ['otlphttp/loki'], ['otlphttp/prometheus-0', 'otlphttp/prometheus-1']]);
    // Each Prometheus replica by its pod name (test/operability/prometheus-ha.test.ts).
    expect(v.config.exporters['otlphttp/prometheus-0'].endpoint).toBe(`http://prometheus-${PROMETHEUS_SERVICE}-0.prometheus-operated.monitoring.svc:9090/api/v1/otlp`);
    expect(valuesOf(prodObjects, 'kube-prometheus-stack').prometheus.prometheusSpec.enableOTLPReceiver).toBe(true);
  });
});

describe('Vault', () => {
  test('prod: three raft replicas (HA); dev: one; injector and CSI provider per overlay', () => {
    expect(valuesOf(prodObjects, 'vault').server.ha).toMatchObject({ enabled: true, replicas: 3, raft: { enabled: true } });
    expect(valuesOf(devObjects, 'vault').server.ha.replicas).toBe(1);
    const v = valuesOf(objectsFor({ vault: { injector: false, csi: false }, teams: [] }), 'vault');
    expect([v.injector.enabled, v.csi.enabled]).toEqual([false, false]);
  });

  test('the raft config joins every replica', () => {
    const hcl: string = valuesOf(prodObjects, 'vault').server.ha.raft.config;
    expect(hcl.match(/leader_api_addr = "[^"]+"/g)).toEqual([0, 1, 2].map((i) => `leader_api_addr = "https://vault-${i}.vault-internal:8200"`));
  });

  test('the Secrets Store CSI driver comes with the CSI provider, in its own namespace, and may create CSIDriver', () => {
    expect(find(prodObjects, 'Application', 'secrets-store-csi-driver').spec.destination.namespace).toBe('secrets-store-csi');
    const allowed = find(prodObjects, 'AppProject', 'platform').spec.clusterResourceWhitelist;
    expect(allowed).toContainEqual({ group: 'storage.k8s.io', kind: 'CSIDriver' });
    expect(find(objectsFor({ vault: { csi: false }, teams: [] }), 'Application', 'secrets-store-csi-driver')).toBeUndefined();
  });

  test('the roles ConfigMap holds the platform roles and one per service, applied by a PostSync Job', () => {
    const cm = find(prodObjects, 'ConfigMap', 'vault-kubernetes-roles', 'vault');
    expect(Object.keys(cm.data).sort()).toEqual([
      'platform-raft-snapshot.policy.hcl', 'platform-raft-snapshot.role.json', 'platform-vault-config.policy.hcl', 'platform-vault-config.role.json',
      'storefront-storefront-api.policy.hcl', 'storefront-storefront-api.role.json',
    ]);
    expect(JSON.parse(cm.data['storefront-storefront-api.role.json']).bound_service_account_names).toEqual(['storefront-api']);
    expect(find(prodObjects, 'Job', 'vault-config', 'vault').metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
  });

  test('the raft snapshot CronJob saves with the Vault CLI and uploads to the cloud\'s store under the cluster\'s prefix', () => {
    const job = find(prodObjects, 'CronJob', 'vault-raft-snapshot', 'vault').spec.jobTemplate.spec.template.spec;
    expect(job.initContainers[0].args[0]).toContain('vault operator raft snapshot save');
    expect(job.containers[0].args).toEqual(['s3', 'cp', '--recursive', '/snapshots/', 's3://platform-vault-snapshots/c1/vault/', '--endpoint-url', 'https://hb.ru-msk.vkcloud-storage.ru', '--region', 'ru-msk']);
    expect(job.volumes.find((v: any) => v.name === 'credentials').secret.secretName).toBe('vault-snapshot-s3');
  });
});

describe('Velero', () => {
  test('the BackupStorageLocation is the cloud\'s S3 store with the per-cloud endpoint, the cluster\'s prefix and no checksum', () => {
    const loc = (objects: any[]) => find(objects, 'BackupStorageLocation', 'default', 'velero').spec;
    expect(loc(prodObjects)).toEqual({
      provider: 'aws', default: true, objectStorage: { bucket: 'platform-velero', prefix: 'c1' },
      credential: { name: 'velero-s3', key: 'cloud' },
      config: { region: 'ru-msk', s3Url: 'https://hb.ru-msk.vkcloud-storage.ru', s3ForcePathStyle: 'true', checksumAlgorithm: '' },
    });
    expect(loc(objectsFor({ cloud: 'sber' })).config.s3Url).toBe('https://obs.ru-moscow-1.hc.sbercloud.ru');
    expect(loc(devObjects).config).toMatchObject({ s3Url: 'https://s3.corp.company.ru', region: 'msk-dc1' });
  });

  test('Schedules for the vault and monitoring namespaces keep backups 30 days in prod and 3 in dev', () => {
    const ttl = (objects: any[], name: string) => find(objects, 'Schedule', name, 'velero').spec.template.ttl;
    expect([ttl(prodObjects, 'vault'), ttl(prodObjects, 'monitoring'), ttl(devObjects, 'vault')]).toEqual(['720h0m0s', '720h0m0s', '72h0m0s']);
    expect(find(prodObjects, 'Schedule', 'monitoring', 'velero').spec.template).toMatchObject({ includedNamespaces: ['monitoring'], defaultVolumesToFsBackup: false });
  });

  test('Prometheus and Grafana opt their volumes into the file-system backup; without volumes (dev) nothing opts in', () => {
    const kps = valuesOf(prodObjects, 'kube-prometheus-stack');
    expect(kps.prometheus.prometheusSpec.podMetadata.annotations).toEqual({ 'backup.velero.io/backup-volumes': 'prometheus-kube-prometheus-stack-prometheus-db' });
    expect(kps.grafana.podAnnotations).toEqual({ 'backup.velero.io/backup-volumes': 'storage' });
    expect(valuesOf(devObjects, 'kube-prometheus-stack').prometheus.prometheusSpec.podMetadata).toBeUndefined();
    expect(valuesOf(prodObjects, 'velero').deployNodeAgent).toBe(true);
  });

  test('installs the pinned AWS plugin as an init container', () => {
    expect(valuesOf(prodObjects, 'velero').initContainers[0].image).toBe('velero/velero-plugin-for-aws:v1.14.0');
  });
});

describe('OpenCost', () => {
  test('reads the stack\'s Prometheus and prices the cloud from the overlay', () => {
    const o = valuesOf(prodObjects, 'opencost').opencost;
    expect(o.prometheus.internal).toEqual({ enabled: true, serviceName: 'kube-prometheus-stack-prometheus', namespaceName: 'monitoring', port: 9090 });
    expect(o.customPricing.costModel).toMatchObject({ CPU: '0.99', RAM: '0.28' });
    expect(valuesOf(objectsFor({ cost: { cpuHour: 2.5 } }), 'opencost').opencost.customPricing.costModel.CPU).toBe('2.5');
    expect(o.metrics.serviceMonitor.enabled).toBe(true);
  });
});

describe('the example backend', () => {
  test('gets a ServiceMonitor, a ServiceAccount and a SecretProviderClass in its team\'s namespace, synced by the platform project', () => {
    // Exactly these, besides the RoleBindings of Argo CD's controller and server every managed namespace gets.
    expect(prodObjects.filter((o) => o.metadata?.namespace === 'storefront').map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'RoleBinding/argocd-namespace-manager', 'RoleBinding/argocd-server-namespace', 'SecretProviderClass/storefront-api-vault', 'ServiceAccount/storefront-api', 'ServiceMonitor/storefront-api',
    ]);
    const app = find(prodObjects, 'Application', 'services-storefront');
    expect([app.spec.project, app.spec.destination.namespace]).toEqual(['platform', 'storefront']);
    expect(find(prodObjects, 'AppProject', 'platform').spec.destinations.map((d: any) => d.namespace)).toContain('storefront');
    expect(find(prodObjects, 'AppProject', 'platform').spec.destinations.map((d: any) => d.namespace)).not.toContain('payments');
  });
});

describe('backup alerts', () => {
  test('Prometheus alerts when a Schedule or the raft snapshot has not succeeded in time', () => {
    const groups = valuesOf(prodObjects, 'kube-prometheus-stack').additionalPrometheusRulesMap['platform-backups'].groups;
    expect(groups[0].rules.map((r: any) => r.alert)).toEqual(['VeleroBackupTooOld', 'VeleroBackupFailed', 'VaultRaftSnapshotTooOld']);
    // The CronJob the alert watches is the one the vault chart renders.
    expect(groups[0].rules[2].expr).toContain(`cronjob="${find(prodObjects, 'CronJob', 'vault-raft-snapshot', 'vault').metadata.name}"`);
  });
});

describe('cluster-scoped kinds', () => {
  test('the platform project allows the kinds of the new components', () => {
    const allowed = find(prodObjects, 'AppProject', 'platform').spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`);
    expect(allowed).toEqual(expect.arrayContaining(['storage.k8s.io/CSIDriver', 'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'apiextensions.k8s.io/CustomResourceDefinition']));
  });
});

describe('Helm values and Argo CD', () => {
  test('no value of these Applications holds a "$": Argo CD interpolates build variables in Helm input', () => {
    const apps = ['kube-prometheus-stack', 'loki', 'tempo', 'opentelemetry-collector', 'vault', 'secrets-store-csi-driver', 'velero', 'opencost'];
    for (const app of apps) expect([app, JSON.stringify(valuesOf(prodObjects, app)).includes('$')]).toEqual([app, false]);
  });
});
