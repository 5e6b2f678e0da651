// `infra-synth charts pull` and `charts verify`: the chart cache and lock behind synth's charts.
// Both attach to the `charts` command (created here when the template/test commands have not
// created it yet), so the command tree is one `charts` with all its subcommands.
import type { Command } from 'commander';
import { UserError } from '../../primitives/errors.js';
import { CHARTS } from '../../catalog/versions.js';
import { defaultCacheDir } from '../../helm/repo/cache.js';
import { ChartRepoError } from '../../helm/repo/errors.js';
import { importCharts } from '../../helm/repo/import.js';
import { LOCK_FILE_NAME } from '../../helm/repo/lock.js';
import { checkCharts, pullCharts, type ChartPin, type Mirror, type PullReport } from '../../helm/repo/pull.js';
import { registerVerify } from './charts-verify.js';

/** The charts the catalog pins, in catalog order. */
export function catalogPins(): ChartPin[] {
  return Object.values(CHARTS).map((c) => ({ name: c.chart, version: c.version, repository: c.repoURL }));
}

/** The pins named by --chart (all when none), or a UserError naming each unknown chart. */
export function selectPins(pins: readonly ChartPin[], names: readonly string[]): ChartPin[] {
  if (names.length === 0) return [...pins];
  const unknown = names.filter((n) => !pins.some((p) => p.name === n));
  if (unknown.length) {
    throw new UserError(unknown.map((n) => `--chart ${n}: chart ${n} is not pinned in catalog/versions.ts (pinned: ${pins.map((p) => p.name).join(', ')})`));
  }
  return pins.filter((p) => names.includes(p.name));
}

/** `--mirror FROM=TO`, repeatable: repository URL prefixes. */
function parseMirrors(values: readonly string[]): Mirror[] {
  const problems = values.filter((v) => !/^[^=]+=.+$/.test(v)).map((v) => `--mirror ${v}: expected FROM=TO (repository URL prefixes)`);
  if (problems.length) throw new UserError(problems);
  return values.map((v) => ({ from: v.slice(0, v.indexOf('=')), to: v.slice(v.indexOf('=') + 1) }));
}

/** `--stand-in NAME=FOLDER`, repeatable. */
function parseStandIns(values: readonly string[], pins: readonly ChartPin[]): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const v of values) {
    const m = /^([^=]+)=(.+)$/.exec(v);
    if (!m) problems.push(`--stand-in ${v}: expected CHART=FOLDER`);
    else if (!pins.some((p) => p.name === m[1])) problems.push(`--stand-in ${v}: chart ${m[1]} is not pinned in catalog/versions.ts`);
    else out[m[1]] = m[2];
  }
  if (problems.length) throw new UserError(problems);
  return out;
}

const collect = (v: string, prev: string[]) => [...prev, v];

interface PullFlags {
  chart: string[];
  check?: boolean;
  from?: string;
  standIn: string[];
  mirror: string[];
  relock?: boolean;
  cacheDir: string;
  lock: string;
}

export async function pullCommand(flags: PullFlags, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const pins = selectPins(catalogPins(), flags.chart);
  const misuse = [
    ...(flags.standIn.length && flags.from === undefined ? ['--stand-in: only with --from (it names a folder of the --from folder)'] : []),
    ...(flags.mirror.length && flags.from !== undefined ? ['--mirror: not with --from (a mirror is a repository URL)'] : []),
  ];
  if (misuse.length) throw new UserError(misuse);
  const where = { cacheDir: flags.cacheDir, lockFile: flags.lock };
  try {
    if (flags.check) {
      // With --chart the lock's other entries are none of this check's business.
      const problems = checkCharts(pins, where).filter((p) => flags.chart.length === 0 || !p.startsWith(`${flags.lock}:`));
      for (const p of problems) out.write(`${p}\n`);
      out.write(problems.length ? `${problems.length} problem(s); synth cannot find every chart\n` : `${pins.length} chart(s) locked and cached in ${flags.cacheDir}\n`);
      return problems.length ? 1 : 0;
    }
    const options = { ...where, relock: flags.relock, prune: flags.chart.length === 0, log: (line: string) => out.write(`${line}\n`) };
    const report: PullReport = flags.from !== undefined
      ? await importCharts(pins, { ...options, fromDir: flags.from, standIns: parseStandIns(flags.standIn, pins) })
      : await pullCharts(pins, { ...options, mirrors: parseMirrors(flags.mirror) });
    for (const w of report.warnings) err.write(`warning: ${w}\n`);
    out.write(`${flags.lock}: ${report.lockChanged ? 'updated' : 'unchanged'}; ${report.fetched.length} ${flags.from !== undefined ? 'packaged' : 'pulled'}, ${report.cached.length} already cached\n`);
    if (report.errors.length) throw new UserError(report.errors);
    return 0;
  } catch (e) {
    if (e instanceof ChartRepoError) throw new UserError(e.message);
    throw e;
  }
}

/** The `charts` command, whoever registers first creates it. */
export function chartsCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'charts')
    ?? program.command('charts').description('Helm charts: render, test, pull into the cache, verify against helm');
}

export function register(program: Command): void {
  const charts = chartsCommand(program);
  registerVerify(charts, catalogPins, selectPins);
  charts.command('pull')
    .description('Fetch the charts pinned in catalog/versions.ts into the content-addressed cache and record their digests in charts.lock.json')
    .option('--chart <name>', 'only this chart (repeatable)', collect, [])
    .option('--check', 'offline: check that every pinned chart is locked and cached; exit 1 if not')
    .option('--from <dir>', 'offline: take the charts from a folder of chart folders or .tgz packages instead of their repositories')
    .option('--stand-in <chart=folder>', 'with --from: package FOLDER as the pinned version of CHART (repeatable)', collect, [])
    .option('--mirror <from=to>', 'fetch repositories whose URL starts with FROM from TO instead, e.g. a chart proxy (repeatable)', collect, [])
    .option('--relock', 'accept packages whose digest differs from the lock (fetched again even when cached)')
    .option('--cache-dir <dir>', 'the chart cache (default: $INFRA_SYNTH_CHART_CACHE or ~/.cache/infra-synth/charts)', defaultCacheDir())
    .option('--lock <file>', 'the lock file', LOCK_FILE_NAME)
    .addHelpText('after', `
Examples:
  $ infra-synth charts pull                                  every pinned chart, from its repository
  $ infra-synth charts pull --chart loki                     one chart (after a version bump)
  $ infra-synth charts pull --check                          in CI: everything synth needs is cached
  $ infra-synth charts pull --from ../shared/helm/charts     offline, from chart folders (see helm/README.md)

Exit codes: 0 cached and locked; 1 --check found a chart missing; 2 bad input or a chart that
could not be pulled (one line per chart: a digest mismatch names both digests and the fix).`)
    .action(async (flags: PullFlags) => {
      process.exitCode = await pullCommand(flags);
    });
}
