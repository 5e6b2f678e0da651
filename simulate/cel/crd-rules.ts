// A CRD's `x-kubernetes-validations` CEL rules against an object being created, as the API server
// runs them: each rule at the schema level that declares it, with `self` bound to the value there
// (absent values are not validated). Transition rules (those reading `oldSelf`) only run on
// update and are skipped: the simulation creates every object.
import { admissionFinding, keyPath } from '../admission/finding.js';
import type { SimFinding, SimObject } from '../model.js';
import { compileCel, escapePropertyName, toCel } from './environment.js';

/** One entry of `x-kubernetes-validations`. */
interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
}

const SELF = ['self'];
const TRANSITION = /\boldSelf\b/;

/** The version's openAPIV3Schema of the CRD for `apiVersion`, if it serves that version. */
function schemaFor(crd: Record<string, any>, apiVersion: string): Record<string, any> | undefined {
  const version = apiVersion.split('/').pop();
  const v = (crd.spec?.versions ?? []).find((x: any) => x?.name === version);
  return v?.schema?.openAPIV3Schema ?? crd.spec?.validation?.openAPIV3Schema;
}

/** Every failed, uncompilable or unevaluable CEL rule of `crd` for `obj`, one finding each. */
export function checkCrdValidationRules(obj: SimObject, crd: Record<string, any>): SimFinding[] {
  const schema = schemaFor(crd, String(obj.object.apiVersion ?? ''));
  if (!schema) return [];
  const crdName = String(crd.metadata?.name ?? crd.spec?.names?.plural ?? 'CRD');
  const findings: SimFinding[] = [];
  const defaulted = withDefaults(obj.object, schema);
  walk(defaulted, toCel(defaulted, schema), schema, '');
  return findings;

  function walk(raw: unknown, value: unknown, s: Record<string, any> | undefined, path: string): void {
    if (!s || raw === undefined || raw === null) return;
    for (const rule of (s['x-kubernetes-validations'] ?? []) as ValidationRule[]) check(rule, value, path);
    if (Array.isArray(raw)) {
      raw.forEach((item, i) => walk(item, (value as unknown[])[i], s.items, `${path}[${i}]`));
    } else if (typeof raw === 'object') {
      const cel = value as Record<string, unknown>;
      const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        const sub = s.properties?.[k];
        if (sub) walk(v, cel[escapePropertyName(k)], sub, path + keyPath(k));
        else if (additional) walk(v, cel[k], additional, path + keyPath(k));
      }
    }
  }

  function check(rule: ValidationRule, self: unknown, path: string): void {
    if (typeof rule?.rule !== 'string' || TRANSITION.test(rule.rule)) return;
    const at = path + (rule.fieldPath ?? '') || '.';
    const said = `${crdName} rule ${JSON.stringify(rule.rule)}`;
    const compiled = compileCel(rule.rule, SELF);
    if (!compiled.ok) {
      findings.push(admissionFinding(obj, at, `${said} does not compile: ${compiled.error}`));
      return;
    }
    const result = compiled.evaluate({ self });
    if (!result.ok || typeof result.value !== 'boolean') {
      const why = result.ok ? `gives ${typeof result.value}, not a bool` : result.error;
      findings.push(admissionFinding(obj, at, `${said} could not be evaluated: ${why}`));
      return;
    }
    if (result.value) return;
    const reason = rule.reason ? ` (${rule.reason})` : '';
    findings.push(admissionFinding(obj, at, `denied by ${said}${reason}: ${message(rule, self)}`));
  }
}

/**
 * The value with the schema's defaults filled in, as the API server defaults an object before it
 * validates it (rules such as Gateway API's `self.kind == 'Service'` read defaulted fields).
 * Defaults are shared, not copied: nothing writes to the result.
 */
export function withDefaults(value: unknown, s: Record<string, any> | undefined): unknown {
  if (!s || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Array.from(value, (v) => withDefaults(v, s.items));
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [k, sub] of Object.entries((s.properties ?? {}) as Record<string, any>)) {
    const missing = out[k] === undefined || (out[k] === null && !sub?.nullable);
    if (missing && sub?.default !== undefined) out[k] = sub.default;
  }
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  for (const [k, v] of Object.entries(out)) out[k] = withDefaults(v, s.properties?.[k] ?? additional);
  return out;
}

/** The rule's message as the API server words it: messageExpression, else message, else the rule. */
function message(rule: ValidationRule, self: unknown): string {
  if (rule.messageExpression) {
    const c = compileCel(rule.messageExpression, SELF);
    const r = c.ok ? c.evaluate({ self }) : undefined;
    if (r?.ok && typeof r.value === 'string' && r.value.trim()) return r.value.replace(/\s*\n\s*/g, ' ');
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}
