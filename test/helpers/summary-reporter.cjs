// Closes every jest run with the skips and their reasons, and one plain line
// `N passed, N failed, N skipped` in which a suite that failed to run counts as a failure
// (jest's own summary counts only the tests that ran, so a suite that crashed while loading
// shows as "0 failed" tests). CI and people read this line.
// The Helm renderer's conformance corpora (../shared/helm/conformance), by the suite that runs
// each: the run prints a pass count per corpus, the table in helm/README.md.
const CORPORA = [
  ['test/helm/template/go-parse.test.ts', 'go-parse.json (Go text/template parser)'],
  ['test/helm/template/go-exec.test.ts', 'go-exec.json (Go text/template executor)'],
  ['test/helm/sprig/sprig.test.ts', 'sprig.json (Sprig v3.3 template tests)'],
  ['test/helm/sprig/direct.test.ts', 'sprig-direct.json (Sprig functions called directly)'],
  ['test/helm/engine/helm-engine.test.ts', 'helm-engine.json (Helm v3.19 pkg/engine)'],
  ['test/helm/action/helm-template.test.ts', 'helm-template/ (helm template / install goldens)'],
  ['test/helm/unittest/conformance.test.ts', 'unittest/ (helm-unittest suites of the pinned charts)'],
  ['test/helm/rendered/otel-collector.test.ts', 'rendered/ OpenTelemetry collector examples'],
  ['test/helm/rendered/linkerd.test.ts', 'rendered/ Linkerd CLI goldens (approximate by nature)'],
  ['test/helm/fleet-charts.test.ts', 'pinned charts x example fleet, schema-valid'],
];

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const reasons = new Map();
    for (const suite of results.testResults) {
      for (const t of suite.testResults) {
        if (t.status !== 'pending' && t.status !== 'skipped') continue;
        const m = /\b(?:skipped|skip):\s*(.*)$/i.exec(t.title);
        const reason = m ? m[1] : 'no reason given';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    const out = [];
    const corpora = [];
    for (const [file, label] of CORPORA) {
      const suite = results.testResults.find((r) => r.testFilePath.replace(/\\/g, '/').endsWith(file));
      if (!suite) continue;
      const n = (status) => suite.testResults.filter((t) => t.status === status).length;
      const skipped = n('pending') + n('skipped');
      const total = suite.testResults.length;
      corpora.push(`  ${label}: ${n('passed')}/${total - skipped} passed${skipped ? `, ${skipped} skipped with reasons` : ''}${suite.testExecError ? ' (suite failed to run)' : ''}`);
    }
    if (corpora.length) out.push('Conformance:', ...corpora);
    if (reasons.size > 0) {
      out.push('Skipped, with reasons:');
      for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) out.push(`  ${n} × ${reason}`);
    }
    const brokenSuites = results.numRuntimeErrorTestSuites ?? 0;
    const failed = results.numFailedTests + brokenSuites;
    const skipped = results.numPendingTests + (results.numTodoTests ?? 0);
    out.push(`${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`
      + (brokenSuites ? ` (${brokenSuites} suite(s) failed to run)` : ''));
    process.stderr.write(`\n${out.join('\n')}\n`);
  }
}
module.exports = SummaryReporter;
