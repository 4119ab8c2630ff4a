import type { Platform } from "../../models/common/platform.ts";

const OK = "ok";

export interface ReadinessReport {
  ready: boolean;
  body: { status: "ready" | "not ready" | "shutting down"; checks?: Record<string, string> };
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
