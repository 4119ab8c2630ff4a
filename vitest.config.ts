import { defineConfig } from "vitest/config";

// The load drills busy-loop both cores on purpose (tests/support/cpu-load.ts): they run as a
// group of their own after everything else, so their load proves the drill's design without
// slowing unrelated tests into timeouts.
const LOAD_DRILLS = ["tests/drills/kill9.test.ts"];

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
      { extends: true, test: { name: "load drills", include: LOAD_DRILLS, sequence: { groupOrder: 1 } } },
    ],
  },
});
