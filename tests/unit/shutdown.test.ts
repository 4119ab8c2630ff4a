import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InFlight } from "../../bot/in-flight.ts";
import { Shutdown, stopRunning, type Running } from "../../bot/shutdown.ts";

const silent = pino({ level: "silent" });

/** A Running whose parts write what happens to them into `log`. */
function recordingRunning(log: string[], inflight = new InFlight()): Running {
  const step = (name: string) => async () => void log.push(name);
  return {
    readiness: { beginShutdown: () => void log.push("not ready") },
    inflight,
    http: { stopIntake: () => void log.push("webhook intake closed"), close: step("http closed") },
    pollers: [{ stop: step("polling stopped"), confirm: step("fetched updates confirmed") }],
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
    expect(log).toEqual(["not ready", "webhook intake closed", "polling stopped"]);
    finish();
    await stopping;
    expect(log).toEqual(["not ready", "webhook intake closed", "polling stopped", "handler finished", "fetched updates confirmed", "dispatcher stopped", "cron stopped", "http closed", "db closed", "sandbox stopped"]);
  });

  it("after the grace period: does not confirm (handlers were cut short), still closes everything", async () => {
    const log: string[] = [];
    const inflight = new InFlight();
    inflight.track(new Promise(() => undefined));
    await stopRunning(recordingRunning(log, inflight), 10, silent);
    expect(log).toEqual(["not ready", "webhook intake closed", "polling stopped", "dispatcher stopped", "cron stopped", "http closed", "db closed", "sandbox stopped"]);
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
});
