// Throughput of the built-in SOPS backend on a typical Secret manifest (5 keys, encrypted_regex
// ^(data|stringData)$, 2 age recipients): what a synth pays per secret it has to (re-)encrypt,
// and what an edit/audit pays per decrypt. readMetadata (no key) is what the audit pays per file.
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { BuiltinSopsBackend, readMetadata } from '../sops/builtin.js';

export interface BenchRow { name: string; value: number; unit: string; note?: string }

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: app-credentials
  namespace: apps
  labels:
    app.kubernetes.io/name: api
type: Opaque
stringData:
  DB_USER: api
  DB_PASSWORD: 7n3V9bq2Lr0sXk1pW4yZ
  DB_HOST: postgres.apps.svc.cluster.local
  API_TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345
  SESSION_SECRET: c2Vzc2lvbi1zZWNyZXQtZm9yLWJlbmNobWFyaw==
`;

async function perSecond(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(); // warm-up (JIT, WebCrypto)
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  return n / seconds;
}

export async function benchSops(): Promise<BenchRow[]> {
  const backend = new BuiltinSopsBackend();
  const ids = [await generateX25519Identity(), await generateX25519Identity()];
  const recipients = await Promise.all(ids.map((i) => identityToRecipient(i)));
  const opts = { format: 'yaml' as const, recipients, rules: { encrypted_regex: '^(data|stringData)$' } };
  const encrypted = await backend.encrypt(SECRET, opts);
  const note = 'Secret with 5 stringData keys, 2 age recipients, built-in backend';
  const N = Number(process.env.BENCH_SOPS_FILES ?? 300);
  const enc = await perSecond(N, () => backend.encrypt(SECRET, opts));
  const dec = await perSecond(N, () => backend.decrypt(encrypted, { format: 'yaml', identities: [ids[1]] }));
  const meta = await perSecond(N * 5, async () => readMetadata(encrypted, 'yaml'));
  return [
    { name: 'sops encrypt (built-in)', value: Math.round(enc), unit: 'files/s', note },
    { name: 'sops decrypt + MAC check (built-in)', value: Math.round(dec), unit: 'files/s', note },
    { name: 'sops readMetadata (no key)', value: Math.round(meta), unit: 'files/s', note: 'what an audit pays per file' },
  ];
}
