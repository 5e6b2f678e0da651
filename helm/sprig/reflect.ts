// Sprig's reflection functions (typeOf, kindOf, typeIs, typeIsLike, kindIs, deepEqual) and the
// reflect.DeepEqual that list functions (has, uniq, without) compare elements with.
import { goFunc } from '../template/func.js';
import { GoInt, GoStruct, GoTime, isMap, kindOf, typeName } from '../template/value.js';

/** reflect.DeepEqual over the value model: same dynamic type and deeply equal contents. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (a instanceof GoInt) return b instanceof GoInt && a.kind === b.kind && a.value === b.value;
  if (typeof a === 'number') return typeof b === 'number' && a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (a instanceof GoTime) {
    return b instanceof GoTime && a.ms === b.ms && a.nanos === b.nanos && a.zone === b.zone;
  }
  if (a instanceof GoStruct) {
    if (!(b instanceof GoStruct) || a.goTypeName !== b.goTypeName) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length &&
      ka.every((k) => deepEqual((a as unknown as Record<string, unknown>)[k], (b as unknown as Record<string, unknown>)[k]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** reflect.Value.Kind().String(); a nil interface is `invalid`. */
export function kindName(v: unknown): string {
  return kindOf(v);
}

export const reflectFuncs = {
  typeOf: goFunc({ params: ['interface{}'] }, (src: unknown) => typeName(src)),
  typeIs: goFunc({ params: ['string', 'interface{}'] }, (target: string, src: unknown) => target === typeName(src)),
  typeIsLike: goFunc({ params: ['string', 'interface{}'] }, (target: string, src: unknown) => {
    const t = typeName(src);
    return target === t || `*${target}` === t;
  }),
  kindOf: goFunc({ params: ['interface{}'] }, (src: unknown) => kindName(src)),
  kindIs: goFunc({ params: ['string', 'interface{}'] }, (target: string, src: unknown) => target === kindName(src)),
  deepEqual: goFunc({ params: ['interface{}', 'interface{}'] }, (a: unknown, b: unknown) => deepEqual(a, b)),
};
