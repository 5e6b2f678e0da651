// The one place the simulation calls the admission chain and the CRD CEL rules
// (simulate/admission/: Pod Security Admission, Kyverno ValidatingPolicies in CEL,
// x-kubernetes-validations). Everything else in simulate/ sees only AdmissionModel.
import { admit, checkCrdValidationRules } from './admission/index.js';
import type { SimFinding, SimObject } from './model.js';

/** What the admission chain sees of the cluster when an object arrives. */
export interface AdmissionContext {
  /** The namespaces that exist, by name (their labels carry the Pod Security levels). */
  readonly namespaces: ReadonlyMap<string, Record<string, any>>;
  /** The policy objects applied so far (Kyverno's policies.kyverno.io kinds). */
  readonly policies: readonly Record<string, any>[];
}

/** The admission and CRD-rule models, as simulate/admission/index.ts exports them. */
export interface AdmissionModel {
  admit(obj: SimObject, ctx: AdmissionContext): SimFinding[];
  checkCrdValidationRules(obj: SimObject, crd: Record<string, any>): SimFinding[];
}

/** The admission model the simulation uses by default: simulate/admission/. */
export const ADMISSION: AdmissionModel = { admit, checkCrdValidationRules };
