// Prints vitest's JSON report as the plain closing line CI understands: "N passed, N failed".
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "test-results/vitest.json";
try {
  const r = JSON.parse(readFileSync(file, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
} catch (err) {
  console.log(`0 passed, 1 failed (no test report: ${err instanceof Error ? err.message : err})`);
  process.exit(1);
}
