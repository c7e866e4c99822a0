// Prints one plain closing line, "vitest: N passed, N failed[, N skipped]", that CI reads in
// any language (Vitest's own summary is not among the formats it knows).
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed += 1;
        else if (state === "failed") counts.failed += 1;
        else counts.skipped += 1;
      }
      if (module.state() === "failed" && ![...module.children.allTests()].length) counts.failed += 1;
    }
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : "";
    process.stdout.write(`vitest: ${counts.passed} passed, ${counts.failed} failed${skipped}\n`);
  }
}
