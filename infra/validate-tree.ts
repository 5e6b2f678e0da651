// The stacks of a rendered tree (infra/<cluster>/*.tf.json) checked as synth checks them, for
// `infra-synth validate` on dist/ or an infra-gitops checkout.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../validate/finding.js';
import type { OutputFile } from '../writer/types.js';
import { checkTofuSyntax } from './tofu/json-syntax.js';
import type { ProviderSchemas } from './tofu/provider-schemas.js';

/** Findings of every stack under `<dir>/infra/`; a file that is not JSON is one finding. */
export function validateInfraTree(dir: string, schemas?: ProviderSchemas): { stacks: number; findings: Finding[] } {
  const root = join(dir, 'infra');
  if (!existsSync(root)) return { stacks: 0, findings: [] };
  const findings: Finding[] = [];
  const clusters = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const cluster of clusters) {
    const files: OutputFile[] = readdirSync(join(root, cluster)).filter((f) => f.endsWith('.tf.json')).sort()
      .map((f) => ({ path: `infra/${cluster}/${f}`, content: readFileSync(join(root, cluster, f), 'utf8') }));
    findings.push(...checkStack(cluster, files, schemas));
  }
  return { stacks: clusters.length, findings };
}

/** Findings of one stack's files: JSON syntax, and with `schemas` the providers' schemas and references. */
export function checkStack(cluster: string, files: readonly OutputFile[], schemas?: ProviderSchemas): Finding[] {
  const findings: Finding[] = [];
  const parsed: OutputFile[] = [];
  for (const f of files.filter((x) => x.path.endsWith('.tf.json'))) {
    let json: unknown;
    try { json = JSON.parse(f.content); } catch (e) {
      findings.push({ cluster, file: f.path, object: '(file)', path: '', message: `not JSON: ${(e as Error).message}` });
      continue;
    }
    parsed.push(f);
    findings.push(...checkTofuSyntax(cluster, f.path, json));
    if (schemas) findings.push(...schemas.check(cluster, f.path, json));
  }
  if (schemas) findings.push(...schemas.checkReferences(cluster, parsed));
  return findings;
}
