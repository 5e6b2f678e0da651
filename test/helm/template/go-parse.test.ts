// Go 1.25 text/template/parse conformance: parseTests (Root.String() with text printed via %q),
// errorTests (the error contains the expected text) and numberTests (number-literal
// classification), from the upstream parse_test.go tables.
import { readFileSync } from 'node:fs';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { skipReason } from '../conformance-skips.js';
import { ItemType } from '../../../helm/template/lex.js';
import { NumberNode, isComplexSyntax, setTextFormat } from '../../../helm/template/node.js';
import { Tree, setMaxStackDepth } from '../../../helm/template/parse.js';

const CORPUS = 'helm/conformance/go-parse.json';

interface ParseCase { name: string; input: string; ok: boolean; result: string }
interface NumberCase {
  text: string; isInt: boolean; isUint: boolean; isFloat: boolean; isComplex: boolean;
  int64?: number; uint64?: number; float64?: number; complex128?: string; expectError?: boolean;
}

/** The parse tests' function set: parse_test.go's `builtins` map. */
const PARSE_TEST_FUNCS = { printf: () => '', contains: () => false };

function caseIds<T extends { name: string }>(cases: T[]): [string, T][] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = seen.get(c.name) ?? 0;
    seen.set(c.name, n + 1);
    return [n === 0 ? c.name : `${c.name} #${n + 1}`, c];
  });
}

function register(corpus: string, id: string, fn: () => void): void {
  const reason = skipReason(corpus, id);
  if (reason) test.skip(`${id} — skipped: ${reason}`, fn);
  else test(id, fn);
}

describeWithReferenceData('go text/template parse conformance', CORPUS, () => {
  const data = JSON.parse(readFileSync(referencePath(CORPUS), 'utf8')) as {
    parseTests: ParseCase[]; errorTests: ParseCase[]; numberTests: NumberCase[];
  };
  let oldDepth = 0;
  beforeAll(() => {
    setTextFormat('%q');
    oldDepth = setMaxStackDepth(3);
  });
  afterAll(() => {
    setTextFormat('%s');
    setMaxStackDepth(oldDepth);
  });

  describe('parseTests', () => {
    for (const [id, c] of caseIds(data.parseTests)) {
      register('go-parse', `parseTests/${id}`, () => {
        let result: string | undefined;
        let error: Error | undefined;
        try {
          const t = new Tree(c.name);
          t.parse(c.input, '', '', new Map(), [PARSE_TEST_FUNCS]);
          result = t.root!.toString();
        } catch (e) {
          error = e as Error;
        }
        if (c.ok) {
          expect(error?.message).toBeUndefined();
          expect(result).toBe(c.result);
        } else {
          expect(error).toBeDefined();
          if (c.result.includes('exceeds limit') || c.result.includes('max expression depth')) {
            expect(error!.message).toContain('max expression depth exceeded');
          }
        }
      });
    }
  });

  describe('errorTests', () => {
    for (const [id, c] of caseIds(data.errorTests)) {
      register('go-parse', `errorTests/${id}`, () => {
        let error: Error | undefined;
        try {
          new Tree(c.name).parse(c.input, '', '', new Map(), []);
        } catch (e) {
          error = e as Error;
        }
        expect(error).toBeDefined();
        expect(error!.message).toContain(c.result);
      });
    }
  });

  describe('numberTests', () => {
    for (const c of data.numberTests) {
      register('go-parse', `numberTests/${c.text}`, () => {
        const typ = c.text[0] === "'" ? ItemType.CharConstant : isComplexSyntax(c.text) ? ItemType.Complex : ItemType.Number;
        const ok = c.isInt || c.isUint || c.isFloat || c.isComplex;
        let n: NumberNode | undefined;
        let error: Error | undefined;
        try {
          n = NumberNode.parse(undefined, 0, c.text, typ);
        } catch (e) {
          error = e as Error;
        }
        if (!ok) {
          expect(error).toBeDefined();
          return;
        }
        expect(error?.message).toBeUndefined();
        expect({ isInt: n!.isInt, isUint: n!.isUint, isFloat: n!.isFloat, isComplex: n!.isComplex })
          .toEqual({ isInt: c.isInt, isUint: c.isUint, isFloat: c.isFloat, isComplex: c.isComplex });
        if (c.isInt) expect(n!.int64).toBe(BigInt(c.int64!));
        if (c.isUint) expect(n!.uint64).toBe(BigInt(c.uint64!));
        if (c.isFloat) expect(n!.float64).toBe(c.float64);
      });
    }
  });
});
