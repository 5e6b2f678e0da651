// `onboard --verify` reads the cluster through kubectl (a fake on PATH prints recorded objects);
// `offboard` removes a cluster's files only when a person confirms.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { offboard } from '../../onboard/offboard.js';
import { verifyCluster } from '../../onboard/verify.js';
import { tempDir } from '../helpers/tmp.js';

const OVERLAY = `export default {
  cloud: 'vk', environment: 'stage', domain: 'stage.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};
`;

function repo(): { overlaysDir: string; outDir: string; cluster: string; root: string } {
  const root = tempDir('verify-');
  mkdirSync(join(root, 'overlays'));
  writeFileSync(join(root, 'overlays', 'c1.ts'), OVERLAY);
  return { root, overlaysDir: join(root, 'overlays'), outDir: join(root, 'dist'), cluster: 'c1' };
}

const ready = (name: string, ns?: string) => ({ metadata: { name, namespace: ns }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
const HEALTHY: Record<string, unknown> = {
  applications: { metadata: { name: 'root' }, status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } } },
  clusterissuers: { items: [ready('letsencrypt-production')] },
  certificates: { items: [ready('ingress-cert', 'istio-ingress')] },
  backupstoragelocations: { items: [{ metadata: { name: 'default', namespace: 'velero' }, status: { phase: 'Available' } }] },
};

/** A kubectl that prints `objects[<resource>]` for `get <resource>.<group> ...` and logs its arguments. */
function fakeKubectl(objects: Record<string, unknown>): { log: string } {
  const bin = tempDir('kubectl-');
  for (const [kind, o] of Object.entries(objects)) writeFileSync(join(bin, `${kind}.json`), JSON.stringify(o));
  const log = join(bin, 'calls.log');
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\necho "$*" >> '${log}'\nkind=$(echo "$4" | cut -d. -f1)\n[ -f '${bin}/'"$kind.json" ] || { echo "error: the server doesn't have a resource type \\"$kind\\"" >&2; exit 1; }\ncat '${bin}/'"$kind.json"\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  process.env.PATH = `${bin}:${PATH}`;
  return { log };
}

const PATH = process.env.PATH;
afterEach(() => { process.env.PATH = PATH; });

test('verify without a kubeconfig lists the read-only checks it would run', async () => {
  const r = await verifyCluster(repo(), undefined);
  expect(r.state).toBe('skipped');
  expect(r.lines).toContain('  root Application (argocd/root) Synced and Healthy: kubectl get applications.argoproj.io root -n argocd -o json');
});

test('verify passes a cluster whose root is synced and healthy, issuers and certificates ready and backup location available', async () => {
  const { log } = fakeKubectl(HEALTHY);
  const r = await verifyCluster(repo(), '/tmp/c1.kubeconfig');
  expect(r.state).toBe('done');
  expect(r.lines.every((l) => l.startsWith('ok'))).toBe(true);
  expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).every((l) => l.startsWith('--kubeconfig /tmp/c1.kubeconfig get '))).toBe(true);
});

test('verify names each failing check and why', async () => {
  fakeKubectl({
    ...HEALTHY,
    applications: { metadata: { name: 'root' }, status: { sync: { status: 'OutOfSync' }, health: { status: 'Progressing' } } },
    backupstoragelocations: { items: [{ metadata: { name: 'default', namespace: 'velero' }, status: { phase: 'Unavailable' } }] },
  });
  const r = await verifyCluster(repo(), '/tmp/c1.kubeconfig');
  expect(r.state).toBe('waiting');
  expect(r.lines).toContain('     Application argocd/root: sync OutOfSync, health Progressing (argocd app get root shows which child waits)');
  expect(r.lines).toContain('     BackupStorageLocation velero/default: phase Unavailable (velero backup-location get shows why)');
  expect(r.next).toMatch(/^2 check\(s\) failed/);
});

test('offboard without confirmation lists what it would remove and removes nothing', async () => {
  const p = repo();
  mkdirSync(join(p.root, 'secrets', 'c1', 'velero'), { recursive: true });
  const r = await offboard(p, {});
  expect(r.state).toBe('waiting');
  expect(r.lines[0]).toBe(`would remove: ${join(p.overlaysDir, 'c1.ts')}, ${join(p.root, 'secrets', 'c1')}`);
  expect(existsSync(join(p.overlaysDir, 'c1.ts'))).toBe(true);
  expect(existsSync(join(p.root, 'secrets', 'c1'))).toBe(true);
});

test('offboard asks on a terminal, and a wrong answer removes nothing', async () => {
  const p = repo();
  const r = await offboard(p, { ask: async () => 'yes' });
  expect(r.state).toBe('waiting');
  expect(existsSync(join(p.overlaysDir, 'c1.ts'))).toBe(true);
});

test('offboard with --yes removes the overlay, its outputs and its secrets', async () => {
  const p = repo();
  writeFileSync(join(p.overlaysDir, 'c1.outputs.json'), '{}');
  mkdirSync(join(p.root, 'secrets', 'c1'), { recursive: true });
  const r = await offboard(p, { yes: true });
  expect(r.state).toBe('did');
  expect([join(p.overlaysDir, 'c1.ts'), join(p.overlaysDir, 'c1.outputs.json'), join(p.root, 'secrets', 'c1')].filter(existsSync)).toEqual([]);
});
