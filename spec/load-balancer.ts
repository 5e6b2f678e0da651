import { z } from 'zod';

// Who gives the cluster's LoadBalancer Services (the ingress gateway's first) an address, and how
// a requested address reaches that provider. The clouds' controllers come with the managed
// clusters; on-prem nothing does unless the overlay names it (issue 14, finding 5).

/**
 * `cloud`: the managed cloud's controller (Yandex, Cloud.ru, VK Cloud); `kube-vip` (bare metal or
 * vSphere); `metallb` (bare metal); `nsx-alb`: the NSX Advanced Load Balancer (Avi) through its
 * Kubernetes operator AKO (vSphere); `builtin`: the distribution's own (k3s/k3d ServiceLB,
 * cloud-provider-kind), which takes no requested address.
 */
export const LOAD_BALANCER_PROVIDERS = ['cloud', 'kube-vip', 'metallb', 'nsx-alb', 'builtin'] as const;
export type LoadBalancerProvider = (typeof LOAD_BALANCER_PROVIDERS)[number];

/**
 * Annotation through which a provider takes a requested address, instead of the deprecated
 * `spec.loadBalancerIP` (the clouds' controllers and AKO read only that field, so they keep it).
 */
export const LOAD_BALANCER_IP_ANNOTATIONS: Partial<Record<LoadBalancerProvider, string>> = {
  'kube-vip': 'kube-vip.io/loadbalancerIPs',
  metallb: 'metallb.io/loadBalancerIPs',
};

const octet = '(25[0-5]|2[0-4]\\d|1?\\d?\\d)';
const ip = `(${octet}\\.){3}${octet}`;
/** `10.20.0.10-10.20.0.30` (a range, kube-vip-cloud-provider's `range-*`) or `10.20.0.0/27` (`cidr-*`). */
const addressBlock = z.string().regex(new RegExp(`^${ip}(-${ip}|/([12]?\\d|3[0-2]))$`), 'an IPv4 range "10.20.0.10-10.20.0.30" or a CIDR "10.20.0.0/27"');

export const loadBalancerSchema = z.strictObject({
  /** Who assigns and announces LoadBalancer addresses (LOAD_BALANCER_PROVIDERS). @default cloud in the clouds; required on-prem */
  provider: z.enum(LOAD_BALANCER_PROVIDERS),
  /**
   * kube-vip only: the pool LoadBalancer Services without a requested address get one from,
   * rendered as kube-vip-cloud-provider's ConfigMap (`range-global`/`cidr-global`).
   * @default - none: only Services that request an address (the ingress with
   * `ingress.loadBalancerIP`) get one
   */
  addresses: z.array(addressBlock).min(1).optional(),
});
export type LoadBalancerSettings = z.infer<typeof loadBalancerSchema>;

/** The cluster's provider: the overlay's, or the cloud's controller on a managed cluster. */
export function loadBalancerProvider(spec: { loadBalancer?: LoadBalancerSettings }): LoadBalancerProvider {
  return spec.loadBalancer?.provider ?? 'cloud';
}

const toNumber = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** Whether an address lies in one of the blocks (ranges inclusive). */
export function inAddressBlocks(address: string, blocks: readonly string[]): boolean {
  const n = toNumber(address);
  return blocks.some((b) => {
    if (b.includes('/')) {
      const [base, bits] = b.split('/');
      const size = 2 ** (32 - Number(bits));
      const start = Math.floor(toNumber(base) / size) * size;
      return n >= start && n < start + size;
    }
    const [from, to] = b.split('-').map(toNumber);
    return n >= from && n <= to;
  });
}

/** Cross-field rules of `loadBalancer` against the cloud, the infrastructure and `ingress.loadBalancerIP`. */
export function checkLoadBalancer(
  spec: { cloud: string; infrastructure: string; loadBalancer?: LoadBalancerSettings; ingress: { loadBalancerIP?: string } },
  add: (path: string, message: string) => void,
): void {
  const lb = spec.loadBalancer;
  const ipAddr = spec.ingress.loadBalancerIP;
  if (spec.cloud !== 'onprem') {
    if (lb && lb.provider !== 'cloud') add('loadBalancer.provider', `received "${lb.provider}" on cloud "${spec.cloud}"; a managed cluster's LoadBalancer addresses come from the cloud's controller (use "cloud", or leave loadBalancer out)`);
    return;
  }
  const choices = spec.infrastructure === 'vsphere' ? '"nsx-alb" or "kube-vip"' : '"kube-vip" or "metallb"';
  if (!lb) {
    add('loadBalancer', `missing; an onprem cluster has no cloud controller to give the ingress a LoadBalancer address: set loadBalancer: { provider: ${choices} } (installed by the cluster admin, see docs/overlay-edge.md), or "builtin" for k3s/kind`);
    return;
  }
  if (lb.provider === 'cloud') add('loadBalancer.provider', `received "cloud" on cloud "onprem"; no cloud controller runs there: use ${choices}, or "builtin" for k3s/kind`);
  if (lb.provider === 'nsx-alb' && spec.infrastructure !== 'vsphere') add('loadBalancer.provider', `received "nsx-alb" on "${spec.infrastructure}"; the NSX Advanced Load Balancer runs on vSphere (use "kube-vip" or "metallb")`);
  if (lb.provider === 'builtin' && ipAddr) add('ingress.loadBalancerIP', `received "${ipAddr}" with loadBalancer.provider "builtin"; k3s ServiceLB and cloud-provider-kind take no requested address (leave it out, or use "kube-vip")`);
  if (lb.addresses && lb.provider !== 'kube-vip') add('loadBalancer.addresses', `received a pool with provider "${lb.provider}"; only kube-vip's pool is rendered here (MetalLB's IPAddressPool and AKO's VIP network are configured with the provider itself): leave addresses out`);
  if (lb.addresses && ipAddr && !inAddressBlocks(ipAddr, lb.addresses)) add('ingress.loadBalancerIP', `received "${ipAddr}", outside loadBalancer.addresses (${lb.addresses.join(', ')}); the ingress's address must come from the pool`);
}
