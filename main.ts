// The cdk8s app entry (cdk8s.yaml: `app: node build/main.mjs`): renders the whole fleet into
// $CDK8S_OUTDIR (or dist). `npm run synth` goes through the CLI instead (cli/commands/synth.ts);
// both run pipeline/synth.ts.
import { UserError } from './primitives/errors.js';
import { synthFleet } from './pipeline/synth.js';

synthFleet({ outDir: process.env.CDK8S_OUTDIR ?? 'dist' }).then(
  (r) => process.stdout.write(`rendered ${r.clusters.length} clusters, ${r.objects} objects\n`),
  (e) => {
    for (const line of e instanceof UserError ? e.problems : [String(e?.stack ?? e)]) process.stderr.write(`error: ${line}\n`);
    process.exitCode = 2;
  },
);
