// Replacing a cluster's age key with `infra-synth secrets rotate`, run as users run it: at every
// step, the identities the cluster holds (the operator's keys.txt) open every file's data key, as
// the real `age` CLI judges it; the one-run swap that would open a window is refused.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { addSecret } from '../../pipeline/secrets/manage.js';
import { loadFleet } from '../../spec/load.js';
import { bundledCli } from '../helpers/cli.js';
import { type KeyPair, NOW_ENV, type TempRepo, addRequiredSecrets, backendAt, newKeyPair, tempRepo, tmp, vkOverlay } from './helpers.js';

const CLI = bundledCli('rotation-overlap');

/** A stage cluster: what is asked of prod overlays (alert receivers, ...) is beside the point here. */
const overlay = (recipients: readonly string[]) => ({ ...vkOverlay(recipients, 'stage.company.ru'), environment: 'stage' });

let platform: KeyPair;
let oldKey: KeyPair;
let newKey: KeyPair;
beforeAll(async () => {
  [platform, oldKey, newKey] = await Promise.all([newKeyPair(), newKeyPair(), newKeyPair()]);
});

const rotate = (repo: TempRepo, ...flags: string[]) =>
  execa('node', [CLI, 'secrets', 'rotate', '--cluster', 'c1', ...flags], {
    cwd: repo.root, reject: false, extendEnv: false,
    // The platform team's offline key runs the rotation; the cluster keys are only ever "in the cluster".
    env: { PATH: process.env.PATH, HOME: tmp('home-'), INFRA_SYNTH_SOPS: 'builtin', SOPS_AGE_KEY: platform.identity, ...NOW_ENV },
  });

const files = (repo: TempRepo): string[] => {
  const dir = join(repo.secrets, 'c1');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.enc.yaml')).map((f) => join(dir, f)).sort();
};

/**
 * The files whose data key the cluster cannot open with the identities it holds: `age -d` with
 * them as keys.txt (as the operator's SOPS_AGE_KEY_FILE) on each of the file's age stanzas.
 */
async function undecryptable(repo: TempRepo, held: readonly KeyPair[]): Promise<string[]> {
  const keys = join(tmp('cluster-keys-'), 'keys.txt');
  writeFileSync(keys, `${held.map((k) => k.identity).join('\n')}\n`, { mode: 0o600 });
  const out: string[] = [];
  for (const f of files(repo)) {
    const stanzas: { enc: string }[] = (yaml.load(readFileSync(f, 'utf8')) as any).sops.age;
    let opened = false;
    for (const s of stanzas) {
      const r = await execa('age', ['-d', '-i', keys], { input: s.enc, encoding: 'buffer', reject: false, stripFinalNewline: false });
      if (r.exitCode === 0 && (r.stdout as Uint8Array).length === 32) { opened = true; break; }
    }
    if (!opened) out.push(f);
  }
  return out;
}

async function clusterRepo(): Promise<TempRepo> {
  const repo = tempRepo();
  repo.overlay('c1', overlay([oldKey.recipient, platform.recipient]));
  const [spec] = await loadFleet(repo.overlays);
  await addRequiredSecrets(spec, repo.secrets);
  await addSecret({ spec, secretsDir: repo.secrets, name: 'db', namespace: 'argocd', literals: ['password=v'], backend: backendAt(0) });
  return repo;
}

test('the two-run overlap replaces the cluster key with no moment where the cluster cannot decrypt a file', async () => {
  const repo = await clusterRepo();
  let held = [oldKey];
  expect(await undecryptable(repo, held)).toEqual([]);

  // Run 1: old and new listed together; the same data keys, one more stanza.
  repo.overlay('c1', overlay([oldKey.recipient, newKey.recipient, platform.recipient]));
  const first = await rotate(repo);
  expect(first.exitCode).toBe(0);
  expect(first.stdout).toContain(`updatekeys (recipients added: ${newKey.recipient})`);
  expect(await undecryptable(repo, held)).toEqual([]); // synced before the cluster got the new key
  expect(await undecryptable(repo, [newKey])).toEqual([]);

  // The admin installs the new identity next to the old one.
  held = [oldKey, newKey];

  // Run 2: the old one removed; new data keys its holder never saw.
  repo.overlay('c1', overlay([newKey.recipient, platform.recipient]));
  const second = await rotate(repo);
  expect(second.exitCode).toBe(0);
  expect(second.stdout).toContain(`new data key (recipients removed: ${oldKey.recipient})`);
  expect(await undecryptable(repo, held)).toEqual([]);

  // The admin drops the old identity: the new one alone opens everything, the old one nothing.
  held = [newKey];
  expect(await undecryptable(repo, held)).toEqual([]);
  expect(await undecryptable(repo, [oldKey])).toEqual(files(repo));
});

test('a swap in one run is refused, naming each file and the two-run way, and changes nothing', async () => {
  const repo = await clusterRepo();
  const before = files(repo).map((f) => readFileSync(f, 'utf8'));
  repo.overlay('c1', overlay([newKey.recipient, platform.recipient]));
  const r = await rotate(repo);
  expect(r.exitCode).toBe(2);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines.filter((l) => l.includes('recipients swapped in one run'))).toHaveLength(files(repo).length);
  expect(lines[0]).toContain(`adds ${newKey.recipient}; removes ${oldKey.recipient}`);
  expect(lines[0]).toContain('list both in secrets.ageRecipients and rotate, install the new identity in the cluster, then remove the old one and rotate again');
  expect(files(repo).map((f) => readFileSync(f, 'utf8'))).toEqual(before);
  // The cluster, still holding only the old identity, keeps opening every file.
  expect(await undecryptable(repo, [oldKey])).toEqual([]);
});

test('--allow-swap does the one-run swap: what it costs is that only the new identity opens the files', async () => {
  const repo = await clusterRepo();
  repo.overlay('c1', overlay([newKey.recipient, platform.recipient]));
  const r = await rotate(repo, '--allow-swap');
  expect(r.exitCode).toBe(0);
  expect(await undecryptable(repo, [newKey])).toEqual([]);
  expect(await undecryptable(repo, [oldKey])).toEqual(files(repo));
});
