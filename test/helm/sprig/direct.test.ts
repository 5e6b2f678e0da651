// Sprig's Go-level assertions (sprig-direct.json): functions called directly with Go values,
// no template engine in between.
import { readFileSync } from 'node:fs';
import { sprigFuncMap } from '../../../helm/sprig/index.js';
import { int } from '../../../helm/template/value.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

interface DirectCase {
  file: string;
  name: string;
  line: number;
  func: string;
  args: unknown[];
  expect?: unknown;
  expectLen?: number;
}

const CORPUS = 'helm/conformance/sprig-direct.json';

/** Go untyped constants in the test source: integers are int, other numbers float64. */
function goArg(v: unknown): unknown {
  return typeof v === 'number' && Number.isInteger(v) ? int(v) : v;
}

describeWithReferenceData('sprig-direct conformance', CORPUS, () => {
  const cases = JSON.parse(readFileSync(referencePath(CORPUS), 'utf8')) as DirectCase[];
  const funcs = sprigFuncMap();
  for (const c of cases) {
    test(`${c.name}:${c.line} ${c.func}(${JSON.stringify(c.args).slice(1, -1)})`, () => {
      const fn = funcs[c.func];
      expect(fn).toBeDefined();
      const result = fn!(...c.args.map(goArg));
      if (c.expectLen !== undefined) {
        expect((result as unknown[]).length).toBe(c.expectLen);
      } else {
        expect(result).toEqual(c.expect);
      }
    });
  }
});
