// Helm's template functions (pkg/engine/funcs.go): Sprig without env/expandenv, plus the
// YAML/JSON/TOML converters and placeholders for the functions the engine binds per render
// (include, tpl, required, lookup). The converters never fail a template: an encoding error
// becomes "" (toYaml, toJson) or the error text (toToml), a decoding error an `Error` entry.
import * as json from '../encoding/json.js';
import * as toml from '../encoding/toml.js';
import * as yaml from '../encoding/yaml.js';
import { sprigFuncMap } from '../sprig/index.js';
import { type FuncMap, goFunc } from '../template/func.js';
import { isMap } from '../template/value.js';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** toYaml: sigs.k8s.io/yaml.Marshal without the final newline; "" when it cannot marshal. */
export function toYAML(v: unknown): string {
  try {
    return trimSuffixNewline(yaml.marshal(v));
  } catch {
    return '';
  }
}

/** toYamlPretty: go-yaml v3 with a 2-space indent (sequences indented under their key). */
export function toYAMLPretty(v: unknown): string {
  try {
    return trimSuffixNewline(yaml.marshalPretty(v));
  } catch {
    return '';
  }
}

function trimSuffixNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

// Charts decode the same text again and again (istio's CRD file on every render, twice per
// CRD; cert-manager and traefik their helpers' output, dozens of times per render), so decoded
// documents are kept, by text, and each call gets its own copy: templates may change what
// fromYaml returns (`set`, `merge`). Decoded YAML holds only JSON-shaped data. Copying a small
// map is still far cheaper than decoding it again.
const DECODED_LIMIT = 64 * 1024 * 1024;
const DECODED_ENTRIES = 20000;
const decoded = new Map<string, Record<string, unknown>>();
let decodedSize = 0;

function copyData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyData);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const item = copyData((v as Record<string, unknown>)[k]);
      // An own `__proto__` key must stay a key: assigning it would set the prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
      else out[k] = item;
    }
    return out;
  }
  return v;
}

/** fromYaml: a map; a document that is not one gives `{Error: <Go's message>}`. */
export function fromYAML(str: string): Record<string, unknown> {
  let m = decoded.get(str);
  if (m === undefined) {
    try {
      const v = yaml.unmarshal(str, 'map');
      m = isMap(v) ? v : {};
    } catch (e) {
      m = { Error: messageOf(e) };
    }
    if (decodedSize + str.length > DECODED_LIMIT || decoded.size >= DECODED_ENTRIES) {
      decoded.clear();
      decodedSize = 0;
    }
    decoded.set(str, m);
    decodedSize += str.length;
  }
  return copyData(m) as Record<string, unknown>;
}

/** fromYamlArray: a list; anything else gives a one-element list holding Go's message. */
export function fromYAMLArray(str: string): unknown[] {
  try {
    const v = yaml.unmarshal(str, 'slice');
    return Array.isArray(v) ? v : [];
  } catch (e) {
    return [messageOf(e)];
  }
}

/** toToml: BurntSushi/toml's encoding, or its error text. */
export function toTOML(v: unknown): string {
  try {
    return toml.encode(v);
  } catch (e) {
    return messageOf(e);
  }
}

export function fromTOML(str: string): Record<string, unknown> {
  try {
    const v = toml.decode(str);
    return isMap(v) ? v : {};
  } catch (e) {
    return { Error: messageOf(e) };
  }
}

/** toJson: encoding/json.Marshal (HTML-escaped), "" when it cannot marshal. */
export function toJSON(v: unknown): string {
  try {
    return json.marshal(v);
  } catch {
    return '';
  }
}

export function fromJSON(str: string): Record<string, unknown> {
  try {
    const v = json.unmarshal(str, 'map');
    return isMap(v) ? v : {};
  } catch (e) {
    return { Error: messageOf(e) };
  }
}

export function fromJSONArray(str: string): unknown[] {
  try {
    const v = json.unmarshal(str, 'slice');
    return Array.isArray(v) ? v : [];
  } catch (e) {
    return [messageOf(e)];
  }
}

/**
 * Helm's funcMap(). include, tpl, required and lookup are placeholders here (so that parsing
 * and linting know the names); the engine replaces them with functions bound to a render.
 */
export function funcMap(): FuncMap {
  const f: FuncMap = { ...sprigFuncMap() };
  delete f.env;
  delete f.expandenv;
  Object.assign(f, {
    toToml: goFunc({ params: ['interface{}'], results: 1 }, toTOML),
    fromToml: goFunc({ params: ['string'], results: 1 }, fromTOML),
    toYaml: goFunc({ params: ['interface{}'], results: 1 }, toYAML),
    toYamlPretty: goFunc({ params: ['interface{}'], results: 1 }, toYAMLPretty),
    fromYaml: goFunc({ params: ['string'], results: 1 }, fromYAML),
    fromYamlArray: goFunc({ params: ['string'], results: 1 }, fromYAMLArray),
    toJson: goFunc({ params: ['interface{}'], results: 1 }, toJSON),
    fromJson: goFunc({ params: ['string'], results: 1 }, fromJSON),
    fromJsonArray: goFunc({ params: ['string'], results: 1 }, fromJSONArray),
    include: goFunc({ params: ['string', 'interface{}'], results: 1 }, () => 'not implemented'),
    tpl: goFunc({ params: ['string', 'interface{}'], results: 1 }, () => 'not implemented'),
    required: goFunc({ params: ['string', 'interface{}'], results: 2 }, () => 'not implemented'),
    lookup: goFunc({ params: ['string', 'string', 'string', 'string'], results: 2 }, () => ({})),
  });
  return f;
}
