// Sprig's defaults.go: default, empty, coalesce, all, any, ternary and the JSON functions
// (Go's encoding/json; the plain forms swallow errors, the must forms report them).
import { marshal, unmarshal } from '../encoding/json.js';
import { goFunc } from '../template/func.js';
import { isEmpty } from '../template/value.js';

/** Sprig's empty: the zero value of its type (0, "", false, nil, empty collections); structs never. */
export const isEmptyValue = isEmpty;

function dfault(d: unknown, ...given: unknown[]): unknown {
  if (given.length === 0 || isEmptyValue(given[0])) return d;
  return given[0];
}

function mustToJson(v: unknown): string {
  return marshal(v);
}

function mustToPrettyJson(v: unknown): string {
  return marshal(v, { indent: '  ' });
}

// json.Encoder with SetEscapeHTML(false); the trailing newline Encode writes is trimmed.
function mustToRawJson(v: unknown): string {
  return marshal(v, { escapeHTML: false });
}

function mustFromJson(v: string): unknown {
  return unmarshal(v);
}

function swallow<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

export const defaultFuncs = {
  default: goFunc({ params: ['interface{}'], variadic: 'interface{}' }, dfault),
  empty: goFunc({ params: ['interface{}'] }, (given: unknown) => isEmptyValue(given)),
  coalesce: (...v: unknown[]) => v.find((x) => !isEmptyValue(x)) ?? null,
  all: (...v: unknown[]) => v.every((x) => !isEmptyValue(x)),
  any: (...v: unknown[]) => v.some((x) => !isEmptyValue(x)),
  ternary: goFunc({ params: ['interface{}', 'interface{}', 'bool'] }, (vt: unknown, vf: unknown, v: boolean) => (v ? vt : vf)),
  fromJson: goFunc({ params: ['string'] }, (v: string) => swallow(() => mustFromJson(v), null)),
  mustFromJson: goFunc({ params: ['string'], results: 2 }, (v: string) => mustFromJson(v)),
  toJson: goFunc({ params: ['interface{}'] }, (v: unknown) => swallow(() => mustToJson(v), '')),
  mustToJson: goFunc({ params: ['interface{}'], results: 2 }, (v: unknown) => mustToJson(v)),
  toPrettyJson: goFunc({ params: ['interface{}'] }, (v: unknown) => swallow(() => mustToPrettyJson(v), '')),
  mustToPrettyJson: goFunc({ params: ['interface{}'], results: 2 }, (v: unknown) => mustToPrettyJson(v)),
  // Sprig's toRawJson panics on an error instead of swallowing it.
  toRawJson: goFunc({ params: ['interface{}'] }, (v: unknown) => mustToRawJson(v)),
  mustToRawJson: goFunc({ params: ['interface{}'], results: 2 }, (v: unknown) => mustToRawJson(v)),
};
