import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ServiceMonitor, type DeclaredService } from '../constructs/service-monitor.js';
import { VaultService } from '../constructs/vault-service.js';
import { teamServices, type PlatformService, type TeamService } from '../spec/observability.js';
import type { ClusterSpec } from '../spec/schema.js';
import { internalIssuer } from './cert-manager.js';
import { WAVES, type PlatformComponent } from './component.js';
import { addMetricsPortPolicies } from './mesh.js';

/** The labels a declared service's Service carries. */
export const serviceLabels = (s: PlatformService): Record<string, string> => ({ ...(s.labels ?? { 'app.kubernetes.io/name': s.name }) });

/** What the platform knows of a team's Service (its repository renders it). */
export function declaredService(s: TeamService): DeclaredService {
  return { name: s.name, team: s.team, labels: serviceLabels(s), ports: s.metrics ? [s.metrics.port] : [] };
}

/**
 * The platform's side of the services the teams declare (`teams[].services`), one component (and folder
 * `services-<namespace>`) per team namespace, synced by the platform project: a ServiceMonitor for
 * the service's /metrics, and for Vault its ServiceAccount and SecretProviderClass. The team's own
 * repository renders the Deployment and Service, using the ServiceAccount and volume documented in
 * docs/services/<service>.md.
 */
export function serviceComponents(spec: ClusterSpec): PlatformComponent[] {
  const namespaces = [...new Set(teamServices(spec).filter((s) => s.metrics || s.vault).map((s) => s.namespace))].sort();
  return namespaces.map((ns) => ({
    name: `services-${ns}`,
    namespace: ns,
    // After the CRDs (ServiceMonitor, SecretProviderClass) and Vault.
    objectsWave: WAVES.config,
    addObjects: (chart: Chart, s: ClusterSpec) => addServiceObjects(chart, s, ns),
  }));
}

function addServiceObjects(scope: Chart, spec: ClusterSpec, namespace: string): void {
  const services = teamServices(spec).filter((x) => x.namespace === namespace);
  // spec/rules.ts requires containerPort wherever the policies apply.
  addMetricsPortPolicies(scope, spec, namespace, services.flatMap((s) => (s.metrics?.containerPort ? [{ name: s.name, podLabels: serviceLabels(s), containerPort: s.metrics.containerPort }] : [])));
  for (const s of services) {
    if (s.metrics) {
      new ServiceMonitor(scope, `monitor-${s.name}`, {
        name: s.name, namespace, selector: serviceLabels(s), port: s.metrics.port, path: s.metrics.path,
        interval: s.metrics.interval, declaredService: declaredService(s),
      });
    }
    if (s.vault) vaultService(scope, spec, s);
  }
}

function vaultService(scope: Construct, spec: ClusterSpec, s: PlatformService): VaultService {
  const v = s.vault!;
  return new VaultService(scope, `vault-${s.name}`, {
    service: s.name, namespace: s.namespace, delivery: v.delivery, serviceAccount: v.serviceAccount,
    mountPath: v.mountPath, kubernetesMountPath: spec.vault.kubernetesMountPath, ttl: v.ttl, secrets: v.secrets,
    // Vault serves TLS from this issuer (charts/vault.ts).
    vaultCaIssuer: internalIssuer(spec),
  });
}

/**
 * The VaultService of every declared service with Vault secrets, built in a scratch chart: the
 * vault component writes their roles into its ConfigMap, and the service docs read them.
 */
export function vaultServices(spec: ClusterSpec): VaultService[] {
  const scratch = new Chart(new App({ outdir: '/nonexistent' }), 'scratch');
  return teamServices(spec).filter((s) => s.vault).map((s) => vaultService(scratch, spec, s));
}
