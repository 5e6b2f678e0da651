// Start-up of the command as users run it (bin/infra-synth.mjs, which imports build/cli.mjs)
// against a bare node process, runs alternating so that the machine's noise falls on both. The
// target (issue 16) is `--help` ≤ 150 ms; bare node is the floor no change of ours can go under,
// so the ratio is the honest figure on a loaded machine.
import { join } from 'node:path';
import { runOnce, stats, timed, type Row, type Runs } from './synth-vs-floor.js';

const LAUNCHER = join(import.meta.dirname, '..', 'bin', 'infra-synth.mjs');

/** What is started, each a fresh process: node's own floor, then the commands' help. */
const CASES: readonly { readonly label: string; readonly args: readonly string[] }[] = [
  { label: 'bare node -e 0', args: ['-e', '0'] },
  { label: 'infra-synth --help', args: [LAUNCHER, '--help'] },
  { label: 'infra-synth validate --help', args: [LAUNCHER, 'validate', '--help'] },
  { label: 'infra-synth diff --help', args: [LAUNCHER, 'diff', '--help'] },
];

/** `runs` rounds of every case in turn; medians with min–max, and `--help` over bare node. */
export function startup(runs: number): Row[] {
  const all: Runs[] = CASES.map(() => ({ wallMs: [], maxRssMiB: [] }));
  for (let i = 0; i < runs; i++) {
    CASES.forEach((c, k) => {
      const r = runOnce([...c.args]);
      all[k].wallMs.push(r.wallMs);
      all[k].maxRssMiB.push(r.maxRssMiB);
    });
  }
  const help = stats(all[1].wallMs).median;
  return [
    ...CASES.map((c, k) => timed(`${c.label} (${runs} runs)`, all[k])),
    { name: 'ratio: infra-synth --help / bare node', value: Number((help / stats(all[0].wallMs).median).toFixed(2)), unit: 'x', note: `target --help ≤ 150 ms (measured ${Math.round(help)} ms)` },
  ];
}
