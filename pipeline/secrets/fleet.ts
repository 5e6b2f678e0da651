// Synth's part in secrets: carry each cluster's encrypted files into its tree byte for byte, with
// the Application that syncs them, after key-free checks. Synth never encrypts and never needs a
// private key, so a second synth is byte-identical and one changed secret changes one file.
import { App, Chart } from 'cdk8s';
import { platformComponents, clusterPath, toYaml } from '../../charts/cluster.js';
import { PLATFORM_PROJECT } from '../../charts/bootstrap.js';
import { WAVES, type PlatformComponent, type SecretUse } from '../../charts/component.js';
import { SOPS_NAMESPACE } from '../../charts/sops-secrets-operator.js';
import { ApplicationSource } from '../../constructs/application-source.js';
import { ArgoApplication } from '../../constructs/argo-application.js';
import type { ClusterSpec } from '../../spec/schema.js';
import type { OutputFile } from '../../writer/index.js';
import type { Manifest } from '../../primitives/manifests.js';
import { templateKeys, templateLabels } from '../../secret-store/sops-secret.js';
import type { SopsRecipients } from '../../secret-store/sops-config.js';
import { type SecretFile, readClusterSecrets, secretFile, secretOutputPath } from '../../secret-store/store.js';

/** Name of the Application (and folder) that syncs a cluster's SopsSecrets. */
export const SECRETS_FOLDER = 'secrets';

export interface FleetSecrets {
  readonly files: OutputFile[];
  /** The same objects as data, for validation (and the guard rule). */
  readonly manifests: Manifest[];
  /** One line per problem; synth fails when there is any. */
  readonly problems: string[];
  /**
   * Secrets a component reads that are not there yet, one line each with the command that adds
   * them. Synth warns and goes on: a new cluster's first synth comes before its credentials exist
   * (onboarding provisions the cloud resources first); `secrets audit` fails CI on them.
   */
  readonly missing: string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a), y = new Set(b);
  return x.size === y.size && [...x].every((r) => y.has(r));
};

/**
 * Why a file's recipients differ from its owner's, in one line (no key needed). The owner is a
 * cluster's overlay, or a management cluster's (`where` names its file then).
 */
export function recipientDrift(file: SecretFile, spec: SopsRecipients, where = `overlay ${spec.name}`): string | undefined {
  const want = spec.secrets.ageRecipients;
  const have = file.metadata.recipients;
  if (sameSet(have, want)) return undefined;
  const missing = want.filter((r) => !have.includes(r));
  const extra = have.filter((r) => !want.includes(r));
  const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `not in the overlay ${extra.join(', ')}` : ''].filter(Boolean);
  return `${file.path}: encrypted to other recipients than ${where} (secrets.ageRecipients): ${parts.join('; ')}; run \`infra-synth secrets rotate --cluster ${spec.name}\``;
}

/** Checks one cluster's secrets against its spec and returns what synth adds to its tree. */
export function clusterSecrets(spec: ClusterSpec, secretsDir: string): FleetSecrets {
  const { files: found, problems } = readClusterSecrets(secretsDir, spec.name);
  const components = platformComponents(spec);
  const platformNamespaces = new Set([spec.argocd.namespace, ...components.map((c) => c.namespace)]);
  for (const f of found) {
    const drift = recipientDrift(f, spec);
    if (drift) problems.push(drift);
    if (!platformNamespaces.has(f.namespace)) {
      problems.push(`${f.path}: namespace ${f.namespace} is not a platform namespace of ${spec.name}; Argo CD's platform project deploys secrets only to ${[...platformNamespaces].sort().join(', ')}`);
    }
  }
  const missing = missingSecrets(spec, found, secretsDir, components);
  if (problems.length || found.length === 0) return { files: [], manifests: [], problems, missing };

  const files: OutputFile[] = [];
  const manifests: Manifest[] = [];
  for (const f of found) {
    const path = secretOutputPath(spec.name, f.namespace, f.name);
    files.push({ path, content: f.text });
    manifests.push({ cluster: spec.name, file: path, index: 0, object: f.object });
  }
  const app = secretsApplication(spec);
  files.push(app.file);
  manifests.push(app.manifest);
  return { files, manifests, problems, missing };
}

/**
 * The data keys the cluster's components read from each Secret they declare, by
 * `<namespace>/<name>` (the union when several components read one Secret), with who reads it.
 */
export function expectedSecrets(components: readonly PlatformComponent[]): Map<string, { keys: string[]; usedBy: string[]; use: SecretUse }> {
  const out = new Map<string, { keys: string[]; usedBy: string[]; use: SecretUse }>();
  for (const u of components.flatMap((c) => c.secrets ?? [])) {
    const id = `${u.namespace}/${u.name}`;
    const e = out.get(id) ?? { keys: [], usedBy: [], use: u };
    for (const k of u.keys) if (!e.keys.includes(k)) e.keys.push(k);
    if (!e.usedBy.includes(u.usedBy)) e.usedBy.push(u.usedBy);
    out.set(id, e);
  }
  return out;
}

/**
 * The Secrets the cluster's components read that have no file, with the command that adds each,
 * and the files that lack a data key their component reads (key names are readable without a key).
 */
export function missingSecrets(
  spec: ClusterSpec, found: readonly SecretFile[], secretsDir: string,
  components: readonly PlatformComponent[] = platformComponents(spec),
): string[] {
  const have = new Map(found.map((f) => [`${f.namespace}/${f.name}`, f]));
  const out: string[] = [];
  for (const [id, { keys, usedBy, use: u }] of expectedSecrets(components)) {
    const file = have.get(id);
    if (file) {
      const present = templateKeys(file.object);
      const absent = keys.filter((k) => !present.includes(k));
      if (absent.length) {
        out.push(
          `${file.path}: Secret ${id} has no key ${absent.join(', ')}, which ${usedBy.join(', ')} reads (it holds ${present.join(', ') || 'no keys'}); ` +
            `edit it with \`infra-synth secrets edit ${spec.name} ${u.name} --namespace ${u.namespace}\``,
        );
      }
      // Argo CD ignores a credential Secret without its secret-type label: the file would be
      // delivered and never used.
      const unlabelled = Object.keys(u.labels ?? {}).filter((l) => !templateLabels(file.object).includes(l));
      if (unlabelled.length) {
        out.push(
          `${file.path}: Secret ${id} has no label ${unlabelled.join(', ')}, by which ${usedBy.join(', ')} finds it; ` +
            `add it under the template's labels with \`infra-synth secrets edit ${spec.name} ${u.name} --namespace ${u.namespace}\``,
        );
      }
      continue;
    }
    const from = [...(u.type ? [`--type ${u.type}`] : []), ...keys.filter((k) => !(k in (u.values ?? {}))).map((k) => `--from-file ${k}=<file>`)].join(' ');
    out.push(
      `${spec.name}: Secret ${id} (keys ${keys.join(', ')}) read by ${usedBy.join(', ')} has no ${secretFile(secretsDir, spec.name, u.namespace, u.name)}; ` +
        `add it with \`infra-synth secrets add ${spec.name} ${u.name} --namespace ${u.namespace} ${from}\``,
    );
  }
  return out;
}

/**
 * The Application that syncs `clusters/<cluster>/secrets/`: right after the operator (its CRD
 * and controller), before the operators whose Secrets it delivers. Only rendered for a cluster
 * that has secrets: Argo CD reports a missing folder as an error.
 */
function secretsApplication(spec: ClusterSpec): { file: OutputFile; manifest: Manifest } {
  const chart = new Chart(new App({ outdir: '/nonexistent' }), 'secrets');
  new ArgoApplication(chart, SECRETS_FOLDER, {
    argocdNamespace: spec.argocd.namespace,
    project: PLATFORM_PROJECT,
    source: ApplicationSource.gitDirectory({
      repoURL: spec.gitops.repoURL, targetRevision: spec.gitops.targetRevision, path: `${clusterPath(spec)}/${SECRETS_FOLDER}`,
    }),
    // Every SopsSecret names its namespace; this is only the default.
    destinationNamespace: SOPS_NAMESPACE,
    syncWave: WAVES.secrets,
    syncPolicy: spec.argocd.sync,
    // The SopsSecret CRD arrives with the operator in the wave before.
    syncOptions: ['SkipDryRunOnMissingResource=true'],
    labels: { cluster: spec.name, env: spec.environment },
  });
  const [object] = chart.toJson();
  const path = `${clusterPath(spec)}/apps/application-${SECRETS_FOLDER}.yaml`;
  return { file: { path, content: toYaml(object) }, manifest: { cluster: spec.name, file: path, index: 0, object } };
}

/** Every cluster's secrets; throws nothing, the caller decides (synth fails on any problem). */
export function fleetSecrets(specs: readonly ClusterSpec[], secretsDir: string): FleetSecrets {
  const parts = specs.map((s) => clusterSecrets(s, secretsDir));
  return {
    files: parts.flatMap((p) => p.files),
    manifests: parts.flatMap((p) => p.manifests),
    problems: parts.flatMap((p) => p.problems),
    missing: parts.flatMap((p) => p.missing),
  };
}
