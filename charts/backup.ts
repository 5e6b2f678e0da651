import type { Chart } from 'cdk8s';
import { CHARTS, IMAGES } from '../catalog/versions.js';
import { BackupStorageLocation, Schedule } from '../imports/velero.io.js';
import { retentionHours } from '../spec/observability.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent } from './component.js';
import { MONITORING_NAMESPACE } from './monitoring.js';
import { VAULT_NAMESPACE } from './vault.js';

export const VELERO_NAMESPACE = 'velero';
export const BACKUP_LOCATION = 'default';

/**
 * The stateful components of the seed (§6) and the namespace each one's Schedule covers. Vault's
 * data is in its raft snapshots (charts/vault.ts); the Schedule keeps its Kubernetes objects.
 * Prometheus and Grafana keep their volumes: their pods name them for Velero's file-system
 * backup (charts/monitoring.ts), so Loki's and Tempo's volumes in the same namespace are skipped.
 */
export const BACKED_UP = [
  { schedule: 'vault', namespace: VAULT_NAMESPACE, components: ['Vault'] },
  { schedule: 'monitoring', namespace: MONITORING_NAMESPACE, components: ['Prometheus', 'Grafana'] },
] as const;

/** Velero with the cloud's S3-compatible store as its BackupStorageLocation, and one Schedule per stateful namespace. */
export function backupComponent(spec: ClusterSpec): PlatformComponent {
  const b = spec.backup;
  return {
    name: 'velero',
    namespace: VELERO_NAMESPACE,
    helm: {
      chart: CHARTS.velero,
      wave: WAVES.operators,
      // Velero's CRDs come from the chart's crds/ folder; the upgrade Job would need a kubectl image.
      serverSideApply: true,
      values: {
        upgradeCRDs: false,
        initContainers: [{
          name: 'velero-plugin-for-aws',
          image: `${IMAGES.veleroPluginForAws.repository}:${IMAGES.veleroPluginForAws.tag}`,
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        }],
        // The location and the Schedules are rendered as objects (velero folder), not by the chart.
        configuration: { backupStorageLocation: [], volumeSnapshotLocation: [], uploaderType: 'kopia', defaultVolumesToFsBackup: false },
        // The kopia node agent copies the volumes pods opt in (Prometheus, Grafana).
        credentials: { useSecret: true, existingSecret: b.credentials.name },
        snapshotsEnabled: false,
        deployNodeAgent: b.volumes,
        metrics: { enabled: true, serviceMonitor: { enabled: true } },
      },
    },
    secrets: [{ name: b.credentials.name, namespace: VELERO_NAMESPACE, keys: [b.credentials.key], usedBy: 'Velero (BackupStorageLocation default)' }],
    addObjects: (chart, s) => addBackupObjects(chart, s),
    objectsWave: WAVES.operatorsExtras,
    objectsSyncOptions: ['SkipDryRunOnMissingResource=true'],
  };
}

function addBackupObjects(chart: Chart, spec: ClusterSpec): void {
  const b = spec.backup;
  const store = spec.objectStorage;
  new BackupStorageLocation(chart, 'location', {
    metadata: { name: BACKUP_LOCATION, namespace: VELERO_NAMESPACE },
    spec: {
      provider: 'aws',
      default: true,
      objectStorage: { bucket: b.bucket, prefix: spec.name },
      credential: { name: b.credentials.name, key: b.credentials.key },
      config: {
        region: store.region,
        s3Url: store.endpoint,
        s3ForcePathStyle: 'true',
        // aws-plugin ≥ 1.9.1 sends checksums that non-AWS stores (Ceph, MinIO, OBS) reject.
        checksumAlgorithm: '',
      },
    },
  });
  for (const t of BACKED_UP) {
    new Schedule(chart, `schedule-${t.schedule}`, {
      metadata: { name: t.schedule, namespace: VELERO_NAMESPACE, annotations: { 'platform.company.ru/backs-up': t.components.join(', ') } },
      spec: {
        schedule: b.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [t.namespace],
          storageLocation: BACKUP_LOCATION,
          ttl: `${retentionHours(b.retention)}h0m0s`,
          snapshotVolumes: false,
          // Opt-in: only volumes a pod names in backup.velero.io/backup-volumes.
          defaultVolumesToFsBackup: false,
        },
      },
    });
  }
}
