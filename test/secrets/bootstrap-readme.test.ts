// The README's bootstrap commands, as an admin runs them from an infra-gitops checkout: the `yq`
// lines must give helm the Argo CD values and chart version rendered for the cluster, with
// either yq (mikefarah v4, or the python jq wrapper: whichever is on PATH).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { synthFleet } from '../../pipeline/synth.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { tmp } from './helpers.js';

/** The lines of the README's "Bootstrapping a cluster" block that call yq. */
function readmeYqLines(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Bootstrapping a cluster'));
  const block = section.slice(section.indexOf('```sh\n') + 6, section.indexOf('\n```', section.indexOf('```sh\n')));
  return block.split('\n').filter((l) => l.includes('yq '));
}

/** Whether a yq (either one) runs here; the CI image has one, a laptop may not. */
const hasYq = spawnSync('yq', ['--version']).status === 0;

test('the README names one values file and one version line', () => {
  expect(readmeYqLines()).toEqual([
    "yq '.spec.source.helm.valuesObject' $C/apps/application-argo-cd.yaml > /tmp/argocd-values.yaml",
    '  --version "$(yq -r \'.spec.source.targetRevision\' $C/apps/application-argo-cd.yaml)" \\',
  ]);
});

const withYq = hasYq ? test : process.env.CI === 'true' ? (name: string) => test(name, () => { throw new Error('no yq on PATH; CI must provide it'); }) : test.skip;
withYq(hasYq || process.env.CI === 'true' ? 'its yq lines give helm the rendered Argo CD values and chart version' : 'skipped: needs yq on PATH (mikefarah v4 or the python jq wrapper)', async () => {
  const out = tmp('bootstrap-');
  await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: out, clusters: ['dev'] });
  const [valuesLine, versionLine] = readmeYqLines();
  const values = join(out, 'values.yaml');
  const version = versionLine.match(/"\$\((.*)\)"/)![1];
  const script = `C=clusters/dev\n${valuesLine.replace('/tmp/argocd-values.yaml', values)}\necho "${'$'}(${version})"\n`;
  const r = await execa('sh', ['-c', script], { cwd: out });
  const app = yaml.load(readFileSync(join(out, 'clusters/dev/apps/application-argo-cd.yaml'), 'utf8')) as any;
  expect(yaml.load(readFileSync(values, 'utf8'))).toEqual(app.spec.source.helm.valuesObject);
  expect(r.stdout).toBe(app.spec.source.targetRevision);
  expect(app.spec.source.targetRevision).toMatch(/^\d+\.\d+\.\d+$/);
});
