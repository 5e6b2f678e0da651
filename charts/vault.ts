import type { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CHARTS, IMAGES } from '../catalog/versions.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent } from './component.js';
import { vaultServices } from './services.js';

export const VAULT_NAMESPACE = 'vault';
export const CSI_NAMESPACE = 'secrets-store-csi';
/** The active node's Service (the chart creates it in HA mode, which raft always uses here). */
export const VAULT_ADDR = `http://vault-active.${VAULT_NAMESPACE}.svc:8200`;
/** ConfigMap holding every Vault policy and Kubernetes-auth role the cluster needs, applied by the vault-config Job. */
export const VAULT_ROLES_CONFIGMAP = 'vault-kubernetes-roles';
/** Platform roles: the Job that applies the ConfigMap, and the raft snapshot CronJob. */
export const PLATFORM_VAULT_ROLES = { config: 'platform-vault-config', snapshot: 'platform-raft-snapshot' } as const;


const TOKEN_PATH = '/var/run/secrets/vault/token';

/** Vault (raft; HA in prod; injector and CSI provider per overlay) and the Secrets Store CSI driver. */
export function vaultComponents(spec: ClusterSpec): PlatformComponent[] {
  const v = spec.vault;
  const prod = spec.environment === 'prod';
  const sc = spec.observability.storageClass;
  const vault: PlatformComponent = {
    name: 'vault',
    namespace: VAULT_NAMESPACE,
    helm: {
      chart: CHARTS.vault,
      wave: WAVES.operators,
      values: {
        global: { enabled: true },
        injector: { enabled: v.injector, replicas: prod && v.injector ? 2 : 1 },
        csi: { enabled: v.csi },
        server: {
          // Raft in every environment (one node in dev): snapshots and restores work the same everywhere.
          ha: { enabled: true, replicas: v.replicas, raft: { enabled: true, setNodeId: true, config: raftConfig(v.replicas) } },
          dataStorage: { enabled: true, size: v.storage, ...(sc ? { storageClass: sc } : {}) },
          // TokenReview for the Kubernetes auth method.
          authDelegator: { enabled: true },
        },
        ui: { enabled: true },
      },
    },
    // auth-delegator ClusterRoleBinding and the CSI provider's ClusterRole; the injector's
    // MutatingWebhookConfiguration only with the injector.
    secrets: [{ name: v.snapshots.credentials.name, namespace: VAULT_NAMESPACE, keys: [v.snapshots.credentials.key], usedBy: 'CronJob vault-raft-snapshot (upload)' }],
    addObjects: (chart, s) => addVaultObjects(chart, s),
    objectsSyncOptions: ['SkipDryRunOnMissingResource=true'],
  };
  if (!v.csi) return [vault];
  return [
    {
      name: 'secrets-store-csi-driver',
      namespace: CSI_NAMESPACE,
      helm: {
        chart: CHARTS.secretsStoreCsi,
        wave: WAVES.operators,
        values: {
          // secretObjects (sync to a Kubernetes Secret) stays off: secrets live in files only.
          syncSecret: { enabled: false },
          enableSecretRotation: true,
          rotationPollInterval: '2m',
        },
      },
    },
    vault,
  ];
}

function raftConfig(replicas: number): string {
  const joins = Array.from({ length: replicas }, (_, i) => `  retry_join {\n    leader_api_addr = "http://vault-${i}.vault-internal:8200"\n  }\n`).join('');
  return [
    'ui = true',
    // Plaintext inside the cluster (U: TLS from cert-manager once the mesh decision is made).
    'listener "tcp" {\n  tls_disable = 1\n  address = "[::]:8200"\n  cluster_address = "[::]:8201"\n}',
    `storage "raft" {\n  path = "/vault/data"\n${joins}}`,
    'service_registration "kubernetes" {}',
    '',
  ].join('\n');
}

/** A Vault role and policy as data: `vault write auth/<mount>/role/<name> @<name>.role.json`, `vault policy write <name> <name>.policy.hcl`. */
export interface VaultRoleData {
  readonly name: string;
  readonly role: Record<string, unknown>;
  readonly policy: string;
}

/** Every role the cluster needs in Vault: the platform's two, and one per service with vault secrets. */
export function vaultRoles(spec: ClusterSpec): VaultRoleData[] {
  const platform = (name: string, sa: string, policy: string): VaultRoleData => ({
    name,
    role: { bound_service_account_names: [sa], bound_service_account_namespaces: [VAULT_NAMESPACE], audience: 'vault', token_policies: [name], token_ttl: '15m' },
    policy,
  });
  return [
    platform(PLATFORM_VAULT_ROLES.config, 'vault-config',
      'path "sys/policies/acl/*" {\n  capabilities = ["create", "read", "update", "list"]\n}\n\n'
      + `path "auth/${spec.vault.kubernetesMountPath}/role/*" {\n  capabilities = ["create", "read", "update", "list"]\n}\n`),
    platform(PLATFORM_VAULT_ROLES.snapshot, 'vault-snapshot', 'path "sys/storage/raft/snapshot" {\n  capabilities = ["read"]\n}\n'),
    ...vaultServices(spec).map((s) => ({ name: s.role, role: s.vaultRole, policy: s.vaultPolicy })),
  ];
}

const loginScript = (role: string, mount: string) =>
  `export VAULT_TOKEN="$(vault write -field=token auth/${mount}/login role=${role} jwt=@${TOKEN_PATH})"`;

/** A projected token for Vault's audience (the roles require it), short-lived. */
const tokenVolume = { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }] } };
const tokenMount = { name: 'vault-token', mountPath: '/var/run/secrets/vault', readOnly: true };
const restricted = { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 100, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
const small = { requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') }, limits: { memory: k8s.Quantity.fromString('256Mi') } };
const vaultImage = `${IMAGES.vault.repository}:${IMAGES.vault.tag}`;

function addVaultObjects(chart: Chart, spec: ClusterSpec): void {
  const mount = spec.vault.kubernetesMountPath;
  const roles = vaultRoles(spec);
  const data: Record<string, string> = {};
  for (const r of roles) {
    data[`${r.name}.policy.hcl`] = r.policy;
    data[`${r.name}.role.json`] = `${JSON.stringify(r.role, null, 2)}\n`;
  }
  new k8s.KubeConfigMap(chart, 'roles', { metadata: { name: VAULT_ROLES_CONFIGMAP, namespace: VAULT_NAMESPACE }, data });

  for (const sa of ['vault-config', 'vault-snapshot']) {
    new k8s.KubeServiceAccount(chart, `sa-${sa}`, { metadata: { name: sa, namespace: VAULT_NAMESPACE } });
  }

  // Applies the policies and roles after every sync (Argo CD PostSync hook, replaced on each run).
  new k8s.KubeJob(chart, 'config-job', {
    metadata: {
      name: 'vault-config',
      namespace: VAULT_NAMESPACE,
      annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
    },
    spec: {
      backoffLimit: 3,
      template: {
        spec: {
          serviceAccountName: 'vault-config',
          restartPolicy: 'OnFailure',
          containers: [{
            name: 'apply',
            image: vaultImage,
            command: ['/bin/sh', '-ec'],
            args: [[
              loginScript(PLATFORM_VAULT_ROLES.config, mount),
              'for f in /config/*.policy.hcl; do vault policy write "$(basename "$f" .policy.hcl)" "$f"; done',
              `for f in /config/*.role.json; do vault write "auth/${mount}/role/$(basename "$f" .role.json)" "@$f"; done`,
            ].join('\n')],
            env: [{ name: 'VAULT_ADDR', value: VAULT_ADDR }],
            volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }, tokenMount],
            securityContext: restricted,
            resources: small,
          }],
          volumes: [{ name: 'config', configMap: { name: VAULT_ROLES_CONFIGMAP } }, tokenVolume],
        },
      },
    },
  });

  const snap = spec.vault.snapshots;
  new k8s.KubeCronJob(chart, 'snapshot', {
    metadata: { name: 'vault-raft-snapshot', namespace: VAULT_NAMESPACE },
    spec: {
      schedule: snap.schedule,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            spec: {
              serviceAccountName: 'vault-snapshot',
              restartPolicy: 'OnFailure',
              // Save first (Vault CLI), then upload (AWS CLI): neither image has the other's tool.
              initContainers: [{
                name: 'save',
                image: vaultImage,
                command: ['/bin/sh', '-ec'],
                args: [[
                  loginScript(PLATFORM_VAULT_ROLES.snapshot, mount),
                  'vault operator raft snapshot save "/snapshots/vault-$(date -u +%Y%m%dT%H%M%SZ).snap"',
                ].join('\n')],
                env: [{ name: 'VAULT_ADDR', value: VAULT_ADDR }],
                volumeMounts: [{ name: 'snapshots', mountPath: '/snapshots' }, tokenMount],
                securityContext: restricted,
                resources: small,
              }],
              containers: [{
                name: 'upload',
                image: `${IMAGES.awsCli.repository}:${IMAGES.awsCli.tag}`,
                args: ['s3', 'cp', '--recursive', '/snapshots/', `s3://${snap.bucket}/${spec.name}/vault/`, '--endpoint-url', spec.objectStorage.endpoint, '--region', spec.objectStorage.region],
                env: [
                  { name: 'AWS_SHARED_CREDENTIALS_FILE', value: `/credentials/${snap.credentials.key}` },
                  // Non-AWS stores reject the newer default checksums (the same trap as Velero's plugin).
                  { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' },
                  { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' },
                  { name: 'HOME', value: '/tmp' },
                ],
                volumeMounts: [{ name: 'snapshots', mountPath: '/snapshots', readOnly: true }, { name: 'credentials', mountPath: '/credentials', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
                securityContext: { ...restricted, runAsUser: 1000 },
                resources: small,
              }],
              volumes: [
                { name: 'snapshots', emptyDir: {} },
                { name: 'tmp', emptyDir: {} },
                { name: 'credentials', secret: { secretName: snap.credentials.name } },
                tokenVolume,
              ],
            },
          },
        },
      },
    },
  });
}
