import mongoose, { type Connection } from "mongoose";
import type { Platform } from "../../models/platform.ts";

/** A probe must answer within its own timeout (Kubernetes: 1 s by default): a hung DB is "not ready". */
export const DB_PING_TIMEOUT_MS = 1_000;

const OK = "ok";

export interface ReadinessReport {
  ready: boolean;
  body: { status: "ready" | "not ready" | "shutting down"; checks?: Record<string, string> };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when MongoDB answers a ping in time; throws saying why not. */
export async function pingMongo(conn: Connection, timeoutMs = DB_PING_TIMEOUT_MS): Promise<void> {
  const db = conn.readyState === mongoose.ConnectionStates.connected ? conn.db : undefined;
  if (!db) throw new Error(`not connected (${mongoose.ConnectionStates[conn.readyState] ?? conn.readyState})`);
  await withTimeout(db.admin().ping(), timeoutMs);
}

/**
 * What /readyz reports: ready when MongoDB answers and every bot is initialised (bot info known,
 * webhook set or polling started); never ready once shutdown has begun, so the load balancer
 * stops sending traffic before the process stops taking it.
 */
export class Readiness {
  private shuttingDown = false;
  private readonly bots: Map<Platform, string>;

  constructor(
    platforms: readonly Platform[],
    private readonly pingDb: () => Promise<void>,
  ) {
    this.bots = new Map(platforms.map((p) => [p, "not initialised"]));
  }

  botReady(platform: Platform): void {
    this.bots.set(platform, OK);
  }

  botStopped(platform: Platform, why: string): void {
    this.bots.set(platform, `stopped: ${why}`);
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<ReadinessReport> {
    if (this.shuttingDown) return { ready: false, body: { status: "shutting down" } };
    const checks: Record<string, string> = {};
    checks.mongodb = await this.pingDb().then(
      () => OK,
      (err: unknown) => `unreachable: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`,
    );
    for (const [platform, state] of this.bots) checks[`bot:${platform}`] = state;
    // Shutdown may have begun while the ping was out.
    const ready = !this.shuttingDown && Object.values(checks).every((v) => v === OK);
    return { ready, body: { status: this.shuttingDown ? "shutting down" : ready ? "ready" : "not ready", checks } };
  }
}
