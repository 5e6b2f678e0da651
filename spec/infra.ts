import { z } from 'zod';
import type { Cloud } from './schema.js';
import type { SpecLayer } from './overlay.js';
import { infraOutputsSchema } from './infra-outputs.js';
import { inAddressBlocks, type LoadBalancerSettings } from './load-balancer.js';

// The `infra` block of a cluster spec (issue 15): what the cluster's infrastructure stack creates
// — the managed cluster and its node pools, network, DNS zone, registry and buckets — and how the
// stack is run (backend, state, provider mirror). infra/ turns it into the cloud-neutral model and
// writes one OpenTofu stack per cluster (dist/infra/<cluster>/); the consistency rules between
// this block and the rest of the spec are in infra/consistency.ts.

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS label (lower-case letters, digits and "-", at most 63 characters)');
const hostname = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, 'a lower-case DNS name such as prod.company.ru');
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3-63 lower-case letters, digits, "." and "-")');
const folderId = z.string().regex(/^[a-z0-9]{20}$/, 'a Yandex Cloud ID (20 lower-case letters and digits, e.g. b1g0000000000000k8s0)');
/** An IPv4 network in CIDR notation whose address is the network's first address. */
export const ipv4Cidr = z.string()
  .regex(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/([89]|[12]\d)$/, 'an IPv4 network such as 10.1.0.0/16 (prefix /8 … /29)')
  .refine((c) => cidrIsNetworkAddress(c), 'the network address of the prefix (host bits zero, e.g. 10.1.0.0/16, not 10.1.2.0/16)');

/** One group of identical worker nodes. */
export const nodePoolSchema = z.strictObject({
  /** Pool name, unique in the cluster; names the cloud's node group. */
  name: dnsLabel,
  /** vCPUs per node. */
  cpu: z.number().int().min(2).max(96),
  /** Memory per node in GiB. */
  memoryGiB: z.number().int().min(2).max(768),
  /** Boot (and container image) disk per node in GiB. */
  diskGiB: z.number().int().min(30).max(4096),
  /** Nodes at least (equal to `max`: a fixed-size pool). */
  min: z.number().int().min(0).max(100),
  /** Nodes at most (more than `min`: the cloud's autoscaler scales between them). */
  max: z.number().int().min(1).max(100),
  /**
   * The cloud's machine type where it has named ones: a Cloud.ru flavor (`s6.xlarge.4`), a VK
   * Cloud flavor ID. Yandex sizes nodes by `cpu`/`memoryGiB` alone.
   * @default - Cloud.ru: the flavor of `cpu`/`memoryGiB` (infra/clouds/sber.ts); VK Cloud: the stack's `node_flavor_id` variable
   */
  flavor: z.string().regex(/^[-.a-zA-Z0-9]+$/, 'a flavor name or ID such as s6.xlarge.4').optional(),
});

const ipv4 = z.string().regex(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/, 'an IPv4 address such as 10.20.0.5');
/** A vSphere inventory name or path as govc prints it: no leading or trailing space, no line break. */
const inventoryPath = (example: string) => z.string().regex(/^[^\s](.{0,2046}[^\s])?$/, `a vSphere inventory name or path such as ${example}`);

/** The size of one machine (the control plane's; a node pool's are its own fields). */
const machineSchema = z.strictObject({
  /** vCPUs. */
  cpu: z.number().int().min(2).max(96),
  /** Memory in GiB. */
  memoryGiB: z.number().int().min(2).max(768),
  /** Disk in GiB (at least the template's). */
  diskGiB: z.number().int().min(30).max(4096),
});

/**
 * Where Cluster API (CAPV) builds the cluster's VMs in vSphere, and the control plane's address.
 * The inventory objects must exist; the template is built beforehand (image-builder) for exactly
 * `kubernetesVersion`.`kubernetesPatch`.
 */
export const vsphereSchema = z.strictObject({
  /** vCenter's host name (no scheme), e.g. vcenter.corp.company.ru. */
  server: hostname,
  /**
   * The SHA-256 (or SHA-1) fingerprint of vCenter's TLS certificate, colon-separated upper-case
   * hex, which CAPV pins. @default - none: CAPV verifies the certificate against the system CAs
   */
  thumbprint: z.string().regex(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$|^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'colon-separated upper-case hex of 20 (SHA-1) or 32 (SHA-256) bytes, as `openssl x509 -fingerprint -sha256` prints it').optional(),
  /** The datacenter, e.g. msk-dc1. */
  datacenter: inventoryPath('msk-dc1'),
  /** The datastore of the VMs' disks. */
  datastore: inventoryPath('vsan-prod'),
  /** The port group the VMs attach to; it must serve DHCP on `network.nodesCidr` (no IPAM here). */
  network: inventoryPath('k8s-prod'),
  /** The VM folder, e.g. /msk-dc1/vm/k8s/onprem-prod. */
  folder: inventoryPath('/msk-dc1/vm/k8s/onprem-prod'),
  /** The resource pool, e.g. /msk-dc1/host/cluster1/Resources/k8s. */
  resourcePool: inventoryPath('/msk-dc1/host/cluster1/Resources/k8s'),
  /** The VM template every machine is cloned from (built by image-builder for the cluster's Kubernetes release). */
  template: inventoryPath('ubuntu-2404-kube-v1.35.2'),
  /**
   * The control plane's virtual IP, which kube-vip holds on the control-plane machines: a free
   * address in `network.nodesCidr`, outside the DHCP range and `loadBalancer.addresses`.
   */
  controlPlaneEndpoint: ipv4,
  /** Control-plane machines (3 in prod, 1 elsewhere). @default - 4 vCPU, 8 GiB, 64 GiB */
  controlPlane: machineSchema.optional(),
  /** SSH public keys of the `capv` user on every machine (break-glass access). @default - none: no SSH log-in */
  sshAuthorizedKeys: z.array(z.string().regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( \S.*)?$/, 'an OpenSSH public key line such as "ssh-ed25519 AAAA... admin@company.ru"')).min(1).optional(),
});

export const infraSchema = z.strictObject({
  /**
   * What writes the infrastructure: `opentofu` writes dist/infra/<cluster>/*.tf.json for CI to
   * plan and apply; `crossplane` (Yandex Cloud only) writes Crossplane v2 managed resources into
   * the tree of the management cluster `management` (dist/management/<management>/), which its
   * Argo CD syncs; `cluster-api` (on-prem vSphere only) writes the cluster and its node pools as
   * Cluster API objects (CAPV) into that same tree, and what Cluster API does not make (the Harbor
   * project, the buckets) as the OpenTofu stack; `none` writes nothing (a laptop cluster, or infrastructure made by hand). A
   * cluster opts in: its address ranges, zone and buckets then join the fleet's claims
   * (infra/consistency.ts), which clusters made by hand never declared.
   * @default none
   */
  backend: z.enum(['opentofu', 'crossplane', 'cluster-api', 'none']),
  /**
   * The management cluster that creates this cluster's infrastructure (backends `crossplane` and
   * `cluster-api`): its tree is dist/management/<management>/. Required with those backends,
   * refused with the others. @default - none
   */
  management: dnsLabel.optional(),
  /**
   * Where OpenTofu keeps the stack's state: an S3 bucket made once per cloud before the first
   * stack (state cannot live in a bucket the stack itself creates). The key is
   * `infra/<cluster>/terraform.tfstate`; the state is encrypted client-side (docs/infra.md).
   */
  state: z.strictObject({
    bucket,
    /** @default - `objectStorage.endpoint` */
    endpoint: z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/, 'an https:// URL of the S3 endpoint such as https://storage.yandexcloud.net').optional(),
    /** @default - `objectStorage.region` */
    region: z.string().regex(/^[a-z0-9-]+$/, 'a region name such as ru-central1').optional(),
  }),
  /**
   * The company's provider mirror (`tofu providers mirror` output served over HTTPS, the network
   * mirror protocol): the public registries refuse Russian clients, so every provider comes from
   * it. Written into dist/infra/<cluster>/mirror.tfrc.
   */
  mirror: z.string().regex(/^https:\/\/[^\s]+\/$/, 'an https:// URL ending in "/" (the network mirror protocol requires both), e.g. https://tofu-mirror.company.ru/providers/'),
  /**
   * Address ranges of the cluster. No two clusters may overlap (they get peered and share
   * on-prem routes); the three ranges of one cluster may not overlap either.
   */
  network: z.strictObject({
    /** The nodes' subnet (split per zone where the cloud has one subnet per zone). On VK Cloud and on-prem: the existing subnet's range. */
    nodesCidr: ipv4Cidr,
    /** Pod addresses. */
    podsCidr: ipv4Cidr,
    /** Service (ClusterIP) addresses. */
    servicesCidr: ipv4Cidr,
    /** Availability zones of the nodes and, for a regional control plane, the masters. */
    zones: z.array(z.string().regex(/^[-a-zA-Z0-9]+$/, 'a zone name such as ru-central1-a')).min(1).max(4),
  }),
  /** Worker node pools. @default - one `system` pool per cloud (spec/infra.ts) */
  nodePools: z.array(nodePoolSchema).min(1),
  /**
   * The public DNS zone the stack creates; `domain` must be it or lie under it. On-prem the zone
   * lives in the company's BIND (RFC 2136 has no zone resource): declared here, not created.
   * @default - the cluster's `domain`
   */
  zone: hostname.optional(),
  /**
   * A container registry the stack creates; the image policy must trust it
   * (`imagePolicy.signedImages` covers its images). @default - none
   */
  registry: z.strictObject({
    /** Registry name: Yandex Container Registry, Cloud.ru SWR organization, Harbor project. */
    name: dnsLabel,
    /** Host serving it, where the cloud does not fix one: the Harbor on-prem (e.g. harbor.corp.company.ru). */
    host: hostname.optional(),
    /**
     * Yandex Container Registry's ID (`crp...`), known once the stack is applied (`tofu output
     * registry_id`): images are `cr.yandex/<id>/...`. Until set, the image-policy check waits.
     */
    id: z.string().regex(/^[a-z0-9]{20}$/, 'a registry ID as `tofu output -raw registry_id` prints it (20 letters and digits, crp...)').optional(),
  }).optional(),
  /**
   * Buckets the stack creates in `objectStorage`. @default - exactly those the cluster uses: Loki
   * and Tempo (with `backend: s3`), Velero, the Vault snapshots
   */
  buckets: z.array(bucket).optional(),
  /**
   * The Kubernetes patch release, where a full version is needed: VK Cloud's
   * `vkcs_kubernetes_cluster_v2.version` (`v1.32.3`, pick one the cloud offers), and Cluster API's
   * `v<kubernetesVersion>.<patch>` (required with backend `cluster-api`: the kubelet and kubeadm
   * baked into `vsphere.template` must be exactly that release).
   * @default - none: the VK stack takes the full version as its `kubernetes_version` input, which
   * must be a patch of `kubernetesVersion`
   */
  kubernetesPatch: z.number().int().min(0).max(99).optional(),
  /**
   * What the applied stack reported (IDs, never secrets): read from `overlays/<cluster>.outputs.json`,
   * which `infra-synth onboard` writes; not set in the overlay. The Argo CD cluster Secret carries
   * the IDs as annotations, and a Yandex registry's ID becomes `registry.id`.
   * @default - none: the stack is not applied yet, or its outputs were not captured
   */
  outputs: infraOutputsSchema.optional(),
  /** vSphere: where Cluster API creates the cluster's VMs. Required with backend `cluster-api`, refused with the others. @default - none */
  vsphere: vsphereSchema.optional(),
  /** Yandex Cloud: where the stack creates things. Required on Yandex. */
  yandex: z.strictObject({
    cloudId: folderId,
    /** Folder of the cluster, its network, registry and buckets. */
    folderId,
    /** Folder of the DNS zone and of ExternalDNS's service account (`dns.yandex.folderId` must equal it). @default - folderId */
    dnsFolderId: folderId.optional(),
  }).optional(),
});

export type InfraSettings = z.output<typeof infraSchema>;
export type NodePoolSettings = z.output<typeof nodePoolSchema>;

/** A network's address and prefix as numbers. */
export function parseCidr(cidr: string): { base: number; prefix: number } {
  const [ip, p] = cidr.split('/');
  const base = ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  return { base, prefix: Number(p) };
}

function cidrIsNetworkAddress(cidr: string): boolean {
  const { base, prefix } = parseCidr(cidr);
  return base % 2 ** (32 - prefix) === 0;
}

/** Whether two networks share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const size = (c: { prefix: number }) => 2 ** (32 - c.prefix);
  return x.base < y.base + size(y) && y.base < x.base + size(x);
}

/** The default pool: three nodes of 4 vCPU and 16 GiB, enough for the platform with HA. */
const SYSTEM_POOL: NodePoolSettings = { name: 'system', cpu: 4, memoryGiB: 16, diskGiB: 64, min: 3, max: 3 };

/**
 * Default layers of the block. The ranges differ per cloud so that the example fleet (one cluster
 * per cloud) does not overlap; a second cluster in a cloud sets its own (the fleet rule says so).
 */
export const INFRA_DEFAULTS: { platform: SpecLayer; cloud: Record<Cloud, SpecLayer> } = {
  platform: {
    infra: {
      backend: 'none',
      state: { bucket: 'company-tofu-state' },
      mirror: 'https://tofu-mirror.company.ru/providers/',
      nodePools: [SYSTEM_POOL],
    },
  },
  cloud: {
    yandex: {
      infra: {
        network: { nodesCidr: '10.1.0.0/16', podsCidr: '10.101.0.0/16', servicesCidr: '10.201.0.0/16', zones: ['ru-central1-a', 'ru-central1-b', 'ru-central1-d'] },
        // The company's cloud and platform folder; the DNS folder is the one ExternalDNS writes (spec/defaults.ts).
        yandex: { cloudId: 'b1gc0mpanyc1oud00001', folderId: 'b1gc0mpanyk8s0000001', dnsFolderId: 'b1gc0mpanydns0000001' },
      },
    },
    sber: {
      infra: { network: { nodesCidr: '10.2.0.0/16', podsCidr: '10.102.0.0/16', servicesCidr: '10.202.0.0/16', zones: ['ru-moscow-1a'] } },
    },
    vk: {
      infra: { network: { nodesCidr: '10.3.0.0/16', podsCidr: '10.103.0.0/16', servicesCidr: '10.203.0.0/16', zones: ['MS1'] } },
    },
    onprem: {
      infra: { network: { nodesCidr: '10.20.0.0/16', podsCidr: '10.120.0.0/16', servicesCidr: '10.220.0.0/16', zones: ['msk-dc1'] } },
    },
  },
};

/** Rules of the block that a per-field schema cannot state; `add(path, message)` records a problem. */
/** What the infra rules read of a spec. */
export interface InfraRuleSpec {
  readonly name: string;
  readonly cloud: Cloud;
  readonly infrastructure: 'managed' | 'baremetal' | 'vsphere';
  readonly infra: InfraSettings;
  readonly loadBalancer?: LoadBalancerSettings;
  readonly ingress?: { readonly loadBalancerIP?: string };
}

export function checkInfraSettings(spec: InfraRuleSpec, add: (path: string, message: string) => void): void {
  const infra = spec.infra;
  const pools = new Map<string, number>();
  infra.nodePools.forEach((p, i) => {
    if (p.min > p.max) add(`infra.nodePools[${i}].min`, `received ${p.min}, more than max ${p.max}; min ≤ max (equal for a fixed-size pool)`);
    if (pools.has(p.name)) add(`infra.nodePools[${i}].name`, `received "${p.name}", already the name of infra.nodePools[${pools.get(p.name)}]; pool names are unique in a cluster`);
    else pools.set(p.name, i);
  });
  const ranges = (['nodesCidr', 'podsCidr', 'servicesCidr'] as const);
  ranges.forEach((a, i) => ranges.slice(i + 1).forEach((b) => {
    if (cidrsOverlap(infra.network[a], infra.network[b])) {
      add(`infra.network.${b}`, `received "${infra.network[b]}", which overlaps infra.network.${a} "${infra.network[a]}"; the nodes', pods' and services' ranges of a cluster are disjoint`);
    }
  }));
  const onManagement = infra.backend === 'crossplane' || infra.backend === 'cluster-api';
  if (infra.management && !onManagement) {
    add('infra.management', `received "${infra.management}" with backend "${infra.backend}"; only the crossplane and cluster-api backends run on a management cluster: remove infra.management or set infra.backend: 'crossplane' (Yandex) or 'cluster-api' (vSphere)`);
  }
  if (infra.vsphere && infra.backend !== 'cluster-api') {
    add('infra.vsphere', `received a vSphere placement with backend "${infra.backend}"; only the cluster-api backend builds VMs from it: remove infra.vsphere or set infra.backend: 'cluster-api'`);
  }
  if (infra.backend === 'none') return;
  if (infra.backend === 'crossplane' && spec.cloud !== 'yandex') {
    add('infra.backend', `received "crossplane" on cloud "${spec.cloud}"; the Crossplane backend maps Yandex Cloud only (docs/infra.md#crossplane-on-a-management-cluster): use 'opentofu'${spec.cloud === 'onprem' ? " (or 'cluster-api' for a vSphere cluster)" : ''}`);
  }
  if (infra.backend === 'cluster-api') checkClusterApi(spec, add);
  if (onManagement) {
    if (!infra.management) {
      add('infra.management', `missing; backend '${infra.backend}' writes the cluster's ${infra.backend === 'crossplane' ? 'managed resources' : 'Cluster API objects'} into a management cluster's tree (dist/management/<name>/): name that cluster, e.g. infra.management: 'mgmt'`);
    } else if (infra.management === spec.name) {
      add('infra.management', `received "${infra.management}", the cluster itself; a cluster cannot create itself: name the management cluster that creates it`);
    }
  }
  if (spec.cloud === 'yandex' && !infra.yandex) {
    add('infra.yandex', 'missing; a Yandex Cloud stack needs { cloudId, folderId } (and dnsFolderId when the DNS zone lives in another folder)');
  }
  if (spec.cloud !== 'yandex' && infra.yandex) add('infra.yandex', `received a Yandex Cloud block on cloud "${spec.cloud}"; remove it`);
  const r = infra.registry;
  if (r && spec.cloud === 'vk') {
    add('infra.registry', 'received a registry on VK Cloud; its registry is the docker-registry cluster add-on, which this stack does not create (docs/infra.md#what-is-not-automated): remove infra.registry');
  }
  if (r && spec.cloud === 'onprem' && !r.host) add('infra.registry.host', 'missing; on-prem the registry is a Harbor project: name the Harbor host, e.g. harbor.corp.company.ru');
  if (r?.host && spec.cloud !== 'onprem') add('infra.registry.host', `received "${r.host}" on cloud "${spec.cloud}"; the cloud's registry host is fixed (the field is for the Harbor on-prem)`);
  if (r?.id && spec.cloud !== 'yandex') add('infra.registry.id', `received "${r.id}" on cloud "${spec.cloud}"; only Yandex Container Registry has a server-assigned ID in its image names`);
}

/** The rules of backend `cluster-api`: on-prem vSphere, a placement, a full Kubernetes release, a usable VIP. */
function checkClusterApi(spec: InfraRuleSpec, add: (path: string, message: string) => void): void {
  const infra = spec.infra;
  if (spec.cloud !== 'onprem') {
    add('infra.backend', `received "cluster-api" on cloud "${spec.cloud}"; the Cluster API backend builds on-prem vSphere clusters only (docs/infra.md#vsphere-clusters-through-cluster-api): use 'opentofu'${spec.cloud === 'yandex' ? " or 'crossplane'" : ''}`);
    return;
  }
  if (spec.infrastructure !== 'vsphere') {
    add('infra.backend', `received "cluster-api" with infrastructure "${spec.infrastructure}"; the Cluster API backend builds vSphere VMs (CAPV) only: set infrastructure: 'vsphere', or use 'opentofu' and build the ${spec.infrastructure} cluster with kubeadm`);
    return;
  }
  if (infra.kubernetesPatch === undefined) {
    add('infra.kubernetesPatch', 'missing; Cluster API needs the full Kubernetes release the VM template was built for (v<kubernetesVersion>.<patch>): set it, e.g. infra.kubernetesPatch: 2');
  }
  const v = infra.vsphere;
  if (!v) {
    add('infra.vsphere', "missing; backend 'cluster-api' needs where to build the VMs: { server, datacenter, datastore, network, folder, resourcePool, template, controlPlaneEndpoint } (docs/infra.md#vsphere-clusters-through-cluster-api)");
    return;
  }
  const vip = v.controlPlaneEndpoint;
  if (!inAddressBlocks(vip, [infra.network.nodesCidr])) {
    add('infra.vsphere.controlPlaneEndpoint', `received "${vip}", outside infra.network.nodesCidr "${infra.network.nodesCidr}"; kube-vip announces the VIP on the machines' network (ARP): pick a free address in it`);
  }
  if (spec.loadBalancer?.addresses && inAddressBlocks(vip, spec.loadBalancer.addresses)) {
    add('infra.vsphere.controlPlaneEndpoint', `received "${vip}", inside loadBalancer.addresses; kube-vip would hand the control plane's address to a LoadBalancer Service: pick one outside the pool`);
  }
  if (spec.ingress?.loadBalancerIP === vip) {
    add('infra.vsphere.controlPlaneEndpoint', `received "${vip}", which is ingress.loadBalancerIP; the control plane and the ingress need addresses of their own`);
  }
}

/** The `index`-th of the networks `extraBits` longer than `cidr` (10.1.0.0/16, 2, 1 → 10.1.64.0/18). */
export function subnetOf(cidr: string, extraBits: number, index: number): string {
  const { base, prefix } = parseCidr(cidr);
  const p = prefix + extraBits;
  const start = base + index * 2 ** (32 - p);
  return `${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.')}/${p}`;
}
