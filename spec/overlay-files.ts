// Which files of an overlays folder are overlays. Kept apart from load.ts (esbuild, zod, the
// defaults): the synth command counts them before it loads anything else (render-threads.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../primitives/errors.js';

/** The overlay files of a folder: every `*.ts` file but declarations and tests, sorted. */
export function listOverlayFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new UserError(`${dir}: no overlays folder here (expected one <cluster>.ts file per cluster)`);
  }
  return names.filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.endsWith('.test.ts') && !n.startsWith('_')).sort().map((n) => join(dir, n));
}
