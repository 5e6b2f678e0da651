import { EXACT_VERSION } from '../catalog/versions.js';
import { FOREIGN_NAMESPACES_ANNOTATION } from '../primitives/annotations.js';
import type { Manifest } from '../primitives/manifests.js';
import { EDGE_RULES, EDGE_WIDE_RULES } from './edge-rules.js';
import type { Finding } from './finding.js';
import { imageCoverage } from './image-rules.js';
import { OBSERVABILITY_RULES, dashboardUidsUnique } from './observability-rules.js';
import { encryptedSecretPayloads } from './secret-rules.js';
import { finding, isKind } from './rule-helpers.js';
import type { FleetRule, FleetWideRule } from './rule-types.js';

export type { ClusterView, FleetRule, FleetWideRule } from './rule-types.js';

// Fleet rules: what no schema can see, checked over a whole rendered tree, cluster by cluster.

/** Globs compiled so far: a fleet's projects repeat a few patterns in every cluster. */
const globs = new Map<string, RegExp>();

/** Argo CD matches repos and namespaces with shell-style globs. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern.startsWith('!')) return false;
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    globs.set(pattern, re);
  }
  return re.test(value);
}

function sourcesOf(app: Record<string, any>): Record<string, any>[] {
  const spec = app.spec ?? {};
  return spec.sources ? spec.sources : spec.source ? [spec.source] : [];
}

/** Every Application that reads a folder of this tree (`clusters/...`) points at a folder that exists and holds manifests. */
export const applicationPathsExist: FleetRule = ({ manifests, folders }) => manifests
  .filter((m) => isKind(m, 'argoproj.io', 'Application'))
  .flatMap((m) => sourcesOf(m.object).flatMap((s, i) => {
    if (typeof s.path !== 'string' || !s.path.startsWith('clusters/')) return [];
    const found = folders.has(s.path.replace(/\/$/, ''));
    const where = m.object.spec.sources ? `.spec.sources[${i}].path` : '.spec.source.path';
    return found ? [] : [finding(m, where, `folder "${s.path}" does not exist in the tree or holds no manifests`)];
  }));

/** Every Application's project exists and permits its repositories and destination. */
export const applicationProjectPermits: FleetRule = ({ manifests }) => {
  const projects = new Map(manifests
    .filter((m) => isKind(m, 'argoproj.io', 'AppProject'))
    .map((m) => [`${m.object.metadata?.namespace}/${m.object.metadata?.name}`, m.object]));
  return manifests.filter((m) => isKind(m, 'argoproj.io', 'Application')).flatMap((m) => {
    const spec = m.object.spec ?? {};
    const project = projects.get(`${m.object.metadata?.namespace}/${spec.project}`);
    if (!project) {
      return [finding(m, '.spec.project', `project "${spec.project}" has no AppProject in namespace ${m.object.metadata?.namespace} of this cluster`)];
    }
    const out: Finding[] = [];
    const repos: string[] = project.spec?.sourceRepos ?? [];
    sourcesOf(m.object).forEach((s, i) => {
      if (!repos.some((r) => globMatch(r, s.repoURL))) {
        const where = spec.sources ? `.spec.sources[${i}].repoURL` : '.spec.source.repoURL';
        out.push(finding(m, where, `project "${spec.project}" does not permit repository ${s.repoURL} (sourceRepos: ${repos.join(', ') || 'none'})`));
      }
    });
    const dest = spec.destination ?? {};
    const allowed = (project.spec?.destinations ?? []).some((d: Record<string, string>) =>
      (d.server ? globMatch(d.server, dest.server ?? '') : d.name ? globMatch(d.name, dest.name ?? '') : false)
      && globMatch(d.namespace ?? '', dest.namespace ?? ''));
    if (!allowed) {
      out.push(finding(m, '.spec.destination', `project "${spec.project}" does not permit destination ${dest.server ?? dest.name} namespace ${dest.namespace}`));
    }
    return out;
  });
};

/** AppProjects allow no more than their Applications use: every repository and destination is used. */
export const projectsAllowNoMore: FleetRule = ({ manifests }) => {
  const apps = manifests.filter((m) => isKind(m, 'argoproj.io', 'Application')).map((m) => m.object);
  return manifests.filter((m) => isKind(m, 'argoproj.io', 'AppProject')).flatMap((m) => {
    const name = m.object.metadata?.name;
    const mine = apps.filter((a) => a.spec?.project === name && a.metadata?.namespace === m.object.metadata?.namespace);
    const out: Finding[] = [];
    (m.object.spec?.sourceRepos ?? []).forEach((r: string, i: number) => {
      if (!mine.some((a) => sourcesOf(a).some((s) => globMatch(r, s.repoURL)))) {
        out.push(finding(m, `.spec.sourceRepos[${i}]`, `repository ${r} is permitted but no Application of project "${name}" reads it; remove it`));
      }
    });
    // An Application also deploys into the foreign namespaces its annotation names (a chart's
    // RoleBinding in kube-system, say).
    const deploysTo = (a: Record<string, any>) => [
      a.spec?.destination?.namespace ?? '',
      ...String(a.metadata?.annotations?.[FOREIGN_NAMESPACES_ANNOTATION] ?? '').split(',').filter(Boolean),
    ];
    (m.object.spec?.destinations ?? []).forEach((d: Record<string, string>, i: number) => {
      if (!mine.some((a) => deploysTo(a).some((ns) => globMatch(d.namespace ?? '', ns)))) {
        out.push(finding(m, `.spec.destinations[${i}]`, `namespace ${d.namespace} is permitted but no Application of project "${name}" deploys there; remove it`));
      }
    });
    return out;
  });
};

/** Every Helm source names an exact chart version. */
export const helmVersionsPinned: FleetRule = ({ manifests }) => manifests
  .filter((m) => isKind(m, 'argoproj.io', 'Application'))
  .flatMap((m) => sourcesOf(m.object).flatMap((s, i) => {
    if (!s.chart) return [];
    if (typeof s.targetRevision === 'string' && EXACT_VERSION.test(s.targetRevision)) return [];
    const where = m.object.spec.sources ? `.spec.sources[${i}].targetRevision` : '.spec.source.targetRevision';
    return [finding(m, where, `chart ${s.chart} is not pinned: received ${JSON.stringify(s.targetRevision ?? null)}; expected an exact version such as 1.2.3`)];
  }));

const SOPS_VALUE = /^ENC\[AES256_GCM,data:/;

/** No Secret in plaintext: a Secret must be SOPS-encrypted, every value of it. */
export const noPlaintextSecrets: FleetRule = ({ manifests }) => manifests
  .filter((m) => m.object.kind === 'Secret' && m.object.apiVersion === 'v1')
  .flatMap((m) => {
    if (!m.object.sops) {
      return [finding(m, '', 'a plaintext Secret; keep secrets SOPS-encrypted (secrets/<cluster>/*.enc.yaml) so that they reach the cluster as SopsSecret')];
    }
    return ['data', 'stringData'].flatMap((field) => Object.entries(m.object[field] ?? {})
      .filter(([, v]) => typeof v !== 'string' || !SOPS_VALUE.test(v))
      .map(([k]) => finding(m, `.${field}.${k}`, 'value is not SOPS-encrypted')));
  });

export const FLEET_RULES: Readonly<Record<string, FleetRule>> = {
  'application-path-exists': applicationPathsExist,
  'application-project-permits': applicationProjectPermits,
  'project-allows-no-more': projectsAllowNoMore,
  'helm-version-pinned': helmVersionsPinned,
  'no-plaintext-secret': noPlaintextSecrets,
  'encrypted-secret-payload': encryptedSecretPayloads,
  ...EDGE_RULES,
  'image-coverage': imageCoverage,
  ...OBSERVABILITY_RULES,
};

export const FLEET_WIDE_RULES: Readonly<Record<string, FleetWideRule>> = {
  ...EDGE_WIDE_RULES,
  'dashboard-uids-unique': dashboardUidsUnique,
};

/** Every kind some fleet-wide rule reads. */
export function fleetWideKinds(rules = FLEET_WIDE_RULES): Set<string> {
  return new Set(Object.values(rules).flatMap((r) => r.kinds));
}

/**
 * What the fleet-wide rules read of a manifest (FleetWideRule.keep): undefined when none reads
 * it, cut down when exactly one reads its kind and says what it keeps, else the whole manifest.
 */
export function wideView(m: Manifest, rules = FLEET_WIDE_RULES): Manifest | undefined {
  const readers = Object.values(rules).filter((r) => r.kinds.includes(String(m.object.kind)));
  if (readers.length === 0) return undefined;
  if (readers.length > 1 || !readers[0].keep) return m;
  const object = readers[0].keep(m.object);
  return object && { ...m, object };
}

/** Runs every fleet rule on every cluster of a tree, then the rules across clusters. */
export function checkFleetRules(
  manifests: readonly Manifest[], files: Iterable<string>,
  rules = FLEET_RULES, wideRules = FLEET_WIDE_RULES,
): Finding[] {
  const folders = new Set<string>();
  for (const f of files) if (/\.ya?ml$/.test(f)) folders.add(f.split('/').slice(0, -1).join('/'));
  const byCluster = new Map<string, Manifest[]>();
  for (const m of manifests) {
    const key = m.cluster ?? '';
    if (!byCluster.has(key)) byCluster.set(key, []);
    byCluster.get(key)!.push(m);
  }
  const out: Finding[] = [];
  const views = [...byCluster.keys()].sort().map((name) => ({ name, manifests: byCluster.get(name)!, folders }));
  for (const view of views) {
    for (const rule of Object.values(rules)) out.push(...rule(view));
  }
  for (const rule of Object.values(wideRules)) out.push(...rule.check(views));
  return out;
}
