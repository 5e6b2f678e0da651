import { Command, Option } from 'commander';

export function register(program: Command): void {
  program.command('synth')
    .description('Render, validate and write every cluster of the fleet (or the named ones)')
    .option('--out <dir>', 'output root: dist, or an infra-gitops checkout', 'dist')
    .option('--overlays <dir>', 'folder of overlay files, one <cluster>.ts per cluster', 'overlays')
    .option('--cluster <name...>', 'render only these clusters; other clusters\' files are left alone')
    .option('--check', 'write nothing; list what would change and exit 1 if anything would')
    .addOption(new Option('--charts <mode>', 'render the pinned charts from the chart cache to check their values and objects and derive RBAC and allowlists: auto (what the cache has; the rest from charts.footprints.json, with a warning), require (fail on a chart the cache lacks: CI), off (default: $INFRA_SYNTH_CHARTS, else auto)')
      .choices(['auto', 'require', 'off']))
    .option('--full', 'render every cluster, even those whose inputs are those of a synth that passed (read back from the synth cache otherwise; also INFRA_SYNTH_INCREMENTAL=0)')
    .option('--simulate', 'before writing, replay each cluster\'s bootstrap and Argo CD sync offline (as infra-synth simulate): what a real cluster would refuse fails synth and nothing is written')
    .addHelpText('after', `
Examples:
  $ infra-synth synth                          render the whole fleet into dist/
  $ infra-synth synth --cluster yc-prod        render one cluster
  $ infra-synth synth --charts require         CI: every pinned chart rendered and checked (run charts pull first)
  $ infra-synth synth --check --out ../infra-gitops
                                               exit 1 when the checkout is not what synth renders

Exit codes: 0 written (or, with --check, nothing would change); 1 --check found changes;
2 bad input (overlays, output folder), one line per problem, nothing written.`)
    .action(async (opts: { out: string; overlays: string; cluster?: string[]; check?: boolean; charts?: 'auto' | 'require' | 'off'; simulate?: boolean; full?: boolean }) => {
      // The render workers of a large fleet start loading now, while this thread loads what synth
      // needs (a bad overlays folder is reported by synth itself).
      const [{ startRenderWorkers }, { listOverlayFiles }] = await Promise.all([import('../../pipeline/render-threads.js'), import('../../spec/overlay-files.js')]);
      try {
        startRenderWorkers(opts.cluster?.length ?? listOverlayFiles(opts.overlays).length);
      } catch { /* synthFleet reports the same error (a missing overlays folder, a bad INFRA_SYNTH_WORKERS) */ }
      // Loaded on demand: cdk8s and the charts cost ~0.4 s that other commands need not pay.
      const { synthFleet } = await import('../../pipeline/synth.js');
      // Progress only for a person watching a terminal, and only when it takes a while.
      const started = Date.now();
      const onProgress = process.stderr.isTTY
        ? (done: number, total: number) => {
          if (Date.now() - started > 1000 || done === total) process.stderr.write(`\rrendering clusters: ${done}/${total}${done === total ? '\n' : ''}`);
        }
        : undefined;
      const r = await synthFleet({ outDir: opts.out, overlaysDir: opts.overlays, clusters: opts.cluster, check: opts.check, onProgress, charts: opts.charts, simulate: opts.simulate, full: opts.full });
      const { added, changed, removed, unchanged } = r.changes;
      if (r.recovered === 'rolled-forward') process.stderr.write(`${opts.out}: finished the write an interrupted synth had left half done\n`);
      if (r.recovered === 'discarded') process.stderr.write(`${opts.out}: discarded the staging an interrupted synth had left (the tree was whole)\n`);
      const { redactSecrets } = await import('../../primitives/redact.js');
      for (const w of r.warnings) process.stderr.write(redactSecrets(`warning: ${w}\n`));
      if (opts.check) {
        for (const p of added) process.stdout.write(`+ ${p}\n`);
        for (const p of changed) process.stdout.write(`~ ${p}\n`);
        for (const p of removed) process.stdout.write(`- ${p}\n`);
        for (const p of r.sources) process.stdout.write(`~ ${p} (stale: run \`infra-synth synth\` and commit it)\n`);
        const n = added.length + changed.length + removed.length + r.sources.length;
        process.stdout.write(n ? `${opts.out}: ${n} file(s) would change; run \`npm run synth\`\n` : `${opts.out}: up to date (${r.files} files)\n`);
        if (n) process.exitCode = 1;
        return;
      }
      const names = r.clusters.length <= 10 ? ` (${r.clusters.join(', ')})` : '';
      const threads = r.workers ? ` on ${r.workers} threads` : '';
      const reused = r.reused ? ` (${r.reused} unchanged since a synth that passed, read back from the synth cache; --full renders them)` : '';
      process.stdout.write(`rendered ${r.clusters.length} cluster(s)${names}${threads}${reused}, ${r.objects} objects, validated\n`);
      process.stdout.write(`${opts.out}: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged} unchanged\n`);
      for (const p of r.sources) process.stdout.write(`updated ${p} (commit it)\n`);
    });
}
