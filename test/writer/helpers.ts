import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export function tempDir(prefix = 'infra-synth-writer-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file under `root` (dot-folders included) → content, inode and mtime: a tree's full state. */
export function snapshot(root: string): Record<string, { content: string; ino: number; mtimeNs: bigint }> {
  const out: Record<string, { content: string; ino: number; mtimeNs: bigint }> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const st = statSync(full, { bigint: true });
        out[relative(root, full)] = { content: readFileSync(full, 'utf8'), ino: Number(st.ino), mtimeNs: st.mtimeNs };
      }
    }
  };
  walk(root);
  return out;
}

/** Every folder under `root`, relative, sorted. */
export function folders(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      out.push(relative(root, join(dir, e.name)));
      walk(join(dir, e.name));
    }
  };
  walk(root);
  return out.sort();
}
