// sprig-skipped.json: the Sprig tests the extractor set aside (random output, the clock, the
// environment, the network). Where upstream checked properties of random output, the case runs
// with the same checks; the rest are listed in conformance-skips.ts with their reasons.
import { readFileSync } from 'node:fs';
import bcryptjs from 'bcryptjs';
import { sprigFuncMap } from '../../../helm/sprig/index.js';
import { Template } from '../../../helm/template/template.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { CONFORMANCE_SKIPS } from '../conformance-skips.js';

interface SkippedCase {
  file: string;
  name: string;
  line?: number;
  template?: string;
  vars?: Record<string, unknown>;
  outputContains?: string[];
  outputLength?: number;
  skipReason: string;
}

const CORPUS = 'helm/conformance/sprig-skipped.json';
const render = (tpl: string, data: unknown = {}) => Template.new('test').funcs(sprigFuncMap()).parse(tpl).execute(data);

/** What upstream asserted about each random function's output (crypto_test.go, numeric_test.go, strings_test.go). */
function checkRandom(c: SkippedCase, tpl: string): void {
  const out = render(tpl, c.vars ?? {});
  for (const part of c.outputContains ?? []) expect(out).toContain(part);
  if (c.outputLength !== undefined) expect(out).toHaveLength(c.outputLength);
  switch (c.name) {
    case 'TestBcrypt':
      expect(bcryptjs.compareSync('abc', out)).toBe(true);
      break;
    case 'TestHtpasswd': {
      const { Username, Password, Valid } = c.vars as { Username: string; Password: string; Valid: boolean };
      if (!Valid) {
        expect(out).toBe(`invalid username: ${Username}`);
        break;
      }
      const colon = out.indexOf(':');
      expect(out.slice(0, colon)).toBe(Username);
      expect(bcryptjs.compareSync(Password, out.slice(colon + 1))).toBe(true);
      break;
    }
    case 'TestGenPrivateKey':
      expect(Buffer.from(out, tpl.includes('b64enc') ? 'base64' : 'utf8').toString()).toContain('PRIVATE KEY');
      break;
    case 'TestRandBytes':
      expect(Buffer.from(out, 'base64')).toHaveLength(12);
      expect(render(tpl)).not.toBe(out);
      break;
    case 'TestUUIDGeneration':
      expect(out).toHaveLength(36);
      expect(render(tpl)).not.toBe(out);
      break;
    case 'TestRandomInt': {
      const [, lo, hi] = /randInt (\d+) (\d+)/.exec(tpl)!.map(Number);
      expect(Number(out)).toBeGreaterThanOrEqual(lo!);
      expect(Number(out)).toBeLessThan(hi!);
      break;
    }
    case 'TestRandomString': {
      const charset: Record<string, RegExp> = {
        randAlphaNum: /^[A-Za-z0-9]{5}$/, randAlpha: /^[A-Za-z]{5}$/, randAscii: /^[ -~]{5}$/, randNumeric: /^[0-9]{5}$/,
      };
      expect(out).toMatch(charset[/rand\w+/.exec(tpl)![0]]!);
      break;
    }
    default:
      throw new Error(`no upstream check known for ${c.name}`);
  }
}

describeWithReferenceData('sprig-skipped conformance', CORPUS, () => {
  const cases = JSON.parse(readFileSync(referencePath(CORPUS), 'utf8')) as SkippedCase[];
  const skips = CONFORMANCE_SKIPS['sprig-skipped'] ?? {};
  cases.forEach((c, i) => {
    const id = `#${i} ${c.name} (${c.file}${c.line !== undefined ? `:${c.line}` : ''})`;
    const title = `${id}: ${(c.template ?? '').replace(/\s+/g, ' ').slice(0, 60)}`;
    const reason = skips[id];
    if (reason !== undefined) {
      test.skip(`${title} — skipped: ${reason}`, () => undefined);
      return;
    }
    test(title, () => checkRandom(c, c.template!));
  });
});
