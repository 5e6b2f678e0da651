import type { Cloud, ClusterSpecInput, Environment } from './schema.js';

/** Every field optional, recursively; arrays are replaced whole, never merged. */
export type DeepPartial<T> = T extends readonly (infer _U)[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * What one file in overlays/ declares: the cluster's cloud, environment and domain, plus any field
 * that differs from the layered defaults (platform → cloud → environment, see spec/defaults.ts).
 * The cluster's name is the file's name.
 */
// Built on the schema's input type: fields with defaults in the schema (a host's paths and tls)
// are optional in an overlay, as the loader fills them in.
export type ClusterOverlay = DeepPartial<Omit<ClusterSpecInput, 'name'>> & {
  cloud: Cloud;
  environment: Environment;
  domain: string;
};

/** A layer of defaults: any subset of the spec. */
export type SpecLayer = DeepPartial<Omit<ClusterSpecInput, 'name'>>;
