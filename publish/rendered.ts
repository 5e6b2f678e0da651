// A rendered tree is what the writer left: the files its record lists, and only those, each
// still byte-identical to what was rendered (a hand edit in dist/ must not slip into a publish).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { RECORD_FILE, readRecord, recoverTree, sha256, type OutputFile } from '../writer/index.js';

export function readRenderedTree(from: string): OutputFile[] {
  recoverTree(from); // a synth killed after its commit point is finished first
  const record = readRecord(from);
  if (record === undefined) {
    throw new UserError(`${from}: not a rendered tree (it has no ${RECORD_FILE}); run \`infra-synth synth\` first, or pass --from`);
  }
  const problems: string[] = [];
  const files: OutputFile[] = [];
  for (const [path, hash] of [...record].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let content: Buffer;
    try {
      content = readFileSync(join(from, path));
    } catch {
      problems.push(`${join(from, path)}: listed in ${RECORD_FILE} but missing; run \`infra-synth synth\` again`);
      continue;
    }
    if (sha256(content) !== hash) {
      problems.push(`${join(from, path)}: changed since it was rendered (its sha256 differs from ${RECORD_FILE}); run \`infra-synth synth\` again`);
      continue;
    }
    files.push({ path, content: content.toString('utf8') });
  }
  if (problems.length) throw new UserError(problems);
  return files;
}
