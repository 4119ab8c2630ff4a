import { defineConfig } from "vitest/config";

// The drills busy-loop both cores on purpose (tests/support/cpu-load.ts): they run as a group of
// their own after everything else, one file at a time, so their load proves the drill's design
// without slowing unrelated tests (or each other) into timeouts.
const LOAD_DRILLS = ["tests/drills/**/*.test.ts"];

export default defineConfig({
  test: {
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [
      {
        extends: true,
        test: { name: "tests", include: ["tests/**/*.test.ts"], exclude: LOAD_DRILLS, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "load drills", include: LOAD_DRILLS, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
