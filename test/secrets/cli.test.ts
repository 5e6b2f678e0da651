// `infra-synth secrets add|edit|rotate|audit` and `synth --check` as users run them: the real CLI
// entry, bundled as `npm run build` does, in a temp repository, with the built-in backend.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { addSecret } from '../../lib/secrets/manage.js';
import { loadFleet } from '../../spec/load.js';
import { type KeyPair, type TempRepo, addRequiredSecrets, backendAt, newKeyPair, tempRepo, tmp, vkOverlay } from './helpers.js';

const REPO_ROOT = resolve(import.meta.dirname ?? '.', '../..');
const DIR = join(REPO_ROOT, 'build', `.test-fleet-secrets-${process.pid}`);
const CLI = join(DIR, 'bin.mjs');

let cluster: KeyPair;
let platform: KeyPair;
beforeAll(async () => {
  await build({
    entryPoints: [join(REPO_ROOT, 'cli/main.ts')], outfile: join(DIR, 'cli.mjs'), bundle: true, platform: 'node',
    target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning',
  });
  writeFileSync(CLI, "await import('./cli.mjs');\n");
  cluster = await newKeyPair();
  platform = await newKeyPair();
});
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** synth from the tool's own folder (it reads assets there), on the temp repository's overlays. */
const synth = (repo: TempRepo, ...flags: string[]) =>
  execa('node', [CLI, 'synth', '--overlays', repo.overlays, '--out', join(repo.root, 'dist'), ...flags], {
    cwd: REPO_ROOT, reject: false, env: { PATH: process.env.PATH, HOME: tmp('home-') }, extendEnv: false,
  });

const run = (repo: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execa('node', [CLI, ...args], {
    cwd: repo.root, reject: false,
    // No real keys: HOME is a temp folder, and only the variables given here are set.
    env: { PATH: process.env.PATH, HOME: tmp('home-'), INFRA_SYNTH_SOPS: 'builtin', ...env },
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
    expect.stringMatching(/^secrets\/c1\/argocd\/db\.enc\.yaml: data key last rotated \S+ \((119|120) days ago, over 90\); run `infra-synth secrets rotate --cluster c1`$/),
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
  const editor = join(tmp('editor-'), 'edit.sh');
  writeFileSync(editor, "#!/bin/sh\nsed -i 's/k: v/k: changed/' \"$1\"\n");
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

test('--help shows examples and exit codes', async () => {
  const repo = tempRepo();
  for (const cmd of ['add', 'edit', 'rotate', 'audit']) {
    const r = await run(repo, ['secrets', cmd, '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes:');
  }
});
