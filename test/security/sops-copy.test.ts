// The copy attack: SOPS binds a ciphertext to its key paths, not to a namespace, and the
// cluster-wide operator decrypts any SopsSecret with the cluster's key into the SopsSecret's own
// namespace. A team that copies a platform SopsSecret into its namespace must be refused by the
// cluster's rendered admission policy. Checked on onprem-prod's rendered tree (its company CA key
// pair) with the simulator's CEL evaluation of Kyverno's ValidatingPolicy.
import { join } from 'node:path';
import { renderCluster } from '../../charts/cluster.js';
import { clusterSecrets } from '../../pipeline/secrets/fleet.js';
import { checkKyvernoPolicies, type AdmissionRequest } from '../../simulate/admission/kyverno.js';
import type { SimObject } from '../../simulate/model.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';

type K8s = Record<string, any>;

let spec: ClusterSpec;
let policies: K8s[];
let caKeyPair: K8s;
beforeAll(async () => {
  [spec] = await loadFleet(EXAMPLE_OVERLAYS, ['onprem-prod']);
  policies = renderCluster(spec).manifests.map((m) => m.object).filter((o) => String(o.apiVersion).startsWith('policies.kyverno.io/'));
  const secrets = clusterSecrets(spec, join(REPO_ROOT, 'secrets'));
  caKeyPair = secrets.manifests.map((m) => m.object).find((o) => o.kind === 'SopsSecret' && o.metadata.name === 'company-ca-key-pair')!;
}, 120_000);

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const teamNamespace = () => spec.teams[0]!.namespaces[0]!;
/** The platform's SopsSecret as rendered, or a byte-for-byte copy of it in another namespace. */
const copyIn = (ns: string): SimObject => ({
  cluster: spec.name, file: `clusters/${spec.name}/secrets/copy.yaml`,
  object: { ...JSON.parse(JSON.stringify(caKeyPair)), metadata: { ...caKeyPair.metadata, namespace: ns } },
});
const admit = (obj: SimObject, request: AdmissionRequest = {}) =>
  checkKyvernoPolicies(obj, policies, namespace(obj.object.metadata.namespace), request).map((f) => f.message);
const teamMember: AdmissionRequest = { userInfo: { username: 'dev@company.ru', groups: ['payments-developers', 'system:authenticated'] } };

describe('a platform SopsSecret copied into a team namespace', () => {
  test('the rendered tree holds the company CA key pair as a SopsSecret in cert-manager (the attack\'s material)', () => {
    expect(caKeyPair.metadata).toMatchObject({ name: 'company-ca-key-pair', namespace: 'cert-manager' });
    expect(caKeyPair.sops.age.length).toBeGreaterThan(0);
  });

  test('applied by a team member with kubectl, it is denied', () => {
    expect(admit(copyIn(teamNamespace()), teamMember)).toEqual([
      expect.stringMatching(/^denied by Kyverno ValidatingPolicy restrict-sops-secrets: SopsSecrets are written only by the platform Argo CD \(system:serviceaccount:argocd:argocd-application-controller\) from infra-gitops, not by dev@company\.ru/),
      expect.stringMatching(/^denied by Kyverno ValidatingPolicy restrict-sops-secrets: SopsSecrets belong in the platform namespaces \(.*cert-manager.*\), not in payments/),
    ]);
  });

  test('committed to the team\'s repository and synced by Argo CD, it is denied', () => {
    // The same controller syncs the teams' Applications: the namespace is what refuses this one.
    expect(admit(copyIn(teamNamespace()))).toEqual([
      expect.stringMatching(/^denied by Kyverno ValidatingPolicy restrict-sops-secrets: SopsSecrets belong in the platform namespaces .*, not in payments/),
    ]);
  });

  test('synced by Argo CD into a team namespace where the platform also writes (a team\'s service objects), it is denied', () => {
    const shared = renderCluster(spec).manifests.find((m) => m.file.includes('/services-'))!.object.metadata.namespace;
    expect(spec.teams.flatMap((t) => t.namespaces)).toContain(shared);
    expect(admit(copyIn(shared))).toEqual([expect.stringMatching(new RegExp(`SopsSecrets belong in the platform namespaces .*, not in ${shared}:`))]);
  });

  test('the platform\'s own SopsSecret, synced by the platform Argo CD, is admitted', () => {
    expect(admit(copyIn('cert-manager'))).toEqual([]);
  });

  test('every SopsSecret of every example cluster is admitted when Argo CD re-syncs it under the cluster\'s policy', async () => {
    // On a first sync the SopsSecrets (wave -6) come before the policy (wave -4); every later sync meets it.
    const refused: string[] = [];
    for (const s of await loadFleet(EXAMPLE_OVERLAYS)) {
      const own = renderCluster(s).manifests.map((m) => m.object).filter((o) => String(o.apiVersion).startsWith('policies.kyverno.io/'));
      const sopsSecrets = clusterSecrets(s, join(REPO_ROOT, 'secrets')).manifests.filter((m) => m.object.kind === 'SopsSecret');
      expect(sopsSecrets.length).toBeGreaterThan(0);
      for (const m of sopsSecrets) {
        const obj: SimObject = { cluster: s.name, file: m.file, object: m.object };
        refused.push(...checkKyvernoPolicies(obj, own, namespace(m.object.metadata.namespace)).map((f) => `${m.file}: ${f.message}`));
      }
    }
    expect(refused).toEqual([]);
  }, 120_000);

  test('changed in place by anyone but the platform Argo CD (a re-pointed template), it is denied', () => {
    const update: AdmissionRequest = { ...teamMember, operation: 'UPDATE', oldObject: caKeyPair };
    expect(admit(copyIn('cert-manager'), update)).toEqual([expect.stringMatching(/SopsSecrets are written only by the platform Argo CD/)]);
  });

  test('the policy enforces in every environment, failing closed', () => {
    const policy = policies.find((p) => p.metadata.name === 'restrict-sops-secrets')!;
    expect(policy.spec).toMatchObject({ validationActions: ['Deny'], failurePolicy: 'Fail' });
  });

  test('the writer the policy names is the controller the bootstrap binds the platform\'s RBAC to', () => {
    const bootstrap = renderCluster(spec).manifests.filter((m) => m.file.includes('/bootstrap/')).map((m) => m.object);
    const subjects = bootstrap.filter((o) => o.kind === 'ClusterRoleBinding').flatMap((o) => o.subjects ?? []);
    expect(subjects).toContainEqual(expect.objectContaining({ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: spec.argocd.namespace }));
  });
});
