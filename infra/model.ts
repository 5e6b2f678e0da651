// The cloud-neutral infrastructure model of one cluster: a stack of constructs (ManagedCluster,
// NodePool, DnsZone, Registry, Bucket, ServiceAccount, AccessKey) that say what must exist, not
// how a cloud spells it. A backend (backend.ts) turns a stack into files: OpenTofu JSON (tofu/),
// or Crossplane managed resources for a management cluster (crossplane/). No cdk8s here.
import type { Cloud, Environment } from '../spec/schema.js';

/** A construct's props broke a rule: the message names the construct's path and the field. */
export class InfraPropError extends Error {}

function invalid(path: string, field: string, value: unknown, expected: string): never {
  throw new InfraPropError(`${path}: props.${field}: received ${JSON.stringify(value)}; expected ${expected}`);
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ZONE = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

function requireName(path: string, field: string, v: string): void {
  if (!NAME.test(v)) invalid(path, field, v, 'a DNS label (lower-case letters, digits and "-")');
}
function requireCount(path: string, field: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) invalid(path, field, v, `a whole number from ${min} to ${max}`);
}

export interface InfraStackProps {
  /** The cluster's name (a DNS label); the stack is written to infra/<cluster>/. */
  readonly cluster: string;
  readonly cloud: Cloud;
  readonly environment: Environment;
  /** The cloud's region (ru-central1, ru-moscow-1, ru-msk) or the data centre. */
  readonly region: string;
  /** The S3-compatible store the cluster's buckets live in. */
  readonly objectStorage: { readonly endpoint: string; readonly region: string };
  /** Where the stack's state is kept (a bucket made before any stack) and its key. */
  readonly state: { readonly bucket: string; readonly key: string; readonly endpoint: string; readonly region: string };
  /** The provider mirror URL (network mirror protocol, https, trailing "/"). */
  readonly mirror: string;
  /** The management cluster that creates the stack (Crossplane and Cluster API backends). @default - none */
  readonly management?: string;
  /**
   * vSphere placement of a cluster Cluster API builds (backend `cluster-api`); with it, the
   * OpenTofu on-prem mapping leaves the cluster to capi/. @default - none (the cluster is not Cluster API's)
   */
  readonly vsphere?: VSpherePlacement;
  /** Yandex Cloud placement: cloud, folder of the cluster, folder of the DNS zone. @default - none (other clouds) */
  readonly yandex?: { readonly cloudId: string; readonly folderId: string; readonly dnsFolderId: string };
}

/** A machine's size. */
export interface MachineSize {
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly diskGiB: number;
}

/** Where Cluster API (CAPV) builds a cluster's VMs, and the control plane's address (spec/infra.ts documents each field). */
export interface VSpherePlacement {
  readonly server: string;
  /** @default - none: CAPV verifies vCenter's certificate against the system CAs */
  readonly thumbprint?: string;
  readonly datacenter: string;
  readonly datastore: string;
  readonly network: string;
  readonly folder: string;
  readonly resourcePool: string;
  readonly template: string;
  /** The control plane's VIP (kube-vip). */
  readonly controlPlaneEndpoint: string;
  readonly controlPlane: MachineSize;
  /** @default [] */
  readonly sshAuthorizedKeys?: readonly string[];
}

/** Something the stack must make exist. */
export abstract class InfraConstruct {
  /** `InfraStack/<cluster>/<Kind>/<name>`: how errors name it. */
  readonly path: string;
  // The kind is a constructor argument, not a subclass field: fields of a subclass are not set
  // yet while this constructor adds the construct to its stack.
  constructor(readonly stack: InfraStack, readonly name: string, readonly kind: string) {
    this.path = `${stack.path}/${kind}/${name}`;
    requireName(this.path, 'name', name);
    stack.add(this);
  }
}

/** One cluster's infrastructure: the constructs below, in the order they were added. */
export class InfraStack {
  readonly path: string;
  private readonly items: InfraConstruct[] = [];
  constructor(readonly props: InfraStackProps) {
    this.path = `InfraStack/${props.cluster}`;
    requireName(this.path, 'cluster', props.cluster);
    if (!/^https:\/\/\S+\/$/.test(props.mirror)) invalid(this.path, 'mirror', props.mirror, 'an https:// URL ending in "/"');
    if (!BUCKET.test(props.state.bucket)) invalid(this.path, 'state.bucket', props.state.bucket, 'an S3 bucket name');
  }
  add(c: InfraConstruct): void {
    if (this.items.some((x) => x.kind === c.kind && x.name === c.name)) invalid(this.path, `${c.kind}.name`, c.name, `a name no other ${c.kind} of the stack has`);
    this.items.push(c);
  }
  /** The constructs of one kind, in the order added. */
  all<T extends InfraConstruct>(type: abstract new (...args: never[]) => T): T[] {
    return this.items.filter((c): c is T => c instanceof type);
  }
  one<T extends InfraConstruct>(type: abstract new (...args: never[]) => T): T | undefined {
    return this.all(type)[0];
  }
}

export interface ManagedClusterProps {
  /** `MAJOR.MINOR` of the control plane (the overlay's kubernetesVersion). */
  readonly version: string;
  /** The patch release where a cloud wants a full version (VK Cloud). @default - none */
  readonly patch?: number;
  /** The nodes', pods' and services' ranges, and the zones. */
  readonly network: { readonly nodesCidr: string; readonly podsCidr: string; readonly servicesCidr: string; readonly zones: readonly string[] };
  /** Control plane in several zones (prod). @default false */
  readonly highAvailability?: boolean;
  /**
   * `managed`: the cloud's managed Kubernetes; `vsphere`/`baremetal`: built on-prem (Cluster API or
   * kubeadm), which the OpenTofu backend does not create.
   */
  readonly infrastructure: 'managed' | 'vsphere' | 'baremetal';
}

/** The Kubernetes control plane and the network it runs in. */
export class ManagedCluster extends InfraConstruct {
  constructor(stack: InfraStack, name: string, readonly props: ManagedClusterProps) {
    super(stack, name, 'ManagedCluster');
    if (!/^1\.\d{2}$/.test(props.version)) invalid(this.path, 'version', props.version, 'MAJOR.MINOR such as 1.33');
    if (props.patch !== undefined) requireCount(this.path, 'patch', props.patch, 0, 99);
    for (const f of ['nodesCidr', 'podsCidr', 'servicesCidr'] as const) {
      if (!CIDR.test(props.network[f])) invalid(this.path, `network.${f}`, props.network[f], 'an IPv4 network such as 10.1.0.0/16');
    }
    if (!props.network.zones.length) invalid(this.path, 'network.zones', props.network.zones, 'at least one zone');
  }
  get highAvailability(): boolean { return this.props.highAvailability ?? false; }
}

export interface NodePoolProps {
  readonly cluster: ManagedCluster;
  /** vCPUs, memory (GiB) and disk (GiB) per node. */
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly diskGiB: number;
  /** Nodes at least and at most; equal for a fixed-size pool. */
  readonly min: number;
  readonly max: number;
  /** The cloud's machine type where it has named ones. @default - per cloud mapping */
  readonly flavor?: string;
}

/** A group of identical worker nodes of a ManagedCluster. */
export class NodePool extends InfraConstruct {
  constructor(stack: InfraStack, name: string, readonly props: NodePoolProps) {
    super(stack, name, 'NodePool');
    requireCount(this.path, 'cpu', props.cpu, 2, 96);
    requireCount(this.path, 'memoryGiB', props.memoryGiB, 2, 768);
    requireCount(this.path, 'diskGiB', props.diskGiB, 30, 4096);
    requireCount(this.path, 'min', props.min, 0, 100);
    requireCount(this.path, 'max', props.max, Math.max(1, props.min), 100);
  }
  get autoscaled(): boolean { return this.props.max > this.props.min; }
}

export interface DnsZoneProps {
  /** The zone's name without the trailing dot, e.g. prod.company.ru. */
  readonly zone: string;
  /** Refuse to destroy it with the stack (prod). @default false */
  readonly protect?: boolean;
}

/** A public DNS zone the cluster's names live in. */
export class DnsZone extends InfraConstruct {
  constructor(stack: InfraStack, name: string, readonly props: DnsZoneProps) {
    super(stack, name, 'DnsZone');
    if (!ZONE.test(props.zone)) invalid(this.path, 'zone', props.zone, 'a DNS name of two labels or more, without the trailing dot, such as prod.company.ru');
  }
}

export interface RegistryProps {
  /** Host serving it where the cloud does not fix one (Harbor on-prem). @default - the cloud's */
  readonly host?: string;
  /** Server-assigned ID once known (Yandex). @default - unknown until applied */
  readonly id?: string;
}

/** A container registry the cluster's images come from. */
export class Registry extends InfraConstruct {
  constructor(stack: InfraStack, name: string, readonly props: RegistryProps = {}) {
    super(stack, name, 'Registry');
  }
}

export interface BucketProps {
  /** The S3 bucket name. */
  readonly bucket: string;
  /** What uses it (loki, tempo, velero, vault-snapshots), for the stack's outputs and docs. @default [] */
  readonly usedBy?: readonly string[];
  /** Refuse to destroy it with the stack (backups, prod). @default false */
  readonly protect?: boolean;
}

/** An S3 bucket in the cluster's object store. */
export class Bucket extends InfraConstruct {
  constructor(stack: InfraStack, name: string, readonly props: BucketProps) {
    super(stack, name, 'Bucket');
    if (!BUCKET.test(props.bucket)) invalid(this.path, 'bucket', props.bucket, 'an S3 bucket name (3-63 lower-case letters, digits, "." and "-")');
  }
}

/**
 * What a platform component's service account is for; each cloud mapping grants the roles that
 * purpose needs. (The identities a cloud's managed cluster itself needs are its mapping's concern.)
 */
export type ServiceAccountPurpose = 'external-dns' | 'storage';

export interface ServiceAccountProps {
  readonly purpose: ServiceAccountPurpose;
}

/** A cloud identity a platform component acts as: ExternalDNS, the bucket users. */
export class ServiceAccount extends InfraConstruct {
  constructor(stack: InfraStack, name: string, readonly props: ServiceAccountProps) {
    super(stack, name, 'ServiceAccount');
  }
}

export interface AccessKeyProps {
  readonly serviceAccount: ServiceAccount;
}

/**
 * An S3 access key of a ServiceAccount: its ID is a stack output, its secret a sensitive output
 * that lives only in the encrypted state (copied into secrets/ with `infra-synth secrets add`).
 */
export class AccessKey extends InfraConstruct {
  constructor(stack: InfraStack, name: string, readonly props: AccessKeyProps) {
    super(stack, name, 'AccessKey');
  }
}
