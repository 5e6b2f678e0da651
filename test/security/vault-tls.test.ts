// Vault speaks TLS only, from a certificate of the cluster's own CA, and every client reaches it at
// https:// trusting that CA: judged on the rendered objects (synth's own and, for the chart's
// injector and CSI provider, the pinned vault chart rendered with synth's values). The config
// Job's Vault policy names exactly the policies and roles the cluster defines.
import { App, Chart } from 'cdk8s';
import { CSI_NAMESPACE, VAULT_CA_FILE, VAULT_CSI_CA_SECRET, VAULT_CSI_PROVIDER, VAULT_TLS_SECRET, TLS_RELOAD_CONFIGMAP, tlsReloadScript } from '../../charts/vault.js';
import { VaultService } from '../../constructs/vault-service.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts } from '../charts-real/real-charts.js';
import { find, objectsFor, valuesOf } from '../observability/helpers.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

type Obj = Record<string, any>;

const CLUSTERS: Record<string, Record<string, unknown>> = {
  yandex: { cloud: 'yandex', environment: 'prod', domain: 'prod.company.ru' },
  sber: { cloud: 'sber', environment: 'prod', domain: 'sber.company.ru', ingress: { kind: 'traefik' } },
  vk: { cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ingress: { kind: 'traefik' } },
  onprem: { cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, environment: 'prod', domain: 'corp.company.ru' },
  dev: { cloud: 'onprem', infrastructure: 'baremetal', ...ONPREM_SITE, environment: 'dev', domain: 'dev.localhost', dns: { provider: 'none' }, tls: { issuer: 'self-signed' }, ingress: { kind: 'traefik' } },
};
const rendered = Object.fromEntries(Object.entries(CLUSTERS).map(([k, o]) => [k, objectsFor(o)])) as Record<string, Obj[]>;

/** Every string anywhere in an object. */
const strings = (o: unknown): string[] =>
  typeof o === 'string' ? [o] : Array.isArray(o) ? o.flatMap(strings) : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : [];

const podSpecs = (os: Obj[]): [string, Obj][] => [
  ['Job vault-config', find(os, 'Job', 'vault-config', 'vault').spec.template.spec],
  ['CronJob vault-raft-snapshot', find(os, 'CronJob', 'vault-raft-snapshot', 'vault').spec.jobTemplate.spec.template.spec],
];

/** The file a container reads at `path` comes from Secret `secret`, key `key`, through a mounted volume. */
function mountedFrom(pod: Obj, container: Obj, path: string): { secret?: string; keys?: string[] } {
  const mount = (container.volumeMounts ?? []).find((m: Obj) => path.startsWith(`${m.mountPath}/`));
  const volume = mount && pod.volumes.find((v: Obj) => v.name === mount.name);
  return { secret: volume?.secret?.secretName, keys: volume?.secret?.items?.map((i: Obj) => i.key) };
}

describe('Vault serves TLS only', () => {
  test.each(Object.keys(CLUSTERS))('%s: the listener has TLS on, with the key pair from the Secret the chart mounts', (c) => {
    const v = valuesOf(rendered[c], 'vault');
    const hcl: string = v.server.ha.raft.config;
    const listener = hcl.match(/listener "tcp" \{[^}]*\}/)![0];
    expect(listener).toContain('tls_disable = 0');
    expect(listener).not.toMatch(/tls_disable = (1|true)/);
    const file = (key: string) => listener.match(new RegExp(`${key} = "([^"]+)"`))![1];
    const mount = v.server.volumeMounts.find((m: Obj) => file('tls_cert_file').startsWith(`${m.mountPath}/`));
    expect(v.server.volumes.find((x: Obj) => x.name === mount.name).secret.secretName).toBe(VAULT_TLS_SECRET);
    expect(file('tls_key_file').startsWith(`${mount.mountPath}/`)).toBe(true);
    expect(v.global.tlsDisable).toBe(false);
  });

  test('raft peers join each other over https, trusting the CA', () => {
    const hcl: string = valuesOf(rendered.yandex, 'vault').server.ha.raft.config;
    expect(hcl.match(/leader_api_addr = "[^"]+"/g)).toEqual([0, 1, 2].map((i) => `leader_api_addr = "https://vault-${i}.vault-internal:8200"`));
    expect(hcl.match(/leader_ca_cert_file = "[^"]+"/g)).toEqual(Array(3).fill(`leader_ca_cert_file = "${VAULT_CA_FILE}"`));
  });

  test('no rendered object of the vault namespace or its Applications names Vault at http://', () => {
    for (const os of Object.values(rendered)) {
      const mine = os.filter((o) => o.metadata?.namespace === 'vault' || (o.kind === 'Application' && String(o.metadata.name).startsWith('vault')));
      expect(strings(mine).filter((s) => /http:\/\/vault/.test(s))).toEqual([]);
    }
  });
});

describe('Vault\'s certificate comes from the cluster\'s internal CA', () => {
  test.each(Object.keys(CLUSTERS))('%s: the Certificate names every way Vault is reached, and writes the Secret Vault mounts', (c) => {
    const cert = find(rendered[c], 'Certificate', 'vault', 'vault').spec;
    expect(cert.secretName).toBe(VAULT_TLS_SECRET);
    expect(cert.dnsNames).toEqual(expect.arrayContaining(['vault.vault.svc', 'vault-active.vault.svc', '*.vault-internal', 'vault.vault.svc.cluster.local']));
    expect(cert.usages).toContain('server auth');
  });

  test.each([['yandex', 'internal-ca'], ['sber', 'internal-ca'], ['vk', 'internal-ca'], ['onprem', 'internal-ca'], ['dev', 'local-ca']])(
    '%s: issued by %s, a CA of this cluster rooted in its self-signed issuer, neither Let\'s Encrypt nor the company CA',
    (c, issuer) => {
      const os = rendered[c];
      const cert = find(os, 'Certificate', 'vault', 'vault').spec;
      expect(cert.issuerRef).toEqual({ kind: 'ClusterIssuer', name: issuer, group: 'cert-manager.io' });
      const caSecret = find(os, 'ClusterIssuer', issuer).spec.ca.secretName;
      const root = os.find((o) => o.kind === 'Certificate' && o.spec.secretName === caSecret && o.metadata.namespace === 'cert-manager')!;
      expect([root.spec.isCA, root.spec.issuerRef.name]).toEqual([true, 'selfsigned']);
    },
  );

  test('the Certificate is synced no later than the chart whose pods mount it, and after the issuers exist', () => {
    for (const os of Object.values(rendered)) {
      const wave = (app: string) => Number(find(os, 'Application', app).metadata.annotations['argocd.argoproj.io/sync-wave']);
      expect(wave('vault-config')).toBeLessThanOrEqual(wave('vault'));
      expect(wave('vault-config')).toBeGreaterThanOrEqual(wave('cert-manager-config'));
    }
  });
});

describe('the platform\'s own Vault clients use https and the CA', () => {
  test.each(Object.keys(CLUSTERS))('%s: the config Job and the snapshot CronJob', (c) => {
    for (const [what, pod] of podSpecs(rendered[c])) {
      const vaultContainers = [...(pod.initContainers ?? []), ...pod.containers].filter((x: Obj) => x.env?.some((e: Obj) => e.name === 'VAULT_ADDR'));
      expect([what, vaultContainers.length > 0]).toEqual([what, true]);
      for (const container of vaultContainers) {
        const env = Object.fromEntries(container.env.map((e: Obj) => [e.name, e.value]));
        expect([what, env.VAULT_ADDR]).toEqual([what, 'https://vault-active.vault.svc:8200']);
        expect([what, env.VAULT_CACERT]).toEqual([what, VAULT_CA_FILE]);
        // Only the CA reaches the client, never Vault's private key.
        expect([what, mountedFrom(pod, container, env.VAULT_CACERT)]).toEqual([what, { secret: VAULT_TLS_SECRET, keys: ['ca.crt'] }]);
      }
    }
  });
});

describe('the policy of the config Job', () => {
  const os = rendered.yandex;
  const data = find(os, 'ConfigMap', 'vault-kubernetes-roles', 'vault').data as Record<string, string>;
  const policy = data['platform-vault-config.policy.hcl'];
  const paths = [...policy.matchAll(/path "([^"]+)"/g)].map((m) => m[1]);
  const defined = (suffix: string) => Object.keys(data).filter((k) => k.endsWith(suffix)).map((k) => k.slice(0, -suffix.length)).sort();

  test('names no path with a wildcard or a glob: it cannot write a policy or a role the cluster does not define', () => {
    expect(paths.filter((p) => /[*+]/.test(p))).toEqual([]);
  });

  test('may write exactly the policies and the Kubernetes-auth roles of the ConfigMap it applies', () => {
    expect(paths.filter((p) => p.startsWith('sys/policies/acl/')).map((p) => p.slice('sys/policies/acl/'.length)).sort()).toEqual(defined('.policy.hcl'));
    expect(paths.filter((p) => p.startsWith('auth/kubernetes/role/')).map((p) => p.slice('auth/kubernetes/role/'.length)).sort()).toEqual(defined('.role.json'));
    expect(paths.length).toBe(defined('.policy.hcl').length + defined('.role.json').length);
  });

  test('has neither delete nor sudo', () => {
    expect(policy).not.toMatch(/"(delete|sudo)"/);
  });
});

describe('a service with the injector trusts the internal CA', () => {
  const chart = new Chart(new App({ outdir: '/nonexistent' }), 'c');
  const service = new VaultService(chart, 'svc', {
    service: 'orders', namespace: 'payments', delivery: 'injector', vaultCaIssuer: { kind: 'ClusterIssuer', name: 'internal-ca' },
    secrets: [{ name: 'db', path: 'kv/data/payments/orders', key: 'password' }],
  });
  const objects = chart.toJson() as Obj[];

  test('the agent mounts the Secret cert-manager writes in its namespace and reads the CA from it', () => {
    const cert = objects.find((o) => o.kind === 'Certificate')!;
    expect(cert.metadata.namespace).toBe('payments');
    expect(service.podAnnotations['vault.hashicorp.com/tls-secret']).toBe(cert.spec.secretName);
    expect(service.podAnnotations['vault.hashicorp.com/ca-cert']).toBe('/vault/tls/ca.crt');
  });

  test('that Secret is a client-auth certificate of the same CA: ca.crt for the agent, and a key that cannot pass for Vault', () => {
    const cert = objects.find((o) => o.kind === 'Certificate')!;
    expect(cert.metadata).toMatchObject({ name: 'orders-vault-ca', namespace: 'payments' });
    expect(cert.spec.issuerRef).toMatchObject({ kind: 'ClusterIssuer', name: 'internal-ca' });
    expect(cert.spec.usages).not.toContain('server auth');
    expect(cert.spec.dnsNames.some((n: string) => n.includes('vault.') || n.endsWith('.svc'))).toBe(false);
  });
});

describeWithReferenceData('Vault chart rendered with synth\'s values: the chart\'s clients', 'helm/charts', () => {
  const charts = useRealCharts(['vault']);
  const spec = specFor(CLUSTERS.yandex, 'yc-vault');
  const render = () => charts().render(spec, 'vault');

  test('the injector hands the agents https://vault.vault.svc:8200', () => {
    const [injector] = ofKind(render(), 'Deployment').filter((d) => d.metadata.name === 'vault-agent-injector');
    const env = injector.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'AGENT_INJECT_VAULT_ADDR');
    expect(env.value).toBe('https://vault.vault.svc:8200');
  });

  test('the CSI provider\'s agent connects to Vault\'s own namespace over https and trusts the CA mounted from a Secret of its namespace (ca.crt only)', () => {
    const objects = charts().render(spec, VAULT_CSI_PROVIDER);
    const config = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'vault-csi-provider-agent-config')!.data['config.hcl'];
    expect(config).toContain('"address" = "https://vault.vault.svc:8200"');
    const [ds] = ofKind(objects, 'DaemonSet');
    expect(ds.metadata.namespace).toBe(CSI_NAMESPACE);
    const pod = ds.spec.template.spec;
    const agent = pod.containers.find((c: Obj) => c.args?.includes('agent'));
    const caFlag = agent.args.find((a: string) => a.startsWith('-ca-cert='));
    expect(caFlag).toBe(`-ca-cert=${VAULT_CA_FILE}`);
    expect(mountedFrom(pod, agent, VAULT_CA_FILE)).toEqual({ secret: VAULT_CSI_CA_SECRET, keys: ['ca.crt'] });
  });

  test('the CSI provider\'s release runs the DaemonSet only: no server, injector or UI beside it', () => {
    const workloads = charts().render(spec, VAULT_CSI_PROVIDER).filter((o) => ['StatefulSet', 'Deployment', 'DaemonSet', 'Service', 'MutatingWebhookConfiguration'].includes(o.kind));
    expect(workloads.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['DaemonSet/vault-csi-provider']);
  });

  test('the main Vault release runs no node agent: its namespace keeps the servers\' level', () => {
    expect(ofKind(render(), 'DaemonSet')).toEqual([]);
  });

  test('the CSI provider\'s CA Secret is a client-auth certificate of Vault\'s issuer: its key cannot pass for Vault', () => {
    const cert = find(rendered.yandex, 'Certificate', VAULT_CSI_CA_SECRET, CSI_NAMESPACE);
    const vaultCert = find(rendered.yandex, 'Certificate', 'vault', 'vault');
    expect(cert.spec.issuerRef).toEqual(vaultCert.spec.issuerRef);
    expect(cert.spec.secretName).toBe(VAULT_CSI_CA_SECRET);
    expect(cert.spec.usages).not.toContain('server auth');
    expect(cert.spec.dnsNames.some((n: string) => n.includes('vault.') || n.endsWith('.svc'))).toBe(false);
  });

  test('a renewed certificate reaches the running server: a sidecar SIGHUPs Vault when the mounted tls.crt changes', () => {
    const [sts] = ofKind(render(), 'StatefulSet');
    const pod = sts.spec.template.spec;
    expect(pod.shareProcessNamespace).toBe(true);
    const reloader = pod.containers.find((c: Obj) => c.name === 'tls-reload');
    // The script comes from a ConfigMap: Argo CD would blank its $variables in Helm values.
    expect(reloader.command).toEqual(['/bin/sh', '/vault/tls-reload/reload.sh']);
    expect(tlsReloadScript()).toMatch(/md5sum \/vault\/tls\/tls\.crt[\s\S]*pkill -HUP -x vault/);
    expect(pod.volumes.find((v: Obj) => v.name === 'tls-reload').configMap.name).toBe(TLS_RELOAD_CONFIGMAP);
    expect(mountedFrom(pod, reloader, '/vault/tls/tls.crt')).toEqual({ secret: VAULT_TLS_SECRET, keys: undefined });
    // The same mount as the server's: the file it watches is the file Vault reloads.
    const server = pod.containers.find((c: Obj) => c.name === 'vault');
    expect(mountedFrom(pod, server, '/vault/tls/tls.crt')).toEqual({ secret: VAULT_TLS_SECRET, keys: undefined });
  });

  test('the server listens with TLS and its own CLI trusts the CA', () => {
    const objects = render();
    const [sts] = ofKind(objects, 'StatefulSet');
    const server = sts.spec.template.spec.containers[0];
    const env = Object.fromEntries(server.env.filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, e.value]));
    expect([env.VAULT_ADDR, env.VAULT_CACERT]).toEqual(['https://127.0.0.1:8200', VAULT_CA_FILE]);
    const config = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'vault-config')!.data['extraconfig-from-values.hcl'];
    expect(config).toContain('tls_disable = 0');
  });
});
