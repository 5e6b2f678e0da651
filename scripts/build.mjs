// Bundles the TypeScript entry points with esbuild so that synth runs as plain node, without
// ts-node or a type-check on the hot path (see ../shared/docs/cdk8s-performance.md §4). The
// options (chunks, which packages stay external) are in bundle-options.mjs.
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

await build(bundleOptions({
  entryPoints: { cli: 'cli/main.ts', main: 'main.ts', bench: 'bench/bench.ts', 'render-worker': 'pipeline/render-worker.ts' },
  outdir: 'build',
}));
