// Closes every jest run with the skips and their reasons, and one plain line
// `N passed, N failed, N skipped` in which a suite that failed to run counts as a failure
// (jest's own summary counts only the tests that ran, so a suite that crashed while loading
// shows as "0 failed" tests). CI and people read this line.
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
