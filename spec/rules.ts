import type { ClusterSpec } from './schema.js';
import { checkImagePolicy } from './image-policy.js';
import { checkArgoCdAccess } from './argocd-access.js';
import { checkBrowserTelemetry, checkObjectStorage, checkObservability } from './observability.js';
import { checkLoadBalancer } from './load-balancer.js';
import { checkInfraSettings } from './infra.js';

/** A problem found in a merged spec: the dotted field path and what is wrong. */
export interface SpecProblem {
  readonly path: string;
  readonly message: string;
}

/** Namespaces the platform itself uses; no team may claim them. */
export const PLATFORM_NAMESPACES = [
  'argocd', 'cert-manager', 'external-dns', 'istio-system', 'istio-cni', 'istio-ingress', 'traefik', 'linkerd',
  'kyverno', 'monitoring', 'monitoring-agents', 'vault', 'velero', 'sops', 'opentelemetry', 'opencost', 'secrets-store-csi', 'kube-system', 'kube-public', 'default',
  // kube-vip-cloud-provider's address pool (charts/load-balancer.ts).
  'kube-vip',
];

/** Rules across fields that a per-field schema cannot state. */
export function checkSpecRules(spec: ClusterSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  if (spec.cloud === 'onprem' && spec.infrastructure === 'managed') {
    add('infrastructure', 'received "managed"; an onprem cluster runs on "baremetal" or "vsphere"');
  }
  if (spec.cloud !== 'onprem' && spec.infrastructure !== 'managed') {
    add('infrastructure', `received "${spec.infrastructure}"; a ${spec.cloud} cluster is "managed" (baremetal and vsphere are onprem only)`);
  }
  if (spec.dns.provider === 'yandex-webhook' && spec.cloud !== 'yandex') {
    add('dns.provider', `received "yandex-webhook" on cloud "${spec.cloud}"; the Yandex webhook writes Yandex Cloud DNS only (use "rfc2136" on-prem, or "none" where records are managed elsewhere)`);
  }
  const localDomain = spec.domain === 'localhost' || spec.domain.endsWith('.localhost');
  if (localDomain && spec.tls.issuer === 'letsencrypt') {
    add('tls.issuer', `received "letsencrypt" for domain "${spec.domain}"; Let's Encrypt cannot issue for .localhost (use "self-signed")`);
  }
  if (localDomain && spec.dns.provider !== 'none') {
    add('dns.provider', `received "${spec.dns.provider}" for domain "${spec.domain}"; .localhost names resolve to loopback and have no DNS zone (use "none")`);
  }
  if (spec.tls.issuer === 'letsencrypt' && spec.tls.acme.challenge === 'dns01' && !hasDns01Solver(spec)) {
    add('tls.acme.challenge', `received "dns01" on cloud "${spec.cloud}" with dns.provider "${spec.dns.provider}"; DNS-01 needs a solver (Yandex Cloud DNS webhook, or RFC 2136 on-prem); use "http01"`);
  }
  if (spec.mesh.kind === 'istio' && spec.mesh.istioMode === 'ambient' && spec.ingress.kind !== 'istio') {
    // Not a hard limit of Istio, but one control plane for both keeps the platform small.
    add('mesh.istioMode', 'received "ambient" with ingress "traefik"; the ambient mesh is supported here with the Istio ingress only');
  }

  checkEdgeRules(spec, add);
  checkMeshMembership(spec, add);
  checkImagePolicy(spec.imagePolicy, add);
  checkArgoCdAccess(spec, add);
  checkObservability(spec, add);
  checkObjectStorage(spec, add);
  checkBrowserTelemetry(spec, add);
  checkLoadBalancer(spec, add);
  checkInfraSettings(spec, add);

  const teamNames = new Set<string>();
  const owner = new Map<string, string>();
  spec.teams.forEach((team, i) => {
    if (teamNames.has(team.name)) add(`teams[${i}].name`, `received "${team.name}", which another team already uses`);
    if (team.name === 'platform' || team.name === 'default') add(`teams[${i}].name`, `received "${team.name}", which is reserved for the platform's own projects`);
    teamNames.add(team.name);
    team.namespaces.forEach((ns, j) => {
      if (PLATFORM_NAMESPACES.includes(ns) || ns === spec.argocd.namespace) {
        add(`teams[${i}].namespaces[${j}]`, `received "${ns}", a platform namespace; teams deploy into their own namespaces`);
      } else if (owner.has(ns) && owner.get(ns) !== team.name) {
        add(`teams[${i}].namespaces[${j}]`, `received "${ns}", already claimed by team "${owner.get(ns)}"`);
      }
      owner.set(ns, team.name);
    });
  });
  return problems;
}

/**
 * `teams[].mesh`: the namespaces exist and the cluster has a mesh that can take them; in an Istio
 * mesh every scraped service says which container port its metrics are on (charts/mesh.ts
 * addMetricsPortPolicies leaves that port PERMISSIVE for Prometheus).
 */
function checkMeshMembership(spec: ClusterSpec, add: (path: string, message: string) => void): void {
  spec.teams.forEach((team, i) => {
    if (team.mesh === undefined || team.mesh === false) return;
    const at = `teams[${i}].mesh`;
    if (spec.mesh.kind === 'none') {
      add(at, `received ${JSON.stringify(team.mesh)} but mesh.kind is "none"; set mesh.kind to "istio", or leave the team out of the mesh`);
      return;
    }
    if (spec.mesh.kind === 'linkerd') {
      // proxy-init adds NET_ADMIN and NET_RAW, which Pod Security `restricted` (every team
      // namespace) and `baseline` refuse; linkerd-cni removes proxy-init, but its chart is not pinned.
      add(at, `received ${JSON.stringify(team.mesh)} on a Linkerd cluster; Linkerd's proxy-init container needs NET_ADMIN and NET_RAW, which the team namespace's Pod Security level "restricted" refuses, and the linkerd-cni chart that removes it is not pinned yet (catalog/versions.ts): leave the team out of the mesh until it is`);
      return;
    }
    if (Array.isArray(team.mesh)) {
      team.mesh.forEach((ns, j) => {
        if (!team.namespaces.includes(ns)) add(`${at}[${j}]`, `received "${ns}", not a namespace of team "${team.name}" (${team.namespaces.join(', ')})`);
      });
    }
    const meshed = team.mesh === true ? team.namespaces : team.mesh;
    (team.services ?? []).forEach((s, j) => {
      if (s.metrics && s.metrics.containerPort === undefined && meshed.includes(s.namespace)) {
        add(`teams[${i}].services[${j}].metrics.containerPort`, `missing; namespace "${s.namespace}" is in the Istio mesh, whose sidecars refuse Prometheus's plaintext scrape under STRICT mTLS unless the metrics port is left PERMISSIVE, and Istio names that port by the container's number (e.g. 8080 behind the Service port "${s.metrics.port}")`);
      }
    });
  });
}

function hasDns01Solver(spec: ClusterSpec): boolean {
  return (spec.cloud === 'yandex') || (spec.cloud === 'onprem' && spec.dns.provider === 'rfc2136');
}

/** The network edge: hosts inside the domain, DNS and DNS-01 settings present, mesh prerequisites. */
function checkEdgeRules(spec: ClusterSpec, add: (path: string, message: string) => void): void {
  const routeNames = new Map<string, number>();
  const hosts = new Map<string, number>();
  spec.ingress.hosts.forEach((h, i) => {
    const at = `ingress.hosts[${i}]`;
    if (h.host !== spec.domain && !h.host.endsWith(`.${spec.domain}`)) {
      const label = h.host.split('.')[0];
      add(`${at}.host`, `received "${h.host}", outside the cluster's domain "${spec.domain}"; expected a name under it such as "${label}.${spec.domain}", or the single label "${label}"`);
    }
    if (routeNames.has(h.name)) add(`${at}.name`, `received "${h.name}", already the name of ingress.hosts[${routeNames.get(h.name)}]; route names are unique in a cluster`);
    else routeNames.set(h.name, i);
    if (hosts.has(h.host)) add(`${at}.host`, `received "${h.host}", already served by ingress.hosts[${hosts.get(h.host)}]; add paths to that host instead`);
    else hosts.set(h.host, i);
  });

  const usesYandexDns = spec.dns.provider === 'yandex-webhook'
    || (spec.cloud === 'yandex' && spec.tls.issuer === 'letsencrypt' && spec.tls.acme.challenge === 'dns01');
  if (usesYandexDns && !spec.dns.yandex) {
    const why = spec.dns.provider === 'yandex-webhook' ? 'dns.provider "yandex-webhook"' : 'DNS-01 on Yandex Cloud';
    add('dns.yandex', `missing; ${why} needs { folderId, serviceAccountSecret: { name, key } } (the folder of the Cloud DNS zone and the dns.editor key Secret)`);
  }
  const usesRfc2136 = spec.dns.provider === 'rfc2136'
    || (spec.cloud === 'onprem' && spec.tls.issuer === 'letsencrypt' && spec.tls.acme.challenge === 'dns01');
  if (usesRfc2136 && !spec.dns.rfc2136) {
    const why = spec.dns.provider === 'rfc2136' ? 'dns.provider "rfc2136"' : 'DNS-01 on-prem';
    add('dns.rfc2136', `missing; ${why} needs { host, port, tsigKeyName, tsigAlgorithm, tsigSecret: { name, key } } of the name server that accepts updates`);
  }
  if (spec.mesh.kind === 'linkerd' && spec.ingress.kind === 'istio') {
    add('mesh.kind', 'received "linkerd" with ingress "istio"; the Istio ingress runs istiod and its injector, a second mesh control plane next to Linkerd: use mesh "istio" with the Istio ingress, or ingress "traefik" with Linkerd');
  }
}
