// `infra-synth validate DIR` as CI runs it, on rendered trees written to disk: exit 0 on a valid
// tree, exit 1 with one line per problem on a broken one.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { renderCluster } from '../../charts/cluster.js';
import { bundledCli } from '../helpers/cli.js';
import { specFor } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { newKeyPair } from '../sops/keys.js';

const CLI = bundledCli('validate');

/** A tree holding one cluster per overlay, written as synth writes it. */
function writtenTree(overlays: Record<string, Record<string, unknown>>): string {
  const root = tempDir('validate-cli-');
  for (const [name, overlay] of Object.entries(overlays)) {
    for (const f of renderCluster(specFor(overlay, name)).files) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), f.content);
    }
  }
  return root;
}

/** Rewrites one file of the tree through `change`. */
function edit(root: string, path: string, change: (o: any) => void): void {
  const o = yaml.load(readFileSync(join(root, path), 'utf8'));
  change(o);
  writeFileSync(join(root, path), yaml.dump(o));
}

const validate = (dir: string) => execa('node', [CLI, 'validate', dir], { reject: false });

// ExternalDNS on Yandex; none on VK Cloud, where each object states its zone.
const overlays = {
  yc: { cloud: 'yandex', environment: 'prod', domain: 'prod.company.ru' },
  vk: { cloud: 'vk', environment: 'prod', domain: 'vk.company.ru' },
};

test('a valid tree exits 0 and says how many objects it checked', async () => {
  const root = writtenTree(overlays);
  const r = await validate(root);
  expect([r.exitCode, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toMatch(new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ objects valid$`));
});

test('a host that only ends like the zone (evilprod.company.ru in prod.company.ru) exits 1, one line per problem', async () => {
  const root = writtenTree(overlays);
  edit(root, 'clusters/yc/istio-ingress/virtualservice-grafana.yaml', (o) => { o.spec.hosts = ['evilprod.company.ru']; });
  edit(root, 'clusters/vk/istio-ingress/virtualservice-grafana.yaml', (o) => { o.spec.hosts = ['evilvk.company.ru']; });
  const r = await validate(root);
  expect(r.exitCode).toBe(1);
  const lines = r.stdout.split('\n');
  expect(lines.slice(0, -1)).toEqual([
    'vk: clusters/vk/istio-ingress/virtualservice-grafana.yaml: VirtualService/istio-ingress/grafana: .spec.hosts[0]: host evilvk.company.ru is outside the cluster\'s DNS zone vk.company.ru',
    'yc: clusters/yc/istio-ingress/virtualservice-grafana.yaml: VirtualService/istio-ingress/grafana: .spec.hosts[0]: host evilprod.company.ru is outside the ExternalDNS domainFilters of this cluster (prod.company.ru); no record would be written for it',
  ]);
  expect(lines.at(-1)).toMatch(/: 2 problem\(s\) in \d+ objects$/);
});

test('a finding that would quote a private key prints what it looks like instead', async () => {
  const { identity } = await newKeyPair();
  const root = writtenTree({ yc: overlays.yc });
  edit(root, 'clusters/yc/apps/application-argo-cd.yaml', (o) => { o.spec.source.targetRevision = identity; });
  const r = await validate(root);
  expect(r.exitCode).toBe(1);
  expect(r.stdout.split('\n')).toContain(
    'yc: clusters/yc/apps/application-argo-cd.yaml: Application/argocd/argo-cd: .spec.source.targetRevision: chart argo-cd is not pinned: ' +
      'received "[redacted: looks like an age private key (AGE-SECRET-KEY-…)]"; expected an exact version such as 1.2.3',
  );
  expect(r.stdout.toUpperCase()).not.toContain(identity.slice(16).toUpperCase());
});
