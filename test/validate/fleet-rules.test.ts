import { renderCluster } from '../../charts/cluster.js';
import type { Manifest } from '../../primitives/manifests.js';
import { checkFleetRules } from '../../validate/fleet-rules.js';
import { formatFinding } from '../../validate/finding.js';
import { specFor } from '../helpers/fleet.js';

/** The rendered objects of a valid cluster, deep-copied so that a test may break one. */
const tree = () => {
  const r = renderCluster(specFor());
  return { manifests: r.manifests.map((m) => ({ ...m, object: structuredClone(m.object) })), files: r.files.map((f) => f.path) };
};
const lines = (manifests: Manifest[], files: string[]) => checkFleetRules(manifests, files).map(formatFinding);
const get = (ms: Manifest[], kind: string, name: string) => ms.find((m) => m.object.kind === kind && m.object.metadata.name === name)!;

describe('fleet rules', () => {
  test('a rendered cluster passes every rule', () => {
    const t = tree();
    expect(lines(t.manifests, t.files)).toEqual([]);
  });

  test('an Application whose folder does not exist fails', () => {
    const t = tree();
    get(t.manifests, 'Application', 'projects').object.spec.source.path = 'clusters/c1/projets';
    expect(lines(t.manifests, t.files)).toContain(
      'c1: clusters/c1/apps/application-projects.yaml: Application/argocd/projects: .spec.source.path: folder "clusters/c1/projets" does not exist in the tree or holds no manifests');
  });

  test('an Application of a project that does not exist fails', () => {
    const t = tree();
    get(t.manifests, 'Application', 'team-payments').object.spec.project = 'billing';
    expect(lines(t.manifests, t.files)).toContain(
      'c1: clusters/c1/apps/application-team-payments.yaml: Application/argocd/team-payments: .spec.project: project "billing" has no AppProject in namespace argocd of this cluster');
  });

  test('an Application reading a repository its project does not permit fails', () => {
    const t = tree();
    get(t.manifests, 'Application', 'team-payments').object.spec.source.repoURL = 'https://github.com/evil/repo.git';
    expect(lines(t.manifests, t.files)).toContain(
      'c1: clusters/c1/apps/application-team-payments.yaml: Application/argocd/team-payments: .spec.source.repoURL: project "payments" does not permit repository https://github.com/evil/repo.git (sourceRepos: ssh://git@git.company.ru/payments/deploy.git)');
  });

  test('an Application deploying outside its project\'s namespaces fails', () => {
    const t = tree();
    get(t.manifests, 'Application', 'team-payments').object.spec.destination.namespace = 'kube-system';
    expect(lines(t.manifests, t.files)).toContain(
      'c1: clusters/c1/apps/application-team-payments.yaml: Application/argocd/team-payments: .spec.destination: project "payments" does not permit destination https://kubernetes.default.svc namespace kube-system');
  });

  test('a project permitting a repository no Application reads fails', () => {
    const t = tree();
    get(t.manifests, 'AppProject', 'payments').object.spec.sourceRepos.push('https://github.com/*');
    expect(lines(t.manifests, t.files)).toContain(
      'c1: clusters/c1/projects/appproject-payments.yaml: AppProject/argocd/payments: .spec.sourceRepos[1]: repository https://github.com/* is permitted but no Application of project "payments" reads it; remove it');
  });

  test('a Helm source without an exact version fails', () => {
    const t = tree();
    get(t.manifests, 'Application', 'argo-cd').object.spec.source.targetRevision = '10.*';
    expect(lines(t.manifests, t.files)).toContain(
      'c1: clusters/c1/apps/application-argo-cd.yaml: Application/argocd/argo-cd: .spec.source.targetRevision: chart argo-cd is not pinned: received "10.*"; expected an exact version such as 1.2.3');
  });

  test('a plaintext Secret fails', () => {
    const t = tree();
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'payments' }, stringData: { password: 'hunter2' } };
    t.manifests.push({ cluster: 'c1', file: 'clusters/c1/payments/secret-db.yaml', index: 0, object: secret });
    expect(lines(t.manifests, t.files)).toContain(
      'c1: clusters/c1/payments/secret-db.yaml: Secret/payments/db: a plaintext Secret; keep secrets SOPS-encrypted (secrets/<cluster>/*.enc.yaml) so that they reach the cluster as SopsSecret');
  });

  test('a SOPS-encrypted Secret with one value left in plaintext fails', () => {
    const t = tree();
    const secret = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'payments' },
      data: { user: 'ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]', password: 'aHVudGVyMg==' },
      sops: { version: '3.9.0' },
    };
    t.manifests.push({ cluster: 'c1', file: 'clusters/c1/payments/secret-db.enc.yaml', index: 0, object: secret });
    expect(lines(t.manifests, t.files)).toEqual([
      'c1: clusters/c1/payments/secret-db.enc.yaml: Secret/payments/db: .data.password: value is not SOPS-encrypted']);
  });

  test('a plaintext stringData beside a SOPS block fails, naming the key', () => {
    const t = tree();
    const secret = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'payments' },
      data: { user: 'ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]' },
      stringData: { password: 'hunter2' },
      sops: { version: '3.9.0' },
    };
    t.manifests.push({ cluster: 'c1', file: 'clusters/c1/payments/secret-db.enc.yaml', index: 0, object: secret });
    expect(lines(t.manifests, t.files)).toEqual([
      'c1: clusters/c1/payments/secret-db.enc.yaml: Secret/payments/db: .stringData.password: value is not SOPS-encrypted']);
  });

  test('a project destination only a chart\'s foreign objects use counts as used only while the Application names it', () => {
    const r = renderCluster(specFor({ cloud: 'yandex', dns: { provider: 'yandex-webhook' }, tls: { issuer: 'letsencrypt', acme: { challenge: 'dns01' } } }));
    const ms = r.manifests.map((m) => ({ ...m, object: structuredClone(m.object) }));
    const files = r.files.map((f) => f.path);
    expect(lines(ms, files).filter((l) => l.includes('kube-system'))).toEqual([]);
    // Every Application that names kube-system for its chart's foreign objects (the Yandex
    // webhook's RoleBinding, kube-prometheus-stack's kubelet and exporter Services) stops naming it.
    const naming = ms.filter((m) => m.object.kind === 'Application' && /\bkube-system\b/.test(m.object.metadata.annotations?.['platform.company.ru/foreign-namespaces'] ?? ''));
    expect(naming.map((m) => m.object.metadata.name)).toContain('cert-manager-webhook-yandex');
    for (const m of naming) delete m.object.metadata.annotations['platform.company.ru/foreign-namespaces'];
    expect(lines(ms, files)).toContainEqual(expect.stringMatching(/AppProject\/argocd\/platform: \.spec\.destinations\[\d+\]: namespace kube-system is permitted but no Application of project "platform" deploys there; remove it$/));
  });
});
