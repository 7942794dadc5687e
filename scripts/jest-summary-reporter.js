'use strict';
// Prints one plain closing line, "jest: N passed, N failed, N skipped", that CI systems read
// regardless of the runner (jest's own summary is "Tests: N passed, N total").
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
