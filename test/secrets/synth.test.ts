// Secrets through synth: carried byte for byte, never re-encrypted, checked without any key.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../../primitives/errors.js';
import { addSecret, rotateSecrets } from '../../pipeline/secrets/manage.js';
import { synthFleet } from '../../pipeline/synth.js';
import { loadFleet } from '../../spec/load.js';
import { BuiltinSopsBackend } from '../../sops/builtin.js';
import { type KeyPair, type TempRepo, addRequiredSecrets, newKeyPair, onpremOverlay, readTree, tempRepo, tmp, vkOverlay } from './helpers.js';

let cluster: KeyPair;
let platform: KeyPair;
beforeAll(async () => {
  cluster = await newKeyPair();
  platform = await newKeyPair();
});

const backend = new BuiltinSopsBackend();
const synthError = (p: Promise<unknown>) => p.then(() => { throw new Error('synth succeeded'); }, (e: unknown) => {
  if (!(e instanceof UserError)) throw e;
  return e.problems;
});

/** Loads the repository's overlays and adds every Secret their components read. */
async function withRequiredSecrets(repo: TempRepo) {
  const specs = await loadFleet(repo.overlays);
  for (const spec of specs) await addRequiredSecrets(spec, repo.secrets);
  return specs;
}

/** A repository with one vk cluster `c1`, the Secrets its components need, and two more. */
async function repoWithSecrets() {
  const repo = tempRepo();
  repo.overlay('c1', vkOverlay([cluster.recipient, platform.recipient]));
  const [spec] = await withRequiredSecrets(repo);
  for (const name of ['db', 'api']) {
    await addSecret({ spec, secretsDir: repo.secrets, name, namespace: 'argocd', literals: [`password=${name}-secret`], backend });
  }
  return { repo, spec };
}

describe('synth carries encrypted secrets', () => {
  test('each file lands in clusters/<cluster>/secrets/ byte for byte, with the Application that syncs it', async () => {
    const { repo } = await repoWithSecrets();
    const out = tmp('dist-');
    await synthFleet({ overlaysDir: repo.overlays, outDir: out });
    const source = readFileSync(join(repo.secrets, 'c1/argocd/db.enc.yaml'), 'utf8');
    expect(readFileSync(join(out, 'clusters/c1/secrets/argocd.db.enc.yaml'), 'utf8')).toBe(source);
    const app = yaml.load(readFileSync(join(out, 'clusters/c1/apps/application-secrets.yaml'), 'utf8')) as any;
    expect(app.spec.source.path).toBe('clusters/c1/secrets');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-6');
  });

  test('a second synth is byte-identical and writes nothing', async () => {
    const { repo } = await repoWithSecrets();
    const a = tmp('dist-'), b = tmp('dist-');
    await synthFleet({ overlaysDir: repo.overlays, outDir: a });
    await synthFleet({ overlaysDir: repo.overlays, outDir: b });
    expect(readTree(a)).toEqual(readTree(b));
    const again = await synthFleet({ overlaysDir: repo.overlays, outDir: a });
    expect(again.changes).toEqual({ added: [], changed: [], removed: [], unchanged: again.files });
  });

  test('one changed secret changes only its own output file', async () => {
    const { repo, spec } = await repoWithSecrets();
    const out = tmp('dist-');
    await synthFleet({ overlaysDir: repo.overlays, outDir: out });
    const api = join(repo.secrets, 'c1/argocd/api.enc.yaml');
    const before = readFileSync(api, 'utf8');
    const apiOnly = tmp('one-');
    mkdirSync(join(apiOnly, 'c1/argocd'), { recursive: true });
    writeFileSync(join(apiOnly, 'c1/argocd/api.enc.yaml'), before);
    await rotateSecrets({ specs: [spec], secretsDir: apiOnly, dataKey: true, env: { SOPS_AGE_KEY: cluster.identity }, backend });
    writeFileSync(api, readFileSync(join(apiOnly, 'c1/argocd/api.enc.yaml')));
    const r = await synthFleet({ overlaysDir: repo.overlays, outDir: out });
    expect(r.changes).toEqual({ added: [], changed: ['clusters/c1/secrets/argocd.api.enc.yaml'], removed: [], unchanged: r.files - 1 });
  });

});

describe('synth refuses secrets it cannot vouch for, without any key', () => {
  test('recipients that differ from the overlay fail synth, naming the file and the fix', async () => {
    const { repo } = await repoWithSecrets();
    const newcomer = await newKeyPair();
    repo.overlay('c1', vkOverlay([cluster.recipient, platform.recipient, newcomer.recipient]));
    const out = tmp('dist-');
    const problems = await synthError(synthFleet({ overlaysDir: repo.overlays, outDir: out }));
    const stale = (n: string) => `${join(repo.secrets, `c1/argocd/${n}.enc.yaml`)}: encrypted to other recipients than overlay c1 (secrets.ageRecipients): missing ${newcomer.recipient}; run \`infra-synth secrets rotate --cluster c1\``;
    expect(problems).toEqual(expect.arrayContaining([stale('api'), stale('db')]));
    expect(problems.every((p) => p.endsWith('run `infra-synth secrets rotate --cluster c1`'))).toBe(true);
    expect(existsSync(join(out, 'clusters'))).toBe(false);
  });

  test('a plaintext Secret dropped into secrets/<cluster>/ is refused and nothing is written', async () => {
    const { repo } = await repoWithSecrets();
    const plain = join(repo.secrets, 'c1/argocd/leak.yaml');
    writeFileSync(plain, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\nstringData:\n  password: hunter2\n');
    const out = tmp('dist-');
    const problems = await synthError(synthFleet({ overlaysDir: repo.overlays, outDir: out }));
    expect(problems).toEqual([`${plain}: not a *.enc.yaml file; only SOPS-encrypted SopsSecrets (<name>.enc.yaml) belong here; plaintext must never be committed`]);
    expect(existsSync(join(out, 'clusters'))).toBe(false);
  });

  test('a decrypted SopsSecret saved as .enc.yaml is refused without echoing its values', async () => {
    const { repo } = await repoWithSecrets();
    const file = join(repo.secrets, 'c1/argocd/db.enc.yaml');
    const plain = await backend.decrypt(readFileSync(file), { format: 'yaml', identities: [cluster.identity] });
    writeFileSync(file, plain.plaintext);
    const problems = await synthError(synthFleet({ overlaysDir: repo.overlays, outDir: tmp('dist-') }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not SOPS-encrypted \\(no sops metadata\\)`));
    expect(problems[0]).toContain('infra-synth secrets add c1 db --namespace argocd');
    expect(problems[0]).not.toContain('db-secret');
  });

  test('a sops block with an unquoted timestamp (a string to Kubernetes, as to YAML 1.2) is still carried byte for byte', async () => {
    const { repo } = await repoWithSecrets();
    const file = join(repo.secrets, 'c1/argocd/db.enc.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/lastmodified: "([^"]+)"/, 'lastmodified: $1'));
    const out = tmp('dist-');
    await synthFleet({ overlaysDir: repo.overlays, outDir: out });
    expect(readFileSync(join(out, 'clusters/c1/secrets/argocd.db.enc.yaml'), 'utf8')).toBe(readFileSync(file, 'utf8'));
  });

  test('a SopsSecret whose name or namespace disagrees with its path is refused', async () => {
    const { repo } = await repoWithSecrets();
    const moved = join(repo.secrets, 'c1/cert-manager');
    mkdirSync(moved);
    writeFileSync(join(moved, 'db.enc.yaml'), readFileSync(join(repo.secrets, 'c1/argocd/db.enc.yaml')));
    const problems = await synthError(synthFleet({ overlaysDir: repo.overlays, outDir: tmp('dist-') }));
    expect(problems).toEqual([`${join(moved, 'db.enc.yaml')}: metadata is argocd/db, but the path says cert-manager/db; the path decides where the Secret lands, so they must agree`]);
  });

  test('a Secret a component reads that has no encrypted file is a warning with the command that adds it; the rest renders', async () => {
    const repo = tempRepo();
    repo.overlay('op', onpremOverlay([cluster.recipient]));
    const [spec] = await loadFleet(repo.overlays);
    await addRequiredSecrets(spec, repo.secrets, ['company-ca-key-pair']);
    const r = await synthFleet({ overlaysDir: repo.overlays, outDir: tmp('dist-') });
    expect(r.changes.added.some((p) => p.startsWith('clusters/op/secrets/'))).toBe(true);
    expect(r.warnings).toEqual([
      `op: Secret cert-manager/company-ca-key-pair (keys tls.crt, tls.key) read by ClusterIssuer company-ca has no ${join(repo.secrets, 'op/cert-manager/company-ca-key-pair.enc.yaml')}; ` +
        'add it with `infra-synth secrets add op company-ca-key-pair --namespace cert-manager --type kubernetes.io/tls --from-file tls.crt=<file> --from-file tls.key=<file>`',
    ]);
  });

  test('a secret in a namespace outside the platform project is refused', async () => {
    const repo = tempRepo();
    repo.overlay('c1', vkOverlay([cluster.recipient]));
    const [spec] = await withRequiredSecrets(repo);
    await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'payments', literals: ['password=x'], backend });
    const problems = await synthError(synthFleet({ overlaysDir: repo.overlays, outDir: tmp('dist-') }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('payments/db.enc.yaml: namespace payments is not a platform namespace of c1');
  });
});

describe('.sops.yaml', () => {
  test('one creation rule per cluster, in the output root and at the repository root, identical', async () => {
    const repo = tempRepo();
    repo.overlay('b', vkOverlay([cluster.recipient, platform.recipient], 'b.company.ru'));
    repo.overlay('a', vkOverlay([platform.recipient]));
    await withRequiredSecrets(repo);
    const out = tmp('dist-');
    const r = await synthFleet({ overlaysDir: repo.overlays, outDir: out });
    const text = readFileSync(join(out, '.sops.yaml'), 'utf8');
    expect(readFileSync(join(repo.root, '.sops.yaml'), 'utf8')).toBe(text);
    expect(r.sources).toEqual([join(repo.root, '.sops.yaml')]);
    expect((yaml.load(text) as any).creation_rules).toEqual([
      { path_regex: '^(secrets/a/[^/]+|clusters/a/secrets)/[^/]+\\.enc\\.yaml$', encrypted_suffix: 'Templates', age: platform.recipient },
      { path_regex: '^(secrets/b/[^/]+|clusters/b/secrets)/[^/]+\\.enc\\.yaml$', encrypted_suffix: 'Templates', age: `${cluster.recipient},${platform.recipient}` },
    ]);
  });

  test("sops' own rule lookup picks each cluster's recipients for its source and output paths", async () => {
    const { findCreationRule } = await import('../../sops/index.js');
    const repo = tempRepo();
    repo.overlay('a', vkOverlay([platform.recipient]));
    repo.overlay('b', vkOverlay([cluster.recipient], 'b.company.ru'));
    await withRequiredSecrets(repo);
    const out = tmp('dist-');
    await synthFleet({ overlaysDir: repo.overlays, outDir: out });
    const source = findCreationRule(join(repo.root, '.sops.yaml'), join(repo.root, 'secrets/b/cert-manager/ca.enc.yaml'));
    const output = findCreationRule(join(out, '.sops.yaml'), join(out, 'clusters/a/secrets/cert-manager.ca.enc.yaml'));
    expect([source?.age, source?.rules]).toEqual([[cluster.recipient], { encrypted_suffix: 'Templates' }]);
    expect(output?.age).toEqual([platform.recipient]);
    expect(() => findCreationRule(join(repo.root, '.sops.yaml'), join(repo.root, 'secrets/c/x/y.enc.yaml'))).toThrow('no creation rule matches');
  });

  test('synth --check reports the committed .sops.yaml stale when an overlay\'s recipients change, and writes nothing', async () => {
    const repo = tempRepo();
    repo.overlay('a', vkOverlay([platform.recipient]));
    await withRequiredSecrets(repo);
    const out = tmp('dist-');
    await synthFleet({ overlaysDir: repo.overlays, outDir: out });
    const before = readFileSync(join(repo.root, '.sops.yaml'), 'utf8');
    expect((await synthFleet({ overlaysDir: repo.overlays, outDir: out, check: true })).sources).toEqual([]);
    repo.overlay('a', vkOverlay([platform.recipient, cluster.recipient]));
    // The engineer's sequence: synth says rotate; rotate re-keys the files; synth then refreshes .sops.yaml.
    await rotateSecrets({ specs: await loadFleet(repo.overlays), secretsDir: repo.secrets, env: { SOPS_AGE_KEY: platform.identity }, backend });
    const r = await synthFleet({ overlaysDir: repo.overlays, outDir: out, check: true });
    expect(r.sources).toEqual([join(repo.root, '.sops.yaml')]);
    expect(r.changes.changed).toContain('.sops.yaml');
    expect(readFileSync(join(repo.root, '.sops.yaml'), 'utf8')).toBe(before);
  });

  test('a one-cluster synth leaves both .sops.yaml files alone', async () => {
    const repo = tempRepo();
    repo.overlay('a', vkOverlay([platform.recipient]));
    await withRequiredSecrets(repo);
    const out = tmp('dist-');
    const r = await synthFleet({ overlaysDir: repo.overlays, outDir: out, clusters: ['a'] });
    expect(r.sources).toEqual([]);
    expect(existsSync(join(out, '.sops.yaml'))).toBe(false);
    expect(existsSync(join(repo.root, '.sops.yaml'))).toBe(false);
  });
});

describe('the example fleet', () => {
  /** Audits the repository's own secrets (read only) against the example overlays at `now`. */
  async function auditExamples(now: Date) {
    const { REPO_ROOT, EXAMPLE_OVERLAYS } = await import('../helpers/fleet.js');
    const { auditSecrets } = await import('../../pipeline/secrets/manage.js');
    const { loadManagements } = await import('../../spec/management.js');
    const secretsDir = join(REPO_ROOT, 'secrets');
    const managementDir = join(REPO_ROOT, 'management-secrets');
    const files = [secretsDir, managementDir].flatMap((d) => Object.keys(readTree(d)).filter((f) => f.endsWith('.enc.yaml')).map((f) => join(d, f))).sort();
    const managements = { specs: await loadManagements(EXAMPLE_OVERLAYS), dir: managementDir };
    const r = auditSecrets({ specs: await loadFleet(EXAMPLE_OVERLAYS), secretsDir, managements, now });
    return { r: { ...r, notes: [...r.notes].sort() }, files };
  }

  test('its secrets are encrypted to the overlays\' recipients, hold the keys their components read, and the committed .sops.yaml is fresh', async () => {
    const { r, files } = await auditExamples(new Date('2026-12-01T00:00:00Z'));
    expect(r).toEqual({ findings: [], notes: [], ok: files.length });
  });

  test('its audit passes on any date: past the rotation age its placeholders are notes, not findings', async () => {
    const { r, files } = await auditExamples(new Date('2027-06-01T00:00:00Z'));
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(files.length);
    expect(r.notes.map((n) => n.slice(0, n.indexOf(': data key last rotated ')))).toEqual(files);
    expect(r.notes.every((n) => / \((1[89]\d) days ago, over 90\); an example placeholder \(.*secrets\/examples\.yaml\), not a finding$/.test(n))).toBe(true);
  });
});
