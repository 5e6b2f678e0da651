// Sprig v3.3.0's template tests (sprig.json): each case's template runs with sprigFuncMap()
// on its vars and must print exactly what Go printed (runRaw cases: what the Go test checked).
import { readFileSync } from 'node:fs';
import { sprigFuncMap } from '../../../helm/sprig/index.js';
import { Template } from '../../../helm/template/template.js';
import { GoInt, GoStruct, GoTime, type IntKind } from '../../../helm/template/value.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { CONFORMANCE_SKIPS } from '../conformance-skips.js';

interface SprigCase {
  file: string;
  name: string;
  line: number;
  call: string;
  template: string;
  expect?: string;
  vars?: unknown;
  varsGoTypes?: string[];
  expectError?: boolean;
  errorContains?: string[];
  outputContains?: string[];
  outputLength?: number;
  expectVarsAfter?: Record<string, unknown>;
}

const CORPUS = 'helm/conformance/sprig.json';

/** sprig's test fixture `type fixtureTO struct { Name, Value string }`. */
class FixtureTO extends GoStruct {
  constructor(readonly goTypeName: string, public Name: string, public Value: string) {
    super();
    Object.defineProperty(this, 'goTypeName', { enumerable: false });
  }
}

/** A Go value that is a pointer to something the value model has no pointer for (*string, nil *T). */
class GoPointer extends GoStruct {
  constructor(readonly goTypeName: string) {
    super();
    Object.defineProperty(this, 'goTypeName', { enumerable: false });
  }
}

/** JSON as the Go test literals meant it: integers are int, `$goType` markers their Go values. */
function goValue(v: unknown, intKind: IntKind = 'int'): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? new GoInt(BigInt(v), intKind) : v;
  if (Array.isArray(v)) return v.map((e) => goValue(e, intKind));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.$goType === 'time.Time') return new GoTime(Date.parse(String(o.value)), 0, 'UTC');
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(o)) out[k] = goValue(e, intKind);
    return out;
  }
  return v;
}

function caseVars(c: SprigCase): unknown {
  const types = c.varsGoTypes ?? [];
  if (c.vars === undefined) return {};
  const pointer = types.includes('pointer');
  if (types.includes('struct fixtureTO')) {
    const f = c.vars as { Name: string; Value: string };
    return new FixtureTO(pointer ? '*sprig.fixtureTO' : 'sprig.fixtureTO', f.Name, f.Value);
  }
  if (types.includes('typed nil *fixtureTO')) return new GoPointer('*sprig.fixtureTO');
  if (pointer && typeof c.vars === 'string') return new GoPointer('*string');
  const typedInt = types.map((t) => /^typed (int\d*)$/.exec(t)?.[1]).find((k) => k !== undefined);
  return goValue(c.vars, (typedInt as IntKind | undefined) ?? 'int');
}

function caseId(c: SprigCase, i: number): string {
  return `#${i} ${c.name} (${c.file}:${c.line})`;
}

describeWithReferenceData('sprig conformance', CORPUS, () => {
  const cases = JSON.parse(readFileSync(referencePath(CORPUS), 'utf8')) as SprigCase[];
  const skips = CONFORMANCE_SKIPS.sprig ?? {};
  cases.forEach((c, i) => {
    const id = caseId(c, i);
    const title = `${id}: ${c.template.replace(/\s+/g, ' ').slice(0, 80)}`;
    const reason = skips[id];
    if (reason !== undefined) {
      test.skip(`${title} — skipped: ${reason}`, () => undefined);
      return;
    }
    test(title, () => {
      const vars = caseVars(c);
      const run = () => Template.new('test').funcs(sprigFuncMap()).parse(c.template).execute(vars);
      if (c.expectError) {
        expect(run).toThrow();
        let message = '';
        try { run(); } catch (e) { message = (e as Error).message; }
        for (const part of c.errorContains ?? []) expect(message).toContain(part);
        return;
      }
      const out = run();
      if (c.expect !== undefined) expect(out).toBe(c.expect);
      for (const part of c.outputContains ?? []) expect(out).toContain(part);
      if (c.outputLength !== undefined) expect(out.length).toBe(c.outputLength);
      if (c.expectVarsAfter !== undefined) {
        const after = vars as Record<string, unknown>;
        for (const [k, want] of Object.entries(c.expectVarsAfter)) expect(after[k]).toEqual(goValue(want));
      }
    });
  });
});


