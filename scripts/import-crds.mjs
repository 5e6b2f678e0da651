// Regenerates imports/ (cdk8s L1 classes) from the upstream CRDs in ../shared/crds.
// Only the kinds the constructs use are imported: a whole CRD file generates tens of thousands
// of lines (see ../shared/docs/cdk8s-performance.md §5). Runs offline.
//   npm run import            (INFRA_SYNTH_SHARED overrides ../shared)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import yaml from 'js-yaml';

/** CRD file in ../shared/crds → kinds to import from it. */
export const IMPORTED_KINDS = {
  'argo-cd.yaml': ['Application', 'AppProject'],
  'cert-manager.yaml': ['ClusterIssuer', 'Certificate'],
  'istio.yaml': ['Gateway', 'VirtualService', 'EnvoyFilter', 'PeerAuthentication'],
  'traefik.yaml': ['IngressRoute', 'Middleware'],
  'kyverno.yaml': ['ImageValidatingPolicy', 'ValidatingPolicy'],
  'prometheus-operator.yaml': ['ServiceMonitor'],
  'velero.yaml': ['Schedule', 'BackupStorageLocation'],
  'secrets-store-csi-driver.yaml': ['SecretProviderClass'],
  'sops-secrets-operator.yaml': ['SopsSecret'],
};

const crdsDir = join(resolve(process.env.INFRA_SYNTH_SHARED ?? join(import.meta.dirname, '..', '..', 'shared')), 'crds');
const work = mkdtempSync(join(tmpdir(), 'infra-synth-import-'));
try {
  for (const [file, kinds] of Object.entries(IMPORTED_KINDS)) {
    const docs = yaml.loadAll(readFileSync(join(crdsDir, file), 'utf8'))
      .filter((d) => d && d.kind === 'CustomResourceDefinition' && kinds.includes(d.spec.names.kind));
    const missing = kinds.filter((k) => !docs.some((d) => d.spec.names.kind === k));
    if (missing.length) throw new Error(`${file}: no CustomResourceDefinition for ${missing.join(', ')}`);
    // Each group is generated into its own imports/<group>.ts; group CRDs of one group together.
    const byGroup = new Map();
    for (const d of docs) byGroup.set(d.spec.group, [...(byGroup.get(d.spec.group) ?? []), d]);
    for (const [group, groupDocs] of byGroup) {
      const filtered = join(work, `${group}.yaml`);
      writeFileSync(filtered, groupDocs.map((d) => yaml.dump(d, { noRefs: true })).join('---\n'));
      execFileSync('npx', ['cdk8s', 'import', filtered, '--language', 'typescript', '--output', 'imports', '--no-check-upgrade'], {
        stdio: 'inherit',
        env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
