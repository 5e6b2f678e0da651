// `infra-synth secrets add|edit|rotate|audit` and `synth --check` as users run them: the real CLI
// entry, bundled as `npm run build` does, in a temp repository, with the built-in backend.
import { chmodSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { addSecret } from '../../pipeline/secrets/manage.js';
import { sopsSecretObject } from '../../secret-store/sops-secret.js';
import { readMetadata } from '../../sops/index.js';
import { loadFleet } from '../../spec/load.js';
import { bundledCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { type KeyPair, NOW_ENV, type TempRepo, addRequiredSecrets, backendAt, newKeyPair, tempRepo, tmp, vkOverlay } from './helpers.js';

const CLI = bundledCli('fleet-secrets');

let cluster: KeyPair;
let platform: KeyPair;
beforeAll(async () => {
  cluster = await newKeyPair();
  platform = await newKeyPair();
});

/** synth from the tool's own folder (it reads assets there), on the temp repository's overlays. */
const synth = (repo: TempRepo, ...flags: string[]) =>
  execa('node', [CLI, 'synth', '--overlays', repo.overlays, '--out', join(repo.root, 'dist'), ...flags], {
    cwd: REPO_ROOT, reject: false, env: { PATH: process.env.PATH, HOME: tmp('home-') }, extendEnv: false,
  });

const run = (repo: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execa('node', [CLI, ...args], {
    cwd: repo.root, reject: false,
    // No real keys: HOME is a temp folder, and only the variables given here are set.
    // The audit's clock is the tests' (NOW), whatever the date of the run.
    env: { PATH: process.env.PATH, HOME: tmp('home-'), INFRA_SYNTH_SOPS: 'builtin', ...NOW_ENV, ...env },
    extendEnv: false,
  });

async function repoWith(overlayRecipients: string[], files: { name: string; daysAgo?: number }[]) {
  const repo = tempRepo();
  repo.overlay('c1', vkOverlay([cluster.recipient]));
  const [spec] = await loadFleet(repo.overlays);
  const required = await addRequiredSecrets(spec, repo.secrets);
  for (const f of files) {
    await addSecret({ spec, secretsDir: repo.secrets, name: f.name, namespace: 'argocd', literals: ['k=v'], backend: backendAt(f.daysAgo ?? 0) });
  }
  repo.overlay('c1', vkOverlay(overlayRecipients));
  return Object.assign(repo, { required: required.length });
}

test('audit exits 1 with one line per finding, then 0 once rotate and synth fixed them', async () => {
  const repo = await repoWith([cluster.recipient, platform.recipient], [{ name: 'db', daysAgo: 120 }]);
  const bad = await run(repo, ['secrets', 'audit']);
  expect(bad.exitCode).toBe(1);
  const file = join('secrets', 'c1/argocd/db.enc.yaml');
  const lines = bad.stdout.split('\n');
  expect(lines).toEqual(expect.arrayContaining([
    `${file}: encrypted to other recipients than overlay c1 (secrets.ageRecipients): missing ${platform.recipient}; run \`infra-synth secrets rotate --cluster c1\``,
    `${file}: data key last rotated 2026-08-03T00:00:00Z (120 days ago, over 90); run \`infra-synth secrets rotate --cluster c1\``,
    '.sops.yaml: missing; run `infra-synth synth` and commit it',
  ]));
  const n = repo.required + 1;
  expect(lines.at(-1)).toBe(`secrets audit: ${n + 2} finding(s), 0 file(s) ok`);

  const rotated = await run(repo, ['secrets', 'rotate'], { SOPS_AGE_KEY: cluster.identity });
  expect(rotated.exitCode).toBe(0);
  expect(rotated.stdout.split('\n')).toEqual(expect.arrayContaining([`${file}: new data key (data key 120 days old)`, `rotated ${n} file(s); commit them, then run \`infra-synth synth\``]));
  expect((await synth(repo)).exitCode).toBe(0);
  const good = await run(repo, ['secrets', 'audit']);
  expect([good.exitCode, good.stdout]).toEqual([0, `secrets audit: ${n} file(s) ok`]);
});

test('rotate without a key exits 2 with a one-line reason and changes nothing', async () => {
  const repo = await repoWith([cluster.recipient, platform.recipient], [{ name: 'db' }]);
  const before = readFileSync(join(repo.secrets, 'c1/argocd/db.enc.yaml'), 'utf8');
  const r = await run(repo, ['secrets', 'rotate', '--cluster', 'c1']);
  expect([r.exitCode, r.stderr]).toEqual([2, `error: rotate needs an age identity that opens the files (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY); ${repo.required + 1} file(s) need it`]);
  expect(readFileSync(join(repo.secrets, 'c1/argocd/db.enc.yaml'), 'utf8')).toBe(before);
});

test('add creates the file; bad input exits 2 with one line', async () => {
  const repo = await repoWith([cluster.recipient], []);
  const ok = await run(repo, ['secrets', 'add', 'c1', 'db', '--namespace', 'argocd', '--from-literal', 'password=hunter2']);
  expect([ok.exitCode, ok.stdout]).toEqual([0, `created ${join('secrets', 'c1/argocd/db.enc.yaml')} (Secret argocd/db); commit it, then run \`infra-synth synth\``]);
  expect(readFileSync(join(repo.secrets, 'c1/argocd/db.enc.yaml'), 'utf8')).not.toContain('hunter2');
  const none = await run(repo, ['secrets', 'add', 'c1', 'api', '--namespace', 'argocd']);
  expect([none.exitCode, none.stderr]).toEqual([2, 'error: no values: give --from-literal key=value or --from-file key=path (one or more)']);
  const unknown = await run(repo, ['secrets', 'add', 'nope', 'api', '--from-literal', 'a=b']);
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toBe(`error: nope: no such cluster (no ${join('overlays', 'nope.ts')}; clusters: c1)`);
});

test('edit runs $EDITOR and saves the change', async () => {
  const repo = await repoWith([cluster.recipient], [{ name: 'db' }]);
  const editor = join(tmp('editor-'), 'edit.cjs');
  // A node script: portable where sed -i is not.
  writeFileSync(editor, "#!/usr/bin/env node\nconst fs = require('node:fs');\nconst f = process.argv[2];\nfs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('k: v', 'k: changed'));\n");
  chmodSync(editor, 0o755);
  const r = await run(repo, ['secrets', 'edit', 'c1', 'db'], { EDITOR: editor, SOPS_AGE_KEY: cluster.identity });
  expect([r.exitCode, r.stdout]).toEqual([0, `saved ${join('secrets', 'c1/argocd/db.enc.yaml')}`]);
  const dec = await run(repo, ['secrets', 'decrypt', join('secrets', 'c1/argocd/db.enc.yaml')], { SOPS_AGE_KEY: cluster.identity });
  expect(dec.stdout).toContain('k: changed');
});

test('synth --check exits 1 naming the stale committed .sops.yaml', async () => {
  const repo = await repoWith([cluster.recipient], []);
  expect((await synth(repo)).exitCode).toBe(0);
  repo.overlay('c1', vkOverlay([cluster.recipient, platform.recipient]));
  expect((await run(repo, ['secrets', 'rotate'], { SOPS_AGE_KEY: cluster.identity })).exitCode).toBe(0);
  const r = await synth(repo, '--check');
  expect(r.exitCode).toBe(1);
  expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([
    '~ .sops.yaml', `~ ${join(repo.root, '.sops.yaml')} (stale: run \`infra-synth synth\` and commit it)`,
  ]));
});

test('audit --now measures file ages against the date it names', async () => {
  const repo = await repoWith([cluster.recipient], [{ name: 'db' }]);
  expect((await synth(repo)).exitCode).toBe(0);
  const today = await run(repo, ['secrets', 'audit']);
  expect([today.exitCode, today.stdout]).toEqual([0, `secrets audit: ${repo.required + 1} file(s) ok`]);
  const later = await run(repo, ['secrets', 'audit', '--now', '2027-06-01']);
  expect(later.exitCode).toBe(1);
  expect(later.stdout.split('\n')).toContainEqual(
    `${join('secrets', 'c1/argocd/db.enc.yaml')}: data key last rotated 2026-12-01T00:00:00Z (182 days ago, over 90); run \`infra-synth secrets rotate --cluster c1\``,
  );
  const bad = await run(repo, ['secrets', 'audit', '--now', 'tomorrow']);
  expect([bad.exitCode, bad.stderr]).toEqual([2, 'error: --now "tomorrow": expected an RFC 3339 date or date-time, e.g. 2027-06-01 or 2027-06-01T12:00:00Z']);
});

test('add refuses a key the component never reads, naming the keys it reads (exit 2)', async () => {
  const repo = tempRepo();
  repo.overlay('c1', vkOverlay([cluster.recipient]));
  const r = await run(repo, ['secrets', 'add', 'c1', 'grafana-admin', '--from-literal', 'user=x']);
  expect([r.exitCode, r.stdout, r.stderr]).toEqual([2, '',
    'error: c1: Secret monitoring/grafana-admin is read by Grafana (admin.existingSecret) as the keys admin-user, admin-password; it never reads user; missing admin-user, admin-password; nothing written']);
});

test('an age private key pasted into an overlay is never printed, by synth, audit or add (exit 2, one line)', async () => {
  const repo = tempRepo();
  repo.overlay('c1', vkOverlay([cluster.identity]));
  const line = 'error: overlays/c1.ts: secrets.ageRecipients[0]: received "[redacted: looks like an age private key (AGE-SECRET-KEY-…)]"; ' +
    'looks like an age private key (AGE-SECRET-KEY-…); never put a private key in an overlay — use its public key age1…';
  const synthed = await execa('node', [CLI, 'synth', '--out', join(repo.root, 'dist')], { cwd: repo.root, reject: false, env: { PATH: process.env.PATH, HOME: tmp('home-') }, extendEnv: false });
  const audited = await run(repo, ['secrets', 'audit']);
  const added = await run(repo, ['secrets', 'add', 'c1', 'db', '--namespace', 'argocd', '--from-literal', 'k=v']);
  for (const r of [synthed, audited, added]) {
    expect([r.exitCode, r.stderr, r.stdout]).toEqual([2, expect.stringContaining(line), '']);
    expect(`${r.stdout}${r.stderr}`.toUpperCase()).not.toContain(cluster.identity.slice(20).toUpperCase());
  }
  const encrypted = await run(repo, ['secrets', 'encrypt', '--age', cluster.identity, join(repo.overlays, 'c1.ts')]);
  expect([encrypted.exitCode, encrypted.stdout, encrypted.stderr]).toEqual([2, '',
    `error: ${join(repo.overlays, 'c1.ts')}: a recipient looks like an age private key (AGE-SECRET-KEY-…); pass its public key age1… (age-keygen -y prints it) and keep the private key out of commands and files`]);
});

test('the encrypt help example for .sops.yaml works as written, in a copy of this repository', async () => {
  const repo = tempRepo();
  cpSync(join(REPO_ROOT, 'overlays'), repo.overlays, { recursive: true });
  cpSync(join(REPO_ROOT, 'secrets'), repo.secrets, { recursive: true });
  cpSync(join(REPO_ROOT, 'management-secrets'), join(repo.root, 'management-secrets'), { recursive: true });
  cpSync(join(REPO_ROOT, '.sops.yaml'), join(repo.root, '.sops.yaml'));
  const help = (await run(repo, ['secrets', 'encrypt', '--help'])).stdout;
  const example = help.split('\n').map((l) => l.trim()).find((l) => l.startsWith('$ infra-synth secrets encrypt --filename-override'));
  expect(example).toBe('$ infra-synth secrets encrypt --filename-override secrets/dev/monitoring/grafana-admin.enc.yaml grafana-admin.yaml > secrets/dev/monitoring/grafana-admin.enc.yaml');
  writeFileSync(join(repo.root, 'grafana-admin.yaml'), yaml.dump(sopsSecretObject({
    name: 'grafana-admin', namespace: 'monitoring', template: { name: 'grafana-admin', stringData: { 'admin-user': 'admin', 'admin-password': 'hunter2' } },
  })));
  // `infra-synth` on PATH is this build, as after `npm i -g`.
  const bin = tmp('bin-');
  writeFileSync(join(bin, 'infra-synth'), `#!/bin/sh\nexec node ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(join(bin, 'infra-synth'), 0o755);
  const r = await execa('sh', ['-c', example!.slice(2)], {
    cwd: repo.root, reject: false, env: { PATH: `${bin}:${process.env.PATH}`, HOME: tmp('home-'), INFRA_SYNTH_SOPS: 'builtin' }, extendEnv: false,
  });
  expect([r.exitCode, r.stderr]).toEqual([0, '']);
  const written = readFileSync(join(repo.secrets, 'dev/monitoring/grafana-admin.enc.yaml'), 'utf8');
  expect(written).not.toContain('hunter2');
  const [dev] = await loadFleet(repo.overlays, ['dev']);
  expect(readMetadata(written, 'yaml')).toMatchObject({ recipients: dev.secrets.ageRecipients, rules: { encrypted_suffix: 'Templates' } });
  // The result is what synth and the audit accept for dev.
  const audit = await run(repo, ['secrets', 'audit']);
  expect([audit.exitCode, audit.stdout.split('\n').at(-1)]).toEqual([0, expect.stringMatching(/^secrets audit: \d+ file\(s\) ok$/)]);
});

test('--help shows examples and exit codes', async () => {
  const repo = tempRepo();
  for (const cmd of ['add', 'edit', 'rotate', 'audit']) {
    const r = await run(repo, ['secrets', cmd, '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes:');
  }
});
