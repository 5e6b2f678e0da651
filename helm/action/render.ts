// What `helm template` and `helm install` do with a chart after loading it (pkg/action
// Install.RunWithContext + Configuration.renderResources, cmd/helm template.go and the status
// printer): render, pull NOTES.txt out, split hooks from manifests, order them, add CRDs, and
// print exactly what helm prints.
import { compareBytewise } from '../encoding/json.js';
import type { Chart } from '../chart/chart.js';
import { Engine, type LookupFunction } from '../engine/engine.js';
import { fileText } from '../engine/files.js';
import { goTrimSpace, type Hook, type Manifest, sortManifests, splitManifests } from './sort.js';

const NOTES_SUFFIX = 'NOTES.txt';

/** Options of renderResources. */
export interface RenderResourcesOptions {
  /** Print the NOTES.txt of subcharts too (`--render-subchart-notes`). */
  readonly subNotes?: boolean;
  /** `--include-crds`: print the `crds/` files of the chart and its subcharts first. */
  readonly includeCrds?: boolean;
  /** `--hide-secret`: print v1 Secrets as a comment. */
  readonly hideSecret?: boolean;
  readonly enableDNS?: boolean;
  readonly lookup?: LookupFunction;
}

/** A release as far as a dry run builds it. */
export interface RenderedRelease {
  hooks: Hook[];
  manifests: Manifest[];
  /** The MANIFEST text: `---\n# Source: <path>\n<doc>\n` per CRD (when asked) and manifest. */
  manifest: string;
  /** The `crds/` files printed (with `includeCrds`), as `# Source:` path and text. */
  crds: { source: string; content: string }[];
  notes: string;
}

/**
 * An error while rendering, with what was rendered so far: on a YAML error, `manifest` holds
 * every non-blank rendered file (helm prints it with --debug).
 */
export class RenderResourcesError extends Error {
  override name = 'RenderResourcesError';
  constructor(message: string, readonly manifest: string, readonly hooks: Hook[] = []) {
    super(message);
  }
}

/**
 * Configuration.renderResources: render `chart` with the render values (`Values`, `Release`,
 * `Capabilities`, `Chart`), then split, sort and print the result.
 */
export function renderResources(
  chart: Chart,
  renderValues: Record<string, unknown>,
  options: RenderResourcesOptions = {},
): RenderedRelease {
  const files = new Engine({ enableDNS: options.enableDNS, lookup: options.lookup }).render(chart, renderValues);

  // NOTES.txt is rendered like any template but is neither a hook nor a resource.
  const notes: string[] = [];
  const rootNotes = `${chart.name()}/templates/${NOTES_SUFFIX}`;
  for (const name of Object.keys(files).sort(compareBytewise)) {
    if (!name.endsWith(NOTES_SUFFIX)) continue;
    if (options.subNotes || name === rootNotes) notes.push(files[name]!);
    delete files[name];
  }

  let sorted: ReturnType<typeof sortManifests>;
  try {
    sorted = sortManifests(files);
  } catch (e) {
    // Every rendered file, so that the user can see the YAML that does not parse.
    let dump = '';
    for (const name of Object.keys(files).sort(compareBytewise)) {
      const content = files[name]!;
      if (goTrimSpace(content) === '') continue;
      dump += `---\n# Source: ${name}\n${content}\n`;
    }
    // Helm keeps the hooks found before the bad document; `helm template --debug` prints them.
    const partialHooks = (e as { partial?: { hooks: Hook[] } }).partial?.hooks ?? [];
    throw new RenderResourcesError((e as Error).message, dump, partialHooks);
  }

  let manifest = '';
  const crds = options.includeCrds
    ? chart.crdObjects().map((crd) => ({ source: crd.filename, content: fileText(crd.file.data) }))
    : [];
  for (const crd of crds) manifest += `---\n# Source: ${crd.source}\n${crd.content}\n`;
  for (const m of sorted.manifests) {
    if (options.hideSecret && m.head.kind === 'Secret' && m.head.apiVersion === 'v1') {
      manifest += `---\n# Source: ${m.name}\n# HIDDEN: The Secret output has been suppressed\n`;
    } else {
      manifest += `---\n# Source: ${m.name}\n${m.content}\n`;
    }
  }
  return { hooks: sorted.hooks, manifests: sorted.manifests, manifest, crds, notes: notes.join('\n') };
}

export function isTestHook(h: Hook): boolean {
  return h.events.includes('test');
}

export interface TemplateOutputOptions {
  /** `--no-hooks`: leave hooks out. */
  readonly disableHooks?: boolean;
  /** `--skip-tests`: leave `helm.sh/hook: test` hooks out. */
  readonly skipTests?: boolean;
  /** `--show-only` patterns (filepath.Match against the path below the chart name). */
  readonly showOnly?: readonly string[];
}

/** What `helm template` writes to stdout for a rendered release. Throws for an unmatched --show-only. */
export function templateOutput(release: Pick<RenderedRelease, 'manifest' | 'hooks'>, options: TemplateOutputOptions = {}): string {
  let manifests = `${goTrimSpace(release.manifest)}\n`;
  if (!options.disableHooks) {
    for (const h of release.hooks) {
      if (options.skipTests && isTestHook(h)) continue;
      manifests += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    }
  }
  const showOnly = options.showOnly ?? [];
  if (showOnly.length === 0) return manifests;

  const docs = splitManifests(manifests);
  const selected: string[] = [];
  for (const pattern of showOnly) {
    let missing = true;
    for (const doc of docs) {
      const m = /# Source: [^/]+\/(.+)/.exec(doc);
      if (!m) continue;
      if (!matchFilePath(pattern, m[1]!)) continue;
      selected.push(doc);
      missing = false;
    }
    if (missing) throw new Error(`could not find template ${pattern} in chart`);
  }
  return selected.map((d) => `---\n${d}\n`).join('');
}

// Go's path/filepath.Match on slash paths: `*` and `?` stop at '/', `[...]` classes with `^`
// negation, `\` escapes; a malformed pattern matches nothing.
export function matchFilePath(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= pattern.length) return false;
      re += escapeRe(pattern[i]!);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return false;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      if (body === '') return false;
      re += `[${negated ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`^${re}$`, 's').test(name);
  } catch {
    return false;
  }
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The parts of a release the status printer reads. */
export interface ReleaseStatus {
  name: string;
  namespace: string;
  /** Go's time.ANSIC of the install time, e.g. `Fri Sep  2 22:04:05 1977`. */
  lastDeployed: string;
  status: 'deployed' | 'pending-install' | 'failed';
  revision: number;
  /** `Dry run complete` prints the HOOKS and MANIFEST sections. */
  dryRun: boolean;
  hooks: Hook[];
  manifest: string;
  notes: string;
  hideNotes?: boolean;
}

/** cmd/helm statusPrinter.WriteTable, as `helm install` prints a release. */
export function printStatus(r: ReleaseStatus): string {
  let out = `NAME: ${r.name}\n`;
  if (r.lastDeployed !== '') out += `LAST DEPLOYED: ${r.lastDeployed}\n`;
  out += `NAMESPACE: ${r.namespace}\nSTATUS: ${r.status}\nREVISION: ${r.revision}\n`;
  // Install runs no test hook, so a chart with tests prints no TEST SUITE section at all.
  if (!r.hooks.some(isTestHook)) out += 'TEST SUITE: None\n';
  if (r.dryRun) {
    out += 'HOOKS:\n';
    for (const h of r.hooks) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    out += `MANIFEST:\n${r.manifest}\n`;
  }
  if (!r.hideNotes && r.notes.length > 0) out += `NOTES:\n${goTrimSpace(r.notes)}\n`;
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.ANSIC layout (`Mon Jan _2 15:04:05 2006`) in UTC. */
export function formatANSIC(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
