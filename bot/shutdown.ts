import type { Logger } from "../core/logger.ts";
import { errorSummary } from "../core/error-summary.ts";
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
  /** Update inboxes (intake/inbox-worker.ts): stopping ends their sweeps; their handlers are in `inflight`. */
  inboxes: { stop(): void }[];
  /** `deadlineMs`: how long the send in hand may still take before the dispatcher aborts it itself. */
  dispatcher: { stop(deadlineMs?: number): Promise<void> } | null;
  scheduler: { stop(): Promise<void> } | null;
  db: { close(): Promise<void> } | null;
  /** The sandbox's emulator and embedded MongoDB (no-token runs). */
  sandbox: { stop(): Promise<void> } | null;
}

/**
 * Each step's share of the fixed budget besides the grace period (ms). Deadlines are cumulative
 * from the start of the stop, so time a step leaves unused (and grace the drain did not need)
 * passes to the steps after it, while a step that hangs only loses its own share.
 */
const SHARES = {
  stopPolling: 100,
  confirm: 150,
  dispatcher: 200,
  cron: 100,
  http: 100,
  database: 100,
  // The sandbox writes its database snapshot on the way out.
  sandbox: 150,
} as const;

/** The whole stop ends within `graceMs` plus this (the sum of the shares)... */
export const STOP_BUDGET_MS = Object.values(SHARES).reduce((a, b) => a + b, 0);
/** ...and the hard exit comes this long after the grace period: the budget plus room for the last log lines. */
export const HARD_EXIT_AFTER_GRACE_MS = 1_000;

/** The dispatcher aborts its send this long before its step's deadline, so it can still put the row back. */
const DISPATCHER_ABORT_MARGIN_MS = 100;

type Outcome = { kind: "done" } | { kind: "failed"; err: unknown } | { kind: "timed out" };

/** Waits for `work` until `ms` has passed. Whatever it does afterwards no longer holds the stop. */
async function settleWithin(work: () => unknown, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms), { kind: "timed out" })));
  const run = Promise.resolve()
    .then(work)
    .then(
      (): Outcome => ({ kind: "done" }),
      (err: unknown): Outcome => ({ kind: "failed", err }),
    );
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops in the order that loses nothing: not ready (the load balancer moves on), no new updates,
 * handlers in progress finish (bounded by `graceMs`), fetched updates confirmed, the outbox row in
 * hand settled, cron jobs finished, then the HTTP server and MongoDB closed. Every step has a
 * deadline: one that fails or does not settle in time is logged and the rest still run, so the
 * stop ends within `graceMs + STOP_BUDGET_MS` whatever the network or MongoDB does.
 */
export async function stopRunning(r: Running, graceMs: number, logger: Logger): Promise<void> {
  let due = Date.now();
  const step = async (name: string, shareMs: number, work: (leftMs: number) => unknown) => {
    due += shareMs;
    const left = due - Date.now();
    const outcome = await settleWithin(() => work(left), left);
    if (outcome.kind === "timed out") logger.warn({ step: name, ms: Math.max(0, left) }, "shutdown step timed out");
    if (outcome.kind === "failed") logger.warn({ err: errorSummary(outcome.err), step: name }, "shutdown step failed");
  };
  r.readiness.beginShutdown();
  r.http?.stopIntake();
  await step("stop polling", SHARES.stopPolling, () => Promise.all(r.pollers.map((p) => p.stop())));
  for (const inbox of r.inboxes) inbox.stop();
  if (r.inflight.size > 0) logger.info({ updates: r.inflight.size, graceMs }, "waiting for updates in progress");
  due += graceMs;
  if (await r.inflight.drain(Math.max(0, due - Date.now()))) {
    await step("confirm fetched updates", SHARES.confirm, () => Promise.all(r.pollers.map((p) => p.confirm())));
  } else {
    due += SHARES.confirm;
    logger.warn({ updates: r.inflight.size, graceMs }, "grace period over: updates still in progress are abandoned");
  }
  await step("outbox dispatcher", SHARES.dispatcher, (left) =>
    r.dispatcher?.stop(Math.max(0, left - DISPATCHER_ABORT_MARGIN_MS)),
  );
  await step("cron", SHARES.cron, () => r.scheduler?.stop());
  await step("HTTP server", SHARES.http, () => r.http?.close());
  await step("database", SHARES.database, () => r.db?.close());
  await step("sandbox", SHARES.sandbox, () => r.sandbox?.stop());
}

export interface ShutdownOptions {
  /**
   * SHUTDOWN_GRACE_MS. With it, `begin` arms a hard exit (code 1) at grace + 1 s: the backstop if
   * the stop itself overruns. Without it there is no hard exit.
   */
  graceMs?: number;
  /** process.exit; tests pass a recorder. */
  exit?: (code: number) => void;
}

/**
 * SIGTERM/SIGINT: one orderly stop, then exit 0. A second signal while stopping exits at once with
 * code 1: the operator insists, and whatever is still in progress is cut.
 */
export class Shutdown {
  private stopping = false;
  private readonly exit: (code: number) => void;

  constructor(
    private readonly stop: () => Promise<void>,
    private readonly logger: Logger,
    private readonly opts: ShutdownOptions = {},
  ) {
    this.exit = opts.exit ?? ((code) => process.exit(code));
  }

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
    let exited = false;
    const { graceMs } = this.opts;
    // Unref'd: it must never be what keeps the process alive, only what ends it.
    const hard =
      graceMs === undefined
        ? undefined
        : setTimeout(() => {
            exited = true;
            this.logger.error({ afterMs: graceMs + HARD_EXIT_AFTER_GRACE_MS }, "shutdown overran: exiting now");
            this.exit(1);
          }, graceMs + HARD_EXIT_AFTER_GRACE_MS).unref();
    this.stop()
      .catch((err: unknown) => this.logger.error({ err: errorSummary(err) }, "shutdown failed"))
      .finally(() => {
        clearTimeout(hard);
        if (exited) return;
        this.logger.info({ exitCode }, "stopped");
        this.exit(exitCode);
      });
  }

  private onSignal(signal: string): void {
    if (!this.stopping) return this.begin(signal, 0);
    this.logger.warn({ signal }, "second signal: exiting now");
    this.exit(1);
  }
}
