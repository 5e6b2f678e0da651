import type { Manifest } from '../primitives/manifests.js';
import { DASHBOARD_LABEL, DECLARED_SERVICE_ANNOTATION, SPC_CONSUMER_ANNOTATION } from '../primitives/annotations.js';
import { matchesLabelSelector, type LabelSelector } from '../primitives/label-selector.js';
import type { Finding } from './finding.js';
import type { ClusterView, FleetRule } from './rule-types.js';
import { finding, isKind, nameOf, nsOf } from './rule-helpers.js';

// Fleet rules of observability, runtime secrets and backups (issue 7).


/** Whether `labels` satisfy a LabelSelector (matchLabels and matchExpressions). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  return selector !== undefined && matchesLabelSelector(selector, labels);
}

const emptySelector = (s: Record<string, any> | undefined) => !s || (!Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length);

/**
 * Every ServiceMonitor selects a Service that exists, with the ports it scrapes: a Service in the
 * rendered tree, or — for a Service a team's repository renders — the Service declared in the
 * overlay (`teams[].services`, stamped on the ServiceMonitor by the construct), in a namespace that
 * team's Application deploys into.
 */
export const serviceMonitorTargetExists: FleetRule = ({ manifests }) => {
  const services = manifests.filter((m) => m.object.kind === 'Service' && m.object.apiVersion === 'v1');
  const teamApps = manifests.filter((m) => isKind(m, 'argoproj.io', 'Application'));
  return manifests.filter((m) => isKind(m, 'monitoring.coreos.com', 'ServiceMonitor')).flatMap((m) => {
    const spec = m.object.spec ?? {};
    const ns = spec.namespaceSelector ?? {};
    const inNs = (n: string) => (ns.any ? true : (ns.matchNames?.length ? ns.matchNames : [nsOf(m)]).includes(n));
    const ports: string[] = (spec.endpoints ?? []).map((e: Record<string, unknown>) => e.port).filter((p: unknown): p is string => typeof p === 'string');
    if (emptySelector(spec.selector)) return [finding(m, '.spec.selector', 'empty selector: it would scrape every Service of the namespace; select the one Service by its labels')];

    const hits = services.filter((s) => inNs(nsOf(s)) && selectorMatches(spec.selector, s.object.metadata?.labels ?? {}));
    if (hits.length) {
      const named = new Set(hits.flatMap((s) => (s.object.spec?.ports ?? []).map((p: { name?: string }) => p.name)));
      return ports.filter((p) => !named.has(p)).map((p) => finding(m, '.spec.endpoints', `port "${p}" is not a port of the selected Service(s) ${hits.map(nameOf).join(', ')} (ports: ${[...named].join(', ') || 'unnamed'})`));
    }
    const raw = m.object.metadata?.annotations?.[DECLARED_SERVICE_ANNOTATION];
    if (!raw) {
      return [finding(m, '.spec.selector', `selects no Service in namespace ${ns.matchNames?.join(', ') ?? nsOf(m)} of this tree; if a team's repository renders the Service, declare it under teams[].services in the overlay`)];
    }
    let declared: { name?: string; team?: string; labels?: Record<string, string>; ports?: string[] };
    try { declared = JSON.parse(raw); } catch { return [finding(m, `.metadata.annotations["${DECLARED_SERVICE_ANNOTATION}"]`, 'not JSON; the construct writes { name, team, labels, ports }')]; }
    const out: Finding[] = [];
    if (!selectorMatches(spec.selector, declared.labels ?? {})) {
      out.push(finding(m, '.spec.selector', `does not select the declared Service ${declared.name} (labels ${JSON.stringify(declared.labels ?? {})})`));
    }
    for (const p of ports) if (!(declared.ports ?? []).includes(p)) out.push(finding(m, '.spec.endpoints', `port "${p}" is not a port of the declared Service ${declared.name} (${(declared.ports ?? []).join(', ') || 'none'})`));
    const target = ns.matchNames?.[0] ?? nsOf(m);
    const deployed = teamApps.some((a) => a.object.spec?.project === declared.team && a.object.spec?.destination?.namespace === target);
    if (!deployed) out.push(finding(m, `.metadata.annotations["${DECLARED_SERVICE_ANNOTATION}"]`, `the declared Service ${declared.name} belongs to team "${declared.team}", but no Application of that team deploys into namespace ${target}`));
    return out;
  });
};

/** The pod specs of workloads in the tree, with their namespace. */
function podSpecs(manifests: readonly Manifest[]): { ns: string; pod: Record<string, any> }[] {
  const paths: Record<string, string[]> = {
    Pod: ['spec'], Deployment: ['spec', 'template', 'spec'], StatefulSet: ['spec', 'template', 'spec'], DaemonSet: ['spec', 'template', 'spec'],
    Job: ['spec', 'template', 'spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  };
  return manifests.flatMap((m) => {
    const p = paths[String(m.object.kind)];
    const pod = p?.reduce<any>((v, k) => v?.[k], m.object);
    return pod ? [{ ns: nsOf(m), pod }] : [];
  });
}

/**
 * Every SecretProviderClass is used in its namespace: a pod of the tree mounts it, or its consumer
 * (the ServiceAccount of a team's pods, named by the construct's annotation) exists in that
 * namespace. Its Vault role exists in the cluster's role data and is bound to that ServiceAccount.
 */
export const secretProviderClassUsed: FleetRule = ({ manifests }) => {
  const pods = podSpecs(manifests);
  const accounts = new Set(manifests.filter((m) => m.object.kind === 'ServiceAccount' && m.object.apiVersion === 'v1').map((m) => `${nsOf(m)}/${nameOf(m)}`));
  const roleData = manifests.find((m) => m.object.kind === 'ConfigMap' && nameOf(m) === 'vault-kubernetes-roles');
  return manifests.filter((m) => isKind(m, 'secrets-store.csi.x-k8s.io', 'SecretProviderClass')).flatMap((m) => {
    const name = nameOf(m);
    const ns = nsOf(m);
    const mounting = pods.filter((p) => p.ns === ns && (p.pod.volumes ?? []).some((v: Record<string, any>) => v.csi?.volumeAttributes?.secretProviderClass === name));
    const consumer = m.object.metadata?.annotations?.[SPC_CONSUMER_ANNOTATION];
    const out: Finding[] = [];
    const sas = mounting.length ? mounting.map((p) => p.pod.serviceAccountName ?? 'default') : consumer ? [consumer] : [];
    if (!mounting.length) {
      if (!consumer) out.push(finding(m, '.metadata', `no pod in namespace ${ns} mounts it and it names no consumer ServiceAccount (${SPC_CONSUMER_ANNOTATION}); remove it or render it with the VaultService construct`));
      else if (!accounts.has(`${ns}/${consumer}`)) out.push(finding(m, `.metadata.annotations["${SPC_CONSUMER_ANNOTATION}"]`, `consumer ServiceAccount "${consumer}" does not exist in namespace ${ns}`));
    }
    if (m.object.spec?.provider === 'vault') {
      const role = m.object.spec?.parameters?.roleName;
      const json = roleData?.object.data?.[`${role}.role.json`];
      if (!json) {
        out.push(finding(m, '.spec.parameters.roleName', `Vault role "${role}" is not in the cluster's vault-kubernetes-roles ConfigMap; nothing creates it in Vault`));
      } else {
        let r: Record<string, string[]> = {};
        try { r = JSON.parse(json); } catch { /* reported as unbound below */ }
        for (const sa of sas) {
          if (!(r.bound_service_account_names ?? []).includes(sa) || !(r.bound_service_account_namespaces ?? []).includes(ns)) {
            out.push(finding(m, '.spec.parameters.roleName', `Vault role "${role}" is not bound to ServiceAccount ${ns}/${sa}, which uses this class; Vault would refuse the login`));
          }
        }
      }
    }
    return out;
  });
};

/** The seed's stateful components (§6), by the chart that installs them. */
export const STATEFUL_CHARTS: Readonly<Record<string, string>> = {
  vault: 'Vault',
  'kube-prometheus-stack': 'Prometheus and Grafana',
};

/**
 * Releases of a stateful chart that keep no state: the vault chart with its server off (Vault's CSI
 * provider alone, a release of its own in the CSI driver's namespace) stores nothing to back up.
 */
const statelessRelease = (chart: string, values: Record<string, any> | undefined): boolean =>
  chart === 'vault' && values?.server?.enabled === false;

/**
 * Every stateful component of the seed has a Velero Schedule that includes its namespace and
 * writes to a BackupStorageLocation of the tree.
 */
export const statefulComponentsBackedUp: FleetRule = ({ manifests }) => {
  const schedules = manifests.filter((m) => isKind(m, 'velero.io', 'Schedule'));
  const locations = manifests.filter((m) => isKind(m, 'velero.io', 'BackupStorageLocation'));
  const out: Finding[] = [];
  for (const s of schedules) {
    const loc = s.object.spec?.template?.storageLocation;
    const ok = loc ? locations.some((l) => nameOf(l) === loc && nsOf(l) === nsOf(s)) : locations.some((l) => l.object.spec?.default === true && nsOf(l) === nsOf(s));
    if (!ok) out.push(finding(s, '.spec.template.storageLocation', `${loc ? `BackupStorageLocation "${loc}"` : 'a default BackupStorageLocation'} does not exist in namespace ${nsOf(s)}; the backups would never be written`));
  }
  for (const app of manifests.filter((m) => isKind(m, 'argoproj.io', 'Application'))) {
    const chart = app.object.spec?.source?.chart;
    if (!chart || !STATEFUL_CHARTS[chart] || statelessRelease(chart, app.object.spec?.source?.helm?.valuesObject)) continue;
    const ns = app.object.spec?.destination?.namespace;
    const covering = schedules.filter((s) => {
      const t = s.object.spec?.template ?? {};
      const inc: string[] = t.includedNamespaces ?? ['*'];
      return (inc.includes('*') || inc.includes(ns)) && !(t.excludedNamespaces ?? []).includes(ns);
    });
    if (!covering.length) {
      out.push(finding(app, '.spec.destination.namespace', `${STATEFUL_CHARTS[chart]} (chart ${chart}) run in namespace ${ns}, which no Velero Schedule backs up; stateful components need a Schedule (backup.* in the overlay)`));
    }
  }
  return out;
};

/** A dashboard ConfigMap's dashboards: each JSON data entry with its uid and title. */
function dashboards(m: Manifest): { key: string; uid?: string; title?: string }[] {
  return Object.entries(m.object.data ?? {}).filter(([k]) => k.endsWith('.json')).map(([key, text]) => {
    try {
      const d = JSON.parse(String(text));
      return { key, uid: typeof d?.uid === 'string' ? d.uid : undefined, title: typeof d?.title === 'string' ? d.title : undefined };
    } catch { return { key }; }
  });
}

const isDashboard = (m: Manifest) => m.object.kind === 'ConfigMap' && m.object.apiVersion === 'v1' && m.object.metadata?.labels?.[DASHBOARD_LABEL] === '1';

/**
 * Dashboards' uids are unique: within a cluster no two dashboards share one (Grafana keeps only one
 * of them), and across the fleet a uid always names the same dashboard (links, alerts and
 * bookmarks between clusters rely on it). Every dashboard has a uid and is valid JSON.
 */
export const dashboardUidsUnique = {
  kinds: ['ConfigMap'],
  // A dashboard's JSON is cut down to its uid and title; what is not valid JSON stays invalid.
  keep: (o: Record<string, any>): Record<string, any> | undefined => {
    if (!isDashboard({ file: '', index: 0, object: o })) return undefined;
    const data = Object.fromEntries(Object.entries(o.data ?? {}).filter(([k]) => k.endsWith('.json')).map(([k, text]) => {
      try {
        const d = JSON.parse(String(text));
        return [k, JSON.stringify({ uid: d?.uid, title: d?.title })];
      } catch { return [k, '']; }
    }));
    return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace, labels: { [DASHBOARD_LABEL]: '1' } }, data };
  },
  check: (clusters: readonly ClusterView[]): Finding[] => {
    const out: Finding[] = [];
    const fleet = new Map<string, { title?: string; cluster: string; file: string }>();
    for (const c of [...clusters].sort((a, b) => a.name.localeCompare(b.name))) {
      const local = new Map<string, string>();
      for (const m of c.manifests.filter(isDashboard)) {
        for (const d of dashboards(m)) {
          const at = `.data["${d.key}"]`;
          if (!d.uid) { out.push(finding(m, at, 'not a dashboard with a uid (valid JSON with a "uid" string); Grafana would give it a random one')); continue; }
          if (local.has(d.uid)) { out.push(finding(m, at, `uid "${d.uid}" is also the uid of a dashboard in ${local.get(d.uid)}; Grafana keeps only one of them`)); continue; }
          local.set(d.uid, m.file);
          const first = fleet.get(d.uid);
          if (!first) fleet.set(d.uid, { title: d.title, cluster: c.name, file: m.file });
          else if (first.title !== d.title) {
            out.push(finding(m, at, `uid "${d.uid}" names dashboard "${d.title}" here but "${first.title}" in cluster ${first.cluster} (${first.file}); a uid names one dashboard fleet-wide`));
          }
        }
      }
    }
    return out;
  },
};

export const OBSERVABILITY_RULES: Readonly<Record<string, FleetRule>> = {
  'service-monitor-target-exists': serviceMonitorTargetExists,
  'secret-provider-class-used': secretProviderClassUsed,
  'stateful-components-backed-up': statefulComponentsBackedUp,
};
