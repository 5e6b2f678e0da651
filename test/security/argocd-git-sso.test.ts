// Argo CD reaches Git and people reach Argo CD (issue 13, findings 1 and 4): the Git server's host
// key pinned in the chart's values (the chart owns argocd-ssh-known-hosts-cm, so a key added by
// hand is reverted by self-heal), the repository credential a labelled, encrypted Secret the
// cluster cannot do without, and with SSO an oidc.config whose client secret is a reference and
// no local admin. Checked on what the pinned argo-cd chart renders, on the component's declared
// Secrets, on the files `secrets add` writes, and on the spec rules.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ARGOCD_PART_OF_LABEL, REPO_CREDS_LABEL, argoCdSecrets } from '../../charts/argocd.js';
import { platformComponents } from '../../charts/cluster.js';
import { clusterSecrets, missingSecrets } from '../../pipeline/secrets/fleet.js';
import { addSecret } from '../../pipeline/secrets/manage.js';
import { SOPS_SECRET_RULES, sopsSecretObject } from '../../secret-store/sops-secret.js';
import { readClusterSecrets } from '../../secret-store/store.js';
import { gitCredentialURL } from '../../spec/argocd-access.js';
import { EXAMPLE_GIT_HOST_KEY } from '../../spec/defaults.js';
import { loadFleet, resolveCluster } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { sprigFuncMap } from '../../helm/sprig/index.js';
import { Template } from '../../helm/template/template.js';
import { ofKind, useRealCharts } from '../charts-real/real-charts.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT, specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { type KeyPair, backendAt, newKeyPair, tempRepo, vkOverlay } from '../secrets/helpers.js';

const SSO = { issuer: 'https://sso.company.ru/realms/company', clientID: 'argocd-c1' };

// A CA certificate and a leaf it signs, made by the Sprig functions charts use (helm/sprig).
const [COMPANY_CA, LEAF_CERT] = Template.new('ca').funcs(sprigFuncMap())
  .parse('{{ $ca := genCA "company-ca" 365 }}{{ $ca.Cert }}@@{{ (genSignedCert "sso.company.ru" nil (list "sso.company.ru") 365 $ca).Cert }}')
  .execute({}).split('@@');

/** The problems of an overlay (defaults applied), one line each. */
function problemsOf(overlay: Record<string, unknown>): string[] {
  return resolveCluster({
    name: 'c1', file: 'overlays/c1.ts',
    overlay: { cloud: 'vk', environment: 'prod', domain: 'prod.company.ru', secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] }, ...overlay },
  }).problems;
}

describeWithReferenceData('Argo CD as the pinned argo-cd chart renders it', 'helm/charts', () => {
  const charts = useRealCharts(['argo-cd']);
  const render = (spec: ClusterSpec) => charts().render(spec, 'argo-cd');

  test('argocd-ssh-known-hosts-cm holds the Git server\'s pinned host key', () => {
    const [cm] = ofKind(render(specFor()), 'ConfigMap', 'argocd-ssh-known-hosts-cm');
    expect(cm.data.ssh_known_hosts.split('\n')).toContain(EXAMPLE_GIT_HOST_KEY);
  });

  test('an overlay\'s host keys replace the example key in argocd-ssh-known-hosts-cm', () => {
    const line = 'git.company.ru ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=';
    const [cm] = ofKind(render(specFor({ gitops: { git: { knownHosts: [line] } } })), 'ConfigMap', 'argocd-ssh-known-hosts-cm');
    const lines = cm.data.ssh_known_hosts.split('\n');
    expect([lines.includes(line), lines.includes(EXAMPLE_GIT_HOST_KEY)]).toEqual([true, false]);
  });

  test('with SSO, argocd-cm has an oidc.config that references the client secret and the local admin is off', () => {
    const [cm] = ofKind(render(specFor({ argocd: { sso: SSO } })), 'ConfigMap', 'argocd-cm');
    const oidc = yaml.load(cm.data['oidc.config']) as Record<string, unknown>;
    expect(oidc).toMatchObject({ issuer: SSO.issuer, clientID: 'argocd-c1', clientSecret: '$argocd-oidc:clientSecret' });
    expect([cm.data['admin.enabled'], cm.data.url]).toEqual(['false', 'https://argocd.prod.company.ru']);
  });

  test('with SSO, RBAC matches the groups claim the provider is asked for', () => {
    const objects = render(specFor({ argocd: { sso: { ...SSO, groupsClaim: 'roles' } } }));
    const oidc = yaml.load(ofKind(objects, 'ConfigMap', 'argocd-cm')[0].data['oidc.config']) as any;
    expect([Object.keys(oidc.requestedIDTokenClaims), ofKind(objects, 'ConfigMap', 'argocd-rbac-cm')[0].data.scopes]).toEqual([['roles'], '[roles]']);
  });

  test('with SSO and a rootCA, oidc.config trusts that CA for the provider\'s TLS', () => {
    const [cm] = ofKind(render(specFor({ argocd: { sso: { ...SSO, rootCA: COMPANY_CA } } })), 'ConfigMap', 'argocd-cm');
    expect((yaml.load(cm.data['oidc.config']) as Record<string, unknown>).rootCA).toBe(COMPANY_CA);
  });

  test('without SSO there is no oidc.config and the local admin stays on', () => {
    const [cm] = ofKind(render(specFor()), 'ConfigMap', 'argocd-cm');
    expect([cm.data['oidc.config'], cm.data['dex.config'], cm.data['admin.enabled']]).toEqual([undefined, undefined, 'true']);
  });

  test('the server is a ClusterIP Service with no Ingress of its own, and no Dex server runs', () => {
    const objects = render(specFor({ argocd: { sso: SSO } }));
    const [svc] = ofKind(objects, 'Service', 'argocd-server');
    expect([svc.spec.type, ofKind(objects, 'Ingress').length, objects.filter((o) => /dex/.test(o.metadata?.name ?? '')).map((o) => o.kind)])
      .toEqual(['ClusterIP', 0, []]);
  });
});

describe('the repository credential', () => {
  test('is a Secret Argo CD requires, labelled repo-creds, its type and url fixed to the Git host', () => {
    const [creds] = platformComponents(specFor()).find((c) => c.name === 'argo-cd')!.secrets!;
    expect(creds).toMatchObject({
      name: 'git-repo-creds', namespace: 'argocd', keys: ['type', 'url', 'sshPrivateKey'],
      values: { type: 'git', url: 'ssh://git@git.company.ru/' }, labels: REPO_CREDS_LABEL,
    });
  });

  test('an https credential holds a username and a token for https://<host>/', () => {
    const spec = specFor({ gitops: { repoURL: 'https://git.company.ru/platform/infra-gitops.git', git: { credential: 'https' } } });
    expect(argoCdSecrets(spec)[0]).toMatchObject({ keys: ['type', 'url', 'username', 'password'], values: { type: 'git', url: 'https://git.company.ru/' } });
  });

  test('a file without the repo-creds label is flagged: Argo CD would never use it', async () => {
    const cluster = await newKeyPair();
    const repo = tempRepo();
    repo.overlay('c1', vkOverlay([cluster.recipient]));
    const [spec] = await loadFleet(repo.overlays);
    const path = join(repo.secrets, 'c1/argocd/git-repo-creds.enc.yaml');
    const plain = yaml.dump(sopsSecretObject({
      name: 'git-repo-creds', namespace: 'argocd',
      template: { name: 'git-repo-creds', stringData: { type: 'git', url: 'ssh://git@git.company.ru/', sshPrivateKey: 'KEY' } },
    }));
    mkdirSync(join(repo.secrets, 'c1/argocd'), { recursive: true });
    writeFileSync(path, await backendAt(0).encrypt(plain, { format: 'yaml', recipients: [cluster.recipient], rules: SOPS_SECRET_RULES, name: path }));
    const lines = missingSecrets(spec, readClusterSecrets(repo.secrets, 'c1').files, repo.secrets).filter((l) => l.includes('git-repo-creds'));
    expect(lines).toEqual([expect.stringContaining('has no label argocd.argoproj.io/secret-type, by which Argo CD (credential for ssh://git@git.company.ru/) finds it')]);
  });

  test('the README\'s bootstrap step creates the Secret the spec expects (name, url, label)', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const step = readme.slice(readme.indexOf('# 3. Argo CD\'s Git credential'), readme.indexOf('# 4. '));
    const [creds] = argoCdSecrets(specFor());
    expect([
      step.includes(`create secret generic ${creds.name} `), step.includes(`--from-literal=url=${gitCredentialURL(specFor())} `),
      step.includes(`label secret ${creds.name} argocd.argoproj.io/secret-type=${REPO_CREDS_LABEL['argocd.argoproj.io/secret-type']}`),
      step.includes(`annotate secret ${creds.name} sopssecret/managed=true`),
    ]).toEqual([true, true, true, true]);
  });

  test('when it is missing, synth names it with the command that adds only the private key', () => {
    const lines = missingSecrets(specFor(), [], 'secrets').filter((l) => l.includes('argocd/git-repo-creds'));
    expect(lines).toEqual([expect.stringContaining('`infra-synth secrets add c1 git-repo-creds --namespace argocd --from-file sshPrivateKey=<file>`')]);
  });

  describe('secrets add', () => {
    let cluster: KeyPair;
    beforeAll(async () => { cluster = await newKeyPair(); });
    const backend = backendAt(0);

    test('writes the labels and the fixed type and url beside the given key', async () => {
      const repo = tempRepo();
      repo.overlay('c1', vkOverlay([cluster.recipient]));
      const [spec] = await loadFleet(repo.overlays);
      const { path } = await addSecret({ spec, secretsDir: repo.secrets, name: 'git-repo-creds', literals: ['sshPrivateKey=KEY'], backend });
      const plain = yaml.load((await backend.decrypt(readFileSync(path), { format: 'yaml', identities: [cluster.identity] })).plaintext) as any;
      expect(plain.spec.secretTemplates).toEqual([{
        name: 'git-repo-creds', labels: REPO_CREDS_LABEL, stringData: { type: 'git', url: 'ssh://git@git.company.ru/', sshPrivateKey: 'KEY' },
      }]);
    });

    test('refuses a url from the command line (the spec fixes it)', async () => {
      const repo = tempRepo();
      repo.overlay('c1', vkOverlay([cluster.recipient]));
      const [spec] = await loadFleet(repo.overlays);
      await expect(addSecret({ spec, secretsDir: repo.secrets, name: 'git-repo-creds', literals: ['sshPrivateKey=KEY', 'url=ssh://git@evil.example/'], backend }))
        .rejects.toThrow(/^url: set by Argo CD \(credential for ssh:\/\/git@git\.company\.ru\/\) itself/);
    });
  });
});

describe('the OIDC client secret', () => {
  test('with SSO, Argo CD reads it from a Secret labelled part-of argocd (Argo CD ignores any other)', () => {
    expect(argoCdSecrets(specFor({ argocd: { sso: SSO } }))[1]).toEqual({
      name: 'argocd-oidc', namespace: 'argocd', keys: ['clientSecret'], labels: ARGOCD_PART_OF_LABEL, usedBy: 'Argo CD (oidc.config clientSecret)',
    });
  });

  test('without SSO no client secret is required', () => {
    expect(argoCdSecrets(specFor()).map((u) => u.name)).toEqual(['git-repo-creds']);
  });
});

describe('the example fleet', () => {
  test('every cluster has its Argo CD Secrets encrypted in secrets/', async () => {
    const fleet = await loadFleet(EXAMPLE_OVERLAYS);
    const missing = fleet.flatMap((spec) => clusterSecrets(spec, `${REPO_ROOT}/secrets`).missing).filter((l) => l.includes(' argocd/'));
    expect(missing).toEqual([]);
  });
});

describe('spec rules', () => {
  test('a repository URL outside the credential\'s host is refused', () => {
    expect(problemsOf({ gitops: { repoURL: 'ssh://git@git.example.org/platform/infra-gitops.git' } }))
      .toContainEqual(expect.stringMatching(/^overlays\/c1\.ts: gitops\.repoURL: received .* covers only repositories under ssh:\/\/git@git\.company\.ru\//));
  });

  test('a look-alike host does not match the credential\'s prefix', () => {
    expect(problemsOf({ gitops: { repoURL: 'ssh://git@git.company.ru.example.org/platform/infra-gitops.git' } }).join('\n')).toMatch(/gitops\.repoURL: received/);
  });

  test('a team repository on a host without a pinned key is refused, naming the repository', () => {
    const teams = [{ name: 'payments', groups: ['team-payments'], namespaces: ['payments'], repos: ['git@gitlab.example.org:payments/deploy.git'] }];
    expect(problemsOf({ teams })).toEqual([expect.stringMatching(/^overlays\/c1\.ts: teams\[0\]\.repos\[0\]: .* host gitlab\.example\.org has no line in gitops\.git\.knownHosts/)]);
  });

  test('a malformed known_hosts line is refused', () => {
    expect(problemsOf({ gitops: { git: { knownHosts: ['git.company.ru SHA256:abc'] } } }).join('\n')).toMatch(/gitops\.git\.knownHosts\[0\]: .*known_hosts line/);
  });

  test('the Argo CD route without TLS is refused', () => {
    const hosts = [{ name: 'argocd', host: 'argocd', service: 'argocd-server', namespace: 'argocd', port: 80, tls: false }];
    expect(problemsOf({ ingress: { kind: 'istio', hosts } })).toEqual([expect.stringMatching(/ingress\.hosts\[0\]\.tls: received false for the Argo CD route/)]);
  });

  test('an SSO rootCA that is not a CA certificate (a private key, a leaf certificate) is refused', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAvxh1YQ9Q+eYhZ4ViM7vPx8BCeV0JkF1E0H9nq+2ZgQ\n-----END PRIVATE KEY-----\n';
    for (const rootCA of [key, LEAF_CERT, `${COMPANY_CA}${key}`]) {
      expect(problemsOf({ argocd: { sso: { ...SSO, rootCA } } })).toEqual([expect.stringMatching(/argocd\.sso\.rootCA: .*PEM CA certificates/)]);
    }
    expect(problemsOf({ argocd: { sso: { ...SSO, rootCA: COMPANY_CA } } }).filter((p) => /rootCA/.test(p))).toEqual([]);
  });

  test('SSO without a route to the Argo CD server is refused', () => {
    const hosts = [{ name: 'grafana', host: 'grafana', service: 'kube-prometheus-stack-grafana', namespace: 'monitoring', port: 80 }];
    expect(problemsOf({ ingress: { kind: 'istio', hosts }, argocd: { sso: SSO } })).toEqual([expect.stringMatching(/argocd\.sso: set, but no ingress\.hosts entry routes to Service argocd-server/)]);
  });
});
