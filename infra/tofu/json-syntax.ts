// The rules of OpenTofu's JSON configuration syntax (../shared/infra/opentofu-json.md §1–3) that
// a provider schema does not cover: block nesting per top-level type, meta-arguments, literal-only
// settings, the compact backend form, encryption references, pinned providers. Needs no
// reference data, so synth always runs it.
import { childPath, closest, describeValue } from '../../validate/errors.js';
import type { Finding } from '../../validate/finding.js';

const TOP_LEVEL = ['terraform', 'provider', 'resource', 'data', 'variable', 'output', 'locals', 'module', 'moved', 'import', 'check', 'removed'];
const TYPE_NAME = /^[a-z][a-z0-9_]*$/;
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;
/** Meta-arguments of resource (and data) blocks, as JSON syntax reads them. */
export const RESOURCE_META = ['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection'];
const LIFECYCLE = ['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by', 'precondition', 'postcondition'];
const REFERENCE = /^[a-zA-Z_][\w-]*(\.[a-zA-Z_][\w-]*)+$/;
/** S3 backend arguments OpenTofu deprecates, with their replacements. */
const S3_DEPRECATED: Record<string, string> = {
  endpoint: 'endpoints.s3', iam_endpoint: 'endpoints.iam', sts_endpoint: 'endpoints.sts', dynamodb_endpoint: 'endpoints.dynamodb', force_path_style: 'use_path_style',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasInterpolation = (v: unknown): boolean => (typeof v === 'string' ? v.includes('${')
  : Array.isArray(v) ? v.some(hasInterpolation) : isObject(v) ? Object.values(v).some(hasInterpolation) : false);

/** Problems of one parsed *.tf.json file. */
export function checkTofuSyntax(cluster: string, file: string, root: unknown): Finding[] {
  const out: Finding[] = [];
  const add = (object: string, path: string, message: string) => out.push({ cluster, file, object, path, message });
  if (!isObject(root)) { add('(file)', '', `the root must be one JSON object of top-level blocks; got ${describeValue(root)}`); return out; }
  for (const [key, value] of Object.entries(root)) {
    if (key === '//') continue;
    if (!TOP_LEVEL.includes(key)) {
      const guess = closest(key, TOP_LEVEL);
      add(key, '', `unknown top-level block type "${key}"${guess ? `; did you mean "${guess}"?` : `; expected one of ${TOP_LEVEL.join(', ')}`}`);
      continue;
    }
    if (!isObject(value)) { add(key, '', `expected an object (labels, then the body); got ${describeValue(value)}`); continue; }
    if (key === 'resource' || key === 'data') checkResources(key, value, add);
    else if (key === 'terraform') checkTerraform(value, add);
    else if (key === 'provider') checkProviders(value, add);
    else if (key === 'variable') checkVariables(value, add);
    else if (key === 'output') checkOutputs(value, add);
    checkTemplates(key, '', value, add);
  }
  return out;
}

type Add = (object: string, path: string, message: string) => void;

function checkResources(kind: string, types: Record<string, unknown>, add: Add): void {
  for (const [type, named] of Object.entries(types)) {
    if (!TYPE_NAME.test(type)) add(`${kind}.${type}`, '', `"${type}" is not a resource type name (lower-case letters, digits and "_", starting with the provider's name)`);
    if (!isObject(named)) { add(`${kind}.${type}`, '', `expected an object of resource names, each with its body (labels become nested objects); got ${describeValue(named)}`); continue; }
    for (const [name, body] of Object.entries(named)) {
      const object = `${kind}.${type}.${name}`;
      if (!IDENTIFIER.test(name)) add(object, '', `"${name}" is not a valid name (letters, digits, "_" and "-", starting with a letter or "_")`);
      if (!isObject(body)) { add(object, '', `expected the block's body as an object; got ${describeValue(body)}`); continue; }
      checkMeta(object, body, add);
    }
  }
}

function checkMeta(object: string, body: Record<string, unknown>, add: Add): void {
  if ('provider' in body && (typeof body.provider !== 'string' || body.provider.includes('${') || !/^[a-z][a-z0-9_-]*(\.[a-zA-Z_][\w-]*)?$/.test(body.provider))) {
    add(object, '.provider', `expected a literal provider reference such as "yandex" or "yandex.dns" (not an expression); got ${describeValue(body.provider)}`);
  }
  if ('depends_on' in body) {
    const d = body.depends_on;
    if (!Array.isArray(d)) add(object, '.depends_on', `expected an array of reference strings such as ["yandex_vpc_network.main"]; got ${describeValue(d)}`);
    else d.forEach((r, i) => {
      if (typeof r !== 'string' || !REFERENCE.test(r)) add(object, `.depends_on[${i}]`, `expected a plain reference such as "yandex_vpc_network.main" (no "\${...}"); got ${describeValue(r)}`);
    });
  }
  if ('lifecycle' in body) {
    const l = body.lifecycle;
    if (!isObject(l)) { add(object, '.lifecycle', `expected an object; got ${describeValue(l)}`); return; }
    for (const [k, v] of Object.entries(l)) {
      if (!LIFECYCLE.includes(k)) add(object, `.lifecycle.${k}`, `unknown lifecycle argument "${k}"; expected one of ${LIFECYCLE.join(', ')}`);
      else if ((k === 'create_before_destroy' || k === 'prevent_destroy') && typeof v !== 'boolean') add(object, `.lifecycle.${k}`, `expected a literal true or false; got ${describeValue(v)}`);
      else if (k === 'ignore_changes' && v !== 'all' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) add(object, '.lifecycle.ignore_changes', `expected "all" or an array of attribute names; got ${describeValue(v)}`);
    }
  }
}

function checkTerraform(t: Record<string, unknown>, add: Add): void {
  for (const [k, v] of Object.entries(t)) {
    // Settings are literal, except the backend and encryption bodies.
    if (k !== 'backend' && k !== 'encryption' && hasInterpolation(v)) add('terraform', `.${k}`, 'terraform settings are read literally: no "${...}" references or functions here');
  }
  const rp = t.required_providers;
  if (rp !== undefined) {
    if (!isObject(rp)) add('terraform', '.required_providers', `expected an object of local provider names; got ${describeValue(rp)}`);
    else for (const [name, req] of Object.entries(rp)) {
      const at = `.required_providers.${name}`;
      if (!isObject(req)) { add('terraform', at, `expected { source, version }; got ${describeValue(req)}`); continue; }
      if (typeof req.source !== 'string' || !/^([a-z0-9.-]+\/)?[a-z0-9-]+\/[a-z0-9-]+$/.test(req.source)) add('terraform', `${at}.source`, `expected a source address [HOSTNAME/]NAMESPACE/TYPE such as "yandex-cloud/yandex"; got ${describeValue(req.source)}`);
      if (typeof req.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(req.version)) add('terraform', `${at}.version`, `expected an exact version such as "0.222.0" (providers are pinned; ranges let init pick another); got ${describeValue(req.version)}`);
    }
  }
  const backend = t.backend;
  if (backend !== undefined) {
    if (!isObject(backend) || Object.keys(backend).length !== 1) add('terraform', '.backend', 'expected the compact form with exactly one backend, e.g. { "s3": { ... } }');
    else if (isObject(backend.s3)) {
      const s3 = backend.s3;
      for (const req of ['bucket', 'key', 'region']) if (!(req in s3)) add('terraform', `.backend.s3.${req}`, `missing; the s3 backend requires bucket, key and region`);
      for (const [old, now] of Object.entries(S3_DEPRECATED)) if (old in s3) add('terraform', `.backend.s3.${old}`, `deprecated; use ${now}`);
    }
  }
  if (t.encryption !== undefined) checkEncryption(t.encryption, add);
}

function checkEncryption(e: unknown, add: Add): void {
  if (!isObject(e)) { add('terraform', '.encryption', `expected an object; got ${describeValue(e)}`); return; }
  const names = (block: unknown) => (isObject(block) ? Object.entries(block).flatMap(([type, named]) => (isObject(named) ? Object.keys(named).map((n) => `${type}.${n}`) : [])) : []);
  const keyProviders = names(e.key_provider);
  const methods = names(e.method);
  if (isObject(e.method)) for (const [type, named] of Object.entries(e.method)) {
    if (!isObject(named)) continue;
    for (const [n, body] of Object.entries(named)) {
      const keys = isObject(body) ? body.keys : undefined;
      const ref = typeof keys === 'string' ? /^\$\{key_provider\.([\w-]+\.[\w-]+)\}$/.exec(keys)?.[1] : undefined;
      if (type !== 'unencrypted' && (!ref || !keyProviders.includes(ref))) {
        add('terraform', `.encryption.method.${type}.${n}.keys`, `expected "\${key_provider.<type>.<name>}" naming a declared key provider (${keyProviders.join(', ') || 'none declared'}); got ${describeValue(keys)}`);
      }
    }
  }
  for (const target of ['state', 'plan']) {
    const t = e[target];
    if (t === undefined) continue;
    const method = isObject(t) ? t.method : undefined;
    // These take plain reference strings, not expressions.
    if (typeof method !== 'string' || !method.startsWith('method.') || !methods.includes(method.slice('method.'.length))) {
      add('terraform', `.encryption.${target}.method`, `expected a plain reference "method.<type>.<name>" to a declared method (${methods.map((m) => `method.${m}`).join(', ') || 'none declared'}); got ${describeValue(method)}`);
    }
    if (isObject(t) && 'enforced' in t && typeof t.enforced !== 'boolean') add('terraform', `.encryption.${target}.enforced`, `expected true or false; got ${describeValue(t.enforced)}`);
  }
}

function checkProviders(p: Record<string, unknown>, add: Add): void {
  for (const [name, conf] of Object.entries(p)) {
    const confs = Array.isArray(conf) ? conf : [conf];
    confs.forEach((c, i) => {
      const at = Array.isArray(conf) ? `[${i}]` : '';
      if (!isObject(c)) { add(`provider.${name}`, at, `expected the provider's configuration as an object (several: an array of objects); got ${describeValue(c)}`); return; }
      for (const lit of ['alias', 'version']) if (lit in c && (typeof c[lit] !== 'string' || String(c[lit]).includes('${'))) add(`provider.${name}`, `${at}.${lit}`, `expected a literal string; got ${describeValue(c[lit])}`);
      if (Array.isArray(conf) && conf.length > 1 && i > 0 && !('alias' in c)) add(`provider.${name}`, `${at}.alias`, 'missing; every configuration of a provider but the default needs an alias');
    });
  }
}

function checkVariables(v: Record<string, unknown>, add: Add): void {
  for (const [name, body] of Object.entries(v)) {
    const object = `variable.${name}`;
    if (!IDENTIFIER.test(name)) add(object, '', `"${name}" is not a valid variable name`);
    if (!isObject(body)) { add(object, '', `expected an object; got ${describeValue(body)}`); continue; }
    if ('type' in body && (typeof body.type !== 'string' || body.type.includes('${'))) add(object, '.type', `expected a type expression as a string such as "string" or "list(string)"; got ${describeValue(body.type)}`);
    if ('description' in body && typeof body.description !== 'string') add(object, '.description', `expected a literal string; got ${describeValue(body.description)}`);
    if ('sensitive' in body && typeof body.sensitive !== 'boolean') add(object, '.sensitive', `expected true or false; got ${describeValue(body.sensitive)}`);
    if ('default' in body && hasInterpolation(body.default)) add(object, '.default', 'a default is a literal value: "${...}" is not evaluated here');
  }
}

function checkOutputs(o: Record<string, unknown>, add: Add): void {
  for (const [name, body] of Object.entries(o)) {
    const object = `output.${name}`;
    if (!isObject(body)) { add(object, '', `expected an object; got ${describeValue(body)}`); continue; }
    if (!('value' in body)) add(object, '.value', 'missing; an output needs a value');
    if ('description' in body && (typeof body.description !== 'string' || body.description.includes('${'))) add(object, '.description', `expected a literal string; got ${describeValue(body.description)}`);
    if ('sensitive' in body && typeof body.sensitive !== 'boolean') add(object, '.sensitive', `expected true or false; got ${describeValue(body.sensitive)}`);
  }
}

/** Every "${" must close: an unclosed template fails `tofu init` with a parse error. */
function checkTemplates(object: string, path: string, v: unknown, add: Add): void {
  if (typeof v === 'string') {
    let depth = 0;
    for (let i = 0; i < v.length; i++) {
      if (v[i] === '$' && v[i + 1] === '{' && v[i - 1] !== '$') { depth++; i++; } else if (v[i] === '}' && depth > 0) depth--;
    }
    if (depth) add(object, path, `unclosed "\${" in ${describeValue(v)}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => checkTemplates(object, `${path}[${i}]`, x, add));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) checkTemplates(object, childPath(path, k), x, add);
}
