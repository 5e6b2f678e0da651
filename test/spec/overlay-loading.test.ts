// Overlays are TypeScript modules: whatever their code does while loading — throw a non-Error,
// await forever, call process.exit — synth answers with exit 2 and one line naming the overlay,
// and writes nothing. Run through the CLI, as users run it.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../helpers/fleet.js';

const CLI = join(REPO_ROOT, 'bin', 'infra-synth.mjs');
const GOOD = `export default { cloud: 'vk', environment: 'dev', domain: 'dev.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] } };\n`;

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'infra-synth-overlays-')); mkdirSync(join(dir, 'overlays')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function synthWith(overlay: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  writeFileSync(join(dir, 'overlays', 'c1.ts'), overlay);
  return execa('node', [CLI, 'synth', '--overlays', 'overlays', ...extra], { cwd: dir, reject: false, env });
}

test.each([
  ['throws a string', `throw 'x';\n${GOOD}`, 'error: overlays/c1.ts: could not load: it threw x'],
  ['throws an object', `throw { code: 42 };\n${GOOD}`, 'error: overlays/c1.ts: could not load: it threw {"code":42}'],
  ['calls process.exit(0)', `process.exit(0);\n${GOOD}`, 'error: overlays/c1.ts: could not load: it called process.exit(0); an overlay must only export its cluster\'s data'],
])('an overlay that %s exits 2 with one line naming it, and writes nothing', async (_what, code, line) => {
  const r = await synthWith(code);
  expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 2, stderr: line });
  expect(existsSync(join(dir, 'dist'))).toBe(false);
});

test('an overlay whose top-level await never settles exits 2 after the load timeout', async () => {
  const r = await synthWith(`await new Promise(() => {});\n${GOOD}`, [], { INFRA_SYNTH_OVERLAY_TIMEOUT_MS: '500' });
  expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({
    exitCode: 2,
    stderr: 'error: overlays/c1.ts: could not load: it did not finish loading within 0.5 s (a top-level await that never settles?)',
  });
});

test('--out naming a file exits 2 with one line naming the path', async () => {
  // From the repository root (synth reads the dashboards there), with this test's overlays.
  writeFileSync(join(dir, 'overlays', 'c1.ts'), GOOD);
  writeFileSync(join(dir, 'not-a-folder'), 'x');
  const r = await execa('node', [CLI, 'synth', '--overlays', join(dir, 'overlays'), '--out', join(dir, 'not-a-folder', 'dist')], { cwd: REPO_ROOT, reject: false });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(/^error: \S*not-a-folder\S*: a file is where a folder is expected/);
  expect(r.stderr.split('\n')).toHaveLength(1);
});
