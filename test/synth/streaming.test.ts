// Synth streams each cluster into the writer's staging as soon as it is rendered and commits once,
// after the fleet-wide rules: the tree it writes is the one a whole-tree write of the same files
// gives, and a run that fails or is killed before the commit leaves the previous tree whole.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeGeneratedFleet } from '../../bench/fleet.js';
import { renderFleet, synthFleet } from '../../pipeline/synth.js';
import { UserError } from '../../primitives/errors.js';
import { SOPS_CONFIG, renderSopsConfig } from '../../secret-store/sops-config.js';
import { loadFleet } from '../../spec/load.js';
import { writeTree } from '../../writer/index.js';
import { tempDir } from '../helpers/tmp.js';
import { readTree } from '../helpers/tree.js';

const work = tempDir('streaming-');
const overlays = join(work, 'overlays');
const ref = join(work, 'ref');
const synth = (outDir: string, extra: Parameters<typeof synthFleet>[0] = {}) => synthFleet({ overlaysDir: overlays, outDir, charts: 'off', full: true, ...extra });
let n = 0;
/** A copy of the reference tree, as a previous synth left it. */
const previous = () => { const out = join(work, `out-${n++}`); cpSync(ref, out, { recursive: true }); return out; };

beforeAll(async () => {
  writeGeneratedFleet(overlays, 2);
  await synth(ref);
});

test('a streamed synth writes the tree and record that one write of the same files gives, byte for byte', async () => {
  const specs = await loadFleet(overlays);
  const { files } = await renderFleet(specs, { charts: { charts: 'off' } });
  const whole = join(work, 'whole');
  writeTree(whole, [...files, { path: SOPS_CONFIG, content: renderSopsConfig(specs) }]);
  expect(readTree(ref)).toEqual(readTree(whole));
});

test('a synth killed between two clusters leaves the previous tree, and the next synth discards its staging', async () => {
  const out = previous();
  const edited = Object.keys(readTree(ref)).filter((p) => p.startsWith('clusters/c0001/')).sort()[0];
  writeFileSync(join(out, edited), 'edited by hand\n');
  const before = readTree(out);
  const killed = new Error('killed after the first cluster');
  await expect(synth(out, { onWriteStep: (s) => { if (s === 'staged-part') throw killed; } })).rejects.toBe(killed);
  expect(existsSync(join(out, '.infra-synth/staging'))).toBe(true);
  expect(Object.fromEntries(Object.entries(readTree(out)).filter(([p]) => !p.startsWith('.infra-synth/staging/')))).toEqual(before);
  const r = await synth(out);
  expect(r.recovered).toBe('discarded');
  expect(r.changes.changed).toEqual([edited]);
  expect(readTree(out)).toEqual(readTree(ref));
});

test('a fleet-wide rule that fails after every cluster was staged commits nothing and leaves no staging', async () => {
  const out = previous();
  const before = readTree(out);
  // The second cluster takes the first one's domain: both serve the same hosts.
  const second = join(overlays, 'c0001.ts');
  const text = readFileSync(second, 'utf8');
  writeFileSync(second, text.replaceAll('c1.fleet.company.ru', 'c0.fleet.company.ru'));
  try {
    const error = await synth(out).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).problems.join('\n')).toContain('is also served by cluster c0000');
  } finally {
    writeFileSync(second, text);
  }
  expect(readTree(out)).toEqual(before);
  expect(readdirSync(join(out, '.infra-synth'))).toEqual(['generated.json']);
});
