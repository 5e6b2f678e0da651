// Finding 6 of issue 14: Vault needed hand care. It had no auto-unseal, and the vault-config
// PostSync Job failed while Vault was sealed or not initialised, after which auto-sync gave up on
// that revision. Now Vault unseals itself per cloud (Yandex Cloud KMS, the central Vault's transit
// engine; Shamir in dev), and a config run skips successfully, saying why, while Vault cannot be
// used; a CronJob applies the roles once it can, and an alert says that it cannot.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_HOOK_WAIT_SECONDS, CONFIG_SKIPPED, SEAL_CONFIG_DIR, SEAL_CREDENTIALS_DIR, SEAL_TEMPLATE_CONFIGMAP,
  VAULT_CONFIG_RECONCILE, VAULT_ROLES_CONFIGMAP,
} from '../../charts/vault.js';
import { platformComponents } from '../../charts/cluster.js';
import { IMAGES } from '../../catalog/versions.js';
import { missingVaultSealKey } from '../../spec/observability.js';
import { resolveCluster } from '../../spec/load.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';
import { tempDir } from '../helpers/tmp.js';
import { find, objectsFor, specFor, valuesOf } from '../observability/helpers.js';

type Obj = Record<string, any>;

const KMS_KEY = 'abj0c0mpanyvau1tc100';
const CLUSTERS: Record<string, Record<string, unknown>> = {
  yandex: { cloud: 'yandex', environment: 'prod', domain: 'prod.company.ru', vault: { seal: { yandexcloudkms: { kmsKeyId: KMS_KEY } } } },
  sber: { cloud: 'sber', environment: 'prod', domain: 'sber.company.ru', ingress: { kind: 'traefik' } },
  vk: { cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ingress: { kind: 'traefik' } },
  onprem: { cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, environment: 'prod', domain: 'corp.company.ru' },
  dev: { cloud: 'onprem', infrastructure: 'baremetal', ...ONPREM_SITE, environment: 'dev', domain: 'dev.localhost', dns: { provider: 'none' }, tls: { issuer: 'self-signed' }, ingress: { kind: 'traefik' } },
};
const rendered = Object.fromEntries(Object.entries(CLUSTERS).map(([k, o]) => [k, objectsFor(o, `${k}-c1`)])) as Record<string, Obj[]>;
const server = (c: string): Obj => valuesOf(rendered[c], 'vault').server;
const raftConfig = (c: string): string => server(c).ha.raft.config;

const hook = (os: Obj[]): Obj => find(os, 'Job', 'vault-config', 'vault');
const reconcile = (os: Obj[]): Obj => find(os, 'CronJob', VAULT_CONFIG_RECONCILE, 'vault');
const container = (job: Obj): Obj => job.spec.template.spec.containers[0];
const envOf = (c: Obj): Record<string, string> => Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));

/**
 * Runs a config container's command as its pod would (`/bin/sh -ec <script>`), with a fake `vault`
 * CLI on PATH that answers `vault status` with `status` (stdout, exit code) and logs every call;
 * `sleep` is faked too, logging its seconds, so that waiting costs no time.
 */
function runConfig(c: Obj, status: { out: string; code: number }, opts: { failWrites?: boolean; wait?: string } = {}) {
  const dir = tempDir('vault-config-');
  const bin = join(dir, 'bin');
  const config = join(dir, 'config');
  mkdirSync(bin);
  mkdirSync(config);
  for (const f of ['platform-vault-config.policy.hcl', 'platform-vault-config.role.json', 'storefront-storefront-api.policy.hcl', 'storefront-storefront-api.role.json']) writeFileSync(join(config, f), '{}\n');
  const calls = join(dir, 'calls');
  writeFileSync(join(bin, 'vault'), [
    '#!/bin/sh',
    `echo "vault $*" >> ${calls}`,
    'case "$1" in',
    `  status) printf '%s\\n' '${status.out}'; exit ${status.code} ;;`,
    '  write) case "$*" in *auth/kubernetes/login*) echo hvs.TOKEN; exit 0 ;; esac ;;',
    'esac',
    opts.failWrites ? 'echo "Error: permission denied" >&2; exit 2' : 'exit 0',
    '',
  ].join('\n'));
  writeFileSync(join(bin, 'sleep'), `#!/bin/sh\necho "sleep $1" >> ${calls}\n`);
  for (const f of ['vault', 'sleep']) chmodSync(join(bin, f), 0o755);
  // The pod's paths, pointed at the temporary folder.
  const script = (c.args[0] as string).replaceAll('/config/', `${config}/`).replaceAll('/var/run/secrets/vault/token', join(dir, 'token'));
  const r = spawnSync(c.command[0], [...c.command.slice(1), script], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, ...envOf(c), ...(opts.wait !== undefined ? { WAIT_SECONDS: opts.wait } : {}) },
  });
  const log = (() => { try { return readFileSync(calls, 'utf8').trim().split('\n'); } catch { return []; } })();
  return { code: r.status, out: `${r.stdout}${r.stderr}`, calls: log };
}

const SEALED = { out: '{ "initialized": true, "sealed": true }', code: 2 };
const UNINITIALISED = { out: '{ "initialized": false, "sealed": true }', code: 2 };
const UNREACHABLE = { out: 'Error checking seal status: dial tcp 10.0.0.1:8200: connect: connection refused', code: 1 };
const UNSEALED = { out: '{ "initialized": true, "sealed": false }', code: 0 };

describe('a config run while Vault cannot be used skips successfully, saying why', () => {
  test.each([
    ['sealed', SEALED, 'sealed'],
    ['not initialised', UNINITIALISED, 'not initialised'],
    ['unreachable', UNREACHABLE, 'unreachable: Error checking seal status'],
  ])('Vault %s: the PostSync hook ends with exit 0, logs the state, and writes nothing', (_, status, state) => {
    const r = runConfig(container(hook(rendered.vk)), status);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${CONFIG_SKIPPED}: Vault is ${state}`);
    expect(r.calls.filter((c) => !c.startsWith('vault status') && !c.startsWith('sleep'))).toEqual([]);
  });

  test('the hook asks every node, sealed or not (the vault Service), not vault-active, which has no endpoint while Vault is sealed', () => {
    const r = runConfig(container(hook(rendered.vk)), SEALED);
    expect(r.calls[0]).toMatch(/^vault status -address=https:\/\/vault\.vault\.svc:8200 /);
  });

  test('the hook waits for Vault with a bounded backoff (5 s doubling to 60 s) before it skips', () => {
    const c = container(hook(rendered.vk));
    expect(envOf(c).WAIT_SECONDS).toBe(String(CONFIG_HOOK_WAIT_SECONDS));
    const sleeps = runConfig(c, SEALED).calls.filter((l) => l.startsWith('sleep')).map((l) => Number(l.split(' ')[1]));
    expect(sleeps).toEqual([5, 10, 20, 40, 60, 60, 60, 60]);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(CONFIG_HOOK_WAIT_SECONDS);
    expect(hook(rendered.vk).spec.activeDeadlineSeconds).toBeLessThanOrEqual(900);
  });

  test('once Vault answers unsealed, the run logs in and writes every policy and role of the ConfigMap', () => {
    const r = runConfig(container(hook(rendered.vk)), UNSEALED, { wait: '0' });
    expect(r.code).toBe(0);
    const writes = r.calls.filter((c) => c.startsWith('vault policy write') || c.startsWith('vault write auth/kubernetes/role/'));
    expect(writes.map((w) => w.replace(/ @\S+$/, '').replace(/ \S+\.policy\.hcl$/, '')).sort()).toEqual([
      'vault policy write platform-vault-config',
      'vault policy write storefront-storefront-api',
      'vault write auth/kubernetes/role/platform-vault-config',
      'vault write auth/kubernetes/role/storefront-storefront-api',
    ]);
    expect(r.calls.some((c) => /^vault write -field=token auth\/kubernetes\/login role=platform-vault-config /.test(c))).toBe(true);
  });

  test('a write Vault refuses while unsealed is a real failure: the run fails', () => {
    expect(runConfig(container(hook(rendered.vk)), UNSEALED, { wait: '0', failWrites: true }).code).not.toBe(0);
  });
});

describe('the roles are applied once Vault can be used, without a sync', () => {
  test('a CronJob, not an Argo CD hook, runs the same script every 15 minutes without waiting', () => {
    const cj = reconcile(rendered.vk);
    expect(cj.metadata.annotations?.['argocd.argoproj.io/hook']).toBeUndefined();
    expect(cj.spec.schedule).toBe('*/15 * * * *');
    expect(cj.spec.concurrencyPolicy).toBe('Forbid');
    const c = cj.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.args).toEqual(container(hook(rendered.vk)).args);
    expect(envOf(c).WAIT_SECONDS).toBe('0');
    expect(cj.spec.jobTemplate.spec.template.spec.volumes.find((v: Obj) => v.name === 'config').configMap.name).toBe(VAULT_ROLES_CONFIGMAP);
  });

  test('a CronJob run while Vault is sealed succeeds without sleeping (Argo CD would mark a failed CronJob Degraded)', () => {
    const r = runConfig(reconcile(rendered.vk).spec.jobTemplate.spec.template.spec.containers[0], SEALED);
    expect(r.code).toBe(0);
    expect(r.calls.filter((l) => l.startsWith('sleep'))).toEqual([]);
  });
});

describe('an operator can alert on a Vault that cannot serve', () => {
  test('kube-prometheus-stack gets the VaultSealed rule: a Vault server pod not ready for 10 minutes, critical', () => {
    const groups = valuesOf(rendered.vk, 'kube-prometheus-stack').additionalPrometheusRulesMap['platform-vault'].groups;
    const rule = groups.flatMap((g: Obj) => g.rules).find((r: Obj) => r.alert === 'VaultSealed');
    expect(rule.expr).toBe('kube_pod_status_ready{namespace="vault", pod=~"vault-[0-9]+", condition="true"} == 0');
    expect(rule.for).toBe('10m');
    expect(rule.labels.severity).toBe('critical');
    expect(JSON.stringify(rule)).not.toContain('$');
  });
});

describe('Vault unseals itself where a KMS or the central Vault is at hand', () => {
  test('Yandex Cloud: seal "yandexcloudkms" with the cluster\'s key and the service account key mounted from its Secret', () => {
    const s = server('yandex');
    expect(raftConfig('yandex')).toContain(`seal "yandexcloudkms" {\n  kms_key_id = "${KMS_KEY}"\n  service_account_key_file = "${SEAL_CREDENTIALS_DIR}/key.json"\n}`);
    const mount = s.volumeMounts.find((m: Obj) => m.mountPath === SEAL_CREDENTIALS_DIR);
    expect(s.volumes.find((v: Obj) => v.name === mount.name).secret).toEqual({ secretName: 'vault-kms-sa', defaultMode: 0o440, items: [{ key: 'key.json', path: 'key.json' }] });
  });

  test('Yandex Cloud: the server runs Yandex\'s build, the only one with that seal, pinned', () => {
    expect(server('yandex').image).toEqual({ repository: IMAGES.vaultYandexKms.repository, tag: IMAGES.vaultYandexKms.tag });
    expect(IMAGES.vaultYandexKms.repository).toBe('cr.yandex/yc/vault');
    for (const c of ['sber', 'vk', 'onprem', 'dev']) expect(server(c).image).toBeUndefined();
  });

  test.each(['sber', 'vk', 'onprem'])('%s: seal "transit" against the central Vault, its token not in the server\'s environment', (c) => {
    const s = server(c);
    expect(raftConfig(c)).not.toContain('seal "');
    expect(s.extraArgs).toBe(`-config=${SEAL_CONFIG_DIR}/transit.hcl`);
    expect(JSON.stringify(s.extraEnvironmentVars ?? {})).not.toContain('VAULT_TOKEN');
    expect(s.extraSecretEnvironmentVars).toBeUndefined();
    const template = find(rendered[c], 'ConfigMap', SEAL_TEMPLATE_CONFIGMAP, 'vault').data['transit.hcl.tmpl'];
    expect(template).toContain('address = "https://vault.company.ru:8200"');
    expect(template).toContain(`key_name = "unseal-${c}-c1"`);
    expect(template).toContain('mount_path = "transit/"');
    expect(template).toContain(`tls_ca_cert = "${SEAL_CREDENTIALS_DIR}/ca.crt"`);
    const init = s.extraInitContainers.find((x: Obj) => x.name === 'seal-config');
    expect(init.volumeMounts.map((m: Obj) => m.mountPath)).toEqual(expect.arrayContaining([SEAL_CREDENTIALS_DIR, SEAL_CONFIG_DIR]));
    expect(s.volumes.find((v: Obj) => v.name === 'seal-config').emptyDir.medium).toBe('Memory');
  });

  test('the transit stanza the init container writes carries the token from the Secret, without its trailing newline', () => {
    const data = find(rendered.sber, 'ConfigMap', SEAL_TEMPLATE_CONFIGMAP, 'vault').data;
    const dir = tempDir('vault-seal-');
    const [creds, out, tmpl] = ['creds', 'out', 'tmpl'].map((d) => join(dir, d));
    for (const d of [creds, out, tmpl]) mkdirSync(d);
    writeFileSync(join(creds, 'token'), 'hvs.CAESIexample\n');
    writeFileSync(join(tmpl, 'transit.hcl.tmpl'), data['transit.hcl.tmpl']);
    const script = (data['render.sh'] as string).replaceAll('/vault/seal-template/', `${tmpl}/`).replaceAll(`${SEAL_CREDENTIALS_DIR}/`, `${creds}/`).replaceAll(`${SEAL_CONFIG_DIR}/`, `${out}/`);
    execFileSync('/bin/sh', ['-c', script]);
    const hcl = readFileSync(join(out, 'transit.hcl'), 'utf8');
    expect(hcl).toContain('  token = "hvs.CAESIexample"\n');
    expect(hcl).not.toContain('TRANSIT_TOKEN');
  });

  test('dev: Shamir with one key, no seal stanza and no seal Secret', () => {
    const spec = specFor(CLUSTERS.dev, 'dev-c1');
    expect(spec.vault.seal).toMatchObject({ type: 'shamir', keyShares: 1, keyThreshold: 1 });
    expect(raftConfig('dev')).not.toContain('seal "');
    expect(server('dev').extraArgs).toBeUndefined();
  });

  test.each([
    ['yandex', 'vault-kms-sa', ['key.json']],
    ['sber', 'vault-transit-seal', ['token', 'ca.crt']],
  ])('%s: synth requires the seal\'s credentials as an encrypted Secret in secrets/ (%s)', (c, name, keys) => {
    const vault = platformComponents(specFor(CLUSTERS[c], `${c}-c1`)).find((x) => x.name === 'vault')!;
    expect(vault.secrets).toContainEqual(expect.objectContaining({ name, namespace: 'vault', keys }));
  });
});

describe('seal settings that would not unseal are refused, naming the field', () => {
  const problemsOf = (overlay: Record<string, unknown>) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] }, ...overlay } }).problems;

  test('synth refuses a Yandex cluster that names no KMS key of its own', () => {
    expect(missingVaultSealKey(specFor({ cloud: 'yandex', environment: 'prod', domain: 'prod.company.ru' }, 'y1')))
      .toMatch(/^overlays\/y1\.ts: vault\.seal\.yandexcloudkms\.kmsKeyId: missing; .*yc kms symmetric-key create --name vault-unseal-y1/);
    expect(missingVaultSealKey(specFor(CLUSTERS.yandex, 'y1'))).toBeUndefined();
    expect(missingVaultSealKey(specFor(CLUSTERS.sber, 's1'))).toBeUndefined();
  });

  test('a threshold above the number of shares', () => {
    expect(problemsOf({ cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', vault: { seal: { keyShares: 3, keyThreshold: 4 } } }))
      .toEqual(['overlays/c1.ts: vault.seal.keyThreshold: received 4 with keyShares 3; the threshold is at most the number of shares']);
  });

  test('type "yandexcloudkms" where no layer gives its block', () => {
    expect(problemsOf({ cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', vault: { seal: { type: 'yandexcloudkms' } } }))
      .toEqual([expect.stringMatching(/^overlays\/c1\.ts: vault\.seal\.yandexcloudkms: missing; type "yandexcloudkms" needs \{ kmsKeyId, credentials/)]);
  });
});
