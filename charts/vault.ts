import type { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CHARTS, IMAGES } from '../catalog/versions.js';
import { Certificate } from '../constructs/certificate.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { VaultSeal } from '../spec/observability.js';
import { internalIssuer } from './cert-manager.js';
import { WAVES, type PlatformComponent } from './component.js';
import { restrictedContainer, SMALL_JOB_RESOURCES } from './job-pod.js';
import { vaultServices } from './services.js';

export const VAULT_NAMESPACE = 'vault';
export const CSI_NAMESPACE = 'secrets-store-csi';
/** The active node's Service (the chart creates it in HA mode, which raft always uses here). */
export const VAULT_ADDR = `https://vault-active.${VAULT_NAMESPACE}.svc:8200`;
/** The TLS Secret cert-manager writes for Vault's listener (tls.crt, tls.key, and ca.crt: the internal CA). */
export const VAULT_TLS_SECRET = 'vault-tls';
/** Where Vault and its platform clients mount that Secret (clients: ca.crt only). */
export const VAULT_TLS_DIR = '/vault/tls';
/** The CA every client of Vault trusts (VAULT_CACERT). */
export const VAULT_CA_FILE = `${VAULT_TLS_DIR}/ca.crt`;

/**
 * The names Vault is reached by, all in its serving certificate: the chart's Services (`vault`,
 * which the injector and the CSI provider's agent use; `vault-active`, which the platform's jobs
 * use; `vault-standby`), and each raft peer through the headless `vault-internal`
 * (`vault-N.vault-internal`, retry_join's leader_api_addr).
 */
export function vaultDnsNames(): string[] {
  const ns = VAULT_NAMESPACE;
  const services = ['vault', 'vault-active', 'vault-standby'].flatMap((svc) => [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`, `${svc}.${ns}.svc.cluster.local`]);
  return [...services, '*.vault-internal', `*.vault-internal.${ns}`, `*.vault-internal.${ns}.svc`, `*.vault-internal.${ns}.svc.cluster.local`];
}
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
  const seal = sealRendering(spec);
  const vault: PlatformComponent = {
    name: 'vault',
    namespace: VAULT_NAMESPACE,
    helm: {
      chart: CHARTS.vault,
      // With its Certificate (objectsWave): the CSI provider's pods mount the CA and are not
      // ready before cert-manager issued it, and the root waits for this wave to be Healthy.
      wave: WAVES.operatorsExtras,
      values: {
        // TLS: the chart's own URLs (the injector's AGENT_INJECT_VAULT_ADDR, the CSI agent's
        // address, the probes) become https://.
        global: { enabled: true, tlsDisable: false },
        injector: { enabled: v.injector, replicas: prod && v.injector ? 2 : 1 },
        // The CSI provider is a node agent (hostPath to the kubelet and the driver's socket
        // directory, which only the privileged level admits): it is a release of its own in the
        // driver's namespace (vaultCsiProvider), so that this namespace keeps the level the
        // servers and the injector need.
        csi: { enabled: false },
        server: {
          ...(seal.image ? { image: { repository: seal.image.repository, tag: seal.image.tag } } : {}),
          volumes: [
            { name: 'vault-tls', secret: { secretName: VAULT_TLS_SECRET, defaultMode: 0o440 } },
            { name: 'tls-reload', configMap: { name: TLS_RELOAD_CONFIGMAP } },
            ...seal.volumes,
          ],
          volumeMounts: [{ name: 'vault-tls', mountPath: VAULT_TLS_DIR, readOnly: true }, ...seal.volumeMounts],
          ...(seal.initContainers.length ? { extraInitContainers: seal.initContainers } : {}),
          ...(seal.extraArgs ? { extraArgs: seal.extraArgs } : {}),
          // Vault reads its certificate at start and on SIGHUP only: without this, a renewed
          // certificate would be served only after a restart, and the old one expire under it.
          shareProcessNamespace: true,
          extraContainers: [tlsReloader()],
          // For `vault` in the pod (operator init/unseal, the chart's VAULT_ADDR is https://127.0.0.1:8200):
          // trust the CA, and check the certificate against a name it carries instead of the IP.
          extraEnvironmentVars: { VAULT_CACERT: VAULT_CA_FILE, VAULT_TLS_SERVER_NAME: `vault.${VAULT_NAMESPACE}.svc` },
          // Raft in every environment (one node in dev): snapshots and restores work the same everywhere.
          ha: { enabled: true, replicas: v.replicas, raft: { enabled: true, setNodeId: true, config: raftConfig(v.replicas, seal.stanza) } },
          dataStorage: { enabled: true, size: v.storage, ...(sc ? { storageClass: sc } : {}) },
          // TokenReview for the Kubernetes auth method.
          authDelegator: { enabled: true },
        },
        ui: { enabled: true },
      },
    },
    // auth-delegator ClusterRoleBinding; the injector's MutatingWebhookConfiguration only with the injector.
    secrets: [
      { name: v.snapshots.credentials.name, namespace: VAULT_NAMESPACE, keys: [v.snapshots.credentials.key], usedBy: 'CronJob vault-raft-snapshot (upload)' },
      ...seal.secrets,
    ],
    addObjects: (chart, s) => addVaultObjects(chart, s),
    // The Certificate with the ClusterIssuers (cert-manager's objects), before the chart's pods need it.
    objectsWave: WAVES.operatorsExtras,
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
    vaultCsiProvider(spec),
  ];
}

/** Component (Application) of Vault's CSI provider. */
export const VAULT_CSI_PROVIDER = 'vault-csi-provider';
/** The Secret in the CSI namespace whose ca.crt the provider's agent trusts for Vault. */
export const VAULT_CSI_CA_SECRET = 'vault-csi-provider-vault-ca';
/** Where the provider's agent reaches Vault: every server (the chart's `vault` Service), as before the split. */
export const VAULT_CSI_ADDR = `https://vault.${VAULT_NAMESPACE}.svc:8200`;

/**
 * Vault's CSI provider: a second release of the pinned vault chart with the server, the injector
 * and the UI off and only csi on, in the Secrets Store CSI driver's namespace, which the driver
 * makes privileged already. Released as `vault` so that its objects keep their names
 * (`vault-csi-provider`, its ClusterRole and agent ConfigMap). The provider logs in to Vault with
 * the token of the pod that mounts the volume (the roles bind the teams' ServiceAccounts, never the
 * provider's), so only its address and the CA move with it: the agent is told Vault's address
 * (`global.externalVaultAddr`; the chart would otherwise build it from its own release namespace)
 * and trusts the internal CA from a Secret in its own namespace, since a pod cannot mount a Secret
 * of the vault namespace.
 */
function vaultCsiProvider(spec: ClusterSpec): PlatformComponent {
  return {
    name: VAULT_CSI_PROVIDER,
    namespace: CSI_NAMESPACE,
    helm: {
      chart: CHARTS.vault,
      releaseName: 'vault',
      // With its Certificate (objectsWave): the pods mount the CA and are not ready before
      // cert-manager issued it, and the root waits for this wave to be Healthy.
      wave: WAVES.operatorsExtras,
      values: {
        // Everything off but csi: the chart's `global.enabled` would also turn on the server's
        // ServiceAccount and its auth-delegator ClusterRoleBinding, which the main release owns.
        global: { enabled: false, tlsDisable: false, externalVaultAddr: VAULT_CSI_ADDR },
        server: { enabled: false },
        injector: { enabled: false },
        ui: { enabled: false },
        csi: {
          enabled: true,
          // The provider talks to its Vault Agent sidecar over a unix socket; the agent talks to
          // Vault over https and trusts the internal CA (`vault agent -ca-cert`). Both containers
          // get the mount; only ca.crt is projected.
          volumes: [csiCaVolume],
          volumeMounts: [caMount],
          agent: { extraArgs: [`-ca-cert=${VAULT_CA_FILE}`] },
        },
      },
    },
    addObjects: (chart, s) => {
      // The CA comes with a certificate cert-manager issues next to it: only a client-auth
      // certificate for a name nobody serves, so its key (in this namespace) cannot pass for Vault,
      // whose clients require server auth (the same as the injector's, constructs/vault-service.ts).
      new Certificate(chart, 'vault-ca', {
        name: VAULT_CSI_CA_SECRET,
        namespace: CSI_NAMESPACE,
        secretName: VAULT_CSI_CA_SECRET,
        issuer: internalIssuer(s),
        dnsNames: [`vault-csi-provider.${CSI_NAMESPACE}.vault-client.invalid`],
        usages: ['digital signature', 'client auth'],
        keyAlgorithm: 'ECDSA',
        keySize: 256,
      });
    },
    // The Certificate with the ClusterIssuers (cert-manager's objects), before the chart's pods need it.
    objectsWave: WAVES.operatorsExtras,
    objectsSyncOptions: ['SkipDryRunOnMissingResource=true'],
  };
}

/** The CA alone, from Vault's TLS Secret, for clients. */
const caVolume = { name: 'vault-ca', secret: { secretName: VAULT_TLS_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] } };
const caMount = { name: 'vault-ca', mountPath: VAULT_TLS_DIR, readOnly: true };
/** The same, from the CSI provider's own Secret of that CA (vaultCsiProvider). */
const csiCaVolume = { name: 'vault-ca', secret: { secretName: VAULT_CSI_CA_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] } };

/** ConfigMap with the reload script (charts/vault.ts addVaultObjects). */
export const TLS_RELOAD_CONFIGMAP = 'vault-tls-reload';
const TLS_RELOAD_DIR = '/vault/tls-reload';

/**
 * The reload script: SIGHUP to the Vault process (same user, shared process namespace) when
 * cert-manager has renewed the certificate in the mounted Secret; Vault then reloads it. It lives
 * in a ConfigMap, not in the Helm values: Argo CD substitutes `$NAME` in Helm values with its
 * build environment (unknown names become empty), which would blank the script's variables.
 */
export function tlsReloadScript(): string {
  const cert = `${VAULT_TLS_DIR}/tls.crt`;
  return `last="$(md5sum ${cert})"\nwhile sleep 60; do\n  now="$(md5sum ${cert})"\n  if [ "$now" != "$last" ]; then pkill -HUP -x vault && last="$now"; fi\ndone\n`;
}

/** The sidecar that runs the reload script. */
function tlsReloader(): Record<string, unknown> {
  return {
    name: 'tls-reload',
    image: `${IMAGES.vault.repository}:${IMAGES.vault.tag}`,
    command: ['/bin/sh', `${TLS_RELOAD_DIR}/reload.sh`],
    volumeMounts: [{ name: 'vault-tls', mountPath: VAULT_TLS_DIR, readOnly: true }, { name: 'tls-reload', mountPath: TLS_RELOAD_DIR, readOnly: true }],
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '32Mi' } },
  };
}

/** Where the server reads the seal's credentials (a Secret) and, with transit, its rendered stanza. */
export const SEAL_CREDENTIALS_DIR = '/vault/seal-credentials';
export const SEAL_CONFIG_DIR = '/vault/seal';
/** ConfigMap with the transit stanza (its token a placeholder) and the script that fills it in. */
export const SEAL_TEMPLATE_CONFIGMAP = 'vault-seal-template';
const SEAL_TEMPLATE_DIR = '/vault/seal-template';
const TRANSIT_TOKEN_PLACEHOLDER = 'TRANSIT_TOKEN_FROM_SECRET';

/** What the server needs for its seal: the stanza in its config, volumes, and the Secret it reads. */
interface SealRendering {
  readonly stanza?: string;
  readonly image?: { repository: string; tag: string };
  readonly volumes: Record<string, unknown>[];
  readonly volumeMounts: Record<string, unknown>[];
  readonly initContainers: Record<string, unknown>[];
  readonly extraArgs?: string;
  readonly secrets: { name: string; namespace: string; keys: string[]; usedBy: string }[];
  /** ConfigMap data of SEAL_TEMPLATE_CONFIGMAP (transit only). */
  readonly template?: Record<string, string>;
}

/** The transit key of a cluster when the overlay names none. */
export const transitKeyName = (spec: ClusterSpec): string => spec.vault.seal.transit?.keyName ?? `unseal-${spec.name}`;

function sealRendering(spec: ClusterSpec): SealRendering {
  const seal: VaultSeal = spec.vault.seal;
  const none: SealRendering = { volumes: [], volumeMounts: [], initContainers: [], secrets: [] };
  if (seal.type === 'yandexcloudkms' && seal.yandexcloudkms) {
    const { credentials, kmsKeyId } = seal.yandexcloudkms;
    return {
      ...none,
      // Only Yandex's build knows this seal; the official image would refuse the config.
      image: IMAGES.vaultYandexKms,
      // Without a key synth refuses the cluster (missingVaultSealKey); tests still render it.
      stanza: ['seal "yandexcloudkms" {', ...(kmsKeyId ? [`  kms_key_id = "${kmsKeyId}"`] : []), `  service_account_key_file = "${SEAL_CREDENTIALS_DIR}/${credentials.key}"`, '}'].join('\n'),
      volumes: [{ name: 'seal-credentials', secret: { secretName: credentials.name, defaultMode: 0o440, items: [{ key: credentials.key, path: credentials.key }] } }],
      volumeMounts: [{ name: 'seal-credentials', mountPath: SEAL_CREDENTIALS_DIR, readOnly: true }],
      secrets: [{ name: credentials.name, namespace: VAULT_NAMESPACE, keys: [credentials.key], usedBy: 'Vault server (seal "yandexcloudkms": service account authorized key)' }],
    };
  }
  if (seal.type === 'transit' && seal.transit) {
    const t = seal.transit;
    // The token must not be an environment variable: VAULT_TOKEN in the server container would
    // also be the token of every `vault` command an operator runs there (overriding `vault login`).
    // An init container writes the stanza with the token into a memory volume; Vault reads it as a
    // second config file.
    const stanza = ['seal "transit" {', `  address = "${t.address}"`, `  token = "${TRANSIT_TOKEN_PLACEHOLDER}"`, `  mount_path = "${t.mountPath}/"`,
      `  key_name = "${transitKeyName(spec)}"`, `  tls_ca_cert = "${SEAL_CREDENTIALS_DIR}/ca.crt"`, '}', ''].join('\n');
    const credentialsMount = { name: 'seal-credentials', mountPath: SEAL_CREDENTIALS_DIR, readOnly: true };
    const configMount = { name: 'seal-config', mountPath: SEAL_CONFIG_DIR };
    return {
      ...none,
      volumes: [
        { name: 'seal-credentials', secret: { secretName: t.credentials, defaultMode: 0o440, items: [{ key: 'token', path: 'token' }, { key: 'ca.crt', path: 'ca.crt' }] } },
        { name: 'seal-config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
        { name: 'seal-template', configMap: { name: SEAL_TEMPLATE_CONFIGMAP } },
      ],
      volumeMounts: [credentialsMount, { ...configMount, readOnly: true }],
      initContainers: [{
        name: 'seal-config',
        image: `${IMAGES.vault.repository}:${IMAGES.vault.tag}`,
        // The script lives in a ConfigMap: Argo CD substitutes $NAME in Helm values.
        command: ['/bin/sh', `${SEAL_TEMPLATE_DIR}/render.sh`],
        volumeMounts: [credentialsMount, configMount, { name: 'seal-template', mountPath: SEAL_TEMPLATE_DIR, readOnly: true }],
        securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '32Mi' } },
      }],
      extraArgs: `-config=${SEAL_CONFIG_DIR}/transit.hcl`,
      secrets: [{ name: t.credentials, namespace: VAULT_NAMESPACE, keys: ['token', 'ca.crt'], usedBy: 'Vault server (seal "transit": token and the other Vault\'s CA)' }],
      template: {
        'transit.hcl.tmpl': stanza,
        'render.sh': [
          'set -eu',
          `token="$(tr -d '\\r\\n' < ${SEAL_CREDENTIALS_DIR}/token)"`,
          `sed "s|${TRANSIT_TOKEN_PLACEHOLDER}|$token|" ${SEAL_TEMPLATE_DIR}/transit.hcl.tmpl > ${SEAL_CONFIG_DIR}/transit.hcl`,
          '',
        ].join('\n'),
      },
    };
  }
  return none;
}

function raftConfig(replicas: number, seal?: string): string {
  const joins = Array.from({ length: replicas }, (_, i) =>
    `  retry_join {\n    leader_api_addr = "https://vault-${i}.vault-internal:8200"\n    leader_ca_cert_file = "${VAULT_CA_FILE}"\n  }\n`).join('');
  return [
    'ui = true',
    // TLS from the cert-manager Certificate (addVaultObjects). Vault reads the files at start and
    // on SIGHUP only: a renewed certificate is served after the next restart or SIGHUP.
    ['listener "tcp" {', '  tls_disable = 0', '  address = "[::]:8200"', '  cluster_address = "[::]:8201"',
      `  tls_cert_file = "${VAULT_TLS_DIR}/tls.crt"`, `  tls_key_file = "${VAULT_TLS_DIR}/tls.key"`, '  tls_min_version = "tls12"', '}'].join('\n'),
    `storage "raft" {\n  path = "/vault/data"\n${joins}}`,
    'service_registration "kubernetes" {}',
    ...(seal ? [seal] : []),
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
  const snapshot = platform(PLATFORM_VAULT_ROLES.snapshot, 'vault-snapshot', 'path "sys/storage/raft/snapshot" {\n  capabilities = ["read"]\n}\n');
  const services = vaultServices(spec).map((s) => ({ name: s.role, role: s.vaultRole, policy: s.vaultPolicy }));
  const config = platform(PLATFORM_VAULT_ROLES.config, 'vault-config',
    configPolicy(spec.vault.kubernetesMountPath, [PLATFORM_VAULT_ROLES.config, ...[snapshot, ...services].map((r) => r.name)]));
  return [config, snapshot, ...services];
}

/**
 * The config Job's own policy: write exactly the policies and roles the cluster defines, by
 * name. A wildcard (`sys/policies/acl/*`) would let whoever runs as the vault-config
 * ServiceAccount write a policy granting `path "*"` and a role binding it to any ServiceAccount:
 * root in all but name. Its own name is on the list so that the Job keeps its policy current;
 * the policy it writes for itself comes from the same ConfigMap (reviewed in Git), and a role or
 * policy outside the list is refused by Vault. No delete: a removed service's role stays until
 * an operator removes it.
 */
function configPolicy(mount: string, names: readonly string[]): string {
  const sorted = [...new Set(names)].sort();
  const block = (path: string) => `path "${path}" {\n  capabilities = ["create", "read", "update"]\n}\n`;
  return [...sorted.map((n) => block(`sys/policies/acl/${n}`)), ...sorted.map((n) => block(`auth/${mount}/role/${n}`))].join('\n');
}

const loginScript = (role: string, mount: string) =>
  `export VAULT_TOKEN="$(vault write -field=token auth/${mount}/login role=${role} jwt=@${TOKEN_PATH})"`;

/** A projected token for Vault's audience (the roles require it), short-lived. */
const tokenVolume = { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }] } };
const tokenMount = { name: 'vault-token', mountPath: '/var/run/secrets/vault', readOnly: true };
const restricted = restrictedContainer(100);
const small = SMALL_JOB_RESOURCES;
const vaultImage = `${IMAGES.vault.repository}:${IMAGES.vault.tag}`;
/** The platform's jobs reach the active node over TLS and trust only the internal CA. */
const vaultClientEnv = [{ name: 'VAULT_ADDR', value: VAULT_ADDR }, { name: 'VAULT_CACERT', value: VAULT_CA_FILE }];

/**
 * The status an operator alerts on while Vault cannot serve: a server pod stays not ready (the
 * chart's readiness probe is `vault status`: sealed, not initialised or down), which is also when
 * the config runs skip. Templates use `.Labels`: Argo CD interpolates `$` variables in Helm input.
 */
export const VAULT_ALERTS = {
  name: 'platform-vault',
  rules: [{
    alert: 'VaultSealed',
    expr: `kube_pod_status_ready{namespace="${VAULT_NAMESPACE}", pod=~"vault-[0-9]+", condition="true"} == 0`,
    for: '10m',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'Vault pod {{ .Labels.pod }} has not been ready for 10 minutes: sealed, not initialised or down. Pods cannot get Vault secrets, and the vault-config runs skip (their log says why).',
      runbook_url: 'README.md#vault-first-start',
    },
  }],
};

/** The CronJob that applies the roles ConfigMap every 15 minutes (after an unseal, a restore, a hand edit). */
export const VAULT_CONFIG_RECONCILE = 'vault-config-reconcile';
/** How long the PostSync hook waits for a usable Vault (pods restarting in the same sync) before it skips. */
export const CONFIG_HOOK_WAIT_SECONDS = 300;
/** The line a config run logs when it skips because Vault cannot be used yet. */
export const CONFIG_SKIPPED = 'vault-config: SKIPPED';
/** Every server pod, sealed or not: the `vault` Service publishes not-ready pods, `vault-active` only the unsealed leader. */
const VAULT_ANY_NODE = `https://vault.${VAULT_NAMESPACE}.svc:8200`;

/**
 * The config run: wait (at most `WAIT_SECONDS`, backing off 5 s → 60 s) until Vault is initialised
 * and unsealed; if it is not by then, log why and end successfully, changing nothing, so that the
 * Argo CD sync it is a hook of succeeds and the alert VaultSealed (kube-prometheus-stack rules)
 * carries the news. Then log in and write every policy and role; a failure there is a real one
 * and fails the run.
 */
export function configScript(mount: string): string {
  return [
    'waited=0',
    'delay=5',
    'while true; do',
    `  status="$(vault status -address=${VAULT_ANY_NODE} -format=json 2>&1)" && break`,
    '  case "$status" in',
    `    *'"initialized": false'*) state='not initialised (vault operator init: README, "Vault: first start")' ;;`,
    `    *'"sealed": true'*) state='sealed (unseal it: README, "Vault: first start")' ;;`,
    '    *) state="unreachable: $(echo "$status" | head -n 1)" ;;',
    '  esac',
    '  if [ "$waited" -ge "$WAIT_SECONDS" ]; then',
    `    echo "${CONFIG_SKIPPED}: Vault is $state after $waited s; no policy or role applied. CronJob ${VAULT_CONFIG_RECONCILE} applies them within 15 minutes of Vault being unsealed; alert VaultSealed fires while it is not."`,
    '    exit 0',
    '  fi',
    '  sleep "$delay"',
    '  waited=$((waited + delay))',
    '  delay=$((delay * 2))',
    '  if [ "$delay" -gt 60 ]; then delay=60; fi',
    'done',
    loginScript(PLATFORM_VAULT_ROLES.config, mount),
    'for f in /config/*.policy.hcl; do vault policy write "$(basename "$f" .policy.hcl)" "$f"; done',
    `for f in /config/*.role.json; do vault write "auth/${mount}/role/$(basename "$f" .role.json)" "@$f"; done`,
    'echo "vault-config: applied every policy and role of the ConfigMap"',
  ].join('\n');
}

/** The Job of a config run (hook or CronJob), bounded: retries only real failures, and never runs past 15 minutes. */
function configJobSpec(mount: string, waitSeconds: number): k8s.JobSpec {
  return {
    backoffLimit: 2,
    activeDeadlineSeconds: 900,
    template: {
      spec: {
        serviceAccountName: 'vault-config',
        restartPolicy: 'OnFailure',
        containers: [{
          name: 'apply',
          image: vaultImage,
          command: ['/bin/sh', '-ec'],
          args: [configScript(mount)],
          env: [...vaultClientEnv, { name: 'WAIT_SECONDS', value: String(waitSeconds) }],
          volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }, tokenMount, caMount],
          securityContext: restricted,
          resources: small,
        }],
        volumes: [{ name: 'config', configMap: { name: VAULT_ROLES_CONFIGMAP } }, tokenVolume, caVolume],
      },
    },
  };
}

function addVaultObjects(chart: Chart, spec: ClusterSpec): void {
  const mount = spec.vault.kubernetesMountPath;
  const roles = vaultRoles(spec);
  const data: Record<string, string> = {};
  for (const r of roles) {
    data[`${r.name}.policy.hcl`] = r.policy;
    data[`${r.name}.role.json`] = `${JSON.stringify(r.role, null, 2)}\n`;
  }
  new k8s.KubeConfigMap(chart, 'tls-reload', { metadata: { name: TLS_RELOAD_CONFIGMAP, namespace: VAULT_NAMESPACE }, data: { 'reload.sh': tlsReloadScript() } });
  const template = sealRendering(spec).template;
  if (template) new k8s.KubeConfigMap(chart, 'seal-template', { metadata: { name: SEAL_TEMPLATE_CONFIGMAP, namespace: VAULT_NAMESPACE }, data: template });
  // Vault's serving certificate from the cluster's internal CA; cert-manager writes the CA next
  // to it (ca.crt), which is how every client gets it.
  new Certificate(chart, 'tls', {
    name: 'vault',
    namespace: VAULT_NAMESPACE,
    secretName: VAULT_TLS_SECRET,
    issuer: internalIssuer(spec),
    dnsNames: vaultDnsNames(),
    usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
    keyAlgorithm: 'ECDSA',
    keySize: 256,
    duration: '2160h',
    renewBefore: '720h',
  });
  new k8s.KubeConfigMap(chart, 'roles', { metadata: { name: VAULT_ROLES_CONFIGMAP, namespace: VAULT_NAMESPACE }, data });

  for (const sa of ['vault-config', 'vault-snapshot']) {
    new k8s.KubeServiceAccount(chart, `sa-${sa}`, { metadata: { name: sa, namespace: VAULT_NAMESPACE } });
  }

  // Applies the policies and roles after every sync (Argo CD PostSync hook, replaced on each run),
  // and again every 15 minutes: a sync while Vault is sealed or not yet initialised skips (it must
  // not fail the sync, after which auto-sync gives up on that revision), and nothing else would
  // apply the roles once an operator has unsealed it.
  new k8s.KubeJob(chart, 'config-job', {
    metadata: {
      name: 'vault-config',
      namespace: VAULT_NAMESPACE,
      annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
    },
    spec: configJobSpec(mount, CONFIG_HOOK_WAIT_SECONDS),
  });
  new k8s.KubeCronJob(chart, 'config-reconcile', {
    metadata: { name: VAULT_CONFIG_RECONCILE, namespace: VAULT_NAMESPACE },
    spec: {
      schedule: '*/15 * * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      // No wait: the next run is 15 minutes away.
      jobTemplate: { spec: configJobSpec(mount, 0) },
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
                env: vaultClientEnv,
                volumeMounts: [{ name: 'snapshots', mountPath: '/snapshots' }, tokenMount, caMount],
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
                caVolume,
              ],
            },
          },
        },
      },
    },
  });
}
