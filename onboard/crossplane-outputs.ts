// Step 2 for a cluster whose infrastructure Crossplane makes (infra.backend: crossplane): the
// non-secret outputs read from the managed resources' status in the management cluster, the
// same outputs `tofu output -json` gives for an OpenTofu stack (spec/infra-outputs.ts). The source
// is `kubectl get ... -o json` against the management cluster (or a file it was saved to), read
// only; a resource that is not Ready yet makes the step wait instead of capturing half the ids.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { UserError } from '../primitives/errors.js';
import { infraOutputsSchema, type InfraOutputs } from '../spec/infra-outputs.js';

/** The managed resources that carry outputs, as kubectl names them (provider-yc v0.14.0, Crossplane v2 namespaced groups). */
export const CROSSPLANE_OUTPUT_RESOURCES = [
  'clusters.kubernetes.yandex-cloud.m.jet.crossplane.io',
  'zones.dns.yandex-cloud.m.jet.crossplane.io',
  'registries.container.yandex-cloud.m.jet.crossplane.io',
  'serviceaccounts.iam.yandex-cloud.m.jet.crossplane.io',
  'serviceaccountstaticaccesskeys.iam.yandex-cloud.m.jet.crossplane.io',
  'buckets.storage.yandex-cloud.m.jet.crossplane.io',
] as const;

interface ManagedResource {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly annotations?: Record<string, string> };
  readonly spec?: { readonly forProvider?: Record<string, unknown> };
  readonly status?: { readonly atProvider?: Record<string, unknown>; readonly conditions?: readonly { type?: string; status?: string; reason?: string; message?: string }[] };
}

const groupOf = (r: ManagedResource) => String(r.apiVersion ?? '').split('/')[0].split('.')[0];

/**
 * Where each output comes from: the resource (service group, kind, and the name the mapping
 * gives it in infra/crossplane/yandex.ts) and the status field that holds the value.
 */
const SOURCES: readonly { output: Exclude<keyof InfraOutputs, 'bucket_names' | 'registry_login_server'>; group: string; kind: string; name?: string; field: string }[] = [
  { output: 'cluster_id', group: 'kubernetes', kind: 'Cluster', name: 'main', field: 'id' },
  { output: 'dns_zone_id', group: 'dns', kind: 'Zone', name: 'main', field: 'id' },
  { output: 'registry_id', group: 'container', kind: 'Registry', field: 'id' },
  { output: 'external_dns_service_account_id', group: 'iam', kind: 'ServiceAccount', name: 'external-dns', field: 'id' },
  // The key's ID only; its secret half is in the connection Secret, never here.
  { output: 'storage_access_key_id', group: 'iam', kind: 'ServiceAccountStaticAccessKey', field: 'accessKey' },
];

const isReady = (r: ManagedResource) => (r.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const describe = (r: ManagedResource) => `${r.kind}/${r.metadata?.name}`;

/**
 * The outputs from the JSON of `kubectl get <CROSSPLANE_OUTPUT_RESOURCES> -n <cluster> -o json`;
 * `from` names the source in errors. `notReady` lists each resource still being made, with
 * Crossplane's reason: while it is not empty nothing should be captured.
 */
export function parseCrossplaneStatus(text: string, from: string): { outputs: InfraOutputs; notReady: string[] } {
  let data: unknown;
  try { data = JSON.parse(text); } catch (e) {
    throw new UserError(`${from}: not the JSON of \`kubectl get -o json\` (${(e as Error).message.split('\n')[0]})`);
  }
  const items = (data as { items?: unknown })?.items;
  if (!Array.isArray(items)) throw new UserError(`${from}: expected a List (an object with "items") as \`kubectl get ... -o json\` prints it`);
  const resources = items as ManagedResource[];
  const notReady = resources.filter((r) => !isReady(r)).map((r) => {
    const c = (r.status?.conditions ?? []).find((x) => x.type === 'Ready' || x.type === 'Synced');
    return `${describe(r)}: not Ready${c?.reason ? ` (${c.reason}${c.message ? `: ${c.message.split('\n')[0]}` : ''})` : ''}`;
  });
  const outputs: Record<string, unknown> = {};
  for (const s of SOURCES) {
    const r = resources.find((x) => groupOf(x) === s.group && x.kind === s.kind && (s.name === undefined || x.metadata?.name === s.name));
    const value = r?.status?.atProvider?.[s.field];
    if (typeof value === 'string' && value) outputs[s.output] = value;
  }
  const buckets = resources.filter((r) => groupOf(r) === 'storage' && r.kind === 'Bucket')
    .map((r) => [r.metadata?.name, r.status?.atProvider?.bucket ?? r.spec?.forProvider?.bucket] as const)
    .filter((e): e is readonly [string, string] => typeof e[0] === 'string' && typeof e[1] === 'string')
    .sort(([a], [b]) => a.localeCompare(b));
  if (buckets.length) outputs.bucket_names = Object.fromEntries(buckets);
  const parsed = infraOutputsSchema.safeParse(outputs);
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${from}: ${i.path.map(String).join('.')}: ${i.message}`));
  return { outputs: parsed.data, notReady };
}

/** The status text: a saved file, or kubectl against the management cluster; undefined (with why) when neither can be had. */
export async function readCrossplaneStatus(cluster: string, opts: { statusFile?: string; kubeconfig?: string }): Promise<{ text?: string; from: string; why?: string }> {
  if (opts.statusFile) return { text: readFileSync(opts.statusFile, 'utf8'), from: opts.statusFile };
  const args = ['get', CROSSPLANE_OUTPUT_RESOURCES.join(','), '-n', cluster, '-o', 'json'];
  const from = `kubectl ${args.join(' ')} (management cluster)`;
  if (!opts.kubeconfig) {
    return { from, why: `infra.backend is crossplane: give --management-kubeconfig (the management cluster's; read only) or a saved \`kubectl ${args.join(' ')}\` as --crossplane-status` };
  }
  try {
    const r = await execa('kubectl', ['--kubeconfig', opts.kubeconfig, ...args]);
    return { text: r.stdout, from };
  } catch (e) {
    const err = e as { code?: string; stderr?: string; shortMessage?: string };
    if (err.code === 'ENOENT') return { from, why: 'kubectl is not on PATH: save `kubectl get ... -o json` where it is and give it as --crossplane-status' };
    return { from, why: `${from} failed: ${(err.stderr || err.shortMessage || String(e)).split('\n')[0]}` };
  }
}
