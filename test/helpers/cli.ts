// The real CLI, bundled from the working tree as `npm run build` does, for tests that run it as
// users do. Call at the top of a test file: the bundle is built before its tests and removed after.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from '../../scripts/bundle-options.mjs';
import { REPO_ROOT } from './fleet.js';

/** Path of the launcher (`node <path> <command> ...`), in build/.test-<name>-<pid>/. */
export function bundledCli(name: string): string {
  const dir = join(REPO_ROOT, 'build', `.test-${name}-${process.pid}`);
  const cli = join(dir, 'bin.mjs');
  beforeAll(async () => {
    // With scripts/build.mjs's options (chunks, commander bundled), so that each command loads what it does for users.
    await build(bundleOptions({ entryPoints: { cli: join(REPO_ROOT, 'cli/main.ts') }, outdir: dir, sourcemap: false }));
    // Imported by a launcher, as bin/infra-synth.mjs does.
    writeFileSync(cli, "await import('./cli.mjs');\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return cli;
}
