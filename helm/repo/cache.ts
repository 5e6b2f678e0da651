// The content-addressed chart cache: `<dir>/sha256/<hex>.tgz`. A file's name is the sha256 of its
// bytes, so a hit needs no network and no lock on the folder; writes go to a temporary file in
// the same folder and are renamed into place, so readers never see a half-written package and two
// concurrent pulls of the same chart write the same bytes.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { digestHex, sha256Digest } from './digest.js';

/** `$INFRA_SYNTH_CHART_CACHE`, else `$XDG_CACHE_HOME/infra-synth/charts`, else `~/.cache/infra-synth/charts`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INFRA_SYNTH_CHART_CACHE) return env.INFRA_SYNTH_CHART_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'infra-synth', 'charts');
}

export class ChartCache {
  constructor(readonly dir: string) {}

  /** Where the package with this digest lives (whether or not it is there). */
  pathOf(digest: string): string {
    return join(this.dir, 'sha256', `${digestHex(digest)}.tgz`);
  }

  has(digest: string): boolean {
    return existsSync(this.pathOf(digest));
  }

  /** True when the cached file is there and its bytes still hash to its name. */
  verify(digest: string): boolean {
    const path = this.pathOf(digest);
    return existsSync(path) && sha256Digest(readFileSync(path)) === `sha256:${digestHex(digest)}`;
  }

  /** Stores `bytes` under their own digest (returned); an existing file is left alone. */
  put(bytes: Uint8Array): string {
    const digest = sha256Digest(bytes);
    const path = this.pathOf(digest);
    if (existsSync(path)) return digest;
    mkdirSync(join(this.dir, 'sha256'), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
    return digest;
  }
}
