// synth --simulate: each rendered cluster's bootstrap and sync replayed before anything is written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { synthFleet } from '../../lib/synth.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';

test('synth --simulate writes a cluster that simulates clean', async () => {
  const out = tempDir('simulate-out-');
  const r = await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, clusters: ['dev'], outDir: out, simulate: true, docsDir: join(out, 'no-docs') });
  expect(r.clusters).toEqual(['dev']);
  expect(existsSync(join(out, 'clusters/dev/bootstrap/application-root.yaml'))).toBe(true);
}, 300_000);
