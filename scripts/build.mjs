// Bundles the TypeScript entry points with esbuild so that synth runs as plain node, without
// ts-node or a type-check on the hot path (see ../shared/docs/cdk8s-performance.md §4).
// Packages stay external: node resolves them from node_modules at run time.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'cli/main.ts', main: 'main.ts', bench: 'bench/bench.ts', 'render-worker': 'pipeline/render-worker.ts' },
  outdir: 'build',
  outExtension: { '.js': '.mjs' },
  // Chunks let commands load heavy modules (cdk8s, charts) only when they run.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
