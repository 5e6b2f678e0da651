// What the overlay says elsewhere must agree with the infrastructure its stack creates (issue 15
// item 4): the domain lies in the zone, ExternalDNS writes the zone's folder, the image policy
// trusts the registry, the components' buckets are the stack's, and no two clusters claim one
// zone, address range or bucket. Each problem names the overlay file and field, as load errors do.
import { globCovers } from '../spec/image-policy.js';
import { cidrsOverlap } from '../spec/infra.js';
import type { ClusterSpec } from '../spec/schema.js';
import { usedBuckets, zoneOf } from './from-spec.js';

export interface ConsistencyReport {
  /** One line each: `<overlay file>: <field>: <message>`. */
  readonly problems: string[];
  /** What cannot be checked yet (a server-assigned ID not captured), one line each. */
  readonly warnings: string[];
}

/** The first part of the registry's image names, or undefined while it is not known (Yandex before apply). */
export function registryImagePrefix(spec: ClusterSpec): string | undefined {
  const r = spec.infra.registry;
  if (!r) return undefined;
  switch (spec.cloud) {
    case 'yandex': return r.id ? `cr.yandex/${r.id}/` : undefined;
    case 'sber': return `swr.${spec.region}.hc.sbercloud.ru/${r.name}/`;
    case 'onprem': return r.host ? `${r.host}/${r.name}/` : undefined;
    default: return undefined;
  }
}

/** The buckets a cluster's stack creates. */
function stackBuckets(spec: ClusterSpec): string[] {
  return spec.infra.buckets ?? [...new Set(usedBuckets(spec).map((u) => u.bucket))];
}

/** Checks every cluster with a stack, and the fleet across them; `fileOf` names a cluster's overlay file. */
export function checkInfraConsistency(specs: readonly ClusterSpec[], fileOf: (cluster: string) => string): ConsistencyReport {
  const problems: string[] = [];
  const warnings: string[] = [];
  const withStack = specs.filter((s) => s.infra.backend !== 'none');
  for (const spec of withStack) {
    const add = (path: string, message: string) => problems.push(`${fileOf(spec.name)}: ${path}: ${message}`);
    const zone = zoneOf(spec);
    if (spec.domain !== zone && !spec.domain.endsWith(`.${zone}`)) {
      add('infra.zone', `received "${zone}", which does not hold the cluster's domain "${spec.domain}"; the zone must be the domain or a parent of it (e.g. "${spec.domain}")`);
    }
    if (spec.cloud === 'yandex' && spec.dns.yandex && spec.infra.yandex) {
      const folder = spec.infra.yandex.dnsFolderId ?? spec.infra.yandex.folderId;
      if (spec.dns.yandex.folderId !== folder) {
        add('dns.yandex.folderId', `received "${spec.dns.yandex.folderId}", but the stack creates the zone and ExternalDNS's service account (role dns.editor) in folder "${folder}" (infra.yandex.dnsFolderId): ExternalDNS and DNS-01 would write a folder they have no rights in; use "${folder}"`);
      }
    }
    if (spec.infra.registry) {
      const prefix = registryImagePrefix(spec);
      if (prefix === undefined && spec.cloud === 'yandex') {
        // Crossplane reports the ID in the managed resource's status on the management cluster;
        // OpenTofu's output is captured by onboard.
        const source = spec.infra.backend === 'crossplane'
          ? `set it to \`kubectl --context ${spec.infra.management} -n ${spec.name} get registries.container.yandex-cloud.m.jet.crossplane.io ${spec.infra.registry.name} -o jsonpath='{.status.atProvider.id}'\``
          : `run \`infra-synth onboard ${spec.name}\` (it captures the ID into overlays/${spec.name}.outputs.json)`;
        warnings.push(`${fileOf(spec.name)}: infra.registry.id: not set, so whether imagePolicy.signedImages trusts the registry the stack creates cannot be checked yet; after the first apply ${source} and add "cr.yandex/<id>/*" to imagePolicy.signedImages`);
      } else if (prefix && !spec.imagePolicy.signedImages.some((g) => globCovers(g, `${prefix}image`))) {
        add('imagePolicy.signedImages', `received ${JSON.stringify(spec.imagePolicy.signedImages)}, which does not cover the registry the stack creates (${prefix}...): its images would be neither verified nor allowed by the registry policy; add "${prefix}*"`);
      }
    }
    const created = new Set(stackBuckets(spec));
    for (const u of usedBuckets(spec)) {
      if (!created.has(u.bucket)) add(u.field, `received "${u.bucket}" (${u.usedBy}), which the cluster's stack does not create (infra.buckets: ${JSON.stringify([...created])}); add it to infra.buckets or use one of those`);
    }
  }
  // Across the fleet: the first cluster (by name) keeps the claim, the later ones are told.
  const zones = new Map<string, string>();
  const buckets = new Map<string, string>();
  const ranges: { cluster: string; field: string; cidr: string }[] = [];
  for (const spec of [...withStack].sort((a, b) => a.name.localeCompare(b.name))) {
    const add = (path: string, message: string) => problems.push(`${fileOf(spec.name)}: ${path}: ${message}`);
    const zone = zoneOf(spec);
    if (zones.has(zone)) add('infra.zone', `received "${zone}", the zone cluster "${zones.get(zone)}" already creates; a zone has one owner (give this cluster a child zone such as "${spec.name}.${zone}")`);
    else zones.set(zone, spec.name);
    for (const b of stackBuckets(spec)) {
      // Buckets in different stores are different buckets.
      const key = `${spec.objectStorage.endpoint.replace(/\/$/, '')} ${b}`;
      if (buckets.has(key)) add('infra.buckets', `"${b}" is a bucket cluster "${buckets.get(key)}" already creates in ${spec.objectStorage.endpoint}; a bucket has one owner: give this cluster its own (e.g. "${spec.name}-${b.replace(/^platform-/, '')}") in the field that names it and in infra.buckets`);
      else buckets.set(key, spec.name);
    }
    for (const field of ['nodesCidr', 'podsCidr', 'servicesCidr'] as const) {
      const cidr = spec.infra.network[field];
      const clash = ranges.find((r) => r.cluster !== spec.name && cidrsOverlap(r.cidr, cidr));
      if (clash) add(`infra.network.${field}`, `received "${cidr}", which overlaps ${clash.field} "${clash.cidr}" of cluster "${clash.cluster}"; clusters' ranges are disjoint (they are peered and routed on-prem): pick a free range`);
      ranges.push({ cluster: spec.name, field: `infra.network.${field}`, cidr });
    }
  }
  return { problems, warnings };
}
