import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOUDS, ENVIRONMENTS } from '../spec/schema.js';
import { ONPREM_SITE } from '../test/helpers/onprem-site.js';

/** Teams per generated cluster: each adds a namespace, its RoleBinding, an Application and an AppProject. */
export const TEAMS_PER_CLUSTER = 6;

/**
 * Writes `count` overlay files into `dir`: a fleet spread over every cloud and environment, each
 * cluster with TEAMS_PER_CLUSTER teams, so that a cluster renders about 100 objects.
 */
export function writeGeneratedFleet(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const cloud = CLOUDS[i % CLOUDS.length];
    const environment = ENVIRONMENTS[Math.floor(i / CLOUDS.length) % ENVIRONMENTS.length];
    const overlay = {
      cloud,
      environment,
      // A prod cluster must name where its alerts go; a webhook without a token needs no Secret.
      ...(environment === 'prod' ? { observability: { alertmanager: { receivers: [{ name: 'oncall', webhook: { url: 'https://oncall.company.ru/alertmanager' } }] } } } : {}),
      domain: `c${i}.fleet.company.ru`,
      ...(cloud === 'onprem' ? { infrastructure: i % 2 ? 'vsphere' : 'baremetal', ...ONPREM_SITE } : {}),
      // Vault on Yandex Cloud unseals with the cluster's own KMS key, which synth requires.
      ...(cloud === 'yandex' ? { vault: { seal: { yandexcloudkms: { kmsKeyId: `abj${String(i).padStart(17, '0')}` } } } } : {}),
      teams: Array.from({ length: TEAMS_PER_CLUSTER }, (_, t) => ({
        name: `team-${t}`,
        groups: [`team-${t}`],
        namespaces: [`team-${t}`],
        repos: [`ssh://git@git.company.ru/team-${t}/deploy.git`],
      })),
    };
    writeFileSync(join(dir, `c${String(i).padStart(4, '0')}.ts`), `export default ${JSON.stringify(overlay, null, 2)};\n`);
  }
}
