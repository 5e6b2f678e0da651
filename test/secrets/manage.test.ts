// add / edit / rotate / audit through the library, on real files in temp repositories.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { addSecret, auditSecrets, editSecret, rotateSecrets } from '../../lib/secrets/manage.js';
import { renderSopsConfig } from '../../lib/secrets/sops-config.js';
import { readMetadata } from '../../sops/index.js';
import { BuiltinSopsBackend } from '../../sops/builtin.js';
import { loadFleet } from '../../spec/load.js';
import { type KeyPair, backendAt, newKeyPair, onpremOverlay, tempRepo, tmp, vkOverlay } from './helpers.js';

let cluster: KeyPair;
let platform: KeyPair;
beforeAll(async () => {
  cluster = await newKeyPair();
  platform = await newKeyPair();
});
const backend = new BuiltinSopsBackend();
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
  /** An editor script that records the file's mode and path, then runs `change` on it. */
  function editor(change: string): { cmd: string; log: string } {
    const dir = tmp('editor-');
    const log = join(dir, 'log');
    const cmd = join(dir, 'edit.sh');
    writeFileSync(cmd, `#!/bin/sh\nstat -c '%a' "$1" > ${log}\nstat -c '%a' "$(dirname "$1")" >> ${log}\necho "$1" >> ${log}\n${change}\n`);
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
    const e = editor(`sed -i 's/password: old/password: new/' "$1"`);
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
    const e = editor('true');
    const r = await editSecret({ spec, secretsDir: repo.secrets, name: 'db', editor: e.cmd, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend });
    expect(r.changed).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  test('an edit that renames the SopsSecret is refused and the file is left alone', async () => {
    const { repo, spec, path } = await withSecret();
    const before = readFileSync(path, 'utf8');
    const e = editor(`sed -i 's/name: db/name: other/' "$1"`);
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

  /** Findings other than "a Secret a component reads has no file" (tests that add only some). */
  const notMissing = (f: string) => !/ read by .* has no .*; add it with /.test(f);

  test('audit lists every Secret a component reads that has no file, with the command that adds it', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const r = auditSecrets({ specs: [spec], secretsDir: repo.secrets });
    expect(r.findings.filter((f) => !notMissing(f)).length).toBeGreaterThan(0);
    expect(r.findings).toContainEqual(expect.stringMatching(/^c1: Secret monitoring\/grafana-admin \(keys admin-user, admin-password\) read by .* has no .*grafana-admin\.enc\.yaml; add it with `infra-synth secrets add c1 grafana-admin --namespace monitoring /));
  });

  test('audit flags an overdue file and stale recipients, without any key', async () => {
    const { repo, specs } = await fleetWithFindings();
    const r = auditSecrets({ specs, secretsDir: repo.secrets });
    const p = (n: string) => join(repo.secrets, `c1/argocd/${n}.enc.yaml`);
    const stale = (n: string) => `${p(n)}: encrypted to other recipients than overlay c1 (secrets.ageRecipients): missing ${platform.recipient}; run \`infra-synth secrets rotate --cluster c1\``;
    expect(r.findings.slice(0, 3)).toEqual([
      stale('fresh'),
      stale('old'),
      expect.stringMatching(new RegExp(`^${p('old').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: data key last rotated \\S+ \\((99|100) days ago, over 90\\); run \`infra-synth secrets rotate --cluster c1\`$`)),
    ]);
    expect(r.ok).toBe(0);
  });

  test('audit flags unencrypted files, a secret folder without an overlay and a stale .sops.yaml', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    mkdirSync(join(repo.secrets, 'gone/argocd'), { recursive: true });
    mkdirSync(join(repo.secrets, 'c1/argocd'), { recursive: true });
    writeFileSync(join(repo.secrets, 'c1/argocd/plain.enc.yaml'), 'apiVersion: isindir.github.com/v1alpha3\nkind: SopsSecret\n');
    const r = auditSecrets({ specs: [spec], secretsDir: repo.secrets });
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
    const changes = await rotateSecrets({ specs, secretsDir: repo.secrets, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend });
    expect(changes).toEqual([
      { path: fresh, action: 'updatekeys', why: `recipients added: ${platform.recipient}` },
      { path: join(repo.secrets, 'c1/argocd/old.enc.yaml'), action: 'new data key', why: expect.stringMatching(/^data key (99|100) days old$/) },
    ]);
    // updatekeys keeps the data key: the values' ciphertext is untouched.
    expect((yaml.load(readFileSync(fresh, 'utf8')) as any).spec).toEqual(valuesBefore);
    writeFileSync(join(repo.root, '.sops.yaml'), renderSopsConfig(specs));
    const after = auditSecrets({ specs, secretsDir: repo.secrets });
    expect({ ...after, findings: after.findings.filter(notMissing) }).toEqual({ findings: [], ok: 2 });
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
    const changes = await rotateSecrets({ specs, secretsDir: repo.secrets, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend });
    expect(changes.map((c) => [c.action, c.why])).toEqual([['new data key', `recipients removed: ${platform.recipient}`]]);
    await expect(open(join(repo.secrets, 'c1/argocd/db.enc.yaml'), platform.identity)).rejects.toThrow('can decrypt the data key');
  });

  test('rotate without an identity fails and writes nothing; with nothing due it needs none', async () => {
    const { repo, specs } = await fleetWithFindings();
    const fresh = join(repo.secrets, 'c1/argocd/fresh.enc.yaml');
    const before = readFileSync(fresh, 'utf8');
    await expect(rotateSecrets({ specs, secretsDir: repo.secrets, env: { HOME: tmp('home-') }, backend }))
      .rejects.toThrow('rotate needs an age identity that opens the files (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY); 2 file(s) need it');
    expect(readFileSync(fresh, 'utf8')).toBe(before);
    const clean = await repoOf(vkOverlay([cluster.recipient]));
    await addSecret({ spec: clean.spec, secretsDir: clean.repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    expect(await rotateSecrets({ specs: [clean.spec], secretsDir: clean.repo.secrets, env: { HOME: tmp('home-') }, backend })).toEqual([]);
  });

  test('rotate --data-key re-encrypts every value under a new data key', async () => {
    const { repo, spec } = await repoOf(vkOverlay([cluster.recipient]));
    const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['k=v'], backend });
    const before = (yaml.load(readFileSync(path, 'utf8')) as any).spec.secretTemplates[0].stringData.k;
    const changes = await rotateSecrets({ specs: [spec], secretsDir: repo.secrets, dataKey: true, env: { SOPS_AGE_KEY: cluster.identity, HOME: tmp('home-') }, backend });
    expect(changes).toEqual([{ path, action: 'new data key', why: '--data-key' }]);
    expect((yaml.load(readFileSync(path, 'utf8')) as any).spec.secretTemplates[0].stringData.k).not.toBe(before);
    expect((await open(path, cluster.identity)).spec.secretTemplates[0].stringData).toEqual({ k: 'v' });
  });
});
