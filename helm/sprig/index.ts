// Sprig v3.3's function map as Helm 3.19 exposes it: TxtFuncMap minus env and expandenv.
import type { FuncMap, TemplateFunc } from '../template/func.js';
import { goFunc } from '../template/func.js';
import { conversionFuncs } from './conversion.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs } from './date.js';
import { defaultFuncs } from './defaults.js';
import { dictFuncs } from './dicts.js';
import { encodingFuncs } from './encoding.js';
import { flowFuncs } from './flow.js';
import { listFuncs } from './lists.js';
import { networkFuncs } from './network.js';
import { numericFuncs } from './numeric.js';
import { pathFuncs } from './paths.js';
import { reflectFuncs } from './reflect.js';
import { regexFuncs } from './regex.js';
import { semverFuncs } from './semver.js';
import { stringFuncs } from './strings.js';
import { urlFuncs } from './url.js';
import { uuidFuncs } from './uuid.js';

export { entropy, seededEntropy, tracingEntropy, withEntropy, type EntropySource } from './random.js';
export { Certificate } from './crypto.js';
export { SemverVersion } from './semver.js';

const groups: Record<string, TemplateFunc>[] = [
  stringFuncs, conversionFuncs, numericFuncs, listFuncs, dictFuncs, defaultFuncs, regexFuncs, encodingFuncs,
  cryptoFuncs, dateFuncs, urlFuncs, pathFuncs, reflectFuncs, networkFuncs, uuidFuncs, semverFuncs, flowFuncs,
];

/** A fresh copy of Sprig's functions (callers may add to or override it). */
export function sprigFuncMap(): FuncMap {
  const m: FuncMap = { hello: goFunc({ params: [] }, () => 'Hello!') };
  for (const g of groups) Object.assign(m, g);
  return m;
}
