import { Command } from 'commander';

export function register(program: Command): void {
  program.command('docs')
    .description('Generate the per-service pages (docs/services/<service>.md) from the overlays: metrics, OTLP settings, Vault mount path and keys')
    .option('--overlays <dir>', 'folder of overlay files', 'overlays')
    .option('--out <dir>', 'folder of the generated pages', 'docs/services')
    .option('--check', 'write nothing; exit 1 if a page is stale or missing')
    .addHelpText('after', `
Examples:
  $ infra-synth docs            regenerate docs/services/*.md after an overlay change
  $ infra-synth docs --check    in CI: exit 1 when a page is stale

Exit codes: 0 written (or up to date); 1 --check found stale pages; 2 bad overlays.`)
    .action(async (opts: { overlays: string; out: string; check?: boolean }) => {
      const { loadFleet } = await import('../../spec/load.js');
      const { renderServiceDocs, writeServiceDocs } = await import('../../pipeline/service-docs.js');
      const pages = renderServiceDocs(await loadFleet(opts.overlays));
      const r = writeServiceDocs(opts.out, pages, opts.check);
      for (const f of r.written) process.stdout.write(`${opts.check ? '~' : 'wrote'} ${opts.out}/${f}\n`);
      for (const f of r.removed) process.stdout.write(`${opts.check ? '-' : 'removed'} ${opts.out}/${f}\n`);
      const n = r.written.length + r.removed.length;
      if (opts.check && n) {
        process.stdout.write(`${opts.out}: ${n} page(s) stale; run \`infra-synth docs\` and commit them\n`);
        process.exitCode = 1;
      } else if (!n) process.stdout.write(`${opts.out}: up to date (${pages.size} page(s))\n`);
    });
}
