// How a function reaches templates (Go's template.FuncMap).
//
// A function receives Go values (see value.ts) and returns one; a Go function that returns
// (value, error) throws instead of returning the error — the executor wraps what it throws as
// `error calling NAME: MESSAGE`. Go checks and converts each argument against the function's
// parameter types before the call (an untyped number literal becomes the parameter's type; a
// value of the wrong type is "wrong type for value; expected string; got int"), so a function
// may declare its Go signature. Without one, every parameter is `interface{}`, variadic.

/** Go parameter types the executor knows how to check and convert to. */
export type GoParamType =
  | 'interface{}' | 'string' | 'bool'
  | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'float64' | 'float32'
  | '[]interface{}' | '[]string' | 'map[string]interface{}' | '[]byte' | 'reflect.Value';

export interface GoSignature {
  /** Fixed parameters, in order. */
  readonly params: readonly GoParamType[];
  /** Element type of a trailing `...T`, if any. */
  readonly variadic?: GoParamType;
  /** 1 for `func(...) T`, 2 for `func(...) (T, error)` (informational: errors are thrown). */
  readonly results?: 1 | 2;
}

export type TemplateFunc = ((...args: any[]) => unknown) & { readonly goSignature?: GoSignature };

export type FuncMap = Record<string, TemplateFunc>;

/** Attach a Go signature to a function, so the executor checks and converts its arguments. */
export function goFunc<F extends (...args: any[]) => unknown>(
  signature: GoSignature,
  fn: F,
): F & { readonly goSignature: GoSignature } {
  return Object.assign(fn, { goSignature: signature });
}
