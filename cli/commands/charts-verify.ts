// `infra-synth charts verify`: where a real `helm` is on PATH (users' CI), render every pinned
// chart from the cache with `helm template` and with our renderer, and show the differences.
// Without helm it reports itself skipped: it is a cross-check, not a gate synth needs.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { UserError } from '../../primitives/errors.js';
import { defaultCacheDir } from '../../helm/repo/cache.js';
import { ChartRepoError } from '../../helm/repo/errors.js';
import { LOCK_FILE_NAME } from '../../helm/repo/lock.js';
import { resolveChart } from '../../helm/repo/resolve.js';
import type { ChartPin } from '../../helm/repo/pull.js';

/** `$INFRA_SYNTH_HELM`, else the first executable `helm` on PATH, else undefined. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.INFRA_SYNTH_HELM) return env.INFRA_SYNTH_HELM;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, process.platform === 'win32' ? 'helm.exe' : 'helm');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Given to both renderers explicitly (helm's own default follows the client-go it was built
 * with): recent enough for every pin's kubeVersion constraint (linkerd needs >= 1.31).
 */
export const DEFAULT_KUBE_VERSION = 'v1.34.0';

export interface VerifyFlags {
  kubeVersion: string;
  /** -f files and --set values, given to both renderers (with --chart: that chart's values). */
  values: string[];
  set: string[];
  cacheDir: string;
  lock: string;
}

/** Both renderers' output, or the first line of the error each gave. */
type Outcome = { ok: true; text: string } | { ok: false; error: string };

export async function verifyCommand(pins: readonly ChartPin[], flags: VerifyFlags, out: NodeJS.WritableStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const helm = findHelm(env);
  if (!helm) {
    out.write('skipped: no helm binary on PATH (or INFRA_SYNTH_HELM); charts verify compares `helm template` with infra-synth\'s renderer where helm exists\n');
    return 0;
  }
  const paths = pins.map((pin) => {
    try {
      return resolveChart(pin.name, pin.version, { cacheDir: flags.cacheDir, lockFile: flags.lock });
    } catch (e) {
      if (e instanceof ChartRepoError) throw new UserError(e.message);
      throw e;
    }
  });
  const { renderChart } = await import('../../helm/index.js');
  // The same inputs for both: helm template's release name and namespace, CRDs included, an
  // explicit Kubernetes version (helm's own default depends on the helm release).
  const ours = (path: string): Outcome => {
    try {
      return {
        ok: true,
        text: renderChart(path, {
          releaseName: 'release-name', namespace: 'default', kubeVersion: flags.kubeVersion, includeCrds: true, valuesFiles: flags.values, set: flags.set,
        }).output,
      };
    } catch (e) {
      return { ok: false, error: (e as Error).message.split('\n')[0] };
    }
  };
  const theirs = (path: string): Outcome => {
    try {
      const args = ['template', 'release-name', path, '--namespace', 'default', '--kube-version', flags.kubeVersion, '--include-crds'];
      for (const f of flags.values) args.push('--values', f);
      for (const v of flags.set) args.push('--set', v);
      const text = execFileSync(helm, args, {
        encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { ok: true, text };
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      return { ok: false, error: (err.stderr || err.message).trim().split('\n')[0] };
    }
  };
  let differing = 0;
  pins.forEach((pin, i) => {
    const a = theirs(paths[i]);
    const b = ours(paths[i]);
    const what = `${pin.name} ${pin.version}`;
    if (a.ok && b.ok && a.text === b.text) {
      out.write(`same     ${what}\n`);
    } else if (!a.ok && !b.ok) {
      out.write(`same     ${what} (both refuse it; helm: ${a.error}; infra-synth: ${b.error})\n`);
    } else {
      differing++;
      out.write(`differs  ${what}\n`);
      if (!a.ok) out.write(`  helm refuses it: ${a.error}\n`);
      else if (!b.ok) out.write(`  infra-synth refuses it: ${b.error}\n`);
      else out.write(createTwoFilesPatch(`helm template ${what}`, `infra-synth ${what}`, a.text, b.text, '', '', { context: 2 }));
    }
  });
  out.write(`${helm}: ${pins.length - differing} of ${pins.length} chart(s) render the same\n`);
  return differing ? 1 : 0;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function registerVerify(charts: Command, pins: () => ChartPin[], select: (pins: readonly ChartPin[], names: readonly string[]) => ChartPin[]): void {
  charts.command('verify')
    .description('Render every pinned chart with `helm template` and with infra-synth, and diff them (skipped when no helm is on PATH)')
    .option('--chart <name>', 'only this chart (repeatable)', collect, [])
    .option('-f, --values <file>', 'values file given to both renderers (repeatable; usually with one --chart)', collect, [])
    .option('--set <key=value>', 'a value given to both renderers, as helm --set (repeatable)', collect, [])
    .option('--kube-version <version>', 'Kubernetes version given to both renderers', DEFAULT_KUBE_VERSION)
    .option('--cache-dir <dir>', 'the chart cache (default: $INFRA_SYNTH_CHART_CACHE or ~/.cache/infra-synth/charts)', defaultCacheDir())
    .option('--lock <file>', 'the lock file', LOCK_FILE_NAME)
    .addHelpText('after', `
Examples:
  $ infra-synth charts verify                     every pinned chart (run charts pull first)
  $ INFRA_SYNTH_HELM=/opt/helm-3.19/helm infra-synth charts verify --chart loki
  $ infra-synth charts verify --chart opentelemetry-collector --set image.repository=otel/opentelemetry-collector-k8s

Exit codes: 0 the same (or skipped: no helm); 1 a chart renders differently; 2 a chart is not cached.`)
    .action(async (flags: VerifyFlags & { chart: string[] }) => {
      process.exitCode = await verifyCommand(select(pins(), flags.chart), flags);
    });
}
