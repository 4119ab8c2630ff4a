import type { Logger } from "./logger.ts";
import type { InFlight } from "./in-flight.ts";
import type { Readiness } from "./http/readiness.ts";
import type { HttpServer } from "./http/server.ts";
import type { Polling } from "./intake/polling.ts";

/** What is running, filled in as start-up proceeds: a signal at any moment stops exactly that. */
export interface Running {
  readiness: Pick<Readiness, "beginShutdown">;
  inflight: InFlight;
  http: Pick<HttpServer, "stopIntake" | "close"> | null;
  pollers: Polling[];
  dispatcher: { stop(): Promise<void> } | null;
  scheduler: { stop(): Promise<void> } | null;
  db: { close(): Promise<void> } | null;
  /** The sandbox's emulator and embedded MongoDB (no-token runs). */
  sandbox: { stop(): Promise<void> } | null;
}

/**
 * Stops in the order that loses nothing: not ready (the load balancer moves on), no new updates,
 * handlers in progress finish (bounded by `graceMs`), fetched updates confirmed, the outbox row in
 * hand settled, cron jobs finished, then the HTTP server and MongoDB closed. A failing step is
 * logged and the rest still run.
 */
export async function stopRunning(r: Running, graceMs: number, logger: Logger): Promise<void> {
  const step = async (name: string, work: () => Promise<unknown> | undefined) => {
    try {
      await work();
    } catch (err) {
      logger.warn({ err, step: name }, "shutdown step failed");
    }
  };
  r.readiness.beginShutdown();
  r.http?.stopIntake();
  await step("stop polling", () => Promise.all(r.pollers.map((p) => p.stop())));
  if (r.inflight.size > 0) logger.info({ updates: r.inflight.size, graceMs }, "waiting for updates in progress");
  if (await r.inflight.drain(graceMs)) {
    await step("confirm fetched updates", () => Promise.all(r.pollers.map((p) => p.confirm())));
  } else {
    // Already confirmed to the Bot API (see intake/polling.ts): these are cut short.
    logger.warn({ updates: r.inflight.size, graceMs }, "grace period over: updates still in progress are abandoned");
  }
  await step("outbox dispatcher", () => r.dispatcher?.stop());
  await step("cron", () => r.scheduler?.stop());
  await step("HTTP server", () => r.http?.close());
  await step("database", () => r.db?.close());
  await step("sandbox", () => r.sandbox?.stop());
}

/**
 * SIGTERM/SIGINT: one orderly stop, then exit 0. A second signal while stopping exits at once with
 * code 1: the operator insists, and whatever is still in progress is cut.
 */
export class Shutdown {
  private stopping = false;

  constructor(
    private readonly stop: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  listen(): void {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => this.onSignal(signal));
  }

  /** Also for fatal failures after start-up (the poller gave up): the same orderly stop, then `exitCode`. */
  begin(reason: string, exitCode: number): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info({ signal: reason }, "shutting down");
    this.stop()
      .catch((err: unknown) => this.logger.error({ err }, "shutdown failed"))
      .finally(() => {
        this.logger.info({ exitCode }, "stopped");
        process.exit(exitCode);
      });
  }

  private onSignal(signal: string): void {
    if (!this.stopping) return this.begin(signal, 0);
    this.logger.warn({ signal }, "second signal: exiting now");
    process.exit(1);
  }
}
