// The management trees checked against the upstream CRDs of the reference data, with the CRD
// validator the charts' own CRDs go through (validate/crd-schemas.ts):
// ../shared/infra/crossplane/*.yaml (Crossplane core v2.3.4 and provider-yc v0.14.0) and
// ../shared/infra/capi/*.yaml (Cluster API v1.14.0, CAPV v1.16.1). Every object of a Crossplane
// or Cluster API group must be defined by one of them: a kind no CRD defines is a finding, not a
// pass. The rest (Namespaces, Argo CD Applications and the AppProject) go through the generated validators.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { parseManifests, objectRef } from '../../primitives/manifests.js';
import { validateAgainstCrds } from '../../validate/crd-schemas.js';
import type { Finding } from '../../validate/finding.js';
import { validateSchemas } from '../../validate/schema.js';
import type { OutputFile } from '../../writer/types.js';

/** The CRDs of every `*.yaml` in `dir`, or undefined when the folder is absent. */
export function loadReferenceCrds(dir: string): Record<string, any>[] | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => yaml.loadAll(readFileSync(join(dir, f), 'utf8')) as Record<string, any>[])
    .filter((d) => d?.kind === 'CustomResourceDefinition');
}

/** A set of reference CRDs and the API groups whose every object it must define. */
export interface ReferenceCrdSet {
  /** For messages: "Crossplane", "Cluster API". */
  readonly name: string;
  /** Its folder under `<shared>/infra/`. */
  readonly folder: string;
  readonly groups: RegExp;
}

export const CROSSPLANE_CRDS: ReferenceCrdSet = { name: 'Crossplane', folder: 'crossplane', groups: /(^|\.)crossplane\.io$/ };
export const CLUSTER_API_CRDS: ReferenceCrdSet = { name: 'Cluster API', folder: 'capi', groups: /(^|\.)cluster\.x-k8s\.io$/ };
export const MANAGEMENT_CRD_SETS: readonly ReferenceCrdSet[] = [CROSSPLANE_CRDS, CLUSTER_API_CRDS];

export interface ManagementCheckOptions {
  /**
   * Sets whose reference CRDs are absent: their objects are not checked at all (the caller warns),
   * rather than each reported as a kind no CRD defines. @default - none
   */
  readonly unchecked?: readonly ReferenceCrdSet[];
}

/** Findings of the management tree files (`management/<mgmt>/...`) against `crds`; SOPS files are skipped. */
export async function checkManagementFiles(files: readonly OutputFile[], crds: readonly Record<string, any>[], opts: ManagementCheckOptions = {}): Promise<Finding[]> {
  const unchecked = opts.unchecked ?? [];
  const manifests = files.filter((f) => f.path.startsWith('management/') && f.path.endsWith('.yaml') && !f.path.endsWith('.enc.yaml'))
    .flatMap((f) => parseManifests(f.path, f.content))
    .filter((m) => !unchecked.some((s) => s.groups.test(groupOf(m.object))));
  const { errors, covered } = await validateAgainstCrds(manifests, crds);
  const findings: Finding[] = [];
  const others = manifests.filter((m) => !covered.has(m));
  const undefinedKinds = others.filter((m) => MANAGEMENT_CRD_SETS.some((s) => s.groups.test(groupOf(m.object))));
  for (const m of undefinedKinds) {
    findings.push({ cluster: managementOf(m.file), file: m.file, object: objectRef(m.object), path: '.kind', message: `no CRD in the reference data defines ${groupOf(m.object)}/${m.object.kind}` });
  }
  const generated = await validateSchemas(others.filter((m) => !undefinedKinds.includes(m)));
  for (const e of [...errors, ...generated]) findings.push({ cluster: managementOf(e.file), file: e.file, object: e.object, path: e.path, message: e.message });
  return findings;
}

/** The CRDs of `sets` found under `infraDir` (`<shared>/infra`), and the sets whose folder is absent. */
export function loadManagementCrds(infraDir: string, sets: readonly ReferenceCrdSet[] = MANAGEMENT_CRD_SETS): { crds: Record<string, any>[]; missing: ReferenceCrdSet[]; dirs: Map<ReferenceCrdSet, string> } {
  const crds: Record<string, any>[] = [];
  const missing: ReferenceCrdSet[] = [];
  const dirs = new Map<ReferenceCrdSet, string>();
  for (const set of sets) {
    const dir = join(infraDir, set.folder);
    dirs.set(set, dir);
    const found = loadReferenceCrds(dir);
    if (found) crds.push(...found);
    else missing.push(set);
  }
  return { crds, missing, dirs };
}

const managementOf = (file: string) => file.split('/')[1];
const groupOf = (o: Record<string, any>) => String(o.apiVersion ?? '').split('/').slice(0, -1).join('/');
