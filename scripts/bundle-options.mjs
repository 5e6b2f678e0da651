// The esbuild options of the CLI bundle, shared by scripts/build.mjs and the tests that bundle the
// CLI as users get it (test/helpers/cli.ts), so that both load the same modules at start-up.
//
// Packages stay external (node resolves them from node_modules at run time) except those in
// BUNDLED: every command, `--help` included, loads commander before anything else, and loading it
// from node_modules costs more than the rest of `--help` (the ESM-to-CommonJS bridge, its package
// lookup and seven files). Bundled, it is part of the chunk every command shares.

/** Packages bundled into the chunks instead of loaded from node_modules. */
export const BUNDLED = new Set(['commander']);

/** The npm package a bare import names (`zod/v4` → `zod`, `@a/b/c` → `@a/b`). */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** esbuild plugin: bare imports external, unless their package is in BUNDLED. */
const externalPackages = {
  name: 'external-packages-but-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
      return BUNDLED.has(packageOf(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};

/**
 * Options for esbuild's build() of the CLI: ESM chunks (each command's modules load only when it
 * runs), entry points `entryPoints` (name → source) into `outdir`.
 */
export function bundleOptions({ entryPoints, outdir, sourcemap = 'linked' }) {
  return {
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    // Chunks let commands load heavy modules (cdk8s, charts) only when they run.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [externalPackages],
    // Bundled CommonJS (commander) calls require() for node's built-ins, which an ES module lacks.
    // Every output file gets this line, so the real require is made on the first call only: one
    // createRequire per file cost a synth (all chunks loaded) tens of milliseconds. It is a plain
    // call, no require.resolve or require.cache: what commander uses.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; let __madeRequire; const require = (id) => (__madeRequire ??= __createRequire(import.meta.url))(id);" },
    sourcemap,
    logLevel: 'warning',
  };
}
