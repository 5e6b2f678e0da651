import { renderCluster } from '../../charts/cluster.js';
import type { Manifest } from '../../primitives/manifests.js';
import { DASHBOARDS_DIR, loadDashboards } from '../../spec/dashboards.js';
import { FLEET_RULES, FLEET_WIDE_RULES, wideView } from '../../validate/fleet-rules.js';
import { formatFinding } from '../../validate/finding.js';
import {
  dashboardUidsUnique, secretProviderClassUsed, selectorMatches, serviceMonitorTargetExists, statefulComponentsBackedUp,
} from '../../validate/observability-rules.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { is, manifestsFor, mutate, run, specFor, without } from './helpers.js';

const base = manifestsFor();
const monitor = is('ServiceMonitor', 'storefront-api');
const spc = is('SecretProviderClass', 'storefront-api-vault');
/** With Vault's CSI provider: its release of the vault chart runs in the driver's namespace. */
const withCsi = manifestsFor({ vault: { csi: true } });

/** A Service of the tree in namespace storefront, as if the platform rendered it. */
const service = (labels: Record<string, string>, port = 'http'): Manifest => ({
  cluster: 'c1', file: 'clusters/c1/services-storefront/service-storefront-api.yaml', index: 0,
  object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'storefront-api', namespace: 'storefront', labels }, spec: { ports: [{ name: port, port: 8080 }] } },
});

describe('registration', () => {
  test('the observability rules run with every synth', () => {
    expect(FLEET_RULES['service-monitor-target-exists']).toBe(serviceMonitorTargetExists);
    expect(FLEET_RULES['secret-provider-class-used']).toBe(secretProviderClassUsed);
    expect(FLEET_RULES['stateful-components-backed-up']).toBe(statefulComponentsBackedUp);
    expect(FLEET_WIDE_RULES['dashboard-uids-unique']).toBe(dashboardUidsUnique);
  });
});

describe('service-monitor-target-exists', () => {
  test('holds for the example backend, declared in the overlay', () => {
    expect(run(serviceMonitorTargetExists, base)).toEqual([]);
  });

  test('a selector that no longer matches the declared Service fails', () => {
    const ms = mutate(base, monitor, (o) => { o.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'storefront-apii' }; });
    expect(run(serviceMonitorTargetExists, ms)).toEqual([
      'c1: clusters/c1/services-storefront/servicemonitor-storefront-api.yaml: ServiceMonitor/storefront/storefront-api: .spec.selector: does not select the declared Service storefront-api (labels {"app.kubernetes.io/name":"storefront-api"})',
    ]);
  });

  test('a port the declared Service does not have fails', () => {
    const ms = mutate(base, monitor, (o) => { o.spec.endpoints[0].port = 'metrics'; });
    expect(run(serviceMonitorTargetExists, ms)).toEqual([
      'c1: clusters/c1/services-storefront/servicemonitor-storefront-api.yaml: ServiceMonitor/storefront/storefront-api: .spec.endpoints: port "metrics" is not a port of the declared Service storefront-api (http)',
    ]);
  });

  test('without a declaration and without a Service in the tree it fails, saying how to declare one', () => {
    const ms = mutate(base, monitor, (o) => { delete o.metadata.annotations; });
    expect(run(serviceMonitorTargetExists, ms)).toEqual([
      'c1: clusters/c1/services-storefront/servicemonitor-storefront-api.yaml: ServiceMonitor/storefront/storefront-api: .spec.selector: selects no Service in namespace storefront of this tree; if a team\'s repository renders the Service, declare it under teams[].services in the overlay',
    ]);
  });

  test('a Service of the tree satisfies it, and its port names are checked', () => {
    const ms = mutate(base, monitor, (o) => { delete o.metadata.annotations; });
    expect(run(serviceMonitorTargetExists, [...ms, service({ 'app.kubernetes.io/name': 'storefront-api' })])).toEqual([]);
    expect(run(serviceMonitorTargetExists, [...ms, service({ 'app.kubernetes.io/name': 'storefront-api' }, 'web')])).toEqual([
      'c1: clusters/c1/services-storefront/servicemonitor-storefront-api.yaml: ServiceMonitor/storefront/storefront-api: .spec.endpoints: port "http" is not a port of the selected Service(s) storefront-api (ports: web)',
    ]);
  });

  test('a declared Service in a namespace its team does not deploy into fails', () => {
    const ms = without(base, (o) => o.kind === 'Application' && o.spec?.project === 'storefront');
    expect(run(serviceMonitorTargetExists, ms)).toEqual([
      'c1: clusters/c1/services-storefront/servicemonitor-storefront-api.yaml: ServiceMonitor/storefront/storefront-api: .metadata.annotations["platform.company.ru/declared-service"]: the declared Service storefront-api belongs to team "storefront", but no Application of that team deploys into namespace storefront',
    ]);
  });

  test('an empty selector fails: it would scrape every Service of the namespace', () => {
    const ms = mutate(base, monitor, (o) => { o.spec.selector = {}; });
    expect(run(serviceMonitorTargetExists, ms)).toEqual([
      expect.stringContaining('.spec.selector: empty selector'),
    ]);
  });

  test('label selectors: matchLabels and every matchExpressions operator', () => {
    const labels = { app: 'a', tier: 'web' };
    expect(selectorMatches({ matchLabels: { app: 'a' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'b' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
  });
});

describe('secret-provider-class-used', () => {
  test('holds for the example backend: its consumer ServiceAccount exists and the Vault role is bound to it', () => {
    expect(run(secretProviderClassUsed, base)).toEqual([]);
  });

  test('a consumer ServiceAccount missing from its namespace fails', () => {
    const ms = without(base, is('ServiceAccount', 'storefront-api'));
    expect(run(secretProviderClassUsed, ms)).toEqual([
      'c1: clusters/c1/services-storefront/secretproviderclass-storefront-api-vault.yaml: SecretProviderClass/storefront/storefront-api-vault: .metadata.annotations["platform.company.ru/consumer-service-account"]: consumer ServiceAccount "storefront-api" does not exist in namespace storefront',
    ]);
  });

  test('a class no pod mounts and that names no consumer fails', () => {
    const ms = mutate(base, spc, (o) => { delete o.metadata.annotations; });
    expect(run(secretProviderClassUsed, ms)).toEqual([
      expect.stringContaining('SecretProviderClass/storefront/storefront-api-vault: .metadata: no pod in namespace storefront mounts it and it names no consumer ServiceAccount'),
    ]);
  });

  test('a pod of the tree that mounts it is a use; the role must then be bound to that pod\'s ServiceAccount', () => {
    const ms = mutate(base, spc, (o) => { delete o.metadata.annotations; });
    const deployment = (sa: string): Manifest => ({
      cluster: 'c1', file: 'clusters/c1/services-storefront/deployment-x.yaml', index: 0,
      object: {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'storefront' },
        spec: { template: { spec: { serviceAccountName: sa, volumes: [{ name: 's', csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { secretProviderClass: 'storefront-api-vault' } } }] } } },
      },
    });
    expect(run(secretProviderClassUsed, [...ms, deployment('storefront-api')])).toEqual([]);
    expect(run(secretProviderClassUsed, [...ms, deployment('other')])).toEqual([
      'c1: clusters/c1/services-storefront/secretproviderclass-storefront-api-vault.yaml: SecretProviderClass/storefront/storefront-api-vault: .spec.parameters.roleName: Vault role "storefront-storefront-api" is not bound to ServiceAccount storefront/other, which uses this class; Vault would refuse the login',
    ]);
  });

  test('a role that nothing creates in Vault fails', () => {
    const ms = mutate(base, spc, (o) => { o.spec.parameters.roleName = 'storefront-api'; });
    expect(run(secretProviderClassUsed, ms)).toEqual([
      expect.stringContaining('.spec.parameters.roleName: Vault role "storefront-api" is not in the cluster\'s vault-kubernetes-roles ConfigMap'),
    ]);
  });
});

describe('stateful-components-backed-up', () => {
  test('holds: Vault, Prometheus and Grafana namespaces each have a Schedule', () => {
    expect(run(statefulComponentsBackedUp, base)).toEqual([]);
  });

  test('Vault without its Schedule fails, naming the component and namespace', () => {
    const ms = without(base, is('Schedule', 'vault'));
    expect(run(statefulComponentsBackedUp, ms)).toEqual([
      'c1: clusters/c1/apps/application-vault.yaml: Application/argocd/vault: .spec.destination.namespace: Vault (chart vault) run in namespace vault, which no Velero Schedule backs up; stateful components need a Schedule (backup.* in the overlay)',
    ]);
  });

  test('the vault chart\'s release with the server off (the CSI provider alone) needs no Schedule', () => {
    const csi = withCsi.find((m) => is('Application', 'vault-csi-provider')(m.object))!;
    expect([csi.object.spec.source.chart, csi.object.spec.source.helm.valuesObject.server.enabled, csi.object.spec.destination.namespace]).toEqual(['vault', false, 'secrets-store-csi']);
    expect(run(statefulComponentsBackedUp, withCsi)).toEqual([]);
  });

  test('a release of the vault chart with its server on is stateful wherever it runs', () => {
    const ms = mutate(withCsi, is('Application', 'vault-csi-provider'), (o) => { o.spec.source.helm.valuesObject.server.enabled = true; });
    expect(run(statefulComponentsBackedUp, ms)).toEqual([
      expect.stringContaining('Vault (chart vault) run in namespace secrets-store-csi, which no Velero Schedule backs up'),
    ]);
  });

  test('a Schedule that excludes the monitoring namespace does not count', () => {
    const ms = mutate(base, is('Schedule', 'monitoring'), (o) => { o.spec.template.includedNamespaces = ['*']; o.spec.template.excludedNamespaces = ['monitoring']; });
    expect(run(statefulComponentsBackedUp, ms)).toEqual([
      expect.stringContaining('Prometheus and Grafana (chart kube-prometheus-stack) run in namespace monitoring, which no Velero Schedule backs up'),
    ]);
  });

  test('a Schedule writing to a location that does not exist fails', () => {
    const ms = mutate(base, is('Schedule', 'vault'), (o) => { o.spec.template.storageLocation = 'offsite'; });
    expect(run(statefulComponentsBackedUp, ms)).toEqual([
      'c1: clusters/c1/velero/schedule-vault.yaml: Schedule/velero/vault: .spec.template.storageLocation: BackupStorageLocation "offsite" does not exist in namespace velero; the backups would never be written',
    ]);
  });
});

describe('dashboard-uids-unique (fleet-wide)', () => {
  const views = (...clusters: [string, Manifest[]][]) => clusters.map(([name, manifests]) => ({ name, manifests, folders: new Set<string>() }));
  const dashboard = (o: any) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1';
  const a = renderCluster(specFor({}, 'a')).manifests;
  const b = renderCluster(specFor({}, 'b')).manifests;
  const editJson = (ms: Manifest[], name: string, change: (d: any) => void) => mutate(ms, is('ConfigMap', name), (o) => {
    const key = Object.keys(o.data)[0];
    const d = JSON.parse(o.data[key]);
    change(d);
    o.data[key] = JSON.stringify(d);
  });

  test('holds when every cluster ships the same dashboards', () => {
    expect(dashboardUidsUnique.check(views(['a', a], ['b', b]))).toEqual([]);
    // The check had something to compare: every dashboard the repository ships, in each cluster.
    expect(a.filter((m) => dashboard(m.object)).length).toBe(loadDashboards(DASHBOARDS_DIR, REPO_ROOT).length);
  });

  test('two dashboards with one uid in a cluster fail', () => {
    const ms = editJson(a, 'dashboard-platform-backups', (d) => { d.uid = 'platform-cluster-overview'; });
    expect(dashboardUidsUnique.check(views(['a', ms])).map(formatFinding)).toEqual([
      'a: clusters/a/kube-prometheus-stack/configmap-dashboard-platform-cluster-overview.yaml: ConfigMap/monitoring/dashboard-platform-cluster-overview: .data["dashboard-platform-cluster-overview.json"]: uid "platform-cluster-overview" is also the uid of a dashboard in clusters/a/kube-prometheus-stack/configmap-dashboard-platform-backups.yaml; Grafana keeps only one of them',
    ]);
  });

  test('one uid naming different dashboards in two clusters fails on the later cluster', () => {
    const ms = editJson(b, 'dashboard-platform-backups', (d) => { d.title = 'Something else'; });
    expect(dashboardUidsUnique.check(views(['a', a], ['b', ms])).map(formatFinding)).toEqual([
      expect.stringMatching(/^b: clusters\/b\/kube-prometheus-stack\/configmap-dashboard-platform-backups\.yaml: .*uid "platform-backups" names dashboard "Something else" here but "Backups: Velero and Vault snapshots" in cluster a/),
    ]);
  });

  test('on the cut-down objects a synth keeps of each cluster (keep), the findings are the same', () => {
    const dup = editJson(a, 'dashboard-platform-backups', (d) => { d.uid = 'platform-cluster-overview'; });
    const retitled = editJson(b, 'dashboard-platform-backups', (d) => { d.title = 'Something else'; });
    const broken = mutate(b, is('ConfigMap', 'dashboard-platform-backups'), (o) => { o.data = { 'x.json': '{ nope', 'y.json': '{"title":"no uid"}' }; });
    const cut = (ms: Manifest[]) => ms.flatMap((m) => wideView(m, { rule: dashboardUidsUnique }) ?? []);
    const cases = [views(['a', dup], ['b', retitled]), views(['a', a], ['b', broken])];
    for (const clusters of cases) {
      const full = dashboardUidsUnique.check(clusters).map(formatFinding);
      expect(full.length).toBeGreaterThanOrEqual(2);
      expect(dashboardUidsUnique.check(clusters.map((c) => ({ ...c, manifests: cut([...c.manifests]) }))).map(formatFinding)).toEqual(full);
    }
  });

  test('a dashboard ConfigMap without a uid, or not JSON, fails', () => {
    const ms = mutate(a, is('ConfigMap', 'dashboard-platform-backups'), (o) => { o.data = { 'x.json': '{ nope' }; });
    expect(dashboardUidsUnique.check(views(['a', ms])).map(formatFinding)).toEqual([
      expect.stringContaining('.data["x.json"]: not a dashboard with a uid'),
    ]);
  });
});
