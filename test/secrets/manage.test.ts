// add / edit / rotate / audit through the library, on real files in temp repositories.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { addSecret, auditSecrets, editSecret, rotateSecrets } from '../../pipeline/secrets/manage.js';
import { clockOf } from '../../secret-store/clock.js';
import { renderSopsConfig } from '../../secret-store/sops-config.js';
import { SOPS_SECRET_RULES, sopsSecretObject } from '../../secret-store/sops-secret.js';
import { readMetadata } from '../../sops/index.js';
import { loadFleet } from '../../spec/load.js';
import { type KeyPair, NOW, backendAt, newKeyPair, onpremOverlay, tempRepo, tmp, vkOverlay } from './helpers.js';

let cluster: KeyPair;
let platform: KeyPair;
beforeAll(async () => {
  cluster = await newKeyPair();
  platform = await newKeyPair();
});
const backend = backendAt(0);
const open = async (path: string, identity: string) =>
  yaml.load((await backend.decrypt(readFileSync(path), { format: 'yaml', identities: [identity] })).plaintext) as any;

async function repoOf(overlay: Record<string, unknown>) {
  const repo = tempRepo();
  repo.overlay('c1', overlay);
  const [spec] = await loadFleet(repo.overlays);
  return { repo, spec };
}

describe('secrets add', () => {
  test('writes a SopsSecret encrypted with encrypted_suffix Templates to the cluster\'s recipients', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient, platform.recipient]));
    const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['password=hunter2'], backend });
    expect(path).toBe(join(repo.secrets, 'c1/argocd/db.enc.yaml'));
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('hunter2');
    const meta = readMetadata(text, 'yaml');
    expect([meta.recipients, meta.rules]).toEqual([[cluster.recipient, platform.recipient], { encrypted_suffix: 'Templates' }]);
    expect(await open(path, platform.identity)).toEqual({
      apiVersion: 'isindir.github.com/v1alpha3', kind: 'SopsSecret', metadata: { name: 'db', namespace: 'argocd' },
      spec: { secretTemplates: [{ name: 'db', stringData: { password: 'hunter2' } }] },
    });
  });

  test('its age stanza opens with the real age CLI', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    const dir = tmp('age-');
    const key = join(dir, 'key.txt');
    writeFileSync(key, `${cluster.identity}\n`);
    const stanza = (yaml.load(readFileSync(path, 'utf8')) as any).sops.age[0].enc;
    const r = await execa('age', ['-d', '-i', key], { input: stanza, encoding: 'buffer', stripFinalNewline: false });
    expect(Buffer.from(r.stdout as Uint8Array).length).toBe(32);
  });

  test('namespace and type default to what the component reading the Secret needs; files keep text as stringData, binary as data', async () => {
    const { repo, spec } = await repoOf(onpremOverlay([cluster.recipient]));
    const dir = tmp('in-');
    writeFileSync(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'ca.key'), Buffer.from([0, 1, 2, 255]));
    const r = await addSecret({
      spec, secretsDir: repo.secrets, name: 'company-ca-key-pair', files: [`tls.crt=${join(dir, 'ca.crt')}`, `tls.key=${join(dir, 'ca.key')}`], backend,
    });
    expect(r.namespace).toBe('cert-manager');
    expect((await open(r.path, cluster.identity)).spec.secretTemplates[0]).toEqual({
      name: 'company-ca-key-pair', type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' },
      data: { 'tls.key': 'AAEC/w==' },
    });
  });

  test('refuses an existing file, a missing namespace and no values, writing nothing', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    const before = readFileSync(join(repo.secrets, 'c1/argocd/db.enc.yaml'), 'utf8');
    await expect(addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=w'], backend }))
      .rejects.toThrow(`${join(repo.secrets, 'c1/argocd/db.enc.yaml')}: exists; change it with \`infra-synth secrets edit c1 db --namespace argocd\``);
    await expect(addSecret({ spec, secretsDir: repo.secrets, name: 'other', literals: ['k=v'], backend }))
      .rejects.toThrow('c1: no component reads a Secret named other; pass --namespace');
    await expect(addSecret({ spec, secretsDir: repo.secrets, name: 'other', namespace: 'argocd', backend }))
      .rejects.toThrow('no values: give --from-literal key=value or --from-file key=path');
    expect(readFileSync(join(repo.secrets, 'c1/argocd/db.enc.yaml'), 'utf8')).toBe(before);
    expect(existsSync(join(repo.secrets, 'c1/argocd/other.enc.yaml'))).toBe(false);
  });
});

describe('secrets edit', () => {
  /**
   * An editor (a node script, portable where stat and sed flags are not) that records the file's
   * mode, its folder's mode and its path, then replaces `from` with `to` in it.
   */
  function editor(from = '', to = ''): { cmd: string; log: string } {
    const dir = tmp('editor-');
    const log = join(dir, 'log');
    const cmd = join(dir, 'edit.cjs');
    writeFileSync(cmd, `#!/usr/bin/env node
const fs = require('node:fs'), path = require('node:path');
const file = process.argv[2];
const mode = (p) => (fs.statSync(p).mode & 0o777).toString(8);
fs.writeFileSync(${JSON.stringify(log)}, [mode(file), mode(path.dirname(file)), file].join('\\n'));
if (${JSON.stringify(from)}) fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(${JSON.stringify(from)}, ${JSON.stringify(to)}));
`);
    chmodSync(cmd, 0o755);
    return { cmd, log };
  }

  async function withSecret() {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient, platform.recipient]));
    const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['password=old'], backend });
    return { repo, spec, path };
  }

  test('re-encrypts what the editor changed; the plaintext was a 0600 file in a private folder, removed after', async () => {
    const { repo, spec, path } = await withSecret();
    const e = editor('password: old', 'password: new');
    const r = await editSecret({ spec, secretsDir: repo.secrets, name: 'db', editor: e.cmd, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend });
    expect(r).toEqual({ path, changed: true });
    expect((await open(path, platform.identity)).spec.secretTemplates[0].stringData).toEqual({ password: 'new' });
    const [mode, dirMode, file] = readFileSync(e.log, 'utf8').trim().split('\n');
    expect([mode, dirMode]).toEqual(['600', '700']);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(file, '..'))).toBe(false);
  });

  test('an editor that changes nothing leaves the file byte-identical', async () => {
    const { repo, spec, path } = await withSecret();
    const before = readFileSync(path, 'utf8');
    const e = editor();
    const r = await editSecret({ spec, secretsDir: repo.secrets, name: 'db', editor: e.cmd, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend });
    expect(r.changed).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  test('an edit that renames the SopsSecret is refused and the file is left alone', async () => {
    const { repo, spec, path } = await withSecret();
    const before = readFileSync(path, 'utf8');
    const e = editor('name: db', 'name: other');
    await expect(editSecret({ spec, secretsDir: repo.secrets, name: 'db', editor: e.cmd, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend }))
      .rejects.toThrow(`${path}: the edited text must stay a SopsSecret argocd/db with spec.secretTemplates; ${path} left unchanged`);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe('secrets audit and rotate', () => {
  /** c1 with one fresh file, one 100 days old, and one encrypted before `platform` joined the overlay. */
  async function fleetWithFindings() {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    await addSecret({ spec, secretsDir: repo.secrets, name: 'fresh', namespace: 'argocd', literals: ['k=fresh'], backend });
    await addSecret({ spec, secretsDir: repo.secrets, name: 'old', namespace: 'argocd', literals: ['k=old'], backend: backendAt(100) });
    repo.overlay('c1', vkOverlay([cluster.recipient, platform.recipient]));
    const specs = await loadFleet(repo.overlays);
    return { repo, specs };
  }

  /** What the audit says of a vk prod cluster c1 that has no secret yet: every Secret its components read. */
  const MISSING_ON_VK = (dir: string) => [
    // type and url of Argo CD's credential follow from the overlay: the command asks for the key only.
    ['argocd', 'git-repo-creds', ['type', 'url', 'sshPrivateKey'], 'Argo CD (credential for ssh://git@git.company.ru/)', ['sshPrivateKey']],
    ['monitoring', 'grafana-admin', ['admin-user', 'admin-password'], 'Grafana (admin.existingSecret)'],
    ['monitoring', 'loki-s3', ['access_key_id', 'secret_access_key'], 'Loki (S3 storage)'],
    ['monitoring', 'tempo-s3', ['access_key_id', 'secret_access_key'], 'Tempo (S3 storage)'],
    ['vault', 'vault-snapshot-s3', ['cloud'], 'CronJob vault-raft-snapshot (upload)'],
    // VK Cloud's Vault unseals through the central Vault's transit engine (docs/overlay-observability.md).
    ['vault', 'vault-transit-seal', ['token', 'ca.crt'], 'Vault server (seal "transit": token and the other Vault\'s CA)'],
    ['velero', 'velero-s3', ['cloud'], 'Velero (BackupStorageLocation default)'],
  ].map(([ns, name, keys, by, given]) => `c1: Secret ${ns}/${name} (keys ${(keys as string[]).join(', ')}) read by ${by} has no ${join(dir, `c1/${ns}/${name}.enc.yaml`)}; ` +
    `add it with \`infra-synth secrets add c1 ${name} --namespace ${ns} ${((given ?? keys) as string[]).map((k) => `--from-file ${k}=<file>`).join(' ')}\``);

  /** Findings other than "a Secret a component reads has no file" (tests that add only some). */
  const notMissing = (f: string) => !/ read by .* has no .*; add it with /.test(f);

  test('audit lists every Secret a component reads that has no file, with the command that adds it', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const r = auditSecrets({ specs: [spec], secretsDir: repo.secrets, now: NOW });
    expect(r.findings.filter((f) => !notMissing(f))).toEqual(MISSING_ON_VK(repo.secrets));
  });

  test('audit flags an overdue file and stale recipients, without any key', async () => {
    const { repo, specs } = await fleetWithFindings();
    const r = auditSecrets({ specs, secretsDir: repo.secrets, now: NOW });
    const p = (n: string) => join(repo.secrets, `c1/argocd/${n}.enc.yaml`);
    const stale = (n: string) => `${p(n)}: encrypted to other recipients than overlay c1 (secrets.ageRecipients): missing ${platform.recipient}; run \`infra-synth secrets rotate --cluster c1\``;
    expect(r.findings.slice(0, 3)).toEqual([
      stale('fresh'),
      stale('old'),
      `${p('old')}: data key last rotated 2026-08-23T00:00:00Z (100 days ago, over 90); run \`infra-synth secrets rotate --cluster c1\``,
    ]);
    expect(r.ok).toBe(0);
  });

  test('audit flags unencrypted files, a secret folder without an overlay and a stale .sops.yaml', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    mkdirSync(join(repo.secrets, 'gone/argocd'), { recursive: true });
    mkdirSync(join(repo.secrets, 'c1/argocd'), { recursive: true });
    writeFileSync(join(repo.secrets, 'c1/argocd/plain.enc.yaml'), 'apiVersion: isindir.github.com/v1alpha3\nkind: SopsSecret\n');
    const r = auditSecrets({ specs: [spec], secretsDir: repo.secrets, now: NOW });
    expect(r.findings.filter(notMissing)).toEqual([
      `${join(repo.secrets, 'gone')}: secrets of cluster gone, which has no overlay; delete the folder if the cluster is gone`,
      expect.stringContaining(`${join(repo.secrets, 'c1/argocd/plain.enc.yaml')}: not SOPS-encrypted (no sops metadata)`),
      `${join(repo.root, '.sops.yaml')}: missing; run \`infra-synth synth\` and commit it`,
    ]);
  });

  test('rotate fixes both, reporting each file; the real age CLI opens the new recipient\'s stanza', async () => {
    const { repo, specs } = await fleetWithFindings();
    const fresh = join(repo.secrets, 'c1/argocd/fresh.enc.yaml');
    const valuesBefore = (yaml.load(readFileSync(fresh, 'utf8')) as any).spec;
    const changes = await rotateSecrets({ specs, secretsDir: repo.secrets, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend, now: NOW });
    expect(changes).toEqual([
      { path: fresh, action: 'updatekeys', why: `recipients added: ${platform.recipient}` },
      { path: join(repo.secrets, 'c1/argocd/old.enc.yaml'), action: 'new data key', why: 'data key 100 days old' },
    ]);
    // updatekeys keeps the data key: the values' ciphertext is untouched.
    expect((yaml.load(readFileSync(fresh, 'utf8')) as any).spec).toEqual(valuesBefore);
    writeFileSync(join(repo.root, '.sops.yaml'), renderSopsConfig(specs));
    const after = auditSecrets({ specs, secretsDir: repo.secrets, now: NOW });
    expect({ ...after, findings: after.findings.filter(notMissing) }).toEqual({ findings: [], notes: [], ok: 2 });
    const key = join(tmp('age-'), 'key.txt');
    writeFileSync(key, `${platform.identity}\n`);
    const stanza = (yaml.load(readFileSync(fresh, 'utf8')) as any).sops.age.find((a: any) => a.recipient === platform.recipient).enc;
    expect(Buffer.from((await execa('age', ['-d', '-i', key], { input: stanza, encoding: 'buffer', stripFinalNewline: false })).stdout as Uint8Array).length).toBe(32);
    expect((await open(fresh, platform.identity)).spec.secretTemplates[0].stringData).toEqual({ k: 'fresh' });
  });

  test('a removed recipient gets a new data key, since its holder knows the old one', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient, platform.recipient]));
    await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    repo.overlay('c1', vkOverlay([cluster.recipient]));
    const specs = await loadFleet(repo.overlays);
    const changes = await rotateSecrets({ specs, secretsDir: repo.secrets, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend, now: NOW });
    expect(changes.map((c) => [c.action, c.why])).toEqual([['new data key', `recipients removed: ${platform.recipient}`]]);
    await expect(open(join(repo.secrets, 'c1/argocd/db.enc.yaml'), platform.identity)).rejects.toThrow('can decrypt the data key');
  });

  test('rotate without an identity fails and writes nothing; with nothing due it needs none', async () => {
    const { repo, specs } = await fleetWithFindings();
    const fresh = join(repo.secrets, 'c1/argocd/fresh.enc.yaml');
    const before = readFileSync(fresh, 'utf8');
    await expect(rotateSecrets({ specs, secretsDir: repo.secrets, env: { HOME: tmp('home-') }, backend, now: NOW }))
      .rejects.toThrow('rotate needs an age identity that opens the files (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY); 2 file(s) need it');
    expect(readFileSync(fresh, 'utf8')).toBe(before);
    const clean = await repoOf(vkOverlay([cluster.recipient]));
    await addSecret({ spec: clean.spec, secretsDir: clean.repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    expect(await rotateSecrets({ specs: [clean.spec], secretsDir: clean.repo.secrets, env: { HOME: tmp('home-') }, backend, now: NOW })).toEqual([]);
  });

  test('rotate --data-key re-encrypts every value under a new data key', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    const before = (yaml.load(readFileSync(path, 'utf8')) as any).spec.secretTemplates[0].stringData.k;
    const changes = await rotateSecrets({ specs: [spec], secretsDir: repo.secrets, dataKey: true, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend, now: NOW });
    expect(changes).toEqual([{ path, action: 'new data key', why: '--data-key' }]);
    expect((yaml.load(readFileSync(path, 'utf8')) as any).spec.secretTemplates[0].stringData.k).not.toBe(before);
    expect((await open(path, cluster.identity)).spec.secretTemplates[0].stringData).toEqual({ k: 'v' });
  });
});

describe('the keys a component reads', () => {
  const grafanaAdmin = (repo: { secrets: string }) => join(repo.secrets, 'c1/monitoring/grafana-admin.enc.yaml');

  test('add refuses a key the reading component never reads, naming the keys it reads, and writes nothing', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    await expect(addSecret({ spec, secretsDir: repo.secrets, name: 'grafana-admin', literals: ['user=x'], backend })).rejects.toThrow(
      'c1: Secret monitoring/grafana-admin is read by Grafana (admin.existingSecret) as the keys admin-user, admin-password; ' +
        'it never reads user; missing admin-user, admin-password; nothing written',
    );
    expect(existsSync(grafanaAdmin(repo))).toBe(false);
  });

  test('add refuses a declared Secret without every key its component reads', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    await expect(addSecret({ spec, secretsDir: repo.secrets, name: 'grafana-admin', literals: ['admin-user=admin'], backend })).rejects.toThrow(
      'c1: Secret monitoring/grafana-admin is read by Grafana (admin.existingSecret) as the keys admin-user, admin-password; missing admin-password; nothing written',
    );
  });

  test('add takes exactly the keys the component reads', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const r = await addSecret({ spec, secretsDir: repo.secrets, name: 'grafana-admin', literals: ['admin-user=admin', 'admin-password=pw'], backend });
    expect((await open(r.path, cluster.identity)).spec.secretTemplates[0].stringData).toEqual({ 'admin-user': 'admin', 'admin-password': 'pw' });
  });

  test('audit flags a declared Secret that lacks a key its component reads, without any key', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const plain = yaml.dump(sopsSecretObject({ name: 'grafana-admin', namespace: 'monitoring', template: { name: 'grafana-admin', stringData: { user: 'x' } } }));
    const enc = await backend.encrypt(plain, { format: 'yaml', recipients: [cluster.recipient], rules: SOPS_SECRET_RULES });
    mkdirSync(join(repo.secrets, 'c1/monitoring'), { recursive: true });
    writeFileSync(grafanaAdmin(repo), enc);
    const r = auditSecrets({ specs: [spec], secretsDir: repo.secrets, now: NOW });
    expect(r.findings).toContain(
      `${grafanaAdmin(repo)}: Secret monitoring/grafana-admin has no key admin-user, admin-password, which Grafana (admin.existingSecret) reads (it holds user); ` +
        'edit it with `infra-synth secrets edit c1 grafana-admin --namespace monitoring`',
    );
    expect(r.findings.filter((f) => f.includes('grafana-admin'))).toHaveLength(1);
  });
});

describe('the audit clock', () => {
  test('file age is measured against the clock it is given, not the wall clock', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    const overdue = (now: Date) => auditSecrets({ specs: [spec], secretsDir: repo.secrets, now }).findings.filter((f) => f.startsWith(path));
    expect(overdue(new Date('2027-03-01T00:00:00Z'))).toEqual([]);
    expect(overdue(new Date('2027-03-02T00:00:01Z'))).toEqual([
      `${path}: data key last rotated 2026-12-01T00:00:00Z (91 days ago, over 90); run \`infra-synth secrets rotate --cluster c1\``,
    ]);
  });

  test('--now, else INFRA_SYNTH_NOW, else the wall clock; a date alone is its midnight UTC', () => {
    expect(clockOf('2027-06-01', { INFRA_SYNTH_NOW: '2030-01-01' }).toISOString()).toBe('2027-06-01T00:00:00.000Z');
    expect(clockOf(undefined, { INFRA_SYNTH_NOW: '2027-06-01T12:30:00+02:00' }).toISOString()).toBe('2027-06-01T10:30:00.000Z');
    const before = Date.now();
    const wall = clockOf(undefined, {}).getTime();
    expect(wall >= before && wall <= Date.now()).toBe(true);
  });

  test('a clock that is not an RFC 3339 date is bad input naming its source', () => {
    expect(() => clockOf('next tuesday', {})).toThrow('--now "next tuesday": expected an RFC 3339 date or date-time, e.g. 2027-06-01 or 2027-06-01T12:00:00Z');
    expect(() => clockOf(undefined, { INFRA_SYNTH_NOW: '2027-13-45' })).toThrow('INFRA_SYNTH_NOW "2027-13-45": expected an RFC 3339 date');
  });

  test('files of clusters listed in secrets/examples.yaml past their rotation age are notes, not findings', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    writeFileSync(join(repo.secrets, 'examples.yaml'), 'clusters: [c1]\n');
    const r = auditSecrets({ specs: [spec], secretsDir: repo.secrets, now: new Date('2027-06-01T00:00:00Z') });
    expect(r.notes).toEqual([
      `${path}: data key last rotated 2026-12-01T00:00:00Z (182 days ago, over 90); an example placeholder (${join(repo.secrets, 'examples.yaml')}), not a finding`,
    ]);
    expect(r.findings.filter((f) => f.startsWith(path))).toEqual([]);
  });

  test('rotate leaves example placeholders past their age alone: nobody holds their keys', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    writeFileSync(join(repo.secrets, 'examples.yaml'), 'clusters: [c1]\n');
    expect(await rotateSecrets({ specs: [spec], secretsDir: repo.secrets, env: { HOME: tmp('home-') }, backend, now: new Date('2027-06-01T00:00:00Z') })).toEqual([]);
  });
});
