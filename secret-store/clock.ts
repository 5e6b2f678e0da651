// The audit's two inputs that are not files: the clock its rotation verdicts are measured against,
// and the list of clusters whose secrets are example placeholders. Both are explicit so that a
// verdict never depends on the day a test or a CI job happens to run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../primitives/errors.js';

/** The setting tests (and anyone) use to fix the audit's clock without a flag. */
export const NOW_ENV = 'INFRA_SYNTH_NOW';

/** RFC 3339: a full-date, or a date-time with a time zone (Z or ±hh:mm). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * The clock of a verdict: `--now` when given, else $INFRA_SYNTH_NOW, else the wall clock.
 * A date alone means its midnight UTC.
 */
export function clockOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Date {
  const [text, source] = flag !== undefined ? [flag, '--now'] : env[NOW_ENV] ? [env[NOW_ENV]!, NOW_ENV] : [undefined, ''];
  if (text === undefined) return new Date();
  const date = RFC3339.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new UserError(`${source} ${JSON.stringify(text)}: expected an RFC 3339 date or date-time, e.g. 2027-06-01 or 2027-06-01T12:00:00Z`);
  }
  return date;
}

/** `secrets/examples.yaml`: the clusters whose secrets are example placeholders. */
export const EXAMPLES_FILE = 'examples.yaml';

/**
 * The clusters listed in `<secretsDir>/examples.yaml` (`clusters: [name, ...]`); none when the
 * file is absent. Their files' rotation age is reported, not counted as a finding: placeholders
 * encrypted to example keys that nobody holds cannot be rotated, and CI must pass on any date.
 */
export function exampleClusters(secretsDir: string): Set<string> {
  const path = join(secretsDir, EXAMPLES_FILE);
  if (!existsSync(path)) return new Set();
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(path, 'utf8'), { schema: yaml.CORE_SCHEMA });
  } catch {
    throw new UserError(`${path}: not valid YAML; expected clusters: [<cluster>, ...]`);
  }
  const clusters = (doc as { clusters?: unknown } | null)?.clusters;
  if (!Array.isArray(clusters) || !clusters.every((c) => typeof c === 'string')) {
    throw new UserError(`${path}: expected clusters: [<cluster>, ...] (the clusters whose secrets are example placeholders)`);
  }
  return new Set(clusters);
}
