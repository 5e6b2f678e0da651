// Types of scripts/bundle-options.mjs for the tests that bundle the CLI.
import type { BuildOptions } from 'esbuild';

export declare const BUNDLED: ReadonlySet<string>;
export declare function packageOf(specifier: string): string;
export declare function bundleOptions(o: { entryPoints: Record<string, string>; outdir: string; sourcemap?: BuildOptions['sourcemap'] }): BuildOptions;
