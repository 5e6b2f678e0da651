// Every provider and resource block of a stack checked against the providers' documented schemas
// (../shared/infra/terraform/<provider>-<tag>.json, read where they are, never copied): argument
// names, required arguments, nested blocks and their nesting, value types, conflicting and
// deprecated arguments, the pinned version, and references between resources. One finding per
// problem, `<cluster>: <file>: resource.<type>.<name>: <path>: <message>`, as validate/ prints.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { childPath, closest, describeValue } from '../../validate/errors.js';
import type { Finding } from '../../validate/finding.js';
import type { OutputFile } from '../../writer/types.js';
import { RESOURCE_META } from './json-syntax.js';

/** One argument as the reference files describe it (infra/README.md §3 there). */
interface SchemaArgument {
  readonly name: string;
  readonly required: boolean;
  readonly type: 'string' | 'number' | 'bool' | 'list' | 'map' | 'set' | 'block';
  readonly elementType?: string;
  readonly nesting?: 'list' | 'set' | 'single';
  readonly syntax?: 'attribute';
  readonly maxItems?: number;
  readonly deprecated?: boolean | string;
  readonly conflictsWith?: readonly string[];
  readonly nested?: readonly SchemaArgument[];
}

interface ProviderFile {
  readonly provider: string;
  readonly localName: string;
  readonly providerVersion: string;
  readonly providerConfig: { readonly arguments: readonly SchemaArgument[] };
  readonly resources: readonly { readonly resource: string; readonly arguments: readonly SchemaArgument[]; readonly attributes: readonly string[] }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A string that is only one interpolation: its value is whatever the expression yields. */
const isExpression = (v: unknown): boolean => typeof v === 'string' && /^\$\{[^]*\}$/.test(v);
const REF = /\$\{([^}]*)\}/g;

type Add = (path: string, message: string) => void;

/** The reference schemas of a folder; `load` returns undefined when the folder is absent. */
export class ProviderSchemas {
  private readonly resources = new Map<string, { file: ProviderFile; arguments: readonly SchemaArgument[]; attributes: readonly string[] }>();
  private readonly providers = new Map<string, ProviderFile>();

  static load(dir: string): ProviderSchemas | undefined {
    if (!existsSync(dir)) return undefined;
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    return new ProviderSchemas(files.map((f) => ({ name: f, data: JSON.parse(readFileSync(join(dir, f), 'utf8')) as ProviderFile })), dir);
  }

  constructor(files: readonly { name: string; data: ProviderFile }[], readonly dir: string) {
    for (const { data } of files) {
      this.providers.set(data.localName, data);
      for (const r of data.resources) this.resources.set(r.resource, { file: data, arguments: r.arguments, attributes: r.attributes });
    }
  }

  /** Findings of one parsed *.tf.json file. */
  check(cluster: string, file: string, root: unknown): Finding[] {
    const out: Finding[] = [];
    if (!isObject(root)) return out;
    const at = (object: string): Add => (path, message) => out.push({ cluster, file, object, path, message });
    const terraform = root.terraform;
    if (isObject(terraform) && isObject(terraform.required_providers)) {
      for (const [name, req] of Object.entries(terraform.required_providers)) this.checkPin(name, req, at('terraform'));
    }
    if (isObject(root.provider)) {
      for (const [name, conf] of Object.entries(root.provider)) {
        const p = this.providers.get(name);
        const add = at(`provider.${name}`);
        if (!p) { add('', `no reference schema for provider "${name}" in ${this.dir} (known: ${[...this.providers.keys()].sort().join(', ')})`); continue; }
        for (const c of Array.isArray(conf) ? conf : [conf]) checkBody(c, p.providerConfig.arguments, '', add, ['alias', 'version']);
      }
    }
    if (isObject(root.resource)) {
      for (const [type, named] of Object.entries(root.resource)) {
        if (!isObject(named)) continue;
        for (const [name, body] of Object.entries(named)) {
          const add = at(`resource.${type}.${name}`);
          const schema = this.resources.get(type);
          if (!schema) {
            const guess = closest(type, [...this.resources.keys()]);
            add('', `no reference schema for resource type "${type}" in ${this.dir}${guess ? `; did you mean "${guess}"?` : ''} (a type without a schema cannot be checked, so it is not allowed)`);
            continue;
          }
          checkBody(body, schema.arguments, '', add, RESOURCE_META);
        }
      }
    }
    return out;
  }

  private checkPin(name: string, req: unknown, add: Add): void {
    const p = this.providers.get(name);
    if (!p) { add(`.required_providers.${name}`, `no reference schema for provider "${name}" (known: ${[...this.providers.keys()].sort().join(', ')})`); return; }
    if (!isObject(req)) return;
    if (req.source !== p.provider) add(`.required_providers.${name}.source`, `expected "${p.provider}", the source the reference schema describes; got ${describeValue(req.source)}`);
    const version = p.providerVersion.replace(/^v/, '');
    if (req.version !== version) add(`.required_providers.${name}.version`, `expected "${version}", the version whose schema the stack is checked against; got ${describeValue(req.version)} (update the reference schema and infra/tofu/providers.ts together)`);
  }

  /**
   * References between the blocks of one stack: `${type.name.attr}` and depends_on name a
   * resource of the stack and an attribute its schema has; `${var.x}` a declared variable.
   */
  checkReferences(cluster: string, files: readonly OutputFile[]): Finding[] {
    const parsed = files.filter((f) => f.path.endsWith('.tf.json')).map((f) => ({ file: f.path, root: JSON.parse(f.content) as Record<string, unknown> }));
    const declared = new Set<string>();
    const variables = new Set<string>();
    for (const { root } of parsed) {
      if (isObject(root.resource)) for (const [type, named] of Object.entries(root.resource)) if (isObject(named)) for (const n of Object.keys(named)) declared.add(`${type}.${n}`);
      if (isObject(root.variable)) for (const v of Object.keys(root.variable)) variables.add(v);
    }
    const out: Finding[] = [];
    for (const { file, root } of parsed) {
      for (const block of ['resource', 'output', 'provider', 'terraform'] as const) {
        const walk = (object: string, path: string, v: unknown): void => {
          if (typeof v === 'string') {
            for (const m of v.matchAll(REF)) {
              const problem = this.referenceProblem(m[1].trim(), declared, variables);
              if (problem) out.push({ cluster, file, object, path, message: problem });
            }
          } else if (Array.isArray(v)) v.forEach((x, i) => walk(object, `${path}[${i}]`, x));
          else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(object, childPath(path, k), x);
        };
        const b = root[block];
        if (!isObject(b)) continue;
        if (block === 'resource') {
          for (const [type, named] of Object.entries(b)) {
            if (!isObject(named)) continue;
            for (const [name, body] of Object.entries(named)) {
              walk(`resource.${type}.${name}`, '', body);
              const deps = isObject(body) ? body.depends_on : undefined;
              if (Array.isArray(deps)) deps.forEach((d, i) => {
                if (typeof d === 'string' && !declared.has(d)) out.push({ cluster, file, object: `resource.${type}.${name}`, path: `.depends_on[${i}]`, message: `"${d}" is no resource of this stack` });
              });
            }
          }
        } else if (block === 'terraform') walk('terraform', '', b.encryption === undefined ? {} : { encryption: { key_provider: (b.encryption as Record<string, unknown>).key_provider } });
        else for (const [name, body] of Object.entries(b)) walk(`${block}.${name}`, '', body);
      }
    }
    return out;
  }

  private referenceProblem(ref: string, declared: Set<string>, variables: Set<string>): string | undefined {
    const parts = ref.split('.');
    if (parts[0] === 'var') return variables.has(parts[1]) ? undefined : `"${ref}": no variable "${parts[1]}" is declared in this stack`;
    if (['key_provider', 'method', 'local', 'data', 'module', 'path', 'terraform', 'each', 'count', 'self'].includes(parts[0]) || !/^[a-z][a-z0-9_]*$/.test(parts[0]) || parts.length < 2) return undefined;
    const address = `${parts[0]}.${parts[1]}`;
    if (!declared.has(address)) return `"${ref}": no resource ${address} in this stack`;
    const schema = this.resources.get(parts[0]);
    if (!schema || parts.length < 3) return undefined;
    const attr = parts[2].replace(/\[.*$/, '');
    const known = new Set(['id', ...schema.arguments.map((a) => a.name), ...schema.attributes.map((a) => a.split('.')[0])]);
    if (known.has(attr)) return undefined;
    const guess = closest(attr, [...known]);
    return `"${ref}": ${parts[0]} has no attribute "${attr}"${guess ? `; did you mean "${guess}"?` : ''}`;
  }
}

/** Checks a block body (an object) against its arguments; `meta` names are allowed besides them. */
function checkBody(body: unknown, args: readonly SchemaArgument[], path: string, add: Add, meta: readonly string[] = []): void {
  if (isExpression(body)) return;
  if (!isObject(body)) { add(path, `expected a block body (an object); got ${describeValue(body)}`); return; }
  const byName = new Map(args.map((a) => [a.name, a]));
  const conflicts = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (key === '//' || meta.includes(key)) continue;
    const arg = byName.get(key);
    const at = childPath(path, key);
    if (!arg) {
      const unset = args.map((a) => a.name).filter((n) => !(n in body));
      const guess = closest(key, unset) ?? closest(key, args.map((a) => a.name));
      add(at, `unknown argument "${key}"${guess ? `; did you mean "${guess}"?` : `; the arguments here are ${args.map((a) => a.name).sort().join(', ')}`}`);
      continue;
    }
    if (arg.deprecated) add(at, `deprecated${typeof arg.deprecated === 'string' ? `: ${arg.deprecated}` : ''}`);
    for (const other of arg.conflictsWith ?? []) {
      // Either side may list the conflict: one finding per pair, at the first of the two.
      const pair = [key, other].sort();
      if (!(other in body) || conflicts.has(pair.join())) continue;
      conflicts.add(pair.join());
      add(childPath(path, pair[0]), `conflicts with "${pair[1]}": give one of them`);
    }
    checkValue(value, arg, at, add);
  }
  for (const a of args) if (a.required && !(a.name in body)) add(childPath(path, a.name), `missing required ${a.type === 'block' ? 'block' : 'argument'} "${a.name}"`);
}

function checkValue(value: unknown, arg: SchemaArgument, path: string, add: Add): void {
  if (isExpression(value)) return;
  switch (arg.type) {
    case 'string':
      if (typeof value !== 'string') add(path, `expected a string; got ${describeValue(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number') add(path, `expected a number; got ${describeValue(value)}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') add(path, `expected true or false; got ${describeValue(value)}`);
      return;
    case 'list':
    case 'set':
      if (!Array.isArray(value)) { add(path, `expected an array (${arg.type} of ${arg.elementType ?? 'any'}); got ${describeValue(value)}`); return; }
      value.forEach((x, i) => checkElement(x, arg.elementType, `${path}[${i}]`, add));
      return;
    case 'map':
      if (!isObject(value)) { add(path, `expected an object (map of ${arg.elementType ?? 'any'}); got ${describeValue(value)}`); return; }
      for (const [k, x] of Object.entries(value)) checkElement(x, arg.elementType, childPath(path, k), add);
      return;
    case 'block': {
      const nested = arg.nested ?? [];
      // JSON syntax: one block is an object, several an array of objects (opentofu-json.md §1).
      if (Array.isArray(value)) {
        if (arg.nesting === 'single') add(path, `expected one block (an object): "${arg.name}" takes a single block; got ${describeValue(value)}`);
        if (arg.maxItems !== undefined && value.length > arg.maxItems) add(path, `at most ${arg.maxItems} "${arg.name}" block(s); got ${value.length}`);
        value.forEach((b, i) => checkBody(b, nested, `${path}[${i}]`, add));
      } else checkBody(value, nested, path, add);
    }
  }
}

function checkElement(x: unknown, elementType: string | undefined, path: string, add: Add): void {
  if (isExpression(x) || !elementType) return;
  const ok = elementType === 'string' ? typeof x === 'string' : elementType === 'number' ? typeof x === 'number' : elementType === 'bool' ? typeof x === 'boolean' : true;
  if (!ok) add(path, `expected a ${elementType}; got ${describeValue(x)}`);
}
