// Chart.yaml, requirements.yaml and Chart.lock as Helm reads them: sigs.k8s.io/yaml turns the
// YAML into JSON (a scalar bound for a string field becomes its string form, so `version: 1.10`
// is the string "1.1"), then encoding/json fills the Go struct (keys matched exactly, else
// case-insensitively; unknown keys ignored; a wrong type is an error). Then
// Metadata.Validate's checks, with its `validation: ...` texts.

import { unmarshal } from '../encoding/yaml.js';
import { newVersion } from '../semver/index.js';
import { base } from '../sprig/paths.js';
import { isMap } from '../template/value.js';
import { Dependency, Maintainer, Metadata, type Lock } from './chart.js';

/** Helm's chart.ValidationError. */
export class ValidationError extends Error {
  constructor(detail: string) {
    super(`validation: ${detail}`);
    this.name = 'ValidationError';
  }
}

type FieldKind = 'string' | 'bool' | '[]string' | 'map[string]string' | '[]interface{}' | '[]*Maintainer' | '[]*Dependency';

interface Field {
  readonly json: string;
  readonly go: string;
  readonly kind: FieldKind;
}

const METADATA_FIELDS: readonly Field[] = [
  { json: 'name', go: 'Name', kind: 'string' },
  { json: 'home', go: 'Home', kind: 'string' },
  { json: 'sources', go: 'Sources', kind: '[]string' },
  { json: 'version', go: 'Version', kind: 'string' },
  { json: 'description', go: 'Description', kind: 'string' },
  { json: 'keywords', go: 'Keywords', kind: '[]string' },
  { json: 'maintainers', go: 'Maintainers', kind: '[]*Maintainer' },
  { json: 'icon', go: 'Icon', kind: 'string' },
  { json: 'apiVersion', go: 'APIVersion', kind: 'string' },
  { json: 'condition', go: 'Condition', kind: 'string' },
  { json: 'tags', go: 'Tags', kind: 'string' },
  { json: 'appVersion', go: 'AppVersion', kind: 'string' },
  { json: 'deprecated', go: 'Deprecated', kind: 'bool' },
  { json: 'annotations', go: 'Annotations', kind: 'map[string]string' },
  { json: 'kubeVersion', go: 'KubeVersion', kind: 'string' },
  { json: 'dependencies', go: 'Dependencies', kind: '[]*Dependency' },
  { json: 'type', go: 'Type', kind: 'string' },
];

const MAINTAINER_FIELDS: readonly Field[] = [
  { json: 'name', go: 'Name', kind: 'string' },
  { json: 'email', go: 'Email', kind: 'string' },
  { json: 'url', go: 'URL', kind: 'string' },
];

const DEPENDENCY_FIELDS: readonly Field[] = [
  { json: 'name', go: 'Name', kind: 'string' },
  { json: 'version', go: 'Version', kind: 'string' },
  { json: 'repository', go: 'Repository', kind: 'string' },
  { json: 'condition', go: 'Condition', kind: 'string' },
  { json: 'tags', go: 'Tags', kind: '[]string' },
  { json: 'enabled', go: 'Enabled', kind: 'bool' },
  { json: 'import-values', go: 'ImportValues', kind: '[]interface{}' },
  { json: 'alias', go: 'Alias', kind: 'string' },
];

const GO_TYPE: Record<FieldKind, string> = {
  string: 'string',
  bool: 'bool',
  '[]string': '[]string',
  'map[string]string': 'map[string]string',
  '[]interface{}': '[]interface {}',
  '[]*Maintainer': '[]*chart.Maintainer',
  '[]*Dependency': '[]*chart.Dependency',
};

class DecodeError extends Error {}

function jsonKind(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** strconv.FormatFloat(f, 'g', -1, 32): sigs.k8s.io/yaml's string form of a float bound for a string. */
function formatFloat32(f: number): string {
  // The decoded value no longer says int or float; YAML ints (FormatInt) are the common case.
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return String(f);
  const target = Math.fround(f);
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = target.toPrecision(p);
    if (Math.fround(Number(digits)) === target) break;
  }
  const [mantissa, expPart] = Number(digits).toExponential().split('e');
  const exp = Number(expPart);
  // Shortest 'g' switches to an exponent from 1e+06 on (strconv's eprec 6), not fmt's 1e+21.
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(Number(digits));
}

/** A YAML scalar bound for a Go string field. */
function scalarToString(v: unknown, where: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat32(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // A YAML timestamp (Chart.lock's `generated`) goes through JSON as RFC 3339 text.
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'bigint') {
    return String((v as { value: bigint }).value);
  }
  throw new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into Go ${where} of type string`);
}

function decodeField(field: Field, value: unknown, struct: string): unknown {
  const where = `struct field ${struct}.${field.json}`;
  const mismatch = () =>
    new DecodeError(`json: cannot unmarshal ${jsonKind(value)} into Go ${where} of type ${GO_TYPE[field.kind]}`);
  switch (field.kind) {
    case 'string':
      return scalarToString(value, where);
    case 'bool':
      if (typeof value !== 'boolean') throw mismatch();
      return value;
    case '[]string':
      if (!Array.isArray(value)) throw mismatch();
      return value.map((item) => (item === null ? '' : scalarToString(item, where)));
    case 'map[string]string': {
      if (!isMap(value)) throw mismatch();
      const out: Record<string, string> = {};
      for (const [k, item] of Object.entries(value)) out[k] = item === null ? '' : scalarToString(item, where);
      return out;
    }
    case '[]interface{}':
      if (!Array.isArray(value)) throw mismatch();
      return value;
    case '[]*Maintainer':
      if (!Array.isArray(value)) throw mismatch();
      return value.map((item) => (item === null ? null : decodeStruct(new Maintainer(), MAINTAINER_FIELDS, item, 'Maintainer')));
    case '[]*Dependency':
      if (!Array.isArray(value)) throw mismatch();
      return value.map((item) => (item === null ? null : decodeStruct(new Dependency(), DEPENDENCY_FIELDS, item, 'Dependency')));
  }
}

/** encoding/json into a struct: exact key match first, else a case-insensitive one; null leaves the field. */
function decodeStruct<T extends object>(target: T, fields: readonly Field[], value: unknown, struct: string): T {
  if (value === null || value === undefined) return target;
  if (!isMap(value)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type chart.${struct}`);
  for (const [key, item] of Object.entries(value)) {
    const field = fields.find((f) => f.json === key) ?? fields.find((f) => f.json.toLowerCase() === key.toLowerCase());
    if (!field || item === null) continue;
    (target as Record<string, unknown>)[field.go] = decodeField(field, item, struct);
    if (target instanceof Metadata && field.go === 'Dependencies') target.dependenciesDeclared = true;
  }
  return target;
}

function parseYaml(text: string): unknown {
  try {
    return unmarshal(text);
  } catch (e) {
    // The codec's message already reads "error converting YAML to JSON: ...".
    throw new DecodeError((e as Error).message);
  }
}

function wrapDecode<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DecodeError) {
      const detail = e.message.startsWith('error converting YAML') ? e.message : `error unmarshaling JSON: while decoding JSON: ${e.message}`;
      throw new Error(`cannot load ${what}: ${detail}`);
    }
    throw e;
  }
}

/** Decode Chart.yaml (or requirements.yaml) text onto `md`, as yaml.Unmarshal(data, c.Metadata) does. */
export function decodeMetadataInto(md: Metadata, text: string, fileName = 'Chart.yaml'): Metadata {
  return wrapDecode(fileName, () => decodeStruct(md, METADATA_FIELDS, parseYaml(text), 'Metadata'));
}

/** Decode Chart.lock / requirements.lock. */
export function decodeLock(text: string, fileName = 'Chart.lock'): Lock {
  return wrapDecode(fileName, () => {
    const raw = parseYaml(text);
    const lock: Lock = { generated: '', digest: '', dependencies: [] };
    if (raw === null || raw === undefined) return lock;
    if (!isMap(raw)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(raw)} into Go value of type chart.Lock`);
    if (raw.generated !== undefined && raw.generated !== null) lock.generated = scalarToString(raw.generated, 'struct field Lock.generated');
    if (raw.digest !== undefined && raw.digest !== null) lock.digest = scalarToString(raw.digest, 'struct field Lock.digest');
    if (raw.dependencies !== undefined && raw.dependencies !== null) {
      lock.dependencies = decodeField(
        { json: 'dependencies', go: 'dependencies', kind: '[]*Dependency' },
        raw.dependencies,
        'Lock',
      ) as Dependency[];
    }
    return lock;
  });
}

/** Go's unicode.IsPrint: graphic characters plus the ASCII space. */
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
/** Go's unicode.IsSpace. */
const SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;

/** Helm replaces whitespace with a space and drops unprintable characters in metadata strings. */
export function sanitizeString(s: string): string {
  let out = '';
  for (const ch of s) {
    if (SPACE.test(ch)) out += ' ';
    else if (PRINTABLE.test(ch)) out += ch;
  }
  return out;
}

/** Masterminds/semver NewVersion accepts it. */
export function isValidSemver(v: string): boolean {
  try {
    newVersion(v);
    return true;
  } catch {
    return false;
  }
}

const ALIAS_NAME = /^[a-zA-Z0-9_-]+$/;

function validateDependency(d: Dependency | null): void {
  if (d === null) throw new ValidationError('dependencies must not contain empty or null nodes');
  d.Name = sanitizeString(d.Name);
  d.Version = sanitizeString(d.Version);
  d.Repository = sanitizeString(d.Repository);
  d.Condition = sanitizeString(d.Condition);
  d.Tags = d.Tags.map(sanitizeString);
  if (d.Alias !== '' && !ALIAS_NAME.test(d.Alias)) {
    throw new ValidationError(`dependency "${d.Name}" has disallowed characters in the alias`);
  }
}

/** Metadata.Validate: sanitizes the strings in place, then throws Helm's ValidationError. */
export function validateMetadata(md: Metadata | null): void {
  if (md === null) throw new ValidationError('chart.metadata is required');
  md.Name = sanitizeString(md.Name);
  md.Description = sanitizeString(md.Description);
  md.Home = sanitizeString(md.Home);
  md.Icon = sanitizeString(md.Icon);
  md.Condition = sanitizeString(md.Condition);
  md.Tags = sanitizeString(md.Tags);
  md.AppVersion = sanitizeString(md.AppVersion);
  md.KubeVersion = sanitizeString(md.KubeVersion);
  md.Sources = md.Sources.map(sanitizeString);
  md.Keywords = md.Keywords.map(sanitizeString);

  if (md.APIVersion === '') throw new ValidationError('chart.metadata.apiVersion is required');
  if (md.Name === '') throw new ValidationError('chart.metadata.name is required');
  if (md.Name !== base(md.Name)) throw new ValidationError(`chart.metadata.name ${JSON.stringify(md.Name)} is invalid`);
  if (md.Version === '') throw new ValidationError('chart.metadata.version is required');
  if (!isValidSemver(md.Version)) throw new ValidationError(`chart.metadata.version ${JSON.stringify(md.Version)} is invalid`);
  if (!['', 'application', 'library'].includes(md.Type)) {
    throw new ValidationError('chart.metadata.type must be application or library');
  }
  for (const m of md.Maintainers as (Maintainer | null)[]) {
    if (m === null) throw new ValidationError('maintainers must not contain empty or null nodes');
    m.Name = sanitizeString(m.Name);
    m.Email = sanitizeString(m.Email);
    m.URL = sanitizeString(m.URL);
  }
  const seen = new Set<string>();
  for (const d of md.Dependencies as (Dependency | null)[]) {
    validateDependency(d);
    const key = d!.Alias !== '' ? d!.Alias : d!.Name;
    if (seen.has(key)) throw new ValidationError(`more than one dependency with name or alias ${JSON.stringify(key)}`);
    seen.add(key);
  }
}
