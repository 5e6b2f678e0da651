// The one setting through which tests find the upstream reference data (`../shared`: CRDs,
// Kubernetes schemas, sops vectors, Helm charts and conformance suites). It is not part of the
// repository, so a fresh clone has none of it: suites that need it are reported as skipped,
// with the reason in the test name — except under CI=true, where a missing folder is a failure
// (CI always has the data; a silent skip there would hide a broken checkout).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `INFRA_SYNTH_SHARED` (default: `../shared` beside the repository). */
export const SHARED_DIR = resolve(process.env.INFRA_SYNTH_SHARED ?? join(REPO_ROOT, '..', 'shared'));

/** Absolute path of a part of the reference data, e.g. `referencePath('helm/charts')`. */
export function referencePath(part: string): string {
  return join(SHARED_DIR, part);
}

export function hasReferenceData(part: string): boolean {
  return existsSync(referencePath(part));
}

/**
 * `describe` for a suite that needs `parts` of the reference data. When one is absent the body
 * is not run (it may read the data while collecting tests): one skipped test names what is
 * missing and the setting, or, under CI=true, one failing test does.
 */
export function describeWithReferenceData(
  name: string,
  parts: string | readonly string[],
  body: () => void,
): void {
  const missing = (typeof parts === 'string' ? [parts] : parts).filter((p) => !hasReferenceData(p));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const reason = `needs reference data ${missing.map(referencePath).join(', ')} (set INFRA_SYNTH_SHARED)`;
  describe(name, () => {
    if (process.env.CI === 'true') {
      test(`reference data is present (${reason})`, () => {
        throw new Error(`${name}: ${reason}; CI must provide it`);
      });
    } else {
      test.skip(`skipped: ${reason}`, () => undefined);
    }
  });
}
