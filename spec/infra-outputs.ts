import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

// `overlays/<cluster>.outputs.json`: the non-secret IDs a cluster's infrastructure stack reports
// once applied (`tofu output -json`), captured by `infra-synth onboard` and committed by a
// reviewed pull request. The flow stays one-way — the stack is rendered from the overlay, the
// outputs are read back only into the spec's `infra.outputs` (and the Yandex registry ID) — and
// nothing secret ever lands here: OpenTofu's sensitive outputs are refused when captured and the
// file's shape admits none of them.

const id = z.string().regex(/^[-.a-zA-Z0-9_:/]{1,128}$/, 'an ID as `tofu output -json` prints it (letters, digits and -._:/)');

/** The outputs the platform reads, as the stacks declare them (infra/tofu/*.ts). */
export const infraOutputsSchema = z.strictObject({
  /** The managed cluster's ID (Yandex, Cloud.ru, VK Cloud): `get-credentials` takes it. */
  cluster_id: id.optional(),
  /** The DNS zone's ID. */
  dns_zone_id: id.optional(),
  /** The registry's ID: Yandex Container Registry (`cr.yandex/<id>/...`), SWR organization, Harbor project. */
  registry_id: id.optional(),
  /** The SWR host of the registry (Cloud.ru). */
  registry_login_server: z.string().regex(/^[a-z0-9.-]+$/, 'a host name').optional(),
  /** ExternalDNS's service account (Yandex): its authorized key is made by hand. */
  external_dns_service_account_id: id.optional(),
  /** The S3 access key ID of the platform buckets (its secret key is a sensitive output, never here). */
  storage_access_key_id: id.optional(),
  /** The buckets the stack made, by construct name. */
  bucket_names: z.record(z.string(), z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')).optional(),
});

export type InfraOutputs = z.output<typeof infraOutputsSchema>;

/** The file: which cluster, and its outputs. */
export const infraOutputsFileSchema = z.strictObject({
  cluster: z.string(),
  outputs: infraOutputsSchema,
});

/** The outputs the Argo CD cluster Secret carries as annotations (IDs, not lists). */
export const ANNOTATED_OUTPUTS = ['cluster_id', 'dns_zone_id', 'registry_id', 'external_dns_service_account_id'] as const;

/** `overlays/<cluster>.ts` → `overlays/<cluster>.outputs.json`. */
export function outputsFileOf(overlayFile: string): string {
  return overlayFile.replace(/\.ts$/, '.outputs.json');
}

/** The file as JSON text, deterministic: keys in schema order, two-space indent, final newline. */
export function formatOutputsFile(cluster: string, outputs: InfraOutputs): string {
  const ordered = Object.fromEntries(Object.keys(infraOutputsSchema.shape).flatMap((k) => {
    const v = outputs[k as keyof InfraOutputs];
    if (v === undefined) return [];
    return [[k, typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v]];
  }));
  return `${JSON.stringify({ cluster, outputs: ordered }, null, 2)}\n`;
}

/**
 * Reads and validates a cluster's outputs file; nothing when there is none. `file` is how
 * problems name it. Problems are one line each, naming the file and the field.
 */
export function readInfraOutputs(path: string, file: string, cluster: string): { outputs?: InfraOutputs; problems: string[] } {
  if (!existsSync(path)) return { problems: [] };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { problems: [`${file}: not JSON (${(e as Error).message.split('\n')[0]}); write it with \`infra-synth onboard ${cluster}\``] };
  }
  const parsed = infraOutputsFileSchema.safeParse(data);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => {
        const at = i.path.map(String).join('.') || '(file)';
        const known = Object.keys(infraOutputsSchema.shape).join(', ');
        const why = i.code === 'unrecognized_keys' && i.path.join('.') === 'outputs'
          ? `unknown output ${i.keys.map((k) => `"${k}"`).join(', ')}; the platform reads ${known} (a sensitive output never belongs here)`
          : i.message;
        return `${file}: ${at}: ${why}`;
      }),
    };
  }
  if (parsed.data.cluster !== cluster) {
    return { problems: [`${file}: cluster: received "${parsed.data.cluster}"; this file belongs to cluster "${cluster}" (its name is the overlay's file name)`] };
  }
  return { outputs: parsed.data.outputs, problems: [] };
}
