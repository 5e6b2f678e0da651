// `synth --cluster X` renders only X, but the rules across clusters (one host, one ExternalDNS
// owner, one dashboard uid per fleet) still see the rest of the fleet: what a partial synth
// writes, `validate` of the same tree accepts.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { synthFleet } from '../../pipeline/synth.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { readTree } from '../helpers/tree.js';

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'infra-synth-partial-'));
  cpSync(EXAMPLE_OVERLAYS, join(repo, 'overlays'), { recursive: true });
  cpSync(join(REPO_ROOT, 'secrets'), join(repo, 'secrets'), { recursive: true });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const overlays = () => join(repo, 'overlays');
const out = () => join(repo, 'dist');
/** vk-stage claims yc-prod's domain: every host of one is a host of the other. */
const stealDomain = () => {
  const file = join(overlays(), 'vk-stage.ts');
  const text = readFileSync(file, 'utf8');
  const domain = /domain: '([^']+)'/.exec(readFileSync(join(overlays(), 'yc-prod.ts'), 'utf8'))![1];
  writeFileSync(file, text.replace(/domain: '[^']+'/, `domain: '${domain}'`));
};
const problemsOf = async (p: Promise<unknown>) => {
  try { await p; } catch (e) { if (e instanceof UserError) return e.problems; throw e; }
  return [];
};

test('a partial synth refuses a host another cluster of the tree already serves, and writes nothing', async () => {
  await synthFleet({ overlaysDir: overlays(), outDir: out() });
  const before = readTree(out());
  stealDomain();
  const problems = await problemsOf(synthFleet({ overlaysDir: overlays(), outDir: out(), clusters: ['vk-stage'] }));
  expect(problems.some((p) => /yc-prod/.test(p) && /vk-stage/.test(p))).toBe(true);
  expect(readTree(out())).toEqual(before);
});

test('a partial synth into an empty tree renders the other clusters for the fleet-wide rules', async () => {
  stealDomain();
  const problems = await problemsOf(synthFleet({ overlaysDir: overlays(), outDir: out(), clusters: ['vk-stage'] }));
  expect(problems.some((p) => /yc-prod/.test(p) && /vk-stage/.test(p))).toBe(true);
});

test('a partial synth of a valid change passes and writes only that cluster', async () => {
  await synthFleet({ overlaysDir: overlays(), outDir: out() });
  const r = await synthFleet({ overlaysDir: overlays(), outDir: out(), clusters: ['vk-stage'] });
  expect(r.clusters).toEqual(['vk-stage']);
  expect(r.changes.added).toEqual([]);
});
