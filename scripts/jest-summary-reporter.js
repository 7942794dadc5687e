'use strict';
// Prints one plain closing line that CI systems read regardless of the runner (jest's own summary is
// "Tests: N passed, N total" and leaves suites that never ran out of the test counts):
//
//   jest: 306 passed, 6 failed, 0 skipped (4 failed: suites that did not run)
//
// A suite that fails to run (a syntax error, a throw at load time, an error in beforeAll/afterAll)
// contributes no test results, so jest's test counts read green for it. Here each such suite counts
// as one failure, and the suites are named after the line.
const path = require('path');

/** Suites that failed without a failing test of their own: they did not run (or did not finish). */
function brokenSuites(results) {
  return results.testResults.filter((r) => Boolean(r.testExecError) || (r.numFailingTests === 0 && Boolean(r.failureMessage)));
}

function summaryLine(results) {
  const broken = brokenSuites(results);
  const skipped = results.numPendingTests + results.numTodoTests;
  const failed = results.numFailedTests + broken.length;
  const note = broken.length > 0 ? ` (${broken.length} failed: ${broken.length === 1 ? 'a suite that did' : 'suites that did'} not run)` : '';
  return `jest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped${note}`;
}

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = (globalConfig && globalConfig.rootDir) || process.cwd();
  }

  onRunComplete(_contexts, results) {
    const lines = [summaryLine(results)];
    for (const r of brokenSuites(results)) {
      const why = String((r.testExecError && r.testExecError.message) || r.failureMessage || '').split('\n').find((l) => l.trim() !== '') || 'no message';
      lines.push(`jest: did not run: ${path.relative(this.rootDir, r.testFilePath)}: ${why.trim()}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
}
module.exports = SummaryReporter;
module.exports.summaryLine = summaryLine;
