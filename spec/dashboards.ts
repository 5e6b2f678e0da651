import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../primitives/errors.js';

/** Where the reviewed Grafana dashboards live, relative to the repository root (seed §5). */
export const DASHBOARDS_DIR = 'docs/assets/grafana';

/** One dashboard file, parsed and checked. */
export interface DashboardFile {
  /** Path as errors name it, e.g. docs/assets/grafana/platform/argocd.json. */
  readonly file: string;
  /** Grafana folder: the sub-folder under the dashboards root, or "General" at the root. */
  readonly folder: string;
  /** File name without .json. */
  readonly name: string;
  readonly uid: string;
  readonly title: string;
  /** The JSON as written (the sidecar hands it to Grafana unchanged). */
  readonly json: string;
}

/** Grafana's limits for a uid: at most 40 characters of letters, digits, "-" and "_". */
const UID = /^[A-Za-z0-9_-]{1,40}$/;
/** ConfigMap data is limited to 1 MiB. */
const MAX_BYTES = 1024 * 1024 - 4096;

const cache = new Map<string, DashboardFile[]>();

/**
 * Reads every `*.json` under `dir` (sorted), checking each: valid JSON, an object with a
 * non-empty `title` and a `uid` Grafana accepts, no uid twice. All problems come in one UserError,
 * one line per file. Cached per directory for the process: a fleet synth reads the files once.
 */
export function loadDashboards(dir: string = DASHBOARDS_DIR, cwd = process.cwd()): DashboardFile[] {
  const root = join(cwd, dir);
  const hit = cache.get(root);
  if (hit) return hit;
  const shown = (p: string) => relative(cwd, p).split(sep).join('/') || p;
  let isDir = false;
  try { isDir = statSync(root).isDirectory(); } catch { isDir = false; }
  if (!isDir) throw new UserError(`${dir}: no dashboards folder here; run synth from the repository root (Grafana dashboards are read from ${DASHBOARDS_DIR}/)`);

  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.json')) files.push(join(d, e.name));
    }
  };
  walk(root);

  const problems: string[] = [];
  const out: DashboardFile[] = [];
  const uids = new Map<string, string>();
  for (const path of files) {
    const file = shown(path);
    const rel = relative(root, path).split(sep);
    if (rel.length > 2) { problems.push(`${file}: dashboards sit at most one folder deep (${DASHBOARDS_DIR}/<folder>/<name>.json): Grafana folders do not nest here`); continue; }
    const text = readFileSync(path, 'utf8');
    if (Buffer.byteLength(text) > MAX_BYTES) { problems.push(`${file}: ${Buffer.byteLength(text)} bytes; a dashboard ConfigMap holds at most 1 MiB (split the dashboard)`); continue; }
    let data: unknown;
    try { data = JSON.parse(text); } catch (e) {
      problems.push(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]}); export the dashboard from Grafana as JSON`);
      continue;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) { problems.push(`${file}: expected a dashboard object ({ "title": ..., "uid": ..., "panels": [...] })`); continue; }
    const d = data as Record<string, unknown>;
    const name = rel[rel.length - 1].replace(/\.json$/, '');
    if (typeof d.title !== 'string' || !d.title.trim()) problems.push(`${file}: title: missing; expected the dashboard's title (a non-empty string)`);
    if (typeof d.uid !== 'string' || !UID.test(d.uid)) {
      problems.push(`${file}: uid: ${d.uid === undefined ? 'missing' : `received ${JSON.stringify(d.uid)}`}; expected a stable uid of at most 40 letters, digits, "-" or "_" (links and alerts point at it)`);
    } else if (uids.has(d.uid)) {
      problems.push(`${file}: uid: "${d.uid}" is already the uid of ${uids.get(d.uid)}; every dashboard needs its own`);
    } else uids.set(d.uid, file);
    if (!/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(name)) problems.push(`${file}: file name: expected lower-case letters, digits, "-", "_" and "." (it names the ConfigMap)`);
    if (rel.length === 2 && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(rel[0])) problems.push(`${file}: folder "${rel[0]}": expected a lower-case folder name (letters, digits, "-")`);
    out.push({ file, folder: rel.length === 2 ? rel[0] : 'General', name, uid: String(d.uid), title: String(d.title), json: text });
  }
  if (problems.length) throw new UserError(problems);
  cache.set(root, out);
  return out;
}

/** Forgets what loadDashboards read (tests that edit dashboard files). */
export function clearDashboardCache(): void {
  cache.clear();
}
