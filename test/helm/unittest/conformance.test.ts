// helm-unittest conformance: every suite the pinned charts ship (conformance/unittest/<dir>/, one
// jest test per helm-unittest test case) run against its chart in charts/, as the plugin runs
// it. The chart and suite files are read-only: new snapshots are not written. Each suite dir's
// pass count is printed when it finishes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadChart } from '../../../helm/chart/load.js';
import { chartRenderer } from '../../../helm/unittest/render.js';
import { runTest, type RunOptions, type TestResult } from '../../../helm/unittest/runner.js';
import { SnapshotCache, snapshotFileOf } from '../../../helm/unittest/snapshot.js';
import { parseSuiteFile, type TestSuite } from '../../../helm/unittest/suite.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { skipReason } from '../conformance-skips.js';

const CORPUS = 'helm/conformance/unittest';

interface SuiteDirSummary { chartPath: string }

function suiteFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== '__snapshot__') walk(p);
      } else if (/\.ya?ml$/.test(name) && /^tests:/m.test(readFileSync(p, 'utf8'))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function describeFailure(r: TestResult): string {
  if (r.execError !== undefined && r.asserts.length === 0) return `Error: ${r.execError}`;
  return r.asserts.filter((a) => !a.passed).map((a) => [`asserts[${a.index}] \`${a.type}\` fail`, ...a.failInfo].join('\n')).join('\n\n');
}

describeWithReferenceData('helm-unittest suites of the pinned charts', [CORPUS, 'helm/charts'], () => {
  const summary = JSON.parse(readFileSync(referencePath(`${CORPUS}/summary.json`), 'utf8')) as { suites: Record<string, SuiteDirSummary> };

  for (const [dirName, info] of Object.entries(summary.suites)) {
    describe(dirName, () => {
      const dir = referencePath(`${CORPUS}/${dirName}`);
      const chartDir = referencePath(`helm/${info.chartPath}`);
      let options: RunOptions | Error | undefined;
      const counts = { passed: 0, total: 0 };
      const runOptions = (): RunOptions => {
        if (options === undefined) {
          try {
            const chart = loadChart(chartDir);
            options = { chartName: chart.name(), render: chartRenderer(chart) };
          } catch (e) {
            options = e as Error;
          }
        }
        if (options instanceof Error) throw options;
        return options;
      };
      afterAll(() => {
        const skipped = skipReason('helm-unittest', dirName) ? ' (skipped: see conformance-skips.ts)' : '';
        process.stderr.write(`helm-unittest ${dirName}: ${counts.passed}/${counts.total} tests pass${skipped}\n`);
      });

      for (const file of suiteFiles(dir)) {
        const rel = relative(dir, file);
        let suites: TestSuite[];
        try {
          suites = parseSuiteFile(file);
        } catch (e) {
          test(`${rel} parses`, () => { throw e; });
          continue;
        }
        for (const suite of suites) {
          describe(`${rel}: ${suite.name}`, () => {
            // The plugin's snapshot cache is per suite; conformance never writes it.
            let snapshots: SnapshotCache | undefined;
            for (const job of suite.tests) {
              const id = `${dirName}/${rel}/${job.name}`;
              const reason = skipReason('helm-unittest', dirName) ?? skipReason('helm-unittest', id);
              if (reason) {
                test.skip(`${job.name} (skipped: ${reason})`, () => undefined);
                continue;
              }
              test(job.name, () => {
                counts.total++;
                snapshots ??= new SnapshotCache(snapshotFileOf(suite.file, suite.snapshotId));
                const r = runTest(job, suite, runOptions(), snapshots);
                if (r.skipped) return;
                if (!r.passed) throw new Error(describeFailure(r));
                counts.passed++;
              });
            }
          });
        }
      }
    });
  }
});
