// Types of the parts of gen-schemas.mjs that tests import.
export interface ConvertContext {
  /** CRD (structural) semantics: an object schema without properties keeps no fields. */
  readonly crd: boolean;
  /** Inside allOf/anyOf/oneOf/not: never close an object there. */
  readonly junctor: boolean;
}
/** One Kubernetes/CRD schema node → plain JSON Schema that ajv checks as the API server does. */
export declare function convert(schema: unknown, ctx: ConvertContext, where: string): any;
/** A CRD version's openAPIV3Schema → root schema (apiVersion/kind allowed, metadata is ObjectMeta). */
export declare function convertCrdRoot(schema: unknown, where: string): any;
