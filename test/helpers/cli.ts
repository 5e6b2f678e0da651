// The real CLI, bundled from the working tree as `npm run build` does, for tests that run it as
// users do. Call at the top of a test file: the bundle is built before its tests and removed after.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './fleet.js';

/** Path of the launcher (`node <path> <command> ...`), in build/.test-<name>-<pid>/. */
export function bundledCli(name: string): string {
  const dir = join(REPO_ROOT, 'build', `.test-${name}-${process.pid}`);
  const cli = join(dir, 'bin.mjs');
  beforeAll(async () => {
    // Split into chunks as scripts/build.mjs does, so that each command loads only its own modules.
    await build({
      entryPoints: { cli: join(REPO_ROOT, 'cli/main.ts') }, outdir: dir, outExtension: { '.js': '.mjs' }, splitting: true,
      chunkNames: 'chunks/[name]-[hash]', bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning',
    });
    // Imported by a launcher, as bin/infra-synth.mjs does.
    writeFileSync(cli, "await import('./cli.mjs');\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return cli;
}
