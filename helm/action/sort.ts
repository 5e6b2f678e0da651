// Helm's pkg/releaseutil: how rendered files become hooks and manifests, and in what order
// `helm template` / `helm install` print them (SplitManifests, SortManifests, InstallOrder).
import jsyaml from 'js-yaml';
import { compareBytewise } from '../encoding/json.js';
import { unmarshal } from '../encoding/yaml.js';
import { isMap } from '../template/value.js';

export const HOOK_ANNOTATION = 'helm.sh/hook';
export const HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
export const HOOK_DELETE_ANNOTATION = 'helm.sh/hook-delete-policy';
export const HOOK_OUTPUT_LOG_ANNOTATION = 'helm.sh/hook-output-log-policy';

export type HookEvent =
  | 'pre-install' | 'post-install' | 'pre-delete' | 'post-delete' | 'pre-upgrade' | 'post-upgrade'
  | 'pre-rollback' | 'post-rollback' | 'test';

const HOOK_EVENTS: Record<string, HookEvent> = {
  'pre-install': 'pre-install', 'post-install': 'post-install',
  'pre-delete': 'pre-delete', 'post-delete': 'post-delete',
  'pre-upgrade': 'pre-upgrade', 'post-upgrade': 'post-upgrade',
  'pre-rollback': 'pre-rollback', 'post-rollback': 'post-rollback',
  test: 'test',
  // Helm 2 named its test hooks so; Helm 3 still reads them as tests.
  'test-success': 'test',
};

/** The part of a manifest Helm reads to sort it (releaseutil.SimpleHead). */
export interface SimpleHead {
  apiVersion: string;
  kind: string;
  metadata?: { name: string; annotations?: Record<string, string> };
}

/** One document of a rendered template file that is not a hook. */
export interface Manifest {
  /** The template path, e.g. `mychart/templates/deployment.yaml`. */
  name: string;
  content: string;
  head: SimpleHead;
}

export interface Hook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: HookEvent[];
  weight: number;
  deletePolicies: string[];
  outputLogPolicies: string[];
}

/** The order in which Helm installs (and prints) kinds; unknown kinds go last, by name. */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

// Go's regexp `(?:^|\s*\n)---\s*` (RE2's \s: tab, newline, form feed, carriage return, space):
// `---` at the very start or right after a newline, with the blanks around it (so `---foo`
// still splits). Scanned by hand: as a JS regexp, `\s*\n` retried at every blank is quadratic
// on large manifests.
const isRe2Space = (c: number): boolean => c === 9 || c === 10 || c === 12 || c === 13 || c === 32;

// Go's strings.TrimSpace (unicode.IsSpace). A loop for the same reason: `\s+$` is quadratic.
function isGoSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function goTrimSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isGoSpace(s.charCodeAt(i))) i++;
  while (j > i && isGoSpace(s.charCodeAt(j - 1))) j--;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

/** releaseutil.SplitManifests: the documents of a YAML stream, trimmed, in order, empty ones dropped. */
export function splitManifests(bigFile: string): string[] {
  const s = goTrimSpace(bigFile);
  const out: string[] = [];
  const push = (d: string) => {
    if (d !== '') out.push(goTrimSpace(d));
  };
  let last = 0;
  let from = 0;
  if (s.startsWith('---')) {
    last = 3;
    while (last < s.length && isRe2Space(s.charCodeAt(last))) last++;
    from = last;
  }
  for (;;) {
    const nl = s.indexOf('\n---', from);
    if (nl < 0) break;
    // The blanks before the newline belong to the separator, back to the previous one.
    let start = nl;
    while (start > last && isRe2Space(s.charCodeAt(start - 1))) start--;
    let end = nl + 4;
    while (end < s.length && isRe2Space(s.charCodeAt(end))) end++;
    push(s.slice(last, start));
    last = end;
    from = end;
  }
  push(s.slice(last));
  return out;
}

/** Go's strings.TrimSpace, shared with the renderer. */
export { goTrimSpace };

const STRING_FIELD = (field: string, kind: string) =>
  `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go struct field ${field} of type string`;

// What encoding/json calls a decoded value in "cannot unmarshal X into ...".
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isMap(v)) return 'object';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'number';
}

// sigs.k8s.io/yaml converts a scalar to the string a string-typed field wants; only a map or a
// list in such a place is an error.
function asHeadString(v: unknown, field: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'object' && v !== null && 'value' in v && typeof (v as { value: unknown }).value === 'bigint') {
    return String((v as { value: bigint }).value);
  }
  throw new Error(STRING_FIELD(field, jsonKind(v)));
}

// Every rendered document is parsed to read its head; charts render megabytes of CRDs, and
// js-yaml (already a dependency) parses them about five times faster than the Go-exact decoder.
// Only its success is trusted: when it refuses a document, the Go-exact decoder decides and
// gives Go's error text. (A document js-yaml accepts and go-yaml refuses would pass here.)
// `fresh`: the whole document as js-yaml made it, owned by no one (not a kept head, not the
// Go decoder's values), so it may be handed on instead of being parsed again.
function readYAML(doc: string): { value: unknown; fresh: boolean } {
  const known = heads.get(doc);
  if (known !== undefined) return { value: known, fresh: false };
  const { value: v, fresh } = decodeYAML(doc);
  // Only the head is kept: what parseSimpleHead reads, copied, as the document may be handed on.
  if (isMap(v) && doc.length > 1024) {
    if (headsSize + doc.length > HEADS_LIMIT) {
      heads.clear();
      headsSize = 0;
    }
    const md = v.metadata;
    const ann = isMap(md) ? md.annotations : undefined;
    heads.set(doc, {
      apiVersion: v.apiVersion,
      kind: v.kind,
      ...(md !== undefined ? { metadata: isMap(md) ? { name: md.name, annotations: isMap(ann) ? { ...ann } : ann } : md } : {}),
    });
    headsSize += doc.length;
  }
  return { value: v, fresh };
}

// Rendered CRDs are the same text render after render: their heads are kept by text.
const HEADS_LIMIT = 64 * 1024 * 1024;
const heads = new Map<string, Record<string, unknown>>();
let headsSize = 0;

function decodeYAML(doc: string): { value: unknown; fresh: boolean } {
  try {
    return { value: jsyaml.load(doc), fresh: true };
  } catch {
    return { value: unmarshal(doc), fresh: false };
  }
}

// Callers that want a document's objects (chart-renders/render) parse what sortManifests already
// parsed to read heads: the value is kept with the manifest or hook, for one taker.
const parsedDocuments = new WeakMap<object, unknown>();

/**
 * What js-yaml's `load` made of the document of `holder` (a Manifest or Hook of sortManifests, or
 * what handOverParsedDocument passed it to), once: a second call, or a document read from a
 * cache or by the Go decoder, gives `{ found: false }`, and the caller parses the text itself.
 */
export function takeParsedDocument(holder: object): { found: true; value: unknown } | { found: false } {
  if (!parsedDocuments.has(holder)) return { found: false };
  const value = parsedDocuments.get(holder);
  parsedDocuments.delete(holder);
  return { found: true, value };
}

/** Moves the parsed document of `from` (see takeParsedDocument) to `to`. */
export function handOverParsedDocument(from: object, to: object): void {
  if (!parsedDocuments.has(from)) return;
  parsedDocuments.set(to, parsedDocuments.get(from));
  parsedDocuments.delete(from);
}

/** yaml.Unmarshal of a document into releaseutil.SimpleHead; throws Go's error text. */
export function parseSimpleHead(doc: string): SimpleHead {
  return simpleHead(readYAML(doc).value);
}

function simpleHead(v: unknown): SimpleHead {
  if (v === null || v === undefined) return { apiVersion: '', kind: '' };
  if (!isMap(v)) {
    throw new Error(
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type releaseutil.SimpleHead`,
    );
  }
  const head: SimpleHead = {
    apiVersion: asHeadString(v.apiVersion, 'SimpleHead.apiVersion'),
    kind: asHeadString(v.kind, 'SimpleHead.kind'),
  };
  const md = v.metadata;
  if (md !== null && md !== undefined) {
    if (!isMap(md)) {
      throw new Error(
        `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(md)} into Go struct field SimpleHead.metadata of type struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }`,
      );
    }
    head.metadata = { name: asHeadString(md.name, 'SimpleHead.metadata.name') };
    const ann = md.annotations;
    if (ann !== null && ann !== undefined) {
      if (!isMap(ann)) {
        throw new Error(
          `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(ann)} into Go struct field .metadata.annotations of type map[string]string`,
        );
      }
      const out: Record<string, string> = {};
      for (const [k, val] of Object.entries(ann)) out[k] = asHeadString(val, '.metadata.annotations');
      head.metadata.annotations = out;
    }
  }
  return head;
}

/** Result of sorting a release's rendered files. */
export interface SortedManifests {
  hooks: Hook[];
  manifests: Manifest[];
}

/**
 * releaseutil.SortManifests with InstallOrder: files in path order, documents in file order,
 * partials and blank files skipped, hooks split out (a hook of an unknown event is dropped, as
 * Helm drops it), then both lists stably sorted by kind. Throws `YAML parse error on <path>: ...`.
 */
export function sortManifests(
  files: Readonly<Record<string, string>>,
  ordering: readonly string[] = INSTALL_ORDER,
): SortedManifests {
  const hooks: Hook[] = [];
  const manifests: Manifest[] = [];
  const paths = Object.keys(files).sort(compareBytewise);
  for (const path of paths) {
    const content = files[path];
    if (baseName(path).startsWith('_')) continue;
    if (goTrimSpace(content) === '') continue;
    for (const m of splitManifests(content)) {
      let head: SimpleHead;
      let doc: { value: unknown; fresh: boolean };
      try {
        doc = readYAML(m);
        head = simpleHead(doc.value);
      } catch (e) {
        const err = new Error(`YAML parse error on ${path}: ${(e as Error).message}`);
        // What was sorted so far (not enumerable: a printed error stays short).
        Object.defineProperty(err, 'partial', { value: { hooks, manifests } });
        throw err;
      }
      const annotations = head.metadata?.annotations;
      const hookTypes = annotations?.[HOOK_ANNOTATION];
      if (!annotations || Object.keys(annotations).length === 0 || hookTypes === undefined) {
        const manifest: Manifest = { name: path, content: m, head };
        if (doc.fresh) parsedDocuments.set(manifest, doc.value);
        manifests.push(manifest);
        continue;
      }
      const events: HookEvent[] = [];
      let unknown = false;
      for (const t of hookTypes.split(',')) {
        const e = HOOK_EVENTS[goTrimSpace(t).toLowerCase()];
        if (e === undefined) {
          unknown = true;
          break;
        }
        events.push(e);
      }
      if (unknown) continue;
      const hook: Hook = {
        name: head.metadata?.name ?? '',
        kind: head.kind,
        path,
        manifest: m,
        events,
        weight: hookWeight(annotations[HOOK_WEIGHT_ANNOTATION]),
        deletePolicies: annotationList(annotations[HOOK_DELETE_ANNOTATION]),
        outputLogPolicies: annotationList(annotations[HOOK_OUTPUT_LOG_ANNOTATION]),
      };
      if (doc.fresh) parsedDocuments.set(hook, doc.value);
      hooks.push(hook);
    }
  }
  return {
    hooks: sortByKind(hooks, (h) => h.kind, ordering),
    manifests: sortByKind(manifests, (m) => m.head.kind, ordering),
  };
}

function annotationList(v: string | undefined): string[] {
  if (v === undefined) return [];
  return v.split(',').map((p) => goTrimSpace(p).toLowerCase());
}

// strconv.Atoi: an optional sign and decimal digits, within int64; anything else weighs 0.
function hookWeight(v: string | undefined): number {
  if (v === undefined || !/^[+-]?[0-9]+$/.test(v)) return 0;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : 0;
}

/** Stable sort by the position of a kind in `ordering`; unknown kinds last, alphabetically. */
export function sortByKind<T>(items: T[], kindOf: (item: T) => string, ordering: readonly string[] = INSTALL_ORDER): T[] {
  const rank = new Map<string, number>();
  ordering.forEach((k, i) => rank.set(k, i));
  const less = (ka: string, kb: string): boolean => {
    const a = rank.get(ka);
    const b = rank.get(kb);
    if (a === undefined && b === undefined) return ka !== kb && ka < kb;
    if (a === undefined) return false;
    if (b === undefined) return true;
    return a < b;
  };
  return [...items].sort((x, y) => {
    const kx = kindOf(x);
    const ky = kindOf(y);
    if (less(kx, ky)) return -1;
    if (less(ky, kx)) return 1;
    return 0;
  });
}

function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}
