// The floor of synth: the irreducible work of writing its output, in a minimal process — node,
// js-yaml and fs, nothing else loaded. Input: a JSON file of { path, object } (dumped with js-yaml
// and written), { path, text } (written as is: .sops.yaml, carried *.enc.yaml, synth's record) and
// { check } (objects synth validates without writing them: the rendered chart objects; the floor
// dumps each once, the least a check that reads every field costs).
//   node bench/floor.mjs <input.json> <out dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';

const [input, out] = process.argv.slice(2);
const entries = JSON.parse(readFileSync(input, 'utf8'));
const dirs = new Set();
let checked = 0;
for (const e of entries) {
  if (e.check) {
    checked += yaml.dump(e.check, { noRefs: true, lineWidth: -1 }).length;
    continue;
  }
  const path = join(out, e.path);
  const dir = dirname(path);
  if (!dirs.has(dir)) { mkdirSync(dir, { recursive: true }); dirs.add(dir); }
  writeFileSync(path, e.text ?? yaml.dump(e.object, { noRefs: true, lineWidth: -1, quotingType: '"' }));
}
if (checked < 0) process.exitCode = 1; // keeps the dumps of checked objects from being optimised away
