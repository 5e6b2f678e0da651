// The outputs file: its shape is checked like an overlay (file, field, what is valid), nothing
// secret is captured into it, and what it holds reaches the spec (infra.outputs, the Yandex
// registry ID) without the overlay repeating it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTofuOutputs } from '../../onboard/outputs.js';
import { resolveCluster } from '../../spec/load.js';
import { withAlertReceiver } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';

const AGE = 'age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm';
const YC = withAlertReceiver({
  cloud: 'yandex', environment: 'stage', domain: 'stage.company.ru',
  vault: { seal: { yandexcloudkms: { kmsKeyId: 'abj0c0mpanyvau1tst00' } } },
  infra: { backend: 'opentofu', registry: { name: 'images' } },
  secrets: { ageRecipients: [AGE] },
});

/** Resolves the overlay with an outputs file holding `content` (JSON-encoded unless a string). */
function resolveWith(content: unknown, overlay: Record<string, unknown> = YC) {
  const path = join(tempDir('outputs-'), 'c1.outputs.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay, outputsFile: { path, file: 'overlays/c1.outputs.json' } });
}

test('the outputs file gives a Yandex registry its ID and the spec its outputs', () => {
  const r = resolveWith({ cluster: 'c1', outputs: { registry_id: 'crp0c0mpanyregistry1', cluster_id: 'catc0mpanyc1uster001' } });
  expect(r.problems).toEqual([]);
  expect(r.spec!.infra.registry!.id).toBe('crp0c0mpanyregistry1');
  expect(r.spec!.infra.outputs).toEqual({ registry_id: 'crp0c0mpanyregistry1', cluster_id: 'catc0mpanyc1uster001' });
});

test('a secret output in the file is refused, naming the file and the outputs the platform reads', () => {
  const r = resolveWith({ cluster: 'c1', outputs: { storage_secret_key: 'x' } });
  expect(r.problems).toEqual([expect.stringMatching(/^overlays\/c1\.outputs\.json: outputs: unknown output "storage_secret_key"; the platform reads cluster_id, .* \(a sensitive output never belongs here\)$/)]);
});

test('an outputs file of another cluster is refused', () => {
  expect(resolveWith({ cluster: 'c2', outputs: {} }).problems).toEqual([
    'overlays/c1.outputs.json: cluster: received "c2"; this file belongs to cluster "c1" (its name is the overlay\'s file name)',
  ]);
});

test('an outputs file that is not JSON is refused, naming the file', () => {
  expect(resolveWith('{').problems[0]).toMatch(/^overlays\/c1\.outputs\.json: not JSON \(/);
});

test('an overlay whose registry ID differs from the applied stack\'s is refused', () => {
  const overlay = { ...YC, infra: { backend: 'opentofu', registry: { name: 'images', id: 'crp0000000000000000x' } } };
  expect(resolveWith({ cluster: 'c1', outputs: { registry_id: 'crp0c0mpanyregistry1' } }, overlay).problems).toEqual([
    'overlays/c1.ts: infra.registry.id: received "crp0000000000000000x", but overlays/c1.outputs.json says the stack made registry "crp0c0mpanyregistry1"; remove infra.registry.id (the outputs file sets it)',
  ]);
});

test('an overlay may not set infra.outputs itself', () => {
  const r = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { ...YC, infra: { backend: 'opentofu', outputs: { cluster_id: 'x' } } } });
  expect(r.problems).toContain('overlays/c1.ts: infra.outputs: remove this field; the outputs come from c1.outputs.json, which `infra-synth onboard c1` writes');
});

test('capturing leaves sensitive and unknown outputs out, saying why', () => {
  const r = parseTofuOutputs(JSON.stringify({
    cluster_id: { sensitive: false, value: 'catc0mpanyc1uster001' },
    storage_secret_key: { sensitive: true, value: 'secret' },
    something_else: { sensitive: false, value: 'x' },
  }), 'outputs.json');
  expect(r.outputs).toEqual({ cluster_id: 'catc0mpanyc1uster001' });
  expect(r.skipped).toEqual([
    'something_else: not an output the platform reads, not captured',
    'storage_secret_key: sensitive, not captured (a secret belongs in secrets/: `tofu output -raw storage_secret_key` piped into `infra-synth secrets add`)',
  ]);
});

test('capturing refuses an output value of the wrong shape, naming the source and the output', () => {
  expect(() => parseTofuOutputs(JSON.stringify({ cluster_id: { value: ['a'] } }), 'outputs.json')).toThrow(/outputs\.json: cluster_id: /);
});
