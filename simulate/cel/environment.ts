// The CEL environment Kubernetes gives CRD validation rules and admission policies, built once per
// set of variables, and each expression compiled once per process (cached by its text): a fleet
// evaluates the same few rules against thousands of objects.
import { Environment } from '@marcbachmann/cel-js';
import { rewriteHasMacros } from './has-macro.js';
import { registerKubernetesLibrary } from './kubernetes-library.js';

/** A compiled expression, or why it does not compile (a parse or type error, one line). */
export type CompiledCel =
  | { readonly ok: true; readonly source: string; evaluate(activation: Readonly<Record<string, unknown>>): EvaluatedCel }
  | { readonly ok: false; readonly source: string; readonly error: string };

/** The value of an expression, or the error evaluating it (one line). */
export type EvaluatedCel = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

const environments = new Map<string, Environment>();
const compiled = new Map<string, CompiledCel>();

function environment(variables: readonly string[]): Environment {
  const key = variables.join(',');
  let env = environments.get(key);
  if (!env) {
    // As the API server's base environment: optional types (1.28+), homogeneous aggregate
    // literals, and every variable dynamically typed (CRD schemas are not turned into CEL types).
    env = registerKubernetesLibrary(new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true }));
    for (const v of variables) env.registerVariable(v, 'dyn');
    environments.set(key, env);
  }
  return env;
}

/** The first line of a library error: its message repeats the source with a caret below. */
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** Compiles `source` in an environment declaring `variables` (each `dyn`), once per process. */
export function compileCel(source: string, variables: readonly string[]): CompiledCel {
  const key = `${variables.join(',')}\0${source}`;
  let result = compiled.get(key);
  if (!result) {
    result = compileUncached(source, variables);
    compiled.set(key, result);
  }
  return result;
}

function compileUncached(source: string, variables: readonly string[]): CompiledCel {
  const env = environment(variables);
  let program: ReturnType<Environment['parse']>;
  try {
    program = env.parse(rewriteHasMacros(source));
  } catch (e) {
    return { ok: false, source, error: firstLine(e) };
  }
  const check = program.check();
  if (!check.valid) return { ok: false, source, error: firstLine(check.error) };
  return {
    ok: true,
    source,
    evaluate(activation) {
      try {
        return { ok: true, value: program(activation as Record<string, unknown>) };
      } catch (e) {
        return { ok: false, error: firstLine(e) };
      }
    },
  };
}

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import',
  'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/**
 * A schema property name as CEL rules spell it (k8s.io/apiserver/pkg/cel/escaping.go): reserved
 * words become `__word__`, and `__`, `.`, `-`, `/` and other characters are spelled out.
 */
export function escapePropertyName(name: string): string {
  if (RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__|[-./]|[^a-zA-Z0-9_]/g, (c) => {
    switch (c) {
      case '__': return '__underscores__';
      case '.': return '__dot__';
      case '-': return '__dash__';
      case '/': return '__slash__';
      default: return `__${c.codePointAt(0)}__`;
    }
  });
}

/**
 * A JSON value as CEL sees it. With a structural schema: `integer` fields are CEL ints, `number`
 * fields doubles, and property names escaped as the API server escapes them; without one, every
 * whole number is an int (as Kubernetes' own types declare them). Null fields are left out
 * unless the schema declares them nullable.
 */
export function toCel(value: unknown, schema?: Record<string, any>): unknown {
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  // Array.from makes arrays of this realm: the library refuses others' (structuredClone's under jest).
  if (Array.isArray(value)) return Array.from(value, (v) => toCel(v, schema?.items));
  if (value && typeof value === 'object') {
    const props: Record<string, any> | undefined = schema?.properties;
    const additional = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const sub = props?.[k];
      // The API server drops null fields before validation and admission (a typed object has
      // none; a CRD keeps them only where its schema says nullable).
      if (v === null && !(sub ?? additional)?.nullable) continue;
      out[sub ? escapePropertyName(k) : k] = toCel(v, sub ?? additional);
    }
    return out;
  }
  return value;
}
