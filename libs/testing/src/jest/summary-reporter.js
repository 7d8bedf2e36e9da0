// Prints `N passed, N failed` as the very last line of a run, for scripts and humans.
// A suite that cannot even load (syntax error, failing import) counts as a failure.
'use strict';

class SummaryReporter {
  constructor(globalConfig) {
    this.watching = Boolean(globalConfig && (globalConfig.watch || globalConfig.watchAll));
  }

  onRunComplete(_testContexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${passed} passed, ${failed} failed\n`;
    if (this.watching) {
      setImmediate(() => process.stdout.write(line));
      return;
    }
    // Jest adds its own summary reporter after the custom ones and runs the global
    // teardown afterwards: writing at exit is the only way to come last.
    if (!this.pending) process.once('exit', () => process.stdout.write(this.pending));
    this.pending = line;
  }
}

module.exports = SummaryReporter;
