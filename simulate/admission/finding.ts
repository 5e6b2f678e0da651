// How the admission and CRD-rule models word a finding: the object as validation findings name
// it, at the `admission` step (the simulation's caller sets the real step when it aggregates).
import { objectRef } from '../../primitives/manifests.js';
import type { SimFinding, SimObject } from '../model.js';

export const ADMISSION_STEP = 'admission';

export function admissionFinding(obj: SimObject, path: string, message: string): SimFinding {
  return { cluster: obj.cluster, step: ADMISSION_STEP, file: obj.file, object: objectRef(obj.object), path, message };
}

/** A JSON path segment for a key: `.key`, or `["key"]` when it is not an identifier. */
export const keyPath = (key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
