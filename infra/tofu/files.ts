// A TofuDocument laid out as files of one stack folder: versions.tf.json (required_providers,
// S3 backend, state encryption), providers.tf.json, variables.tf.json, one file per concern,
// outputs.tf.json, the CLI configuration for the provider mirror, and a README of what the
// stack does not do. JSON is written with two-space indents in insertion order: deterministic.
import type { OutputFile } from '../../writer/types.js';
import { notAutomatedLines } from '../backend.js';
import type { InfraStack } from '../model.js';
import { expr, type JsonObject, type TofuDocument, type TofuFile } from './document.js';
import { PROVIDERS, REQUIRED_TOFU } from './providers.js';

const CONCERNS: readonly TofuFile[] = ['network', 'iam', 'cluster', 'dns', 'registry', 'buckets'];

/** The variable holding the state passphrase (TF_VAR_state_passphrase in CI). */
export const STATE_PASSPHRASE = 'state_passphrase';

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The `terraform` block: pinned providers, the S3 backend on the cloud's store, encrypted state and plans. */
export function terraformBlock(stack: InfraStack, doc: TofuDocument): JsonObject {
  const s = stack.props.state;
  return {
    required_version: REQUIRED_TOFU,
    required_providers: Object.fromEntries([...doc.providers.keys()].sort().map((p) => [p, { source: PROVIDERS[p].source, version: PROVIDERS[p].version }])),
    backend: {
      s3: {
        bucket: s.bucket,
        key: s.key,
        region: s.region,
        endpoints: { s3: s.endpoint },
        // Not AWS: no STS, IMDS, account ID, region list or checksums (opentofu-json.md, the vkcs guide).
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
        // MinIO and Ceph RGW on-prem serve buckets under the path, not as subdomains.
        ...(stack.props.cloud === 'onprem' ? { use_path_style: true } : {}),
        use_lockfile: true,
      },
    },
    encryption: {
      key_provider: { pbkdf2: { state: { passphrase: expr(`var.${STATE_PASSPHRASE}`) } } },
      method: { aes_gcm: { state: { keys: expr('key_provider.pbkdf2.state') } } },
      state: { method: 'method.aes_gcm.state', enforced: true },
      plan: { method: 'method.aes_gcm.state', enforced: true },
    },
  };
}

/** The files of one stack under infra/<cluster>/. */
export function stackFiles(stack: InfraStack, doc: TofuDocument): OutputFile[] {
  const dir = `infra/${stack.props.cluster}`;
  const files: OutputFile[] = [];
  const add = (name: string, content: string) => files.push({ path: `${dir}/${name}`, content });

  doc.variable(STATE_PASSPHRASE, {
    type: 'string', description: 'Passphrase of the state and plan encryption (kept by CI, docs/infra.md)', sensitive: true,
    // pbkdf2 refuses shorter ones at init; saying so here names the variable.
    validation: { condition: expr(`length(var.${STATE_PASSPHRASE}) >= 16`), error_message: 'The state passphrase must be at least 16 characters long.' },
  });
  add('versions.tf.json', json({ terraform: terraformBlock(stack, doc) }));
  add('providers.tf.json', json({ provider: Object.fromEntries([...doc.providers.entries()].sort(([a], [b]) => a.localeCompare(b))) }));
  add('variables.tf.json', json({
    variable: Object.fromEntries([...doc.variables.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, v]) => [name, {
      type: v.type, description: v.description, ...(v.sensitive ? { sensitive: true } : {}), ...(v.validation ? { validation: v.validation } : {}),
    }])),
  }));
  for (const concern of CONCERNS) {
    const rs = doc.resources.filter((r) => r.file === concern);
    if (!rs.length) continue;
    const byType: Record<string, Record<string, JsonObject>> = {};
    for (const r of rs) (byType[r.type] ??= {})[r.name] = r.body;
    add(`${concern}.tf.json`, json({ resource: byType }));
  }
  if (doc.outputs.size) {
    add('outputs.tf.json', json({
      output: Object.fromEntries([...doc.outputs.entries()].map(([name, o]) => [name, {
        value: o.value, description: o.description, ...(o.sensitive ? { sensitive: true } : {}),
      }])),
    }));
  }
  add('mirror.tfrc', mirrorConfig(stack.props.mirror));
  add('README.md', readme(stack, doc));
  return files;
}

/**
 * The CLI configuration (TF_CLI_CONFIG_FILE=mirror.tfrc): every provider from the company's
 * network mirror and no `direct` method, so nothing is fetched from a public registry.
 */
function mirrorConfig(url: string): string {
  return [
    '# OpenTofu CLI configuration: TF_CLI_CONFIG_FILE=mirror.tfrc tofu init',
    '# Every provider comes from the company mirror; there is no "direct" method, so a provider',
    '# missing from the mirror fails `tofu init` instead of reaching a public registry.',
    'provider_installation {',
    '  network_mirror {',
    `    url = "${url}"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function readme(stack: InfraStack, doc: TofuDocument): string {
  const name = stack.props.cluster;
  const lines = [
    `# infra/${name}: the OpenTofu stack of cluster ${name} (generated by infra-synth; do not edit)`,
    '',
    'Run it from this folder (docs/infra.md explains each step):',
    '',
    '```sh',
    'export TF_CLI_CONFIG_FILE="$PWD/mirror.tfrc"   # providers from the company mirror only',
    `export TF_VAR_${STATE_PASSPHRASE}=...            # state and plan encryption (CI secret)`,
    'tofu init && tofu plan -out plan.bin && tofu apply plan.bin',
    '```',
    '',
    '## Inputs',
    '',
    ...[...doc.variables.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([v, d]) => `- \`${v}\`${d.sensitive ? ' (sensitive)' : ''}: ${d.description}`),
    '',
    '## Not automated',
    '',
    ...notAutomatedLines(doc.notAutomated),
    '',
  ];
  return lines.join('\n');
}
