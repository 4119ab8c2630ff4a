import { afterAll, beforeAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";

/**
 * Busy-loops one child process per core (or `count`), so a drill runs on a machine as loaded as
 * a CI runner beside other work: a drill that passes only on an idle machine proves timing, not
 * design. `stop` kills them.
 */
export function loadCpus(count = availableParallelism()): { stop(): Promise<void>; count: number } {
  const burners: ChildProcess[] = [];
  for (let i = 0; i < count; i++) burners.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  return {
    count,
    async stop() {
      await Promise.all(
        burners.map(
          (b) =>
            new Promise<void>((resolve) => {
              if (b.exitCode !== null || b.signalCode !== null) return resolve();
              b.once("exit", () => resolve());
              b.kill("SIGKILL");
            }),
        ),
      );
    },
  };
}

/**
 * Both cores (or `count`) busy while this test file runs: its beforeAll starts the burners, its
 * afterAll stops them. For the drills (crash, fault, outage, fuzz). Returns how many.
 */
export function loadCpusWhileFileRuns(count = 2): number {
  let load: ReturnType<typeof loadCpus> | null = null;
  beforeAll(() => {
    load = loadCpus(count);
  });
  afterAll(() => load?.stop());
  return count;
}
