// The fleet side of secrets: what synth pays to carry encrypted files (key-free checks) and what
// the CI audit costs, on a generated repository of 10 clusters x 30 SopsSecrets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { platformComponents } from '../charts/cluster.js';
import { fleetSecrets } from '../pipeline/secrets/fleet.js';
import { addSecret, auditSecrets } from '../pipeline/secrets/manage.js';
import { resolveCluster } from '../spec/load.js';
import type { ClusterSpec } from '../spec/schema.js';
import { BuiltinSopsBackend } from '../sops/builtin.js';

interface Row { name: string; value: number; unit: string; note?: string }

const CLUSTERS = 10;
const PER_CLUSTER = 30;

export async function benchSecrets(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-secrets-'));
  try {
    const recipients = await Promise.all([0, 1].map(async () => identityToRecipient(await generateX25519Identity())));
    const specs: ClusterSpec[] = [];
    for (let c = 0; c < CLUSTERS; c++) {
      const r = resolveCluster({
        name: `c${c}`, file: `overlays/c${c}.ts`,
        overlay: { cloud: 'vk', environment: 'prod', domain: `c${c}.company.ru`, secrets: { ageRecipients: recipients } },
      });
      if (!r.spec) throw new Error(r.problems.join('\n'));
      specs.push(r.spec);
    }
    const backend = new BuiltinSopsBackend();
    const t0 = performance.now();
    let files = 0;
    for (const spec of specs) {
      // The Secrets the components read (synth requires them), then filler up to PER_CLUSTER.
      const uses = platformComponents(spec).flatMap((c) => c.secrets ?? []);
      const wanted = [...uses.map((u) => ({ name: u.name, namespace: u.namespace })), ...Array.from({ length: Math.max(0, PER_CLUSTER - uses.length) }, (_, i) => ({ name: `s${i}`, namespace: 'argocd' }))];
      for (const w of wanted) {
        await addSecret({ spec, secretsDir: dir, ...w, literals: ['user=app', `password=${'x'.repeat(32)}`, 'url=postgres://db:5432/app'], backend });
        files++;
      }
    }
    const addMs = performance.now() - t0;
    const time = (f: () => unknown) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        f();
        runs.push(performance.now() - s);
      }
      return runs.sort((a, b) => a - b)[2];
    };
    const carryMs = time(() => {
      const r = fleetSecrets(specs, dir);
      if (r.problems.length) throw new Error(r.problems.join('\n'));
    });
    const auditMs = time(() => auditSecrets({ specs, secretsDir: dir }));
    return [
      { name: 'secrets add (built-in backend, 3-key SopsSecret)', value: Math.round(files / (addMs / 1000)), unit: 'files/s', note: `${files} files` },
      { name: 'synth carry: key-free checks + Application, per file', value: Number((carryMs / files).toFixed(3)), unit: 'ms', note: `${CLUSTERS} clusters, ${files} secrets: ${carryMs.toFixed(1)} ms` },
      { name: 'secrets audit (no key)', value: Math.round(files / (auditMs / 1000)), unit: 'files/s', note: `${files} files: ${auditMs.toFixed(1)} ms` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
