// The form a cluster's secret takes in this repository and in the rendered tree: a SopsSecret
// (sops-secrets-operator, isindir.github.com/v1alpha3) encrypted with `encrypted_suffix: Templates`,
// so that everything under `spec.secretTemplates` is ciphertext and the rest (apiVersion, kind,
// metadata, the sops block) stays readable without a key and valid against the CRD.
import type { SopsRules } from '../sops/index.js';

export const SOPS_SECRET_API_VERSION = 'isindir.github.com/v1alpha3';
export const SOPS_SECRET_KIND = 'SopsSecret';
/** The sops rule the operator expects: encrypt the values under keys ending in `Templates`. */
export const SOPS_SECRET_RULES: SopsRules = { encrypted_suffix: 'Templates' };

/** A value sops wrote: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]`. */
const ENC_VALUE = /^ENC\[AES256_GCM,data:[^\]]*,iv:[^\]]*,tag:[^\]]*,type:[a-z]+\]$/;

export function isEncValue(v: unknown): boolean {
  return typeof v === 'string' && ENC_VALUE.test(v);
}

export interface SecretTemplate {
  name: string;
  type?: string;
  labels?: Record<string, string>;
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}

/** The plaintext SopsSecret that `secrets add` encrypts: one template, named like the SopsSecret. */
export function sopsSecretObject(opts: { name: string; namespace: string; template: SecretTemplate }): Record<string, unknown> {
  return {
    apiVersion: SOPS_SECRET_API_VERSION,
    kind: SOPS_SECRET_KIND,
    metadata: { name: opts.name, namespace: opts.namespace },
    spec: { secretTemplates: [opts.template] },
  };
}

/**
 * Paths (`.spec.secretTemplates[0].stringData.key`) of the values under the templates that are not
 * sops ciphertext. Also reads the deprecated `secret_templates` of v1alpha1.
 */
export function plaintextTemplateValues(o: Record<string, any>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    else if (!isEncValue(v)) out.push(path);
  };
  for (const field of ['secretTemplates', 'secret_templates']) {
    if (o?.spec?.[field] !== undefined) walk(o.spec[field], `.spec.${field}`);
  }
  return out;
}

/** The label names a SopsSecret's templates give their Secret, sorted (readable without a key, like data keys). */
export function templateLabels(o: Record<string, any>): string[] {
  const templates: unknown = o?.spec?.secretTemplates;
  if (!Array.isArray(templates)) return [];
  const labels = templates.flatMap((t) => Object.keys((t as { labels?: Record<string, unknown> } | null)?.labels ?? {}));
  return [...new Set(labels)].sort();
}

/**
 * The data keys a SopsSecret's templates give their Secret (`stringData` and `data`), sorted.
 * sops encrypts values, never map keys, so this reads an encrypted file without a key.
 */
export function templateKeys(o: Record<string, any>): string[] {
  const templates: unknown = o?.spec?.secretTemplates;
  if (!Array.isArray(templates)) return [];
  const keys = new Set<string>();
  for (const t of templates) {
    for (const field of ['stringData', 'data']) {
      const m = (t as Record<string, unknown> | null)?.[field];
      if (m && typeof m === 'object' && !Array.isArray(m)) for (const k of Object.keys(m)) keys.add(k);
    }
  }
  return [...keys].sort();
}
