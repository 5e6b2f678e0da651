import type { Manifest } from '../primitives/manifests.js';
import type { Finding } from './finding.js';
import type { FleetRule, FleetWideRule } from './rule-types.js';
import { finding, isKind, nameOf, nsOf } from './rule-helpers.js';

// Fleet rules of the network edge: certificates, their issuers and consumers, DNS names.

/** Annotation that states the DNS zone of a host-claiming object when no ExternalDNS runs. */
export const DNS_ZONE_ANNOTATION = 'platform.company.ru/dns-zone';



const certificates = (ms: readonly Manifest[]) => ms.filter((m) => isKind(m, 'cert-manager.io', 'Certificate'));

/** Every Certificate's issuerRef names a ClusterIssuer of the cluster, or an Issuer in its own namespace. */
export const certificateIssuerExists: FleetRule = ({ manifests }) => {
  const clusterIssuers = new Set(manifests.filter((m) => isKind(m, 'cert-manager.io', 'ClusterIssuer')).map(nameOf));
  const issuers = new Set(manifests.filter((m) => isKind(m, 'cert-manager.io', 'Issuer')).map((m) => `${nsOf(m)}/${nameOf(m)}`));
  return certificates(manifests).flatMap((m) => {
    const ref = m.object.spec?.issuerRef ?? {};
    // External issuers (another API group) are outside what the tree can see.
    if ((ref.group ?? 'cert-manager.io') !== 'cert-manager.io') return [];
    const kind = ref.kind ?? 'Issuer';
    if (kind === 'ClusterIssuer') {
      return clusterIssuers.has(ref.name) ? [] : [finding(m, '.spec.issuerRef.name', `ClusterIssuer "${ref.name}" does not exist in this cluster (ClusterIssuers: ${[...clusterIssuers].sort().join(', ') || 'none'})`)];
    }
    return issuers.has(`${nsOf(m)}/${ref.name}`) ? [] : [finding(m, '.spec.issuerRef.name', `Issuer "${ref.name}" does not exist in namespace ${nsOf(m)} (an Issuer serves its own namespace only; use kind ClusterIssuer for a cluster-wide one)`)];
  });
};

/**
 * Every TLS Secret an ingress reads is written by a Certificate in the reader's namespace: Istio
 * Gateway `credentialName`(s) in the Gateway's namespace, Traefik IngressRoute `tls.secretName`
 * in the IngressRoute's namespace.
 */
export const tlsSecretHasCertificate: FleetRule = ({ manifests }) => {
  const produced = new Set(certificates(manifests).map((m) => `${nsOf(m)}/${m.object.spec?.secretName}`));
  const elsewhere = (name: string) => certificates(manifests).filter((c) => c.object.spec?.secretName === name).map(nsOf);
  const check = (m: Manifest, path: string, secret: string): Finding[] => {
    if (produced.has(`${nsOf(m)}/${secret}`)) return [];
    const other = elsewhere(secret);
    return [finding(m, path, `no Certificate writes Secret "${secret}" in namespace ${nsOf(m)}${other.length ? ` (a Certificate writes it in ${other.join(', ')}, which this ${m.object.kind} cannot read)` : ''}; add a Certificate with secretName ${secret} there`)];
  };
  return manifests.flatMap((m) => {
    if (isKind(m, 'networking.istio.io', 'Gateway')) {
      return (m.object.spec?.servers ?? []).flatMap((s: Record<string, any>, i: number) => [
        ...(s.tls?.credentialName ? check(m, `.spec.servers[${i}].tls.credentialName`, s.tls.credentialName) : []),
        ...(s.tls?.credentialNames ?? []).flatMap((c: string, j: number) => check(m, `.spec.servers[${i}].tls.credentialNames[${j}]`, c)),
      ]);
    }
    if (isKind(m, 'traefik.io', 'IngressRoute') && m.object.spec?.tls?.secretName) {
      return check(m, '.spec.tls.secretName', m.object.spec.tls.secretName);
    }
    return [];
  });
};

/** A DNS name an object claims for the outside world, and where in the object. */
interface HostClaim {
  readonly manifest: Manifest;
  readonly path: string;
  readonly host: string;
}

/** The public names a cluster serves: Gateway and gateway-bound VirtualService hosts, Traefik Host() rules. */
export function hostClaims(manifests: readonly Manifest[]): HostClaim[] {
  const out: HostClaim[] = [];
  for (const m of manifests) {
    if (isKind(m, 'networking.istio.io', 'Gateway')) {
      (m.object.spec?.servers ?? []).forEach((s: Record<string, any>, i: number) => (s.hosts ?? []).forEach((h: string, j: number) => {
        const host = h.includes('/') ? h.split('/')[1] : h;
        if (host !== '*') out.push({ manifest: m, path: `.spec.servers[${i}].hosts[${j}]`, host });
      }));
    } else if (isKind(m, 'networking.istio.io', 'VirtualService') && (m.object.spec?.gateways ?? []).some((g: string) => g !== 'mesh')) {
      (m.object.spec?.hosts ?? []).forEach((h: string, i: number) => out.push({ manifest: m, path: `.spec.hosts[${i}]`, host: h }));
    } else if (isKind(m, 'traefik.io', 'IngressRoute')) {
      (m.object.spec?.routes ?? []).forEach((r: Record<string, any>, i: number) => {
        for (const match of String(r.match ?? '').matchAll(/Host\(([^)]*)\)/g)) {
          for (const q of match[1].matchAll(/`([^`]+)`|"([^"]+)"/g)) out.push({ manifest: m, path: `.spec.routes[${i}].match`, host: q[1] ?? q[2] });
        }
      });
    }
  }
  return out;
}

function externalDns(manifests: readonly Manifest[]): Record<string, any> | undefined {
  const app = manifests.find((m) => isKind(m, 'argoproj.io', 'Application') && m.object.spec?.source?.chart === 'external-dns');
  return app && { manifest: app, values: app.object.spec.source.helm?.valuesObject ?? {} };
}

const inZone = (host: string, zone: string) => host === zone || host.endsWith(`.${zone.replace(/^\./, '')}`);

/**
 * Every public host lies inside the cluster's ExternalDNS domainFilters; where ExternalDNS is off
 * (records in Terraform), inside the zone the object states in its dns-zone annotation.
 */
export const hostInDnsZone: FleetRule = ({ manifests }) => {
  const edns = externalDns(manifests);
  const filters: string[] | undefined = edns ? (edns.values.domainFilters ?? []) : undefined;
  return hostClaims(manifests).flatMap(({ manifest, path, host }) => {
    if (filters) {
      return filters.some((z) => inZone(host, z)) ? [] : [finding(manifest, path, `host ${host} is outside the ExternalDNS domainFilters of this cluster (${filters.join(', ') || 'none'}); no record would be written for it`)];
    }
    const zone = manifest.object.metadata?.annotations?.[DNS_ZONE_ANNOTATION];
    if (!zone) return [finding(manifest, path, `host ${host}: this cluster runs no ExternalDNS and the object has no ${DNS_ZONE_ANNOTATION} annotation; cannot tell which zone holds the name`)];
    return inZone(host, zone) ? [] : [finding(manifest, path, `host ${host} is outside the cluster's DNS zone ${zone}`)];
  });
};

/**
 * No two clusters serve the same host or share an ExternalDNS txtOwnerId (each would fight over,
 * or delete, the other's records). Reported on the later cluster in name order.
 */
export const uniqueHostsAndOwners: FleetWideRule = {
  kinds: ['Gateway', 'VirtualService', 'IngressRoute', 'Application'],
  // Of the Applications only ExternalDNS's owner ID counts; host objects are small and kept whole.
  keep: (o) => {
    if (o.kind !== 'Application') return o;
    const source = o.spec?.source;
    if (source?.chart !== 'external-dns') return undefined;
    const metadata = { name: o.metadata?.name, namespace: o.metadata?.namespace };
    return { apiVersion: o.apiVersion, kind: o.kind, metadata, spec: { source: { chart: source.chart, helm: { valuesObject: { txtOwnerId: source.helm?.valuesObject?.txtOwnerId } } } } };
  },
  check: (clusters) => uniqueClaims(clusters),
};

function uniqueClaims(clusters: Parameters<FleetWideRule['check']>[0]): Finding[] {
  const hosts = new Map<string, string>();
  const owners = new Map<string, string>();
  const out: Finding[] = [];
  for (const view of [...clusters].sort((a, b) => a.name.localeCompare(b.name))) {
    const seen = new Set<string>();
    for (const { manifest, path, host } of hostClaims(view.manifests)) {
      const owner = hosts.get(host);
      if (owner !== undefined && owner !== view.name) out.push(finding(manifest, path, `host ${host} is also served by cluster ${owner}; a name belongs to one cluster`));
      seen.add(host);
    }
    for (const h of seen) if (!hosts.has(h)) hosts.set(h, view.name);
    const edns = externalDns(view.manifests);
    const id = edns?.values.txtOwnerId;
    if (edns && typeof id === 'string') {
      const owner = owners.get(id);
      if (owner !== undefined && owner !== view.name) {
        out.push(finding(edns.manifest, '.spec.source.helm.valuesObject.txtOwnerId', `txtOwnerId "${id}" is also the owner ID of cluster ${owner}; each cluster needs its own`));
      } else owners.set(id, view.name);
    }
  }
  return out;
}

const isLocal = (name: string) => name === 'localhost' || name.endsWith('.localhost');
const isLetsEncrypt = (issuer: Manifest) => /letsencrypt\.org/.test(String(issuer.object.spec?.acme?.server ?? ''));

/** Let's Encrypt cannot issue for .localhost: no Certificate for such a name and no ACME solver for such a zone. */
export const noLetsEncryptForLocalhost: FleetRule = ({ manifests }) => {
  const acme = manifests.filter((m) => (isKind(m, 'cert-manager.io', 'ClusterIssuer') || isKind(m, 'cert-manager.io', 'Issuer')) && isLetsEncrypt(m));
  const byRef = (kind: string, name: string, ns: string) => acme.find((i) => i.object.kind === kind && nameOf(i) === name && (kind === 'ClusterIssuer' || nsOf(i) === ns));
  const out: Finding[] = [];
  for (const m of certificates(manifests)) {
    const ref = m.object.spec?.issuerRef ?? {};
    const issuer = byRef(ref.kind ?? 'Issuer', ref.name, nsOf(m));
    if (!issuer) continue;
    (m.object.spec?.dnsNames ?? []).forEach((n: string, i: number) => {
      if (isLocal(n)) out.push(finding(m, `.spec.dnsNames[${i}]`, `${n} is a .localhost name and ${issuer.object.kind} "${nameOf(issuer)}" is Let's Encrypt, which never issues for it; use a local CA issuer`));
    });
  }
  for (const m of acme) {
    (m.object.spec.acme.solvers ?? []).forEach((s: Record<string, any>, i: number) => (s.selector?.dnsZones ?? []).forEach((z: string, j: number) => {
      if (isLocal(z)) out.push(finding(m, `.spec.acme.solvers[${i}].selector.dnsZones[${j}]`, `zone ${z} is .localhost, which Let's Encrypt never issues for; use a local CA issuer`));
    }));
  }
  return out;
};

export const EDGE_WIDE_RULES: Readonly<Record<string, FleetWideRule>> = {
  'unique-hosts-and-owners': uniqueHostsAndOwners,
};

export const EDGE_RULES: Readonly<Record<string, FleetRule>> = {
  'certificate-issuer-exists': certificateIssuerExists,
  'tls-secret-has-certificate': tlsSecretHasCertificate,
  'host-in-dns-zone': hostInDnsZone,
  'no-letsencrypt-for-localhost': noLetsEncryptForLocalhost,
};
