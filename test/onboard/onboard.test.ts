// `infra-synth onboard` end to end, as a person runs it: the bundled CLI in a temp repository
// (real git), with a fake `tofu` on PATH that prints a recorded `tofu output -json` (the real
// binary is not installed here; CI runs it, docs/onboarding.md). Each test is one run of the
// command, in the order a new cluster goes through them; every run after the first is a resume.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { bundledCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { GIT_ENV, git } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

const cli = bundledCli('onboard');
const C = 'yc-stage';
const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const FLAGS = ['--cloud', 'yandex', '--environment', 'stage', '--domain', 'stage.company.ru', '--age-recipient', AGE, '--registry', 'stage-images', '--kms-key-id', 'abj0c0mpanyvau1tst00'];

/** What `tofu output -json` prints once the stack is applied (the Yandex stack's outputs, one sensitive). */
const APPLIED = {
  cluster_id: { sensitive: false, type: 'string', value: 'catc0mpanyc1uster001' },
  dns_zone_id: { sensitive: false, type: 'string', value: 'dns0c0mpanyz0ne00001' },
  registry_id: { sensitive: false, type: 'string', value: 'crp0c0mpanyregistry1' },
  external_dns_service_account_id: { sensitive: false, type: 'string', value: 'aje0c0mpanyextdns001' },
  storage_access_key_id: { sensitive: false, type: 'string', value: 'YCAJE0c0mpanyAccessKey' },
  storage_secret_key: { sensitive: true, type: 'string', value: 'YCP-very-secret-value-0000000000' },
  bucket_names: { sensitive: false, type: ['object', { 'yc-stage-loki': 'string' }], value: { 'yc-stage-velero': 'yc-stage-velero' } },
};

const repo = tempDir('onboard-repo-');
const bin = tempDir('onboard-bin-');
const tofuOutput = join(bin, 'output.json');
const tofuLog = join(bin, 'calls.log');
const overlays = join(repo, 'overlays');
const out = join(repo, 'dist');

beforeAll(async () => {
  mkdirSync(overlays);
  mkdirSync(join(repo, 'secrets'));
  writeFileSync(join(repo, 'secrets', '.keep'), '');
  // A fake tofu: records where and how it ran, prints the recorded outputs.
  writeFileSync(join(bin, 'tofu'), `#!/bin/sh\necho "$PWD $*" >> '${tofuLog}'\n[ "$*" = "output -json" ] || exit 1\ncat '${tofuOutput}'\n`);
  chmodSync(join(bin, 'tofu'), 0o755);
  writeFileSync(tofuOutput, '{}\n');
  await git(repo, 'init', '-q');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'empty fleet');
}, 60_000);

/** One run of `onboard`, from the tool's folder (dashboards, chart footprints), on the temp repo. */
function onboard(...args: string[]) {
  return execa(process.execPath, [cli, 'onboard', C, '--overlays', overlays, '--out', out, '--charts', 'off', ...args], {
    cwd: REPO_ROOT, reject: false, stdin: 'ignore',
    env: { ...GIT_ENV, PATH: `${bin}:${process.env.PATH}`, INFRA_SYNTH_INCREMENTAL: '0' },
  });
}

async function commitAll(message: string): Promise<void> {
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', message);
}

test('without a terminal, onboard asks nothing and names every missing flag; nothing is written', async () => {
  const r = await onboard();
  expect(r.exitCode).toBe(2);
  for (const flag of ['--cloud', '--environment', '--domain', '--age-recipient']) expect(r.stderr).toContain(`error: ${flag}: missing; stdin is not a terminal`);
  expect(existsSync(join(overlays, `${C}.ts`))).toBe(false);
});

test('the first run scaffolds the overlay, renders its stack and tree, and shows the pull request with the secrets to add', async () => {
  const r = await onboard(...FLAGS);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain(`[scaffold] did\n  wrote ${join(overlays, `${C}.ts`)} (yandex, stage, stage.company.ru)`);
  expect(readFileSync(join(overlays, `${C}.ts`), 'utf8')).toContain("infra: { backend: 'opentofu', network: { nodesCidr: '10.4.0.0/16', podsCidr: '10.104.0.0/16', servicesCidr: '10.204.0.0/16' }, registry: { name: 'stage-images' } },");
  expect(existsSync(join(out, 'infra', C, 'registry.tf.json'))).toBe(true);
  expect(r.stdout).toContain(`  warning: ${join(overlays, `${C}.ts`)}: infra.registry.id: not set`);
  expect(r.stdout).toContain(`[outputs] waiting\n  ${join(out, 'infra', C)} does not exist`);
  expect(r.stdout).toMatch(/\[pull request\] waiting\n {2}to commit in the pull request:\n(.|\n)* {4}overlays\/yc-stage\.ts\n/);
  expect(r.stdout).toContain(`add it with \`infra-synth secrets add ${C} velero-s3`);
  expect(r.stdout).toMatch(/\nyc-stage: next: add the secrets above .*commit and open the pull request.*$/);
  expect(r.stdout).not.toContain('[bootstrap]');
}, 120_000);

test('a second run after the commit changes nothing and waits for the stack to be applied', async () => {
  await commitAll('onboard yc-stage');
  const r = await onboard();
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain(`[scaffold] done\n  ${join(overlays, `${C}.ts`)} exists: left as it is\n`);
  expect(r.stdout).toContain('[synth] done');
  expect(r.stdout).toContain('[pull request] done');
  expect(r.stdout).toContain('reports no outputs: the stack is not applied yet');
  expect(r.stdout).toMatch(/\nyc-stage: next: merge the pull request; CI applies the stack; then run onboard again$/);
  expect(await git(repo, 'status', '--porcelain')).toBe('');
}, 120_000);

test('tofu ran in the cluster\'s stack folder', () => {
  expect(readFileSync(tofuLog, 'utf8').trim().split('\n')).toEqual([`${join(out, 'infra', C)} output -json`]);
});

test('once applied, the non-secret outputs are captured and the run stops for the registry to be trusted', async () => {
  writeFileSync(tofuOutput, JSON.stringify(APPLIED));
  const r = await onboard();
  expect(r.exitCode).toBe(0);
  const file = JSON.parse(readFileSync(join(overlays, `${C}.outputs.json`), 'utf8'));
  expect(file).toEqual({
    cluster: C,
    outputs: {
      cluster_id: 'catc0mpanyc1uster001', dns_zone_id: 'dns0c0mpanyz0ne00001', registry_id: 'crp0c0mpanyregistry1',
      external_dns_service_account_id: 'aje0c0mpanyextdns001', storage_access_key_id: 'YCAJE0c0mpanyAccessKey', bucket_names: { 'yc-stage-velero': 'yc-stage-velero' },
    },
  });
  expect(readFileSync(join(overlays, `${C}.outputs.json`), 'utf8')).not.toContain('very-secret');
  expect(r.stdout).toContain('storage_secret_key: sensitive, not captured');
  expect(r.stdout).toMatch(/next: the registry's images are cr\.yandex\/crp0c0mpanyregistry1\/\.\.\.: add "cr\.yandex\/crp0c0mpanyregistry1\/\*" to imagePolicy\.signedImages/);
}, 120_000);

test('with the registry trusted, synth carries the outputs into the cluster Secret and onboard prints the bootstrap commands', async () => {
  const path = join(overlays, `${C}.ts`);
  writeFileSync(path, readFileSync(path, 'utf8').replace("  infra: {", "  imagePolicy: { signedImages: ['ghcr.io/soft-yt/*', 'cr.yandex/crp0c0mpanyregistry1/*'] },\n  infra: {"));
  const r = await onboard();
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('[synth] did');
  expect(r.stdout).not.toContain('infra.registry.id: not set');
  const argocd = readFileSync(join(out, 'clusters', C, 'apps', 'application-argo-cd.yaml'), 'utf8');
  expect(argocd).toContain('infra.platform.company.ru/registry_id: crp0c0mpanyregistry1');
  expect(r.stdout).toContain('[pull request] waiting');
  await commitAll('capture yc-stage outputs');
  const again = await onboard();
  expect(again.stdout).toContain('[bootstrap] waiting');
  expect(again.stdout).toContain(`yc managed-kubernetes cluster get-credentials --id catc0mpanyc1uster001 --external --kubeconfig ./${C}.kubeconfig`);
  expect(again.stdout).toContain(`C=clusters/${C}`);
  expect(again.stdout).toContain('kubectl apply --server-side -f $C/bootstrap/');
}, 180_000);

test('the pull request is not done while a file synth keeps fresh for the fleet is uncommitted', async () => {
  await git(repo, 'rm', '-q', '--cached', '.sops.yaml');
  await git(repo, 'commit', '-qm', 'the overlay without the .sops.yaml synth wrote for it');
  const r = await onboard();
  expect(r.stdout).toMatch(/\[pull request\] waiting\n {2}to commit in the pull request:\n {4}\.sops\.yaml\n/);
  expect(r.stdout).not.toContain('[bootstrap]');
}, 120_000);
