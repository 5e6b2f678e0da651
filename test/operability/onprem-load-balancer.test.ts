// Finding 5 of issue 14: the on-prem ingress Service asked for 10.20.0.10 through the deprecated
// spec.loadBalancerIP with nothing on the cluster to give it, so the address stayed pending and
// ExternalDNS published nothing. The overlay names the provider; the Service asks it the way it
// reads, and kube-vip's pool is rendered.
import { renderCluster } from '../../charts/cluster.js';
import { resolveCluster } from '../../spec/load.js';
import { specFor } from '../helpers/fleet.js';

const site = {
  cloud: 'onprem', infrastructure: 'vsphere', environment: 'stage', domain: 'corp.company.ru',
  objectStorage: { endpoint: 'https://s3.corp.company.ru', region: 'msk-dc1' },
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};
const problemsOf = (overlay: unknown) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay }).problems;
const objectsOf = (overlay: Record<string, unknown>): Record<string, any>[] => renderCluster(specFor(overlay, 'dc1')).manifests.map((m) => m.object);
const values = (objects: Record<string, any>[], app: string) => objects.find((o) => o.kind === 'Application' && o.metadata.name === app)!.spec.source.helm.valuesObject;

describe('on-prem ingress addresses come from a named load-balancer provider', () => {
  test('an on-prem overlay without a provider is refused, naming the field and the providers of its infrastructure', () => {
    expect(problemsOf(site)).toEqual([
      'overlays/c1.ts: loadBalancer: missing; an onprem cluster has no cloud controller to give the ingress a LoadBalancer address: set loadBalancer: { provider: "nsx-alb" or "kube-vip" } (installed by the cluster admin, see docs/overlay-edge.md), or "builtin" for k3s/kind',
    ]);
  });

  test('kube-vip: the Istio gateway asks by kube-vip\'s annotation, not the deprecated loadBalancerIP', () => {
    const service = values(objectsOf({ ...site, ingress: { kind: 'istio', loadBalancerIP: '10.20.0.10' }, loadBalancer: { provider: 'kube-vip' } }), 'istio-ingress').service;
    expect(service).toEqual({ type: 'LoadBalancer', annotations: { 'kube-vip.io/loadbalancerIPs': '10.20.0.10' } });
  });

  test('MetalLB: the Traefik Service asks by MetalLB\'s annotation', () => {
    const overlay = { ...site, infrastructure: 'baremetal', ingress: { kind: 'traefik', loadBalancerIP: '10.30.0.5' }, loadBalancer: { provider: 'metallb' } };
    expect(values(objectsOf(overlay), 'traefik').service).toEqual({ annotations: { 'metallb.io/loadBalancerIPs': '10.30.0.5' } });
  });

  test('NSX Advanced Load Balancer and the clouds keep spec.loadBalancerIP, the only way AKO and the clouds\' controllers take an address', () => {
    const nsx = values(objectsOf({ ...site, ingress: { kind: 'istio', loadBalancerIP: '10.20.0.10' }, loadBalancer: { provider: 'nsx-alb' } }), 'istio-ingress').service;
    expect(nsx).toEqual({ type: 'LoadBalancer', loadBalancerIP: '10.20.0.10' });
    const yc = values(objectsOf({ cloud: 'yandex', environment: 'stage', domain: 'prod.company.ru', ingress: { kind: 'istio', loadBalancerIP: '203.0.113.10' } }), 'istio-ingress').service;
    expect(yc).toEqual({ type: 'LoadBalancer', loadBalancerIP: '203.0.113.10' });
  });

  test('kube-vip with a pool: kube-vip-cloud-provider\'s ConfigMap is rendered in its own namespace, before the gateway', () => {
    const objects: Record<string, any>[] = objectsOf({ ...site, ingress: { kind: 'istio', loadBalancerIP: '10.20.0.10' }, loadBalancer: { provider: 'kube-vip', addresses: ['10.20.0.10-10.20.0.40', '10.21.0.0/28'] } });
    const pool = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kubevip');
    expect(pool).toMatchObject({ metadata: { namespace: 'kube-vip' }, data: { 'range-global': '10.20.0.10-10.20.0.40', 'cidr-global': '10.21.0.0/28' } });
    const wave = (name: string) => Number(objects.find((o) => o.kind === 'Application' && o.metadata.name === name)!.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('load-balancer')).toBeLessThan(wave('istio-ingress'));
  });

  test.each([
    ['an address outside the pool', { ingress: { kind: 'istio', loadBalancerIP: '10.20.1.10' }, loadBalancer: { provider: 'kube-vip', addresses: ['10.20.0.10-10.20.0.40'] } },
      'overlays/c1.ts: ingress.loadBalancerIP: received "10.20.1.10", outside loadBalancer.addresses (10.20.0.10-10.20.0.40); the ingress\'s address must come from the pool'],
    ['the cloud controller on-prem', { loadBalancer: { provider: 'cloud' } },
      'overlays/c1.ts: loadBalancer.provider: received "cloud" on cloud "onprem"; no cloud controller runs there: use "nsx-alb" or "kube-vip", or "builtin" for k3s/kind'],
    ['NSX ALB on bare metal', { infrastructure: 'baremetal', loadBalancer: { provider: 'nsx-alb' } },
      'overlays/c1.ts: loadBalancer.provider: received "nsx-alb" on "baremetal"; the NSX Advanced Load Balancer runs on vSphere (use "kube-vip" or "metallb")'],
    ['a pool for MetalLB', { infrastructure: 'baremetal', loadBalancer: { provider: 'metallb', addresses: ['10.30.0.0/28'] } },
      'overlays/c1.ts: loadBalancer.addresses: received a pool with provider "metallb"; only kube-vip\'s pool is rendered here (MetalLB\'s IPAddressPool and AKO\'s VIP network are configured with the provider itself): leave addresses out'],
    ['a requested address with k3s ServiceLB', { infrastructure: 'baremetal', ingress: { kind: 'traefik', loadBalancerIP: '10.30.0.5' }, loadBalancer: { provider: 'builtin' } },
      'overlays/c1.ts: ingress.loadBalancerIP: received "10.30.0.5" with loadBalancer.provider "builtin"; k3s ServiceLB and cloud-provider-kind take no requested address (leave it out, or use "kube-vip")'],
    ['a pool that is not a range', { loadBalancer: { provider: 'kube-vip', addresses: ['10.20.0.10..40'] } },
      'overlays/c1.ts: loadBalancer.addresses[0]: received "10.20.0.10..40"; expected an IPv4 range "10.20.0.10-10.20.0.30" or a CIDR "10.20.0.0/27"'],
  ])('refused: %s', (_what, overlay, message) => {
    expect(problemsOf({ ...site, ...overlay })).toEqual([message]);
  });

  test('a managed cluster may not name an on-prem provider', () => {
    expect(problemsOf({ cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ingress: { kind: 'traefik' }, loadBalancer: { provider: 'metallb' } })).toEqual([
      'overlays/c1.ts: loadBalancer.provider: received "metallb" on cloud "vk"; a managed cluster\'s LoadBalancer addresses come from the cloud\'s controller (use "cloud", or leave loadBalancer out)',
    ]);
  });
});
