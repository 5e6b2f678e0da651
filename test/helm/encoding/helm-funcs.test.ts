// The codec half of Helm's funcs_test.go (helm-engine.json `template` cases): each case whose
// template is a single toYaml/toYamlPretty/toJson/toToml/fromYaml/fromYamlArray/fromJson/
// fromJsonArray/fromToml call on `.` is checked here against the codec directly, the way
// pkg/engine/funcs.go calls it (trailing newline trimmed, errors folded into the result), and
// printed with %v. The whole-engine run of the same corpus lives in test/helm/engine.
import { readFileSync } from 'node:fs';
import * as json from '../../../helm/encoding/json.js';
import * as toml from '../../../helm/encoding/toml.js';
import * as yaml from '../../../helm/encoding/yaml.js';
import { formatValue } from '../../../helm/template/fmt.js';
import { int } from '../../../helm/template/value.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

interface TemplateCase { kind: string; name: string; index: number; template: string; vars: unknown; expect: string; varsGoTypes?: string[] }

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A from* function: the decoded value, or the error folded in as Helm folds it. */
function decoding(decode: (s: string) => unknown, empty: unknown, onError: (message: string) => unknown) {
  return (s: unknown) => {
    try {
      return decode(s as string) ?? empty;
    } catch (e) {
      return onError(errorText(e));
    }
  };
}

/** pkg/engine/funcs.go, reduced to the codec call and its error handling. */
const HELM_FUNCS: Record<string, (v: unknown) => unknown> = {
  toYaml: (v) => yaml.marshal(v).replace(/\n$/, ''),
  toYamlPretty: (v) => yaml.marshalPretty(v).replace(/\n$/, ''),
  toJson: (v) => json.marshal(v),
  toToml: (v) => toml.encode(v),
  fromToml: decoding((s) => toml.decode(s), {}, (Error) => ({ Error })),
  fromYaml: decoding((s) => yaml.unmarshal(s, 'map'), {}, (Error) => ({ Error })),
  fromYamlArray: decoding((s) => yaml.unmarshal(s, 'slice'), [], (message) => [message]),
  fromJson: decoding((s) => json.unmarshal(s, 'map'), {}, (Error) => ({ Error })),
  fromJsonArray: decoding((s) => json.unmarshal(s, 'slice'), [], (message) => [message]),
};

/** JSON integers in the vars stand for Go ints where the case says the Go type is []int. */
function goVars(c: TemplateCase): unknown {
  if (!c.varsGoTypes?.includes('[]int')) return c.vars;
  const conv = (v: unknown): unknown =>
    Array.isArray(v) ? v.map((x) => (Number.isInteger(x) ? int(x as number) : conv(x)))
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)])) : v;
  return conv(c.vars);
}

describeWithReferenceData("Helm's codec functions (funcs_test.go cases)", 'helm/conformance/helm-engine.json', () => {
  const cases = (JSON.parse(readFileSync(referencePath('helm/conformance/helm-engine.json'), 'utf8')) as TemplateCase[])
    .filter((c) => c.kind === 'template')
    .map((c) => ({ c, call: /^\{\{ ?(\w+) \.\s?\}\}$/.exec(c.template)?.[1] }))
    .filter((x): x is { c: TemplateCase; call: string } => x.call !== undefined && x.call in HELM_FUNCS);

  test.each(cases.map((x) => [`${x.c.name}[${x.c.index}] ${x.c.template}`, x] as const))('%s', (_name, { c, call }) => {
    expect(formatValue(HELM_FUNCS[call]!(goVars(c)))).toBe(c.expect);
  });
});
