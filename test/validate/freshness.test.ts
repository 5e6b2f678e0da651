// validate/generated/ is committed; it must be exactly what the generator makes from
// ../shared today (CI freshness check). Without ../shared the check cannot run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SHARED_DIR, describeWithReferenceData } from '../helpers/reference-data.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARED = SHARED_DIR;
const COMMITTED = join(ROOT, 'validate', 'generated');
describeWithReferenceData('validate/generated', ['schemas', 'crds'], () => {
  test('regenerating validate/generated from ../shared yields exactly the committed files', () => {
    const out = mkdtempSync(join(tmpdir(), 'infra-synth-schemas-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-schemas.mjs')], {
        env: { ...process.env, INFRA_SYNTH_SHARED: SHARED, OUT_DIR: out },
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
});
