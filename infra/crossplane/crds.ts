// The management trees checked against the upstream CRDs (../shared/infra/crossplane/*.yaml:
// Crossplane core v2.3.4 and provider-yc v0.14.0), with the CRD validator the charts' own CRDs
// go through (validate/crd-schemas.ts). Every object of a Crossplane group must be defined by one
// of them: a managed resource of a kind the provider does not ship is a finding, not a pass. The
// rest (Namespaces, Argo CD Applications and the AppProject) go through the generated validators.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { parseManifests, objectRef } from '../../primitives/manifests.js';
import { validateAgainstCrds } from '../../validate/crd-schemas.js';
import type { Finding } from '../../validate/finding.js';
import { validateSchemas } from '../../validate/schema.js';
import type { OutputFile } from '../../writer/types.js';

/** The CRDs of `<shared>/infra/crossplane/*.yaml`, or undefined when the folder is absent. */
export function loadCrossplaneCrds(dir: string): Record<string, any>[] | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => yaml.loadAll(readFileSync(join(dir, f), 'utf8')) as Record<string, any>[])
    .filter((d) => d?.kind === 'CustomResourceDefinition');
}

const CROSSPLANE_GROUP = /(^|\.)crossplane\.io$/;

/** Findings of the management tree files (`management/<mgmt>/...`) against `crds`; SOPS files are skipped. */
export async function checkManagementFiles(files: readonly OutputFile[], crds: readonly Record<string, any>[]): Promise<Finding[]> {
  const manifests = files.filter((f) => f.path.startsWith('management/') && f.path.endsWith('.yaml') && !f.path.endsWith('.enc.yaml'))
    .flatMap((f) => parseManifests(f.path, f.content));
  const { errors, covered } = await validateAgainstCrds(manifests, crds);
  const findings: Finding[] = [];
  const others = manifests.filter((m) => !covered.has(m));
  const crossplane = others.filter((m) => CROSSPLANE_GROUP.test(groupOf(m.object)));
  for (const m of crossplane) {
    findings.push({ cluster: managementOf(m.file), file: m.file, object: objectRef(m.object), path: '.kind', message: `no CRD in the reference data defines ${groupOf(m.object)}/${m.object.kind}` });
  }
  const generated = await validateSchemas(others.filter((m) => !crossplane.includes(m)));
  for (const e of [...errors, ...generated]) findings.push({ cluster: managementOf(e.file), file: e.file, object: e.object, path: e.path, message: e.message });
  return findings;
}

const managementOf = (file: string) => file.split('/')[1];
const groupOf = (o: Record<string, any>) => String(o.apiVersion ?? '').split('/').slice(0, -1).join('/');
