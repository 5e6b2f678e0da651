// Go 1.25 text/template execution conformance: exec_test.go's execTests, cmpTests and
// TestMissingMapKey, run through Template with the standard builtins only.
import { readFileSync } from 'node:fs';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { skipReason } from '../conformance-skips.js';
import { Template } from '../../../helm/template/template.js';
import { GoInt, type IntKind } from '../../../helm/template/value.js';

const CORPUS = 'helm/conformance/go-exec.json';

interface ExecCase { name: string; input: string; output: string; ok: boolean; data: unknown; dataGoType?: string }
interface CmpCase { expr: string; template: string; output: string; ok: boolean }
interface MissingKeyCase { name: string; input: string; data: unknown; option: string | null; output?: string; ok: boolean }

/** Go fields the JSON cannot type: unsigned ints and the float zero. */
const FIELD_KINDS: Record<string, IntKind | 'float64'> = { U16: 'uint16', FloatZero: 'float64', Uthree: 'uint', Ufour: 'uint' };

/** JSON → Go values: integers are Go ints unless the field is known to be another kind. */
function toGo(v: unknown, kind?: string): unknown {
  if (typeof v === 'number') {
    if (kind === 'float64' || !Number.isInteger(v)) return v;
    return new GoInt(BigInt(v), (kind ?? 'int') as IntKind);
  }
  if (Array.isArray(v)) return v.map((e) => toGo(e));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = toGo(e, FIELD_KINDS[k]);
    return out;
  }
  return v;
}

function caseIds<T>(cases: T[], name: (c: T) => string): [string, T][] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = seen.get(name(c)) ?? 0;
    seen.set(name(c), n + 1);
    return [n === 0 ? name(c) : `${name(c)} #${n + 1}`, c];
  });
}

function register(id: string, fn: () => void): void {
  const reason = skipReason('go-exec', id);
  if (reason) test.skip(`${id} — skipped: ${reason}`, fn);
  else test(id, fn);
}

function run(name: string, input: string, data: unknown, options: string[] = []): { output: string; error?: unknown } {
  const t = Template.new(name).option(...options).parse(input);
  return t.executePartial(data);
}

describeWithReferenceData('go text/template exec conformance', CORPUS, () => {
  const corpus = JSON.parse(readFileSync(referencePath(CORPUS), 'utf8')) as {
    tVal: unknown; cases: ExecCase[]; comparison: { data: unknown; cases: CmpCase[] }; missingKey: { cases: MissingKeyCase[] };
  };
  const tVal = toGo(corpus.tVal);

  describe('execTests', () => {
    for (const [id, c] of caseIds(corpus.cases, (c) => c.name)) {
      register(`execTests/${id}`, () => {
        const data = c.data === '$tVal' ? tVal : toGo(c.data, c.dataGoType);
        const { output, error } = run(c.name, c.input, data);
        if (c.ok) expect((error as Error | undefined)?.message).toBeUndefined();
        else expect(error).toBeDefined();
        expect(output).toBe(c.output);
      });
    }
  });

  describe('cmpTests', () => {
    const data = toGo(corpus.comparison.data);
    for (const [id, c] of caseIds(corpus.comparison.cases, (c) => c.expr)) {
      register(`cmpTests/${id}`, () => {
        const { output, error } = run('empty', c.template, data);
        if (c.ok) {
          expect((error as Error | undefined)?.message).toBeUndefined();
          expect(output).toBe(c.output);
        } else {
          expect(error).toBeDefined();
        }
      });
    }
  });

  describe('missingKey', () => {
    for (const c of corpus.missingKey.cases) {
      register(`missingKey/${c.name}`, () => {
        const { output, error } = run(c.name, c.input, toGo(c.data), c.option ? [c.option] : []);
        if (c.ok) {
          expect((error as Error | undefined)?.message).toBeUndefined();
          expect(output).toBe(c.output);
        } else {
          expect(error).toBeDefined();
        }
      });
    }
  });
});
