// The bootstrap commands onboard prints are the README's, filled in for the cluster: a change to
// one without the other fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapCommands } from '../../onboard/bootstrap.js';
import { REPO_ROOT, specFor } from '../helpers/fleet.js';

/** The command lines (no comments) of the README's bootstrap block. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Bootstrapping a cluster'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
}

test('onboard prints every command of the README\'s bootstrap block, for the cluster', () => {
  const printed = bootstrapCommands(specFor({}, 'c1')).split('\n');
  const expected = readmeCommands().map((l) => l.replace('clusters/<cluster>', 'clusters/c1'));
  expect(expected.length).toBeGreaterThan(8);
  expect(expected.filter((l) => !printed.includes(l))).toEqual([]);
});

test('a hydrated cluster installs Argo CD from its rendered objects instead of helm', () => {
  const printed = bootstrapCommands(specFor({ argocd: { hydrate: true } }));
  expect(printed).toContain('kubectl apply --server-side -f $C/hydrated/argo-cd/');
  expect(printed).not.toContain('helm upgrade');
});
