// The record's bytes are those of JSON.stringify of { generator, version, files } with the paths
// sorted (what every earlier record was written as), and they read back as the same map.
import { parseRecord, serializeRecord, sha256 } from '../../writer/record.js';

/** The record as it was first defined: an object of sorted paths, stringified. */
function asJsonStringify(files: ReadonlyMap<string, string>): string {
  const sorted: { [p: string]: string } = {};
  for (const p of [...files.keys()].sort()) sorted[p] = files.get(p)!;
  return `${JSON.stringify({ generator: 'infra-synth', version: 1, files: sorted }, null, 2)}\n`;
}

const record = (paths: string[]) => new Map(paths.map((p) => [p, sha256(p)]));

test('an empty record is written as JSON.stringify writes it', () => {
  expect(serializeRecord(new Map())).toBe(asJsonStringify(new Map()));
});

test('paths are sorted and written as JSON.stringify writes them, escapes included', () => {
  const files = record(['clusters/b/x.yaml', '.sops.yaml', 'clusters/a/"quoted".yaml', 'clusters/a/ü.yaml', 'clusters/a/back\\slash.yaml', 'README.md']);
  expect(serializeRecord(files)).toBe(asJsonStringify(files));
});

test('paths that are array indices come first, in numeric order, as in a JS object', () => {
  const files = record(['10', '9', 'a', '007', '4294967295', '4294967294', '0']);
  expect(serializeRecord(files)).toBe(asJsonStringify(files));
  expect(Object.keys(JSON.parse(serializeRecord(files)).files)).toEqual(['0', '9', '10', '4294967294', '007', '4294967295', 'a']);
});

test('a record reads back as the map it was written from', () => {
  const files = record(['clusters/a/x.yaml', 'clusters/a/y.yaml', 'infra/a/main.tf.json']);
  expect(parseRecord(serializeRecord(files), 'generated.json')).toEqual(files);
});
