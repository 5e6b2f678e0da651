// Types of schema-conversion.js (plain JS: scripts/gen-schemas.mjs runs it with plain node).
import type { Ajv } from 'ajv';

export interface ConvertContext {
  /** CRD (structural) semantics: an object schema without properties keeps no fields. */
  readonly crd: boolean;
  /** Inside allOf/anyOf/oneOf/not: never close an object there. */
  readonly junctor: boolean;
}

/** A node of a field-name tree: 0 (nothing to suggest), a definition name, or the fields. */
export type FieldNode = 0 | string | { p?: Record<string, FieldNode>; i?: FieldNode; a?: FieldNode; x?: string[]; xo?: 1 };

/** Field names for "did you mean" hints: per export its root node, and the definitions they name. */
export interface FieldTree {
  readonly defs: Record<string, FieldNode>;
  readonly exports: Record<string, FieldNode>;
}

/** `#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, where every CRD's metadata points. */
export declare const OBJECT_META: string;
/** One Kubernetes/CRD schema node → plain JSON Schema that ajv checks as the API server does; throws `<where>: ...` on what it cannot convert. */
export declare function convert(schema: unknown, ctx: ConvertContext, where: string): any;
/** A CRD version's openAPIV3Schema → root schema (apiVersion/kind allowed, metadata is ObjectMeta). */
export declare function convertCrdRoot(schema: unknown, where: string): any;
/** The field-name tree of converted schemas (`roots`, by definition name, exported as `exportsByDef`). */
export declare function fieldTree(defs: Record<string, unknown>, roots: Record<string, unknown>, exportsByDef: ReadonlyMap<string, readonly string[]>): FieldTree;
/** The ajv instance the generator and the run time compile with (`code`: ajv's code options, for standalone output). */
export declare function newAjv(code?: Record<string, unknown>): Ajv;
