// Bundles the TypeScript entry points with esbuild so that synth runs as plain node, without
// ts-node or a type-check on the hot path (see ../shared/docs/cdk8s-performance.md §4). The
// options (chunks, which packages stay external) are in bundle-options.mjs.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

// Chunk names carry their content's hash, so a rebuild would leave the old ones beside the new:
// the synth cache digests every file of build/ (pipeline/synth-cache.ts), which must be the tool.
rmSync('build/chunks', { recursive: true, force: true });
await build(bundleOptions({
  entryPoints: { cli: 'cli/main.ts', main: 'main.ts', bench: 'bench/bench.ts', 'render-worker': 'pipeline/render-worker.ts' },
  outdir: 'build',
}));
