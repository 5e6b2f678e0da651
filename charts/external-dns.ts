import { CHARTS, IMAGES } from '../catalog/versions.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent, type SecretUse } from './component.js';

export const EXTERNAL_DNS_NAMESPACE = 'external-dns';

/**
 * The annotation prefix, pinned: chart 1.21.1 ships ExternalDNS 0.21 (`external-dns.alpha.
 * kubernetes.io/`), and 0.22 changed the default to `external-dns.kubernetes.io/`. Pinning it means
 * an upgrade cannot silently stop reading the annotations we render.
 */
export const EXTERNAL_DNS_ANNOTATION_PREFIX = 'external-dns.alpha.kubernetes.io/';
export const EXTERNAL_DNS_TARGET_ANNOTATION = `${EXTERNAL_DNS_ANNOTATION_PREFIX}target`;

/** Where the webhook reads the Yandex service-account key inside the sidecar. */
const YANDEX_KEY_DIR = '/etc/yandex-dns';

export const EXTERNAL_DNS_HOSTNAME_ANNOTATION = `${EXTERNAL_DNS_ANNOTATION_PREFIX}hostname`;

/**
 * ExternalDNS sources that read what the cluster's ingress renders. Traefik's CRDs publish no
 * address: with a reserved load-balancer address the routes carry it as their target
 * (traefik-proxy); without one, the Traefik Service lists the hosts and ExternalDNS takes the
 * address from the Service's status (service).
 */
export function externalDnsSources(spec: ClusterSpec): string[] {
  if (spec.ingress.kind === 'istio') return ['istio-gateway', 'istio-virtualservice'];
  return spec.ingress.loadBalancerIP ? ['traefik-proxy'] : ['service'];
}

/**
 * ExternalDNS, where the cluster has a DNS writer: the Yandex Cloud DNS webhook as a sidecar, or
 * RFC 2136 to the on-prem BIND. VK Cloud and Cloud.ru have no provider at all (no in-tree one, no
 * usable webhook): there `dns.provider` is "none", the records live in Terraform, and this
 * component is not built.
 */
export function externalDnsComponent(spec: ClusterSpec): PlatformComponent | undefined {
  if (spec.dns.provider === 'none') return undefined;
  const common = {
    domainFilters: [spec.domain],
    // The cluster name is unique in the fleet (it is the overlay file's name), and the fleet rules
    // check that no two clusters share an owner ID: ExternalDNS only touches records it owns.
    txtOwnerId: spec.name,
    registry: 'txt',
    policy: spec.dns.policy,
    sources: externalDnsSources(spec),
    annotationPrefix: EXTERNAL_DNS_ANNOTATION_PREFIX,
    interval: '1m',
    logFormat: 'json',
  };
  return {
    name: 'external-dns',
    namespace: EXTERNAL_DNS_NAMESPACE,
    helm: {
      chart: CHARTS.externalDns,
      wave: WAVES.operators,
      values: { ...common, ...providerValues(spec) },
    },
    // The chart's ClusterRole reads the Istio or Traefik objects in every namespace.
    secrets: credentialSecrets(spec),
  };
}

/** The provider credentials ExternalDNS reads by name (delivered as SopsSecrets in its namespace). */
function credentialSecrets(spec: ClusterSpec): SecretUse[] {
  const ref = spec.dns.provider === 'yandex-webhook' ? spec.dns.yandex?.serviceAccountSecret
    : spec.dns.provider === 'rfc2136' ? spec.dns.rfc2136?.tsigSecret : undefined;
  return ref ? [{ name: ref.name, namespace: EXTERNAL_DNS_NAMESPACE, keys: [ref.key], usedBy: `ExternalDNS (${spec.dns.provider})` }] : [];
}

function providerValues(spec: ClusterSpec): Record<string, unknown> {
  if (spec.dns.provider === 'yandex-webhook' && spec.dns.yandex) {
    const { folderId, serviceAccountSecret } = spec.dns.yandex;
    const image = IMAGES.externalDnsYandexWebhook;
    return {
      provider: {
        name: 'webhook',
        webhook: {
          image: { repository: image.repository, tag: image.tag },
          args: [`--folder-id=${folderId}`, `--auth-key-file=${YANDEX_KEY_DIR}/key.json`],
          extraVolumeMounts: [{ name: 'yandex-dns-key', mountPath: YANDEX_KEY_DIR, readOnly: true }],
        },
      },
      // The key Secret is referenced by name; it arrives as a SopsSecret (see credentialSecrets).
      extraVolumes: [{
        name: 'yandex-dns-key',
        secret: { secretName: serviceAccountSecret.name, items: [{ key: serviceAccountSecret.key, path: 'key.json' }] },
      }],
    };
  }
  if (spec.dns.provider === 'rfc2136' && spec.dns.rfc2136) {
    const r = spec.dns.rfc2136;
    return {
      provider: { name: 'rfc2136' },
      extraArgs: [
        `--rfc2136-host=${r.host}`,
        `--rfc2136-port=${r.port}`,
        `--rfc2136-zone=${spec.domain}`,
        `--rfc2136-tsig-keyname=${r.tsigKeyName}`,
        `--rfc2136-tsig-secret-alg=${r.tsigAlgorithm}`,
        // Zone transfers let ExternalDNS list what it owns; without them it can only create.
        '--rfc2136-tsig-axfr',
      ],
      // ExternalDNS reads every flag from EXTERNAL_DNS_<FLAG> too: the TSIG secret stays in its Secret.
      env: [{ name: 'EXTERNAL_DNS_RFC2136_TSIG_SECRET', valueFrom: { secretKeyRef: { name: r.tsigSecret.name, key: r.tsigSecret.key } } }],
    };
  }
  // spec/rules.ts requires the provider's settings; reaching this is a bug in the rules.
  throw new Error(`${spec.name}: dns.provider "${spec.dns.provider}" without its settings passed the spec rules`);
}
