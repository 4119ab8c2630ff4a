import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InFlight } from "../../bot/in-flight.ts";
import { Shutdown, STOP_BUDGET_MS, stopRunning, type Running } from "../../bot/shutdown.ts";

const silent = pino({ level: "silent" });

/** Rejects when `work` has not settled after `ms`: a generous ceiling, not a timing claim. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ceiling = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms)),
  );
  return Promise.race([work, ceiling]).finally(() => clearTimeout(timer));
}

/** A Running whose parts write what happens to them into `log`. */
function recordingRunning(log: string[], inflight = new InFlight()): Running {
  const step = (name: string) => async () => void log.push(name);
  return {
    readiness: { beginShutdown: () => void log.push("not ready") },
    inflight,
    http: { stopIntake: () => void log.push("webhook intake closed"), close: step("http closed") },
    pollers: [{ stop: step("polling stopped"), confirm: step("fetched updates confirmed") }],
    inboxes: [{ stop: () => void log.push("inbox stopped") }],
    dispatcher: { stop: step("dispatcher stopped") },
    scheduler: { stop: step("cron stopped") },
    db: { close: step("db closed") },
    sandbox: { stop: step("sandbox stopped") },
  };
}

describe("stopRunning", () => {
  it("stops taking updates, lets handlers finish, confirms, then stops the workers and closes", async () => {
    const log: string[] = [];
    const inflight = new InFlight();
    let finish: () => void = () => undefined;
    inflight.track(new Promise<void>((resolve) => (finish = resolve)).then(() => void log.push("handler finished")));
    const stopping = stopRunning(recordingRunning(log, inflight), 10_000, silent);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(["not ready", "webhook intake closed", "polling stopped", "inbox stopped"]);
    finish();
    await stopping;
    expect(log).toEqual([
      "not ready",
      "webhook intake closed",
      "polling stopped",
      "inbox stopped",
      "handler finished",
      "fetched updates confirmed",
      "dispatcher stopped",
      "cron stopped",
      "http closed",
      "db closed",
      "sandbox stopped",
    ]);
  });

  it("after the grace period: does not confirm (handlers were cut short), still closes everything", async () => {
    const log: string[] = [];
    const inflight = new InFlight();
    inflight.track(new Promise(() => undefined));
    await stopRunning(recordingRunning(log, inflight), 10, silent);
    expect(log).toEqual([
      "not ready",
      "webhook intake closed",
      "polling stopped",
      "inbox stopped",
      "dispatcher stopped",
      "cron stopped",
      "http closed",
      "db closed",
      "sandbox stopped",
    ]);
  });

  it("a step that never settles is cut at its deadline, logged, and the rest still run", async () => {
    const log: string[] = [];
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const running = recordingRunning(log);
    running.dispatcher = { stop: () => new Promise<void>(() => undefined) };
    // A generous ceiling: the cut comes far earlier (within a second), the old code never ended.
    await within(stopRunning(running, 10, logger), 10_000, "stopRunning");
    expect(log).toEqual([
      "not ready",
      "webhook intake closed",
      "polling stopped",
      "inbox stopped",
      "fetched updates confirmed",
      "cron stopped",
      "http closed",
      "db closed",
      "sandbox stopped",
    ]);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ step: "outbox dispatcher", msg: "shutdown step timed out" }),
    );
  });

  it("with every step hanging, the whole stop still ends within graceMs + 1 s", async () => {
    vi.useFakeTimers();
    try {
      const never = () => new Promise<void>(() => undefined);
      const inflight = new InFlight();
      inflight.track(never());
      const running: Running = {
        readiness: { beginShutdown: () => undefined },
        inflight,
        http: { stopIntake: () => undefined, close: never },
        pollers: [{ stop: never, confirm: never }],
        inboxes: [],
        dispatcher: { stop: never },
        scheduler: { stop: never },
        db: { close: never },
        sandbox: { stop: never },
      };
      let done = false;
      void stopRunning(running, 5_000, silent).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(5_000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("the drain leaves unused grace to the steps after it", async () => {
    vi.useFakeTimers();
    try {
      // Nothing in flight: a dispatcher finishing its row in 3 s is not cut with a 5 s grace period.
      const log: string[] = [];
      const running = recordingRunning(log);
      const deadlines: (number | undefined)[] = [];
      running.dispatcher = {
        stop: (deadlineMs?: number) => {
          deadlines.push(deadlineMs);
          return new Promise<void>((resolve) => setTimeout(resolve, 3_000)).then(
            () => void log.push("dispatcher stopped"),
          );
        },
      };
      const stopping = stopRunning(running, 5_000, silent);
      await vi.advanceTimersByTimeAsync(3_000);
      await stopping;
      expect(log).toContain("dispatcher stopped");
      // Told how long it has, so it can abort its send and put the row back before it is cut.
      expect(deadlines[0]).toBeGreaterThan(3_000);
      expect(deadlines[0]).toBeLessThan(5_000 + STOP_BUDGET_MS);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a failing step is logged and the rest still run", async () => {
    const log: string[] = [];
    const running = recordingRunning(log);
    running.dispatcher = { stop: () => Promise.reject(new Error("db gone")) };
    await stopRunning(running, 10, silent);
    expect(log).toContain("db closed");
    expect(log).not.toContain("dispatcher stopped");
  });
});

describe("Shutdown (signals)", () => {
  const added: (() => void)[] = [];
  afterEach(() => {
    added.splice(0).forEach((remove) => remove());
    vi.restoreAllMocks();
  });

  function listening(stop: () => Promise<void>): { exits: number[]; shutdown: Shutdown } {
    const exits: number[] = [];
    vi.spyOn(process, "exit").mockImplementation(((code: number) => void exits.push(code)) as never);
    const before = new Set([...process.listeners("SIGTERM"), ...process.listeners("SIGINT")]);
    const shutdown = new Shutdown(stop, silent);
    shutdown.listen();
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      for (const l of process.listeners(signal)) if (!before.has(l)) added.push(() => process.off(signal, l));
    }
    return { exits, shutdown };
  }

  it("the first signal stops in order and exits 0; a second one exits 1 at once", async () => {
    let finish: () => void = () => undefined;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { exits, shutdown } = listening(stop);
    process.emit("SIGTERM");
    expect(shutdown.isStopping).toBe(true);
    expect(stop).toHaveBeenCalledTimes(1);
    process.emit("SIGINT");
    expect(exits).toEqual([1]);
    finish();
    await vi.waitFor(() => expect(exits).toEqual([1, 0]));
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it("a fatal failure stops the same way and exits with its code", async () => {
    const stop = vi.fn(async () => undefined);
    const { exits, shutdown } = listening(stop);
    shutdown.begin("polling failed", 1);
    shutdown.begin("polling failed", 1);
    await vi.waitFor(() => expect(exits).toEqual([1]));
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it("the hard exit timer fires at grace + 1 s when the stop never ends (exit code 1)", async () => {
    vi.useFakeTimers();
    // A safety net: nothing here may end the test runner.
    vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    try {
      const exits: number[] = [];
      const shutdown = new Shutdown(() => new Promise<void>(() => undefined), silent, {
        graceMs: 2_000,
        exit: (code) => void exits.push(code),
      });
      shutdown.begin("SIGTERM", 0);
      await vi.advanceTimersByTimeAsync(2_999);
      expect(exits).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(exits).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a stop that ends in time exits with its code once; the hard exit timer does not fire afterwards", async () => {
    vi.useFakeTimers();
    vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    try {
      const exits: number[] = [];
      const shutdown = new Shutdown(async () => undefined, silent, {
        graceMs: 2_000,
        exit: (code) => void exits.push(code),
      });
      shutdown.begin("SIGTERM", 0);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(exits).toEqual([0]);
    } finally {
      vi.useRealTimers();
    }
  });
});
