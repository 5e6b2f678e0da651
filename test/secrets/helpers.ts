// A throwaway infra-synth repository (overlays/ and secrets/) in a temp folder, with fresh age keys.
import { withAlertReceiver } from '../helpers/fleet.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformComponents } from '../../charts/cluster.js';
import { addSecret } from '../../pipeline/secrets/manage.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { BuiltinSopsBackend } from '../../sops/builtin.js';
import { tempDir } from '../helpers/tmp.js';
import { type KeyPair, newKeyPair } from '../sops/keys.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

export type { KeyPair };
export { newKeyPair };

/** A temp folder, removed when the test file ends. */
export const tmp = tempDir;

/**
 * The tests' clock: every file is written and every verdict is taken against it, never the wall
 * clock, so the suite gives the same result on any date.
 */
export const NOW = new Date('2026-12-01T00:00:00Z');

/** The same clock as `INFRA_SYNTH_NOW` for the CLI. */
export const NOW_ENV = { INFRA_SYNTH_NOW: NOW.toISOString() };

export interface TempRepo {
  readonly root: string;
  readonly overlays: string;
  readonly secrets: string;
  /** Writes (or rewrites) overlays/<name>.ts. */
  overlay(name: string, overlay: Record<string, unknown>): void;
}

export function tempRepo(): TempRepo {
  const root = tmp('secrets-repo-');
  const overlays = join(root, 'overlays');
  const secrets = join(root, 'secrets');
  mkdirSync(overlays);
  mkdirSync(secrets);
  return {
    root, overlays, secrets,
    overlay: (name, o) => writeFileSync(join(overlays, `${name}.ts`), `export default ${JSON.stringify(o, null, 2)};\n`),
  };
}

/** A cluster whose components read only Argo CD's Git credential (git-repo-creds): the fewest required Secrets. */
export const vkOverlay = (recipients: readonly string[], domain = 'prod.company.ru') => withAlertReceiver({
  cloud: 'vk', environment: 'prod', domain, secrets: { ageRecipients: [...recipients] },
});

/** An on-prem cluster: the company CA key pair (cert-manager) and the TSIG key (external-dns) are required. */
export const onpremOverlay = (recipients: readonly string[]) => withAlertReceiver({
  cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, environment: 'prod', domain: 'corp.company.ru',
  ingress: { kind: 'istio', loadBalancerIP: '10.20.0.10' },
  secrets: { ageRecipients: [...recipients] },
});

/** The built-in backend writing `lastmodified` `daysAgo` days before NOW, for files of a known age. */
export const backendAt = (daysAgo: number) => new BuiltinSopsBackend({ now: () => new Date(NOW.getTime() - daysAgo * 86_400_000) });

export { readTree } from '../helpers/tree.js';


/**
 * Adds, with placeholder values, every Secret the cluster's components read (synth refuses a
 * cluster without them), but those named in `except`. Returns the paths written.
 */
export async function addRequiredSecrets(spec: ClusterSpec, secretsDir: string, except: readonly string[] = []): Promise<string[]> {
  const backend = backendAt(0);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const u of platformComponents(spec).flatMap((c) => c.secrets ?? [])) {
    const id = `${u.namespace}/${u.name}`;
    if (seen.has(id) || except.includes(u.name)) continue;
    seen.add(id);
    const r = await addSecret({ spec, secretsDir, name: u.name, namespace: u.namespace, type: u.type, literals: u.keys.filter((k) => !(k in (u.values ?? {}))).map((k) => `${k}=placeholder`), backend });
    out.push(r.path);
  }
  return out;
}
