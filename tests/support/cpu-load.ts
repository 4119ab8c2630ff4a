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
