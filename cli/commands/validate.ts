import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { UserError } from '../../primitives/errors.js';
import { redactSecrets } from '../../primitives/redact.js';
import { listYamlFiles, readManifestTree } from '../../primitives/manifests.js';
import { formatFinding, validateTree } from '../../validate/index.js';
import { recordedKubernetesVersions } from '../../validate/tree-versions.js';
import { assertNoPendingWrite } from '../../writer/index.js';
import { validateInfraTree } from '../../infra/validate-tree.js';
import { ProviderSchemas } from '../../infra/tofu/provider-schemas.js';
import { infraReferenceDir, providerSchemasDir } from '../../infra/reference-dirs.js';
import { checkManagementFiles, loadManagementCrds } from '../../infra/management/crds.js';

export function register(program: Command): void {
  program.command('validate')
    .description('Validate a rendered tree: schemas of every object (the cluster\'s Kubernetes version, recorded in its bootstrap/, + platform CRDs), the fleet rules, the infra stacks (infra/<cluster>/*.tf.json: OpenTofu JSON syntax, and the providers\' schemas where INFRA_SYNTH_SHARED has them), and the management trees (management/<mgmt>/: the Crossplane and Cluster API CRDs where INFRA_SYNTH_SHARED has them)')
    .argument('[dir]', 'root of a rendered tree (holding clusters/)', 'dist')
    .addHelpText('after', `
Examples:
  $ infra-synth validate                 the tree synth wrote into dist/
  $ infra-synth validate ../infra-gitops an infra-gitops checkout

Exit codes: 0 valid; 1 problems found (one line each); 2 not a rendered tree.`)
    .action(async (dir: string) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder (expected a rendered tree with clusters/<cluster>/...)`);
      assertNoPendingWrite(dir);
      const all = listYamlFiles(dir);
      if (!all.some((f) => f.startsWith('clusters/'))) throw new UserError(`${dir}: not a rendered tree (no clusters/<cluster>/*.yaml)`);
      // The management trees hold Crossplane and Cluster API objects, checked against their CRDs below.
      const isManagement = (f: string) => f.startsWith('management/');
      const files = all.filter((f) => !isManagement(f));
      const manifests = readManifestTree(dir).filter((m) => !isManagement(m.file));
      // Each cluster is validated for the Kubernetes version synth recorded in its bootstrap/.
      const recorded = recordedKubernetesVersions(manifests);
      for (const w of recorded.warnings) process.stderr.write(`warning: ${w}\n`);
      const findings = await validateTree(manifests, files, { kubernetesVersion: (m) => (m.cluster === undefined ? undefined : recorded.versions.get(m.cluster)) });
      const schemasDir = providerSchemasDir('overlays');
      const schemas = ProviderSchemas.load(schemasDir);
      const infra = validateInfraTree(dir, schemas);
      if (infra.stacks && !schemas) process.stderr.write(`warning: the infra stacks were checked for OpenTofu JSON syntax only: the providers' reference schemas are not in ${schemasDir} (set INFRA_SYNTH_SHARED)\n`);
      findings.push(...infra.findings);
      const management = all.filter(isManagement);
      if (management.length) {
        const files = management.map((f) => ({ path: f, content: readFileSync(join(dir, f), 'utf8') }));
        const loaded = loadManagementCrds(infraReferenceDir('overlays'));
        findings.push(...await checkManagementFiles(files, loaded.crds, { unchecked: loaded.missing }));
        for (const set of loaded.missing) {
          const used = files.some((f) => [...f.content.matchAll(/^apiVersion: (\S+)\//gm)].some((m) => set.groups.test(m[1])));
          if (used) process.stderr.write(`warning: the management trees' ${set.name} objects were not checked: the ${set.name} CRDs are not in ${loaded.dirs.get(set)} (set INFRA_SYNTH_SHARED)\n`);
        }
      }
      // A finding may quote a value; one that looks like a private key is never printed.
      for (const f of findings) process.stdout.write(`${redactSecrets(formatFinding(f))}\n`);
      const checked = `${manifests.length} objects${infra.stacks ? ` and ${infra.stacks} infra stack(s)` : ''}${management.length ? ` and ${management.length} management tree file(s)` : ''}`;
      process.stdout.write(findings.length
        ? `${dir}: ${findings.length} problem(s) in ${checked}\n`
        : `${dir}: ${checked} valid\n`);
      if (findings.length) process.exitCode = 1;
    });
}
