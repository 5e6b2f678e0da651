// validate/generated/ is committed; it must be exactly what the generator makes from
// ../shared today (CI freshness check). Without ../shared the check cannot run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARED = resolve(process.env.SHARED_DIR ?? join(ROOT, '..', 'shared'));
const COMMITTED = join(ROOT, 'validate', 'generated');
const hasShared = existsSync(join(SHARED, 'schemas', 'k8s-1.28', '_definitions.json')) && existsSync(join(SHARED, 'crds'));

if (!hasShared) {
  test.skip(`freshness of validate/generated: SKIPPED, no reference schemas at ${SHARED} (set SHARED_DIR)`, () => {});
} else {
  test('regenerating validate/generated from ../shared yields exactly the committed files', () => {
    const out = mkdtempSync(join(tmpdir(), 'infra-synth-schemas-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-schemas.mjs')], {
        env: { ...process.env, SHARED_DIR: SHARED, OUT_DIR: out },
        stdio: 'pipe',
      });
      const files = readdirSync(out).sort();
      expect(readdirSync(COMMITTED).sort()).toEqual(files);
      const stale = files.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(COMMITTED, f))));
      expect(stale).toEqual([]); // if not: npm run gen:schemas, and commit validate/generated
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
