// values.schema.json validation as Helm 3.19 does it (chartutil.ValidateAgainstSchema on
// santhosh-tekuri/jsonschema v6): the chart's schema against its coalesced values, then each
// subchart's schema against its part of them. The validator follows v6's evaluation order and
// error tree so the text is v6's: `- at '/age': minimum: got -5, want 0`, nested causes indented,
// a `$ref` with one cause flattened. The draft comes from `$schema` (2020-12 without one); formats
// are asserted for drafts before 2019-09, as v6 does. Go visits object keys in random order; we
// visit them sorted.
//
// ajv is in the project, but its error list is flat and worded differently; Helm's output is the
// v6 tree, so this is a validator of our own for the keywords charts use.

import { type Chart } from '../chart/chart.js';
import { formatValue } from '../template/fmt.js';
import { quote as goQuote } from '../template/strconv.js';
import { GoInt, isMap, typeName } from '../template/value.js';

type Json = unknown;
type SchemaNode = boolean | Record<string, Json>;

interface ValidationError {
  readonly location: readonly string[];
  /** The message; null for a group ("validation failed") or a $ref wrapper. */
  readonly message: string;
  readonly isReference?: boolean;
  readonly isGroup?: boolean;
  causes: ValidationError[];
}

const SCHEMA_URL = 'file:///values.schema.json';

const METASCHEMA_URLS: Record<number, string> = {
  2020: 'https://json-schema.org/draft/2020-12/schema#',
  2019: 'https://json-schema.org/draft/2019-09/schema#',
  7: 'http://json-schema.org/draft-07/schema#',
  6: 'http://json-schema.org/draft-06/schema#',
  4: 'http://json-schema.org/draft-04/schema#',
};

/** v6's quote: Go %q with the quotes swapped to single ones. */
function quote(s: string): string {
  const q = goQuote(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${q}'`;
}

function jsonPtr(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'invalid';
const TYPE_ORDER = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'];

function typeOf(v: unknown): JsonType {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || v instanceof GoInt) return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  if (isMap(v)) return 'object';
  return 'invalid';
}

function toNumber(v: unknown): number {
  return v instanceof GoInt ? Number(v.value) : (v as number);
}

function isInteger(v: unknown): boolean {
  return v instanceof GoInt || Number.isInteger(v as number);
}

/** v6's display: strings quoted, numbers and bools as %v. */
function display(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v) || isMap(v)) return 'value';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return formatValue(v);
  return String(v);
}

function equals(a: unknown, b: unknown): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  if (ta === 'number') return toNumber(a) === toNumber(b);
  if (ta === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    return x.length === y.length && x.every((item, i) => equals(item, y[i]));
  }
  if (ta === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const kx = Object.keys(x);
    return kx.length === Object.keys(y).length && kx.every((k) => Object.prototype.hasOwnProperty.call(y, k) && equals(x[k], y[k]));
  }
  return a === b;
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const FORMATS: Record<string, (s: string) => string | null> = {
  'date-time': (s) =>
    /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) ? null : 'invalid date-time',
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? null : 'invalid date'),
  time: (s) => (/^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) ? null : 'invalid time'),
  email: (s) => (/^[^@\s]+@[^@\s]+$/.test(s) ? null : 'invalid email'),
  hostname: (s) =>
    s.length <= 253 && s.replace(/\.$/, '').split('.').every((l) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(l))
      ? null
      : 'invalid hostname',
  ipv4: (s) => (/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s) ? null : 'invalid ipv4'),
  uuid: (s) => (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s) ? null : 'invalid uuid'),
  uri: (s) => {
    try {
      new URL(s);
      return null;
    } catch {
      return 'invalid uri';
    }
  },
  regex: (s) => {
    try {
      new RegExp(s, 'u');
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  },
};

function draftOf(root: SchemaNode): number {
  if (typeof root !== 'object' || typeof root.$schema !== 'string') return 2020;
  const url = root.$schema.replace(/#$/, '').replace(/^https?:\/\//, '');
  switch (url) {
    case 'json-schema.org/draft/2019-09/schema':
      return 2019;
    case 'json-schema.org/draft-07/schema':
      return 7;
    case 'json-schema.org/draft-06/schema':
      return 6;
    case 'json-schema.org/draft-04/schema':
      return 4;
    default:
      return 2020;
  }
}

class Validator {
  private readonly regexCache = new Map<string, RegExp>();

  constructor(
    private readonly root: SchemaNode,
    private readonly draft: number,
  ) {}

  private regex(pattern: string): RegExp {
    let re = this.regexCache.get(pattern);
    if (!re) {
      re = new RegExp(pattern, 'u');
      this.regexCache.set(pattern, re);
    }
    return re;
  }

  private readonly resolved = new Map<string, SchemaNode>();

  /** A local `$ref`: `#`, `#/json/pointer`, or an `$id`/`$anchor` inside the document; else permissive. */
  private resolve(ref: string): SchemaNode {
    // The validator and its schema are kept across renders: each $ref is looked up once.
    let node = this.resolved.get(ref);
    if (node === undefined) {
      node = this.lookUp(ref);
      this.resolved.set(ref, node);
    }
    return node;
  }

  private lookUp(ref: string): SchemaNode {
    const hash = ref.indexOf('#');
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    const base = hash === -1 ? ref : ref.slice(0, hash);
    let node: Json = this.root;
    if (base !== '' && base !== SCHEMA_URL && base !== 'values.schema.json') {
      node = this.find(this.root, (o) => o.$id === base || o.id === base);
      if (node === undefined) return true;
    }
    if (fragment === '') return node as SchemaNode;
    if (!fragment.startsWith('/')) {
      const anchored = this.find(this.root, (o) => o.$anchor === fragment || o.$id === `#${fragment}` || o.id === `#${fragment}`);
      return anchored ?? true;
    }
    for (const raw of fragment.slice(1).split('/')) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isMap(node)) node = node[token];
      else return true;
      if (node === undefined) return true;
    }
    return node as SchemaNode;
  }

  /** The first schema object in the document that `matches`, depth first. */
  private find(node: Json, matches: (o: Record<string, Json>) => boolean): SchemaNode | undefined {
    if (isMap(node) && matches(node)) return node;
    const children = isMap(node) ? Object.values(node) : Array.isArray(node) ? node : [];
    for (const child of children) {
      const found = this.find(child, matches);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  validate(schema: SchemaNode, v: unknown, loc: readonly string[], depth = 0): ValidationError | null {
    const error = (message: string): ValidationError => ({ location: loc, message, causes: [] });
    if (schema === true) return null;
    if (schema === false) return error('false schema');
    if (!isMap(schema)) return null;
    if (depth > 200) return null;
    const s = schema;
    const t = typeOf(v);
    if (t === 'invalid') return error(`invalid jsonType ${typeName(v)}`);

    if (s.type !== undefined) {
      const want = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
      const matched = want.includes(t) || (want.includes('integer') && t === 'number' && isInteger(v));
      if (!matched) {
        const ordered = TYPE_ORDER.filter((x) => want.includes(x));
        return error(`got ${t}, want ${ordered.join(' or ')}`);
      }
    }
    if (Object.prototype.hasOwnProperty.call(s, 'const') && !equals(v, s.const)) {
      return error(Array.isArray(s.const) || isMap(s.const) ? 'const failed' : `value must be ${display(s.const)}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((item) => equals(v, item))) {
      const primitive = s.enum.every((item) => !Array.isArray(item) && !isMap(item));
      if (!primitive) return error('enum failed');
      return error(
        s.enum.length === 1 ? `value must be ${display(s.enum[0])}` : `value must be one of ${s.enum.map(display).join(', ')}`,
      );
    }
    if (this.draft < 2019 && typeof s.format === 'string' && typeof v === 'string' && FORMATS[s.format]) {
      const problem = FORMATS[s.format]!(v);
      if (problem !== null) return error(`${display(v)} is not valid ${s.format}: ${problem}`);
    }

    const errors: ValidationError[] = [];
    const add = (e: ValidationError | null) => {
      if (e) errors.push(e);
    };
    const group = (message: string, causes: ValidationError[]) => errors.push({ location: loc, message, causes });

    if (typeof s.$ref === 'string') {
      const refErr = this.validateRef(this.resolve(s.$ref), v, loc, depth);
      if (this.draft < 2019) return refErr;
      add(refErr);
    }

    if (t === 'object') this.validateObject(s, v as Record<string, unknown>, loc, depth, add, error);
    else if (t === 'array') this.validateArray(s, v as unknown[], loc, depth, add, error, group);
    else if (t === 'string') this.validateString(s, v as string, add, error);
    else if (t === 'number') this.validateNumber(s, v, add, error);

    if (this.draft >= 2019 && typeof s.$dynamicRef === 'string') add(this.validateRef(this.resolve(s.$dynamicRef), v, loc, depth));
    this.validateConditions(s, v, loc, depth, add, error, group);

    if (errors.length === 0) return null;
    if (errors.length === 1) return errors[0]!;
    return { location: loc, message: 'validation failed', isGroup: true, causes: errors };
  }

  private validateRef(target: SchemaNode, v: unknown, loc: readonly string[], depth: number): ValidationError | null {
    const err = this.validate(target, v, loc, depth + 1);
    if (err === null) return null;
    return { location: loc, message: 'validation failed', isReference: true, causes: err.isGroup ? err.causes : [err] };
  }

  private validateObject(
    s: Record<string, Json>,
    obj: Record<string, unknown>,
    loc: readonly string[],
    depth: number,
    add: (e: ValidationError | null) => void,
    error: (m: string) => ValidationError,
  ): void {
    const count = Object.keys(obj).length;
    if (typeof s.minProperties === 'number' && count < s.minProperties) add(error(`minProperties: got ${count}, want ${s.minProperties}`));
    if (typeof s.maxProperties === 'number' && count > s.maxProperties) add(error(`maxProperties: got ${count}, want ${s.maxProperties}`));
    const missingOf = (names: readonly string[]) => names.filter((n) => !Object.prototype.hasOwnProperty.call(obj, n));
    const missingMessage = (missing: string[]) =>
      missing.length === 1 ? `missing property ${quote(missing[0]!)}` : `missing properties ${missing.map(quote).join(', ')}`;
    if (Array.isArray(s.required)) {
      const missing = missingOf(s.required as string[]);
      if (missing.length > 0) add(error(missingMessage(missing)));
    }
    if (this.draft < 2019 && isMap(s.dependencies)) {
      for (const name of sortedKeys(s.dependencies)) {
        if (!Object.prototype.hasOwnProperty.call(obj, name)) continue;
        const dep = s.dependencies[name];
        if (Array.isArray(dep)) {
          const missing = missingOf(dep as string[]);
          if (missing.length > 0) add(error(`properties ${missing.map(quote).join(', ')} required, if ${quote(name)} exists`));
        } else {
          add(this.validate(dep as SchemaNode, obj, loc, depth + 1));
        }
      }
    }
    const properties = isMap(s.properties) ? s.properties : {};
    const patterns = isMap(s.patternProperties) ? s.patternProperties : {};
    const additional: string[] = [];
    for (const name of sortedKeys(obj)) {
      const value = obj[name];
      let evaluated = false;
      if (Object.prototype.hasOwnProperty.call(properties, name)) {
        evaluated = true;
        add(this.validate(properties[name] as SchemaNode, value, [...loc, name], depth + 1));
      }
      for (const pattern of Object.keys(patterns)) {
        if (this.regex(pattern).test(name)) {
          evaluated = true;
          add(this.validate(patterns[pattern] as SchemaNode, value, [...loc, name], depth + 1));
        }
      }
      if (!evaluated && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) additional.push(name);
        else if (s.additionalProperties !== true) add(this.validate(s.additionalProperties as SchemaNode, value, [...loc, name], depth + 1));
      }
    }
    if (additional.length > 0) add(error(`additional properties ${additional.map(quote).join(', ')} not allowed`));
    if (this.draft === 4) return;
    if (s.propertyNames !== undefined) {
      for (const name of sortedKeys(obj)) {
        const failed = this.validate(s.propertyNames as SchemaNode, name, [], depth + 1);
        // v6 validates the name as a document of its own: the error sits at '' whatever the object's place.
        if (failed !== null) {
          add({ location: [], message: `invalid propertyName ${quote(name)}`, causes: failed.isGroup ? failed.causes : [failed] });
        }
      }
    }
    if (this.draft === 6) return;
    if (this.draft >= 2019 && isMap(s.dependentSchemas)) {
      for (const name of sortedKeys(s.dependentSchemas)) {
        if (Object.prototype.hasOwnProperty.call(obj, name)) add(this.validate(s.dependentSchemas[name] as SchemaNode, obj, loc, depth + 1));
      }
    }
    if (this.draft >= 2019 && isMap(s.dependentRequired)) {
      for (const name of sortedKeys(s.dependentRequired)) {
        if (!Object.prototype.hasOwnProperty.call(obj, name)) continue;
        const missing = missingOf(s.dependentRequired[name] as string[]);
        if (missing.length > 0) add(error(`properties ${missing.map(quote).join(', ')} required, if ${quote(name)} exists`));
      }
    }
  }

  private validateArray(
    s: Record<string, Json>,
    arr: unknown[],
    loc: readonly string[],
    depth: number,
    add: (e: ValidationError | null) => void,
    error: (m: string) => ValidationError,
    group: (m: string, causes: ValidationError[]) => void,
  ): void {
    if (typeof s.minItems === 'number' && arr.length < s.minItems) add(error(`minItems: got ${arr.length}, want ${s.minItems}`));
    if (typeof s.maxItems === 'number' && arr.length > s.maxItems) add(error(`maxItems: got ${arr.length}, want ${s.maxItems}`));
    if (s.uniqueItems === true && arr.length > 1) {
      outer: for (let i = 0; i < arr.length; i++) {
        for (let j = i + 1; j < arr.length; j++) {
          if (equals(arr[i], arr[j])) {
            add(error(`items at ${i} and ${j} are equal`));
            break outer;
          }
        }
      }
    }
    const item = (schema: Json, i: number) => add(this.validate(schema as SchemaNode, arr[i], [...loc, String(i)], depth + 1));
    if (this.draft < 2020) {
      let evaluated = 0;
      if (Array.isArray(s.items)) {
        evaluated = Math.min(arr.length, s.items.length);
        for (let i = 0; i < evaluated; i++) item(s.items[i], i);
      } else if (s.items !== undefined) {
        for (let i = 0; i < arr.length; i++) item(s.items, i);
        evaluated = arr.length;
      }
      if (s.additionalItems === false && evaluated !== arr.length) {
        add(error(`last ${arr.length - evaluated} additionalItem(s) not allowed`));
      } else if (s.additionalItems !== undefined && typeof s.additionalItems !== 'boolean') {
        // v6 names these items by their index in the rest of the array, as Helm prints them.
        for (let i = evaluated; i < arr.length; i++) {
          add(this.validate(s.additionalItems as SchemaNode, arr[i], [...loc, String(i - evaluated)], depth + 1));
        }
      }
    } else {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      const evaluated = Math.min(prefix.length, arr.length);
      for (let i = 0; i < evaluated; i++) item(prefix[i], i);
      if (s.items !== undefined && !Array.isArray(s.items)) {
        for (let i = evaluated; i < arr.length; i++) {
          add(this.validate(s.items as SchemaNode, arr[i], [...loc, String(i - evaluated)], depth + 1));
        }
      }
    }
    if (s.contains !== undefined && this.draft >= 6) {
      const failures: ValidationError[] = [];
      const matched: number[] = [];
      arr.forEach((value, i) => {
        const e = this.validate(s.contains as SchemaNode, value, [...loc, String(i)], depth + 1);
        if (e) failures.push(e);
        else matched.push(i);
      });
      if (typeof s.minContains === 'number' && this.draft >= 2019) {
        if (matched.length < s.minContains) {
          group(
            matched.length === 0
              ? `min ${s.minContains} items required to match contains schema, but none matched`
              : `min ${s.minContains} items required to match contains schema, but matched ${matched.length} items at ${matched.join(' ')}`,
            failures,
          );
        }
      } else if (matched.length === 0) {
        group('no items match contains schema', failures);
      }
      if (typeof s.maxContains === 'number' && this.draft >= 2019 && matched.length > s.maxContains) {
        add(error(`max ${s.maxContains} items required to match contains schema, but matched ${matched.length} items at ${matched.join(' ')}`));
      }
    }
  }

  private validateString(
    s: Record<string, Json>,
    str: string,
    add: (e: ValidationError | null) => void,
    error: (m: string) => ValidationError,
  ): void {
    const length = Array.from(str).length;
    if (typeof s.minLength === 'number' && length < s.minLength) add(error(`minLength: got ${length}, want ${s.minLength}`));
    if (typeof s.maxLength === 'number' && length > s.maxLength) add(error(`maxLength: got ${length}, want ${s.maxLength}`));
    if (typeof s.pattern === 'string' && !this.regex(s.pattern).test(str)) {
      add(error(`${quote(str)} does not match pattern ${quote(s.pattern)}`));
    }
  }

  private validateNumber(
    s: Record<string, Json>,
    v: unknown,
    add: (e: ValidationError | null) => void,
    error: (m: string) => ValidationError,
  ): void {
    const n = toNumber(v);
    const show = (x: number) => formatValue(x);
    let exclusiveMinimum = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined;
    let exclusiveMaximum = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : undefined;
    let minimum = typeof s.minimum === 'number' ? s.minimum : undefined;
    let maximum = typeof s.maximum === 'number' ? s.maximum : undefined;
    // Draft 4's boolean exclusiveMinimum/Maximum turn minimum/maximum exclusive.
    if (this.draft === 4 && s.exclusiveMinimum === true && minimum !== undefined) {
      exclusiveMinimum = minimum;
      minimum = undefined;
    }
    if (this.draft === 4 && s.exclusiveMaximum === true && maximum !== undefined) {
      exclusiveMaximum = maximum;
      maximum = undefined;
    }
    if (minimum !== undefined && n < minimum) add(error(`minimum: got ${show(n)}, want ${show(minimum)}`));
    if (maximum !== undefined && n > maximum) add(error(`maximum: got ${show(n)}, want ${show(maximum)}`));
    if (exclusiveMinimum !== undefined && n <= exclusiveMinimum) add(error(`exclusiveMinimum: got ${show(n)}, want ${show(exclusiveMinimum)}`));
    if (exclusiveMaximum !== undefined && n >= exclusiveMaximum) add(error(`exclusiveMaximum: got ${show(n)}, want ${show(exclusiveMaximum)}`));
    if (typeof s.multipleOf === 'number' && s.multipleOf !== 0) {
      const q = n / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) add(error(`multipleOf: got ${show(n)}, want ${show(s.multipleOf)}`));
    }
  }

  private validateConditions(
    s: Record<string, Json>,
    v: unknown,
    loc: readonly string[],
    depth: number,
    add: (e: ValidationError | null) => void,
    error: (m: string) => ValidationError,
    group: (m: string, causes: ValidationError[]) => void,
  ): void {
    const self = (schema: Json) => this.validate(schema as SchemaNode, v, loc, depth + 1);
    if (s.not !== undefined && self(s.not) === null) add(error('not failed'));
    if (Array.isArray(s.allOf) && s.allOf.length > 0) {
      const failures = s.allOf.map(self).filter((e): e is ValidationError => e !== null);
      if (failures.length > 0) group('allOf failed', failures);
    }
    if (Array.isArray(s.anyOf) && s.anyOf.length > 0) {
      const failures: ValidationError[] = [];
      let matched = false;
      for (const sub of s.anyOf) {
        const e = self(sub);
        if (e === null) {
          matched = true;
          break;
        }
        failures.push(e);
      }
      if (!matched) group('anyOf failed', failures);
    }
    if (Array.isArray(s.oneOf) && s.oneOf.length > 0) {
      const failures: ValidationError[] = [];
      let matched = -1;
      for (let i = 0; i < s.oneOf.length; i++) {
        const e = self(s.oneOf[i]);
        if (e !== null) {
          if (matched === -1) failures.push(e);
        } else if (matched === -1) {
          matched = i;
        } else {
          add(error(`oneOf failed, subschemas ${matched}, ${i} matched`));
          break;
        }
      }
      if (matched === -1) group('oneOf failed, none matched', failures);
    }
    if (s.if !== undefined && this.draft >= 7) {
      if (self(s.if) === null) {
        if (s.then !== undefined) add(self(s.then));
      } else if (s.else !== undefined) {
        add(self(s.else));
      }
    }
  }
}

/** v6's display of the causes under the top line: `- at '<ptr>': <message>`, nested causes indented. */
function render(e: ValidationError, indent: number, out: string[]): void {
  // A $ref with a single cause shows only the cause, at the same depth.
  const skip = e.isReference === true && e.causes.length === 1;
  let next = indent;
  if (!skip) {
    out.push(`${'  '.repeat(indent - 1)}- at ${quote(jsonPtr(e.location))}: ${e.message}`);
    next = indent + 1;
  }
  for (const cause of e.causes) render(cause, next, out);
}

/** A parsed schema and its validator, or the error that stops every validation against it. */
type CompiledSchema = { schema: SchemaNode; validator: Validator } | string;

// A chart is validated against the same schema on every render: the decoded, parsed schema and
// its validator (which never changes it) are kept per schema bytes (per text for a string).
const compiledSchemas = new WeakMap<Uint8Array, CompiledSchema>();
const compiledTexts = new Map<string, CompiledSchema>();
const COMPILED_TEXTS_LIMIT = 256;

function compileSchema(schemaJson: Uint8Array | string): CompiledSchema {
  let compiled = typeof schemaJson === 'string' ? compiledTexts.get(schemaJson) : compiledSchemas.get(schemaJson);
  if (compiled !== undefined) return compiled;
  const text = typeof schemaJson === 'string' ? schemaJson : new TextDecoder().decode(schemaJson);
  compiled = parseSchema(text);
  if (typeof schemaJson !== 'string') compiledSchemas.set(schemaJson, compiled);
  else {
    if (compiledTexts.size >= COMPILED_TEXTS_LIMIT) compiledTexts.clear();
    compiledTexts.set(schemaJson, compiled);
  }
  return compiled;
}

function parseSchema(text: string): CompiledSchema {
  let schema: SchemaNode;
  try {
    schema = JSON.parse(text) as SchemaNode;
  } catch (e) {
    return `${(e as Error).message}`;
  }
  const draft = draftOf(schema);
  if (typeof schema !== 'boolean' && !isMap(schema)) {
    // v6 checks the document against its metaschema first; a compile error is returned as is.
    return `"${SCHEMA_URL}#" is not valid against metaschema: jsonschema validation failed with '${METASCHEMA_URLS[draft]}'\n- at '': got ${typeOf(schema)}, want boolean or object`;
  }
  return { schema, validator: new Validator(schema, draft) };
}

/**
 * chartutil.ValidateAgainstSingleSchema: '' when `values` satisfy `schemaJson`, else v6's error
 * lines (each ending in a newline), as Helm prints them after the chart name.
 */
export function validateAgainstSingleSchema(values: Record<string, unknown>, schemaJson: Uint8Array | string): string {
  const compiled = compileSchema(schemaJson);
  if (typeof compiled === 'string') return compiled;
  const { schema, validator } = compiled;
  const err = validator.validate(schema, values, []);
  if (err === null) return '';
  const causes = err.isGroup ? err.causes : [err];
  const lines: string[] = [];
  for (const cause of causes) render(cause, 1, lines);
  return `${lines.join('\n')}\n`;
}

/**
 * The text of chartutil.ValidateAgainstSchema's error ('' when valid): for the chart and,
 * recursively, each subchart that has values, `<chart name>:` followed by its schema errors.
 */
export function schemaProblems(chart: Chart, values: Record<string, unknown>): string {
  let out = '';
  if (chart.schema !== undefined) {
    const problems = validateAgainstSingleSchema(values, chart.schema);
    if (problems !== '') out += `${chart.name()}:\n${problems}`;
  }
  for (const sub of chart.dependencies()) {
    if (!Object.prototype.hasOwnProperty.call(values, sub.name())) continue;
    const raw = values[sub.name()];
    if (raw === null || raw === undefined) continue;
    if (!isMap(raw)) {
      out += `${sub.name()}:\ninvalid type for values: expected object (map), got ${typeName(raw)}\n`;
      continue;
    }
    out += schemaProblems(sub, raw);
  }
  return out;
}

/** chartutil.ValidateAgainstSchema: throws an Error whose message is Helm's error text. */
export function validateAgainstSchema(chart: Chart, values: Record<string, unknown>): void {
  const problems = schemaProblems(chart, values);
  if (problems !== '') throw new Error(problems);
}
