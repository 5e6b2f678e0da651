import { z } from 'zod';
import type { SpecLayer } from './overlay.js';

// The blocks of a cluster spec for issue 7: object storage, metrics/logs/traces, Vault, backups,
// cost, and the team services the platform wires into them. Imported by spec/schema.ts; the
// default layers below are spread into spec/defaults.ts.

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS label (lower-case letters, digits and "-", at most 63 characters)');

/** Retention: one number and one unit, as Prometheus writes it; converted to hours where Go durations are needed. */
export const retention = z.string().regex(/^[1-9]\d{0,4}(h|d|w)$/, 'a duration such as 12h, 15d or 4w (a whole number and one unit: h, d or w)');
/** A PersistentVolumeClaim size. */
export const storageSize = z.string().regex(/^[1-9]\d{0,5}(Mi|Gi|Ti)$/, 'a storage size such as 10Gi (a whole number and Mi, Gi or Ti)');
const cron = z.string().regex(/^(\S+\s+){4}\S+$/, 'a cron schedule of five fields such as "0 2 * * *"');
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3-63 lower-case letters, digits, "." and "-")');
const secretRef = z.strictObject({
  name: dnsLabel,
  key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a Secret data key such as cloud'),
});
const price = z.number().nonnegative();

/**
 * Said when an overlay leaves `objectStorage` out where no cloud layer fills it in (on-prem): the
 * platform deploys no object store of its own (no S3-compatible chart is pinned), and one inside
 * the cluster would lose the backups with the cluster.
 */
export const OBJECT_STORAGE_MISSING = 'missing; on-prem has no cloud object store and the platform deploys none: set objectStorage: { endpoint, region } to an S3-compatible store outside the cluster (the data centre\'s MinIO or Ceph RGW), e.g. { endpoint: \'https://s3.corp.company.ru\', region: \'us-east-1\' }';

/** The cloud's S3-compatible object store (platform-reference §9); on-prem the data centre's, named by the overlay. */
export const objectStorageSchema = z.strictObject({
  /** S3 API endpoint: https://storage.yandexcloud.net, https://hb.ru-msk.vkcloud-storage.ru, ... or the data centre's store on-prem (outside the cluster). */
  endpoint: z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/, 'an http(s):// URL of the S3 endpoint such as https://storage.yandexcloud.net (no path)'),
  /** Signing region of the store, e.g. ru-central1. */
  region: z.string().regex(/^[a-z0-9-]+$/, 'a region name such as ru-central1'),
}, { error: (issue) => (issue.input === undefined ? OBJECT_STORAGE_MISSING : undefined) });

/** Severities the platform's and the charts' alerting rules use (the `severity` label). */
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;

/**
 * One place alerts go: any of e-mail, Telegram and a webhook. Credentials never sit in the overlay:
 * each names a Secret in the monitoring namespace (delivered encrypted from secrets/), which
 * Alertmanager mounts and reads as a file.
 */
export const alertReceiverSchema = z.strictObject({
  /** Name the routes refer to ("null" is the chart's own drop-everything receiver). */
  name: dnsLabel.refine((n) => n !== 'null', 'a name other than "null" (the receiver that drops alerts)'),
  /** Addresses to mail (needs `alertmanager.smtp`). @default - no e-mail */
  email: z.array(z.string().email('an e-mail address such as oncall@company.ru')).min(1).optional(),
  /** A Telegram chat a bot posts to. @default - no Telegram */
  telegram: z.strictObject({
    /** The chat's id (a group's or channel's is negative, e.g. -1001234567890). */
    chatId: z.number().int(),
    /** Secret in the monitoring namespace holding the bot's token under the key `bot-token`. */
    botTokenSecret: dnsLabel,
  }).optional(),
  /** An HTTP endpoint that takes Alertmanager's JSON (a chat bridge, an incident tool). @default - no webhook */
  webhook: z.strictObject({
    url: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http(s):// URL such as https://alerts.company.ru/hook'),
    /** Secret in the monitoring namespace with a bearer token under the key `token`. @default - no Authorization header */
    tokenSecret: dnsLabel.optional(),
  }).optional(),
}).refine((r) => r.email || r.telegram || r.webhook, 'a receiver with at least one of email, telegram, webhook');

/** Which alerts a receiver gets: all conditions given must hold; routes are tried in order. */
export const alertRouteSchema = z.strictObject({
  /** A receiver's name. */
  receiver: dnsLabel,
  /** Only alerts with one of these `severity` labels. @default - any severity */
  severity: z.array(z.enum(ALERT_SEVERITIES)).min(1).optional(),
  /** Only alerts whose `namespace` label is one of this team's namespaces (`teams[].name`). @default - any namespace */
  team: dnsLabel.optional(),
  /** Keep trying the later routes after this one matched (the alert goes to both). @default false */
  continue: z.boolean().optional(),
});

export const alertmanagerSchema = z.strictObject({
  /** @default 1, 3 in prod (gossip quorum) */
  replicas: z.number().int().min(1).max(5),
  /** The mail server e-mail receivers send through. @default - none (no e-mail receiver allowed) */
  smtp: z.strictObject({
    /** `host:port`, e.g. smtp.company.ru:587. */
    smarthost: z.string().regex(/^[a-z0-9.-]+:\d{1,5}$/, 'host:port such as smtp.company.ru:587'),
    from: z.string().email('an e-mail address such as alertmanager@company.ru'),
    /** SMTP user. @default - no authentication */
    username: z.string().min(1).optional(),
    /** Secret in the monitoring namespace with the SMTP password under the key `password` (with `username`). */
    passwordSecret: dnsLabel.optional(),
    /** STARTTLS required. @default true */
    requireTls: z.boolean().default(true),
  }).optional(),
  /** Where alerts go. A prod cluster needs at least one. @default [] (alerts are dropped) */
  receivers: z.array(alertReceiverSchema),
  /** Receiver of every alert no route takes. @default - the first receiver */
  defaultReceiver: dnsLabel.optional(),
  /** Routes by severity and team, tried in order. @default [] (everything to the default receiver) */
  routes: z.array(alertRouteSchema),
});

/** A DNS name; a single label is a name under the cluster's domain (resolved in spec/schema.ts). */
const hostName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, 'a lower-case DNS name such as otlp.prod.company.ru, or a single label such as otlp');

/**
 * OTLP/HTTP for the browsers of the cluster's frontends: a public, unauthenticated endpoint on the
 * ingress, served by a collector of its own (not the services' gateway) that answers CORS for the
 * listed origins only, bounds what it accepts and marks everything it forwards as from browsers.
 */
export const browserTelemetrySchema = z.strictObject({
  /** Render the endpoint, its collector and its route. @default false (a public write endpoint is a decision per cluster) */
  enabled: z.boolean(),
  /** The endpoint's name; a single label is a name under the cluster's domain. @default otlp */
  host: hostName,
  /**
   * Origins (pages) whose scripts may send, as host names: `shop` (under the domain), a full name
   * under the domain, or `*.storefront` for every name under a subdomain. Always https.
   * @default - the TLS hosts of ingress.hosts served from team namespaces
   */
  origins: z.array(z.string().regex(/^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, 'a host name such as shop or shop.prod.company.ru, or *.storefront for every name under a subdomain')).min(1).optional(),
  /**
   * Requests per second the ingress lets through to the endpoint, and the burst above it, per
   * ingress replica and for all clients together. @default 200 per second, burst 400
   */
  rateLimit: z.strictObject({
    requestsPerSecond: z.number().int().min(1).max(100000),
    burst: z.number().int().min(1).max(100000),
  }),
  /** Replicas of the browser collector. @default 1, 2 in prod */
  replicas: z.number().int().min(1).max(9),
});

export const observabilitySchema = z.strictObject({
  /** StorageClass of every volume below. @default - the cluster's default StorageClass */
  storageClass: dnsLabel.optional(),
  prometheus: z.strictObject({
    /** How long samples are kept. @default 2d in dev, 7d in stage, 30d in prod */
    retention,
    /** Volume per replica; false keeps the TSDB in an emptyDir (dev). */
    storage: z.union([storageSize, z.literal(false)]),
    /** Prometheus replicas (each scrapes everything). @default 1, 2 in prod */
    replicas: z.number().int().min(1).max(5),
  }),
  alertmanager: alertmanagerSchema,
  grafana: z.strictObject({
    /** Volume for Grafana's SQLite (users, preferences); false in dev. Dashboards come from Git either way. */
    storage: z.union([storageSize, z.literal(false)]),
  }),
  loki: z.strictObject({
    /**
     * Loki's `deploymentMode`. `Monolithic` (the community chart's default since 12.0.0) runs one
     * binary; with object storage it scales to several replicas. `Distributed` is for large
     * volumes. SimpleScalable is deprecated and not offered.
     */
    mode: z.enum(['Monolithic', 'Distributed']),
    /** Replicas of the single binary (Monolithic). @default 1, 3 in prod */
    replicas: z.number().int().min(1).max(9),
    retention,
    /**
     * `filesystem` on the pod's volume (dev), or `s3` on `objectStorage` (stage, prod; needed
     * for more than one replica and for Distributed).
     */
    backend: z.enum(['filesystem', 's3']),
    /** Volume per replica (WAL, and chunks with `filesystem`). */
    storage: storageSize,
    /** Bucket with `backend: s3` (chunks, ruler and admin data share it). @default - `<cluster>-loki` */
    bucket: bucket.optional(),
    /** Secret in the monitoring namespace with `access_key_id` and `secret_access_key` for the bucket (delivered encrypted by the secrets component). */
    credentialsSecret: dnsLabel,
  }),
  tempo: z.strictObject({
    retention,
    /** `local` on the pod's volume, or `s3` on `objectStorage`. */
    backend: z.enum(['local', 's3']),
    storage: storageSize,
    /** Bucket with `backend: s3`. @default - `<cluster>-tempo` */
    bucket: bucket.optional(),
    /** Secret in the monitoring namespace with `access_key_id` and `secret_access_key`. */
    credentialsSecret: dnsLabel,
  }),
  otelCollector: z.strictObject({
    /** `deployment`: a gateway services send OTLP to; `daemonset`: one per node. Container logs are collected by their own DaemonSet either way (`containerLogs`). */
    mode: z.enum(['deployment', 'daemonset']),
    /** Replicas in `deployment` mode. */
    replicas: z.number().int().min(1).max(9),
    /**
     * A collector distribution of the company's own (built with the components it needs), instead
     * of the upstream otelcol-k8s pinned in catalog/versions.ts. Its image must pass the image
     * policy like any other: from the company registry (signed) or an allowed one, pinned.
     * @default - the upstream image
     */
    image: z.strictObject({
      repository: z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/, 'an image repository such as ghcr.io/soft-yt/otelcol'),
      tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'an image tag such as 0.158.0').refine((t) => t !== 'latest', 'a pinned tag, not "latest"'),
      /** The binary in the image. */
      command: z.string().regex(/^[a-z0-9._-]+$/, 'the collector binary\'s name, such as otelcol-contrib'),
    }).optional(),
  }),
  /**
   * Every container's stdout and stderr, read from the nodes' /var/log/pods by a second collector
   * (a DaemonSet in the monitoring namespace, the collector's image) with the pod's Kubernetes
   * metadata, and sent to Loki: the logs of platform components and of services that do not
   * send OTLP. @default true
   */
  containerLogs: z.boolean(),
  /** OTLP/HTTP for browsers on the ingress (browserTelemetrySchema). @default off */
  browserTelemetry: browserTelemetrySchema,
});

/**
 * How Vault unseals (docs/overlay-observability.md#vault-unseal-per-cloud). Open-source Vault seals with
 * Shamir keys or, automatically, with awskms, azurekeyvault, gcpckms, alicloudkms, ocikms and
 * transit (pkcs11 and kmip are Enterprise only); none of these is a KMS of Cloud.ru or VK Cloud.
 * Yandex ships its own Vault build with `yandexcloudkms` (IMAGES.vaultYandexKms).
 */
export const VAULT_SEALS = ['shamir', 'yandexcloudkms', 'transit'] as const;
export type VaultSealType = (typeof VAULT_SEALS)[number];

export const vaultSealSchema = z.strictObject({
  /** `shamir`: people unseal every node after each restart; `yandexcloudkms`, `transit`: Vault unseals itself. @default yandexcloudkms on Yandex Cloud, transit on Cloud.ru, VK Cloud and on-prem, shamir in dev */
  type: z.enum(VAULT_SEALS),
  /** Key shares of `vault operator init`: unseal keys with Shamir, recovery keys with an auto-unseal. @default 5 (1 in dev) */
  keyShares: z.number().int().min(1).max(10),
  /** Shares needed to unseal (Shamir) or to authorise recovery operations. @default 3 (1 in dev) */
  keyThreshold: z.number().int().min(1).max(10),
  /** With `yandexcloudkms`: Yandex Cloud KMS through Yandex's Vault build. @default - on Yandex Cloud: credentials vault-kms-sa/key.json, no key (each cluster names its own) */
  yandexcloudkms: z.strictObject({
    /** ID of the cluster's symmetric KMS key (its own key: a leaked credential then opens one cluster). Synth refuses the cluster without it. */
    kmsKeyId: z.string().regex(/^[a-z0-9]{20}$/, 'a Yandex Cloud KMS key ID (20 lower-case letters and digits, e.g. abj0000000000000vlt0)').optional(),
    /** Secret in the vault namespace with the authorized key JSON of a service account that has kms.keys.encrypterDecrypter on that key only. */
    credentials: secretRef,
  }).optional(),
  /** With `transit`: the transit engine of another Vault (the company's central one). @default - on Cloud.ru, VK Cloud and on-prem: https://vault.company.ru:8200, mount transit, credentials vault-transit-seal */
  transit: z.strictObject({
    /** The other Vault's address, reachable from the cluster's nodes. */
    address: z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'an https:// address of a Vault such as https://vault.company.ru:8200 (no path)'),
    /** Mount path of its transit engine. */
    mountPath: z.string().regex(/^[a-z0-9][-_a-z0-9]*(\/[-_a-z0-9]+)*$/, 'a mount path such as transit'),
    /** The transit key this cluster wraps its root key with. @default - unseal-<cluster name> */
    keyName: z.string().regex(/^[a-z0-9][-_a-z0-9]{0,62}$/, 'a transit key name such as unseal-sber-prod').optional(),
    /** Secret in the vault namespace with keys `token` (a periodic token allowed encrypt/decrypt on that key only) and `ca.crt` (the CA of the other Vault's certificate). */
    credentials: dnsLabel,
  }).optional(),
});
export type VaultSeal = z.infer<typeof vaultSealSchema>;

export const vaultSchema = z.strictObject({
  /** Raft replicas: 1 in dev, 3 (HA, quorum of 2) in prod. Always raft storage, so that snapshots work everywhere. */
  replicas: z.number().int().refine((n) => n === 1 || n === 3 || n === 5, 'an odd raft size: 1, 3 or 5'),
  /** Raft data volume per replica. */
  storage: storageSize,
  /** The agent injector (secrets as files written by a sidecar, pod annotations). */
  injector: z.boolean(),
  /** The CSI provider (secrets mounted through the Secrets Store CSI driver, SecretProviderClass). */
  csi: z.boolean(),
  /** Mount path of the Kubernetes auth method in Vault. @default kubernetes */
  kubernetesMountPath: dnsLabel,
  /** Raft snapshots (open-source Vault has no automated ones): a CronJob saves one and uploads it to `objectStorage`. */
  snapshots: z.strictObject({
    schedule: cron,
    bucket,
    /** Secret in the vault namespace: an AWS credentials file (`[default]` aws_access_key_id, aws_secret_access_key) under this key. */
    credentials: secretRef,
  }),
  /** How Vault unseals after a restart (vaultSealSchema). */
  seal: vaultSealSchema,
});

export const backupSchema = z.strictObject({
  /** Bucket of the Velero BackupStorageLocation, shared by the fleet: each cluster writes under its own prefix (its name). */
  bucket,
  /** Secret in the velero namespace: an AWS credentials file for the bucket (delivered encrypted by the secrets component). */
  credentials: secretRef,
  /** When the Schedules run (cron, cluster time zone UTC). */
  schedule: cron,
  /** How long a backup is kept (Velero `ttl`). @default 3d in dev, 14d in stage, 30d in prod */
  retention,
  /** Velero's file-system backup (kopia node agent) of the Prometheus and Grafana volumes (opt-in by pod annotation). */
  volumes: z.boolean(),
});

export const costSchema = z.strictObject({
  /** ISO 4217 currency of the prices below. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as RUB'),
  /** Price of one vCPU for one hour. */
  cpuHour: price,
  /** Price of one GiB of memory for one hour. */
  ramGiBHour: price,
  /** Price of one GiB of persistent volume for one hour. */
  storageGiBHour: price,
  /** Price of one GiB of traffic to the internet. */
  internetEgressGiB: price,
});

/** A secret a service reads from Vault: one file (CSI object or injected file) per entry. */
export const vaultSecretSchema = z.strictObject({
  /** File name under the mount path (CSI `objectName`, injector `agent-inject-secret-<name>`). */
  name: z.string().regex(/^[a-z0-9]([-_.a-z0-9]{0,61}[a-z0-9])?$/, 'a file name of lower-case letters, digits, "-", "_" and "."'),
  /** KV v2 path as the API reads it: `<mount>/data/<path>`, e.g. kv/data/storefront/storefront-api. */
  path: z.string().regex(/^[a-z0-9][-_a-z0-9]*\/data\/[-_a-z0-9/]+[-_a-z0-9]$/, 'a KV v2 API path such as kv/data/storefront/storefront-api (<mount>/data/<path>)'),
  /** Key inside the KV secret. */
  key: z.string().regex(/^[-_.a-zA-Z0-9]+$/, 'a key of the KV secret such as password'),
});

/**
 * A service a team (`teams[].services`) deploys from its own repository (the platform renders no Deployment or
 * Service for it) that the platform wires in: scraped by Prometheus, given Vault secrets. The
 * declaration is what the fleet rules check the ServiceMonitor and SecretProviderClass against.
 */
export const serviceSchema = z.strictObject({
  /** Name of the team's Service (and of its ServiceAccount unless `vault.serviceAccount` says otherwise). */
  name: dnsLabel,
  namespace: dnsLabel,
  /** Labels of the team's Service (a ServiceMonitor selects it by these). @default { 'app.kubernetes.io/name': <name> } */
  labels: z.record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'a label key'), z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'a label value')).optional(),
  /** Prometheus scraping of the service's /metrics. @default - not scraped */
  metrics: z.strictObject({
    /** Name of the Service port that serves metrics. */
    port: dnsLabel,
    /** @default /metrics */
    path: z.string().regex(/^\/[^\s]*$/, 'an HTTP path starting with "/"').default('/metrics'),
    /** @default 30s */
    interval: z.string().regex(/^\d+(s|m)$/, 'a scrape interval such as 30s or 1m').default('30s'),
    /**
     * The container port behind `port`: in an Istio mesh (`teams[].mesh`) the platform leaves this
     * port of the pods PERMISSIVE so that Prometheus, outside the mesh, can scrape it under STRICT
     * mTLS; Istio matches the workload's port number, not the Service's port name.
     * @default - none; required for a service in a namespace of an Istio mesh
     */
    containerPort: z.number().int().min(1).max(65535).optional(),
  }).optional(),
  /** Runtime secrets from Vault. @default - none */
  vault: z.strictObject({
    /** `csi`: a SecretProviderClass the pod mounts; `injector`: Vault Agent annotations on the pod template. */
    delivery: z.enum(['csi', 'injector']),
    /** ServiceAccount the pods run as (rendered by the platform; the Vault role is bound to it). @default - the service's name */
    serviceAccount: dnsLabel.optional(),
    /** Directory the secrets appear in inside the container. @default /mnt/secrets (csi) — the injector always uses /vault/secrets */
    mountPath: z.string().regex(/^\/[-_a-zA-Z0-9/]*[-_a-zA-Z0-9]$/, 'an absolute directory such as /mnt/secrets').optional(),
    /** Token TTL of the Vault role. @default 1h */
    ttl: z.string().regex(/^\d+(s|m|h)$/, 'a Vault TTL such as 1h or 30m').default('1h'),
    secrets: z.array(vaultSecretSchema).min(1),
  }).optional(),
  /** The service sends OTLP (traces, metrics, logs) to the platform's collector. @default true */
  otlp: z.boolean().default(true),
});

export type ObjectStorage = z.infer<typeof objectStorageSchema>;
export type Observability = z.output<typeof observabilitySchema>;
export type Alertmanager = z.output<typeof alertmanagerSchema>;
export type BrowserTelemetry = z.output<typeof browserTelemetrySchema>;
export type VaultSettings = z.infer<typeof vaultSchema>;
export type BackupSettings = z.infer<typeof backupSchema>;
export type CostSettings = z.infer<typeof costSchema>;
export type PlatformService = z.output<typeof serviceSchema>;
export type VaultSecret = z.infer<typeof vaultSecretSchema>;

/** Hours in a retention (`15d` → 360): Velero and Tempo take Go durations, which have no days. */
export function retentionHours(r: string): number {
  const n = Number(r.slice(0, -1));
  return n * ({ h: 1, d: 24, w: 168 } as Record<string, number>)[r.slice(-1)];
}

/**
 * The example backend (the edge's storefront-api route): a Go service of the storefront team with
 * /metrics on its `http` port (container port 8080) and its database password from Vault through CSI.
 */
export const EXAMPLE_BACKEND: PlatformService = {
  name: 'storefront-api', namespace: 'storefront',
  metrics: { port: 'http', path: '/metrics', interval: '30s', containerPort: 8080 },
  vault: {
    delivery: 'csi', mountPath: '/mnt/secrets', ttl: '1h',
    secrets: [
      { name: 'db-password', path: 'kv/data/storefront/storefront-api', key: 'db_password' },
      { name: 'payments-api-token', path: 'kv/data/storefront/storefront-api', key: 'payments_api_token' },
    ],
  },
  otlp: true,
};

/**
 * Vault has no seal for the KMS of Cloud.ru or VK Cloud (Key Manager is Barbican): those clusters
 * and on-prem ones wrap their root key with the transit engine of the company's central Vault
 * (the HSM-backed one of docs/key-custody.md), so that node upgrades and evictions need nobody.
 * (U) that the Cloud.ru and VK Cloud networks reach it (the interconnect to the data centre).
 */
const CENTRAL_TRANSIT_SEAL = { type: 'transit', transit: { address: 'https://vault.company.ru:8200', mountPath: 'transit', credentials: 'vault-transit-seal' } } as const;

/** Default layers of these blocks, by platform, cloud and environment (spread into spec/defaults.ts). */
export const OBSERVABILITY_DEFAULTS = {
  platform: {
    observability: {
      prometheus: { retention: '7d', storage: '20Gi', replicas: 1 },
      alertmanager: { replicas: 1, receivers: [], routes: [] },
      grafana: { storage: '5Gi' },
      loki: { mode: 'Monolithic', replicas: 1, retention: '7d', backend: 's3', storage: '10Gi', credentialsSecret: 'loki-s3' },
      tempo: { retention: '72h', backend: 's3', storage: '10Gi', credentialsSecret: 'tempo-s3' },
      otelCollector: { mode: 'deployment', replicas: 1 },
      containerLogs: true,
      browserTelemetry: { enabled: false, host: 'otlp', rateLimit: { requestsPerSecond: 200, burst: 400 }, replicas: 1 },
    },
    vault: {
      replicas: 1, storage: '10Gi', injector: true, csi: true, kubernetesMountPath: 'kubernetes',
      snapshots: { schedule: '0 * * * *', bucket: 'platform-vault-snapshots', credentials: { name: 'vault-snapshot-s3', key: 'cloud' } },
      seal: { type: 'shamir', keyShares: 5, keyThreshold: 3 },
    },
    backup: {
      bucket: 'platform-velero', credentials: { name: 'velero-s3', key: 'cloud' },
      schedule: '0 2 * * *', retention: '14d', volumes: true,
    },
  },
  // Object storage and list prices per cloud (§9). Prices are the public list prices in roubles
  // per hour as of Aug 2026 (U): finance confirms them; an overlay overrides with its contract.
  cloud: {
    yandex: {
      objectStorage: { endpoint: 'https://storage.yandexcloud.net', region: 'ru-central1' },
      vault: { seal: { type: 'yandexcloudkms', yandexcloudkms: { credentials: { name: 'vault-kms-sa', key: 'key.json' } } } },
      cost: { currency: 'RUB', cpuHour: 1.12, ramGiBHour: 0.3, storageGiBHour: 0.0157, internetEgressGiB: 1.53 },
    },
    vk: {
      objectStorage: { endpoint: 'https://hb.ru-msk.vkcloud-storage.ru', region: 'ru-msk' },
      vault: { seal: CENTRAL_TRANSIT_SEAL },
      cost: { currency: 'RUB', cpuHour: 0.99, ramGiBHour: 0.28, storageGiBHour: 0.0143, internetEgressGiB: 0 },
    },
    sber: {
      objectStorage: { endpoint: 'https://obs.ru-moscow-1.hc.sbercloud.ru', region: 'ru-moscow-1' },
      vault: { seal: CENTRAL_TRANSIT_SEAL },
      cost: { currency: 'RUB', cpuHour: 1.05, ramGiBHour: 0.29, storageGiBHour: 0.0151, internetEgressGiB: 0 },
    },
    // On-prem: the data centre's internal cost rates. No object storage: the overlay names the
    // data centre's store (OBJECT_STORAGE_MISSING says why).
    onprem: {
      vault: { seal: CENTRAL_TRANSIT_SEAL },
      cost: { currency: 'RUB', cpuHour: 0.6, ramGiBHour: 0.15, storageGiBHour: 0.008, internetEgressGiB: 0 },
    },
  },
  environment: {
    // Small and disposable: no volumes for Prometheus and Grafana, logs on the pod's volume.
    // Shamir with one key: a laptop's kind cluster reaches no KMS and no central Vault, and a dev
    // cluster is thrown away rather than unsealed by committee.
    dev: {
      vault: { seal: { type: 'shamir', keyShares: 1, keyThreshold: 1 } },
      observability: {
        prometheus: { retention: '2d', storage: false, replicas: 1 },
        grafana: { storage: false },
        loki: { retention: '3d', backend: 'filesystem', storage: '5Gi' },
        tempo: { retention: '24h', backend: 'local', storage: '5Gi' },
      },
      backup: { retention: '3d', volumes: false },
    },
    stage: {
      observability: { prometheus: { retention: '7d' }, loki: { retention: '7d' } },
      backup: { retention: '14d' },
    },
    prod: {
      observability: {
        prometheus: { retention: '30d', storage: '100Gi', replicas: 2 },
        alertmanager: { replicas: 3 },
        grafana: { storage: '10Gi' },
        loki: { replicas: 3, retention: '30d', storage: '50Gi' },
        tempo: { retention: '14d', storage: '20Gi' },
        otelCollector: { replicas: 2 },
        browserTelemetry: { replicas: 2 },
      },
      vault: { replicas: 3, storage: '20Gi' },
      backup: { retention: '30d' },
    },
  },
} satisfies { platform: SpecLayer; cloud: Record<string, SpecLayer>; environment: Record<string, SpecLayer> };

/** A declared service with its team, and where it is declared (`teams[i].services[j]`). */
export interface TeamService extends PlatformService {
  readonly team: string;
  readonly at: string;
}

/** Every service the teams declare, in declaration order. */
export function teamServices(spec: { teams: readonly { name: string; services?: readonly PlatformService[] }[] }): TeamService[] {
  return spec.teams.flatMap((t, i) => (t.services ?? []).map((s, j) => ({ ...s, team: t.name, at: `teams[${i}].services[${j}]` })));
}

/** Host names that resolve to a Service of the cluster itself. */
const IN_CLUSTER_HOST = /(^|\.)(svc|svc\.cluster\.local|cluster\.local)$/;

/**
 * The object store lives outside the cluster: Velero's backups and Vault's snapshots in it must
 * survive the cluster, and no platform component deploys a store inside it.
 */
export function checkObjectStorage(spec: { objectStorage: ObjectStorage }, add: (path: string, message: string) => void): void {
  const host = new URL(spec.objectStorage.endpoint).hostname;
  if (IN_CLUSTER_HOST.test(host)) {
    add('objectStorage.endpoint', `received "${spec.objectStorage.endpoint}", a Service inside the cluster that no platform component deploys (and backups kept in the cluster they back up are lost with it); use an S3-compatible store outside the cluster such as https://s3.corp.company.ru`);
  }
}

/** Cross-field rules of these blocks; `add(path, message)` records a problem. */
export function checkObservability(
  spec: {
    environment: string; observability: Observability; vault: VaultSettings;
    teams: readonly { name: string; namespaces: readonly string[]; services?: readonly PlatformService[] }[];
  },
  add: (path: string, message: string) => void,
): void {
  const o = spec.observability;
  checkAlerting(spec, add);
  checkVaultSeal(spec.vault.seal, add);
  if (o.loki.backend === 'filesystem' && o.loki.replicas > 1) {
    add('observability.loki.replicas', `received ${o.loki.replicas} with backend "filesystem"; replicas share chunks only through object storage (set backend "s3", or replicas 1)`);
  }
  if (o.loki.mode === 'Distributed' && o.loki.backend !== 's3') {
    add('observability.loki.backend', `received "${o.loki.backend}" with mode "Distributed"; Distributed Loki needs object storage ("s3")`);
  }
  const seen = new Map<string, string>();
  for (const s of teamServices(spec)) {
    const { at } = s;
    const team = spec.teams.find((t) => t.name === s.team)!;
    const key = `${s.namespace}/${s.name}`;
    if (seen.has(key)) add(`${at}.name`, `received "${s.name}" in namespace ${s.namespace}, already declared by ${seen.get(key)}`);
    else seen.set(key, at);
    if (!team.namespaces.includes(s.namespace)) {
      add(`${at}.namespace`, `received "${s.namespace}", not a namespace of team "${s.team}" (${team.namespaces.join(', ')}); a service runs in its team's namespace`);
    }
    if (s.vault?.delivery === 'csi' && !spec.vault.csi) add(`${at}.vault.delivery`, 'received "csi" but vault.csi is false; turn the CSI provider on, or use "injector"');
    if (s.vault?.delivery === 'injector' && !spec.vault.injector) add(`${at}.vault.delivery`, 'received "injector" but vault.injector is false; turn the injector on, or use "csi"');
    if (s.vault?.delivery === 'injector' && s.vault.mountPath && s.vault.mountPath !== '/vault/secrets') {
      add(`${at}.vault.mountPath`, `received "${s.vault.mountPath}"; the injector always writes to /vault/secrets (leave mountPath out)`);
    }
    const names = new Set<string>();
    s.vault?.secrets.forEach((x, j) => {
      if (names.has(x.name)) add(`${at}.vault.secrets[${j}].name`, `received "${x.name}" twice; each secret is one file under the mount path`);
      names.add(x.name);
    });
  }
}

/**
 * Synth refuses to render a prod cluster whose alerts reach nobody (pipeline/render-batch.ts). Not a
 * load-time rule: a spec without receivers stays valid for everything but the rendered fleet.
 */
export function missingAlertReceiver(spec: { name: string; environment: string; observability: Observability }): string | undefined {
  if (spec.environment !== 'prod' || spec.observability.alertmanager.receivers.length) return undefined;
  return `overlays/${spec.name}.ts: observability.alertmanager.receivers: received none in a prod cluster, so its alerts would reach nobody; add a receiver (email, telegram or webhook: docs/overlay-observability.md)`;
}

/** The seal's own block is there for its type, and the threshold is reachable. */
function checkVaultSeal(seal: VaultSeal, add: (path: string, message: string) => void): void {
  const at = 'vault.seal';
  if (seal.keyThreshold > seal.keyShares) {
    add(`${at}.keyThreshold`, `received ${seal.keyThreshold} with keyShares ${seal.keyShares}; the threshold is at most the number of shares`);
  }
  if (seal.type === 'yandexcloudkms' && !seal.yandexcloudkms) {
    add(`${at}.yandexcloudkms`, 'missing; type "yandexcloudkms" needs { kmsKeyId, credentials: { name, key } } (the cluster\'s KMS key and the Secret with its service account\'s authorized key)');
  }
  if (seal.type === 'transit' && !seal.transit) {
    add(`${at}.transit`, 'missing; type "transit" needs { address, mountPath, credentials } (the other Vault, its transit mount and the Secret with the token and CA)');
  }
}

/**
 * Synth refuses a Yandex KMS seal without the cluster's key (pipeline/render-batch.ts): each cluster has
 * its own key, so no layer can default it, and a spec without it stays valid for the tests and
 * tools that render one cluster.
 */
export function missingVaultSealKey(spec: { name: string; vault: VaultSettings }): string | undefined {
  const s = spec.vault.seal;
  if (s.type !== 'yandexcloudkms' || s.yandexcloudkms?.kmsKeyId) return undefined;
  return `overlays/${spec.name}.ts: vault.seal.yandexcloudkms.kmsKeyId: missing; Vault unseals with the cluster's own Yandex Cloud KMS key: create one (yc kms symmetric-key create --name vault-unseal-${spec.name}) and set its ID, e.g. vault: { seal: { yandexcloudkms: { kmsKeyId: 'abj0000000000000vlt0' } } }, or set vault.seal.type to "shamir" (docs/overlay-observability.md#vault-unseal-per-cloud)`;
}

/** Alertmanager: every name a route or receiver uses exists. */
function checkAlerting(
  spec: { environment: string; observability: Observability; teams: readonly { name: string }[] },
  add: (path: string, message: string) => void,
): void {
  const a = spec.observability.alertmanager;
  const at = 'observability.alertmanager';
  const names = new Set<string>();
  a.receivers.forEach((r, i) => {
    if (names.has(r.name)) add(`${at}.receivers[${i}].name`, `received "${r.name}" twice; receiver names are unique`);
    names.add(r.name);
    if (r.email && !a.smtp) add(`${at}.receivers[${i}].email`, `received addresses but ${at}.smtp is not set; e-mail needs the mail server (smtp.smarthost, smtp.from)`);
  });
  if (a.smtp && !a.smtp.username !== !a.smtp.passwordSecret) {
    add(`${at}.smtp`, 'received only one of username and passwordSecret; SMTP authentication needs both (or neither)');
  }
  const known = [...names].join(', ') || 'none';
  if (a.defaultReceiver && !names.has(a.defaultReceiver)) add(`${at}.defaultReceiver`, `received "${a.defaultReceiver}"; expected one of the receivers (${known})`);
  const teams = spec.teams.map((t) => t.name);
  a.routes.forEach((r, i) => {
    if (!names.has(r.receiver)) add(`${at}.routes[${i}].receiver`, `received "${r.receiver}"; expected one of the receivers (${known})`);
    if (r.team && !teams.includes(r.team)) add(`${at}.routes[${i}].team`, `received "${r.team}"; expected one of the teams (${teams.join(', ') || 'none'})`);
  });
}

/** The cluster's names as the browser-telemetry rules and origins read them. */
interface BrowserTelemetrySpec {
  domain: string;
  observability: { browserTelemetry: BrowserTelemetry };
  ingress: { hosts: readonly { name: string; host: string; namespace: string; tls: boolean }[] };
  teams: readonly { namespaces: readonly string[] }[];
}

/** Name of the ingress route (and its Certificate) of the browser endpoint. */
export const BROWSER_TELEMETRY_ROUTE = 'otlp-browser';

/**
 * The origins browsers may send from, as `https://<host>` (CORS `allowed_origins`): the overlay's
 * list, or else every TLS host of ingress.hosts that a team's namespace serves (the frontends;
 * not Argo CD's or Grafana's pages). Sorted, deduplicated.
 */
export function browserOrigins(spec: BrowserTelemetrySpec): string[] {
  const b = spec.observability.browserTelemetry;
  const teamNamespaces = new Set(spec.teams.flatMap((t) => t.namespaces));
  const hosts = b.origins ?? spec.ingress.hosts.filter((h) => h.tls && teamNamespaces.has(h.namespace)).map((h) => h.host);
  return [...new Set(hosts.map((h) => `https://${h}`))].sort();
}

const inDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/**
 * The endpoint and the origins are the cluster's own names: under its domain, the endpoint not a
 * name an ingress host already serves, and at least one origin (with none, every browser's
 * preflight is refused and the endpoint only costs).
 */
export function checkBrowserTelemetry(spec: BrowserTelemetrySpec, add: (path: string, message: string) => void): void {
  const b = spec.observability.browserTelemetry;
  const at = 'observability.browserTelemetry';
  spec.ingress.hosts.forEach((h, i) => {
    if (h.name === BROWSER_TELEMETRY_ROUTE) add(`ingress.hosts[${i}].name`, `received "${h.name}", the name of the browser-telemetry route; choose another route name`);
  });
  if (!b.enabled) return;
  if (b.rateLimit.burst < b.rateLimit.requestsPerSecond) {
    add(`${at}.rateLimit.burst`, `received ${b.rateLimit.burst}, below requestsPerSecond (${b.rateLimit.requestsPerSecond}); the burst is the bucket both ingresses fill at that rate, so it holds at least one second's requests`);
  }
  if (!inDomain(b.host, spec.domain)) {
    add(`${at}.host`, `received "${b.host}", outside the cluster's domain "${spec.domain}"; expected a name under it, or a single label such as "otlp"`);
  }
  const served = spec.ingress.hosts.findIndex((h) => h.host === b.host);
  if (served >= 0) add(`${at}.host`, `received "${b.host}", already served by ingress.hosts[${served}]; the endpoint needs a name of its own such as "otlp"`);
  b.origins?.forEach((o, i) => {
    if (!inDomain(o.replace(/^\*\./, ''), spec.domain)) {
      add(`${at}.origins[${i}]`, `received "${o}", outside the cluster's domain "${spec.domain}"; browsers may send only from the cluster's own pages (a name under the domain, or a single label such as "shop")`);
    }
  });
  if (!browserOrigins(spec).length) {
    add(`${at}.origins`, 'missing, and no TLS host of ingress.hosts is served from a team namespace; name the pages that send (origins: [\'shop\']), or every browser would be refused');
  }
}
