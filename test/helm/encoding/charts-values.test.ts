// Every values file of the pinned charts (and their vendored subcharts) goes through the codec
// the way Helm uses it: read as values (sigs.k8s.io/yaml.Unmarshal into a map) without error,
// and toYaml of the result is a fixpoint after one round — what it prints reads back to the
// same values and prints the same bytes again.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { marshal, unmarshal } from '../../../helm/encoding/yaml.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

function valuesFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...valuesFiles(p));
    else if (/^values.*\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describeWithReferenceData('values files of the pinned charts through sigs.k8s.io/yaml', 'helm/charts', () => {
  const root = referencePath('helm/charts');
  for (const file of valuesFiles(root)) {
    test(relative(root, file), () => {
      const values = unmarshal(readFileSync(file, 'utf8'), 'map');
      const printed = marshal(values ?? {});
      const reread = unmarshal(printed, 'map');
      expect(reread ?? {}).toEqual(values ?? {});
      expect(marshal(reread ?? {})).toBe(printed);
    });
  }
});
