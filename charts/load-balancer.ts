import { k8s } from 'cdk8s-plus-28';
import type { ClusterSpec } from '../spec/schema.js';
import { LOAD_BALANCER_IP_ANNOTATIONS, loadBalancerProvider } from '../spec/load-balancer.js';
import { WAVES, type PlatformComponent } from './component.js';

// On-prem LoadBalancer addresses (issue 14, finding 5). No load-balancer chart or CRD is in the
// pinned reference set (no MetalLB, kube-vip or AKO chart; MetalLB's IPAddressPool could not be
// validated), so the provider itself is a prerequisite the cluster admin installs
// (docs/overlay-edge.md). What the platform renders is what the provider reads from plain
// Kubernetes objects: the ingress Service's address annotation and kube-vip's address pool.

/** Namespace of kube-vip-cloud-provider's pool ConfigMap (the provider runs with KUBEVIP_NAMESPACE set to it). */
export const KUBE_VIP_CONFIG_NAMESPACE = 'kube-vip';
/** kube-vip-cloud-provider's default ConfigMap name (KUBEVIP_CONFIG_MAP). */
export const KUBE_VIP_CONFIG_MAP = 'kubevip';

/** How the ingress Service asks the cluster's provider for `ingress.loadBalancerIP`. */
export interface AddressRequest {
  /** Service annotations (kube-vip, MetalLB); empty when the provider reads the field. */
  readonly annotations: Record<string, string>;
  /** `spec.loadBalancerIP`: deprecated since Kubernetes 1.24, but the only way the clouds' controllers and AKO take an address. */
  readonly loadBalancerIP?: string;
}

/** The ingress Service's address request: the provider's annotation where it has one, else the field. */
export function ingressAddressRequest(spec: ClusterSpec): AddressRequest {
  const address = spec.ingress.loadBalancerIP;
  if (!address) return { annotations: {} };
  const annotation = LOAD_BALANCER_IP_ANNOTATIONS[loadBalancerProvider(spec)];
  return annotation ? { annotations: { [annotation]: address } } : { annotations: {}, loadBalancerIP: address };
}

/**
 * kube-vip's address pool for every LoadBalancer Service of the cluster without a requested
 * address: kube-vip-cloud-provider's ConfigMap (`range-global` and `cidr-global`, comma-separated).
 * Only with provider kube-vip and `loadBalancer.addresses`.
 */
export function loadBalancerComponents(spec: ClusterSpec): PlatformComponent[] {
  const lb = spec.loadBalancer;
  if (lb?.provider !== 'kube-vip' || !lb.addresses) return [];
  const ranges = lb.addresses.filter((a) => a.includes('-'));
  const cidrs = lb.addresses.filter((a) => a.includes('/'));
  return [{
    name: 'load-balancer',
    namespace: KUBE_VIP_CONFIG_NAMESPACE,
    // Before the ingress gateway asks for an address.
    objectsWave: WAVES.operators,
    addObjects: (chart) => {
      new k8s.KubeConfigMap(chart, 'kube-vip-pool', {
        metadata: { name: KUBE_VIP_CONFIG_MAP, namespace: KUBE_VIP_CONFIG_NAMESPACE },
        data: {
          ...(ranges.length ? { 'range-global': ranges.join(',') } : {}),
          ...(cidrs.length ? { 'cidr-global': cidrs.join(',') } : {}),
        },
      });
    },
  }];
}
