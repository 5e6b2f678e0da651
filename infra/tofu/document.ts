// An OpenTofu configuration being built by a cloud mapping: providers, resources (each in the
// file of its concern), variables and outputs. files.ts lays it out as *.tf.json. Everything is
// kept in insertion order, so the same stack always gives the same bytes.
import type { NotAutomated } from '../backend.js';
import { PROVIDERS, type ProviderName } from './providers.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Files resources go into, one concern each. */
export type TofuFile = 'network' | 'cluster' | 'dns' | 'registry' | 'buckets' | 'iam';

export interface TofuResource {
  readonly file: TofuFile;
  readonly type: string;
  readonly name: string;
  readonly body: JsonObject;
}

export interface TofuVariable {
  readonly type: string;
  readonly description: string;
  readonly sensitive?: boolean;
  /** A check `tofu plan` makes of the value. @default - none */
  readonly validation?: { readonly condition: string; readonly error_message: string };
}

export interface TofuOutput {
  readonly value: Json;
  readonly description: string;
  readonly sensitive?: boolean;
}

/** `"${expr}"`: an expression in JSON syntax (a string that is only an interpolation yields the raw value). */
export const expr = (e: string): string => `\${${e}}`;

export class TofuDocument {
  readonly providers = new Map<ProviderName, JsonObject>();
  readonly resources: TofuResource[] = [];
  readonly variables = new Map<string, TofuVariable>();
  readonly outputs = new Map<string, TofuOutput>();
  readonly notAutomated: NotAutomated[] = [];

  /** Uses a provider (pinned in providers.ts) with this configuration (no credentials: they come from the environment). */
  provider(name: ProviderName, config: JsonObject = {}): void {
    if (!(name in PROVIDERS)) throw new Error(`unknown provider ${name}`);
    this.providers.set(name, config);
  }

  /** Adds a resource; returns its address (`type.name`) for references. */
  resource(file: TofuFile, type: string, name: string, body: JsonObject): string {
    if (this.resources.some((r) => r.type === type && r.name === name)) throw new Error(`resource ${type}.${name} added twice`);
    this.resources.push({ file, type, name, body });
    return `${type}.${name}`;
  }

  /** Declares an input; returns the expression that reads it. */
  variable(name: string, v: TofuVariable): string {
    this.variables.set(name, v);
    return expr(`var.${name}`);
  }

  output(name: string, o: TofuOutput): void {
    if (this.outputs.has(name)) throw new Error(`output ${name} added twice`);
    this.outputs.set(name, o);
  }

  manual(n: NotAutomated): void {
    this.notAutomated.push(n);
  }
}
