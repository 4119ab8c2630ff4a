import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import type { Logger } from "../logger.ts";
import type { InFlight } from "../in-flight.ts";
import type { ReadinessReport } from "./readiness.ts";
import { readUpdate } from "./body.ts";
import { sameSecret } from "./secrets.ts";

/** Telegram echoes setWebhook's secret_token in this header (Node lower-cases header names). */
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** Updates are a few KB; a megabyte is generous and keeps a flood from filling memory. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookTarget {
  platform: string;
  pathSecret: string;
  /** Expected X-Telegram-Bot-Api-Secret-Token; null where the platform sends none (Bale). */
  headerSecret: string | null;
  /** Processes one update; the HTTP reply does not wait for it. */
  handleUpdate(update: Update): Promise<unknown>;
}

/** Another part served on the same port (the sandbox's page and emulator); false = not mine. */
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface HttpServerOptions {
  readiness: { report(): Promise<ReadinessReport> };
  /** Webhook updates being processed: shutdown waits for them. */
  inflight: InFlight;
  logger: Logger;
  maxBodyBytes?: number;
}

const WEBHOOK_PATH = /^\/webhook\/([^/]+)\/([^/]+)$/;

function send(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/**
 * The process's one HTTP server: /healthz, /readyz and, in webhook mode, one secret path per
 * platform. Webhook updates are answered 200 as soon as they are read and checked, and processed
 * afterwards ("answer fast, process after"): the Bot API never waits on our database.
 */
export class HttpServer {
  private readonly server: http.Server;
  private readonly webhooks = new Map<string, WebhookTarget>();
  private readonly routes: RouteHandler[] = [];
  private intakeOpen = true;

  constructor(private readonly opts: HttpServerOptions) {
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        opts.logger.error({ err, path: req.url }, "HTTP request failed");
        if (!res.headersSent) send(res, 500, { error: "internal error" });
        else res.destroy();
      });
    });
    // A client that trickles its request must not hold a socket for Node's default five minutes.
    this.server.requestTimeout = 30_000;
  }

  /** Mounts more routes; they are asked, in order, before the 404. */
  addRoutes(handler: RouteHandler): void {
    this.routes.push(handler);
  }

  /** Starts taking updates for one platform (after its bot is initialised). */
  addWebhook(target: WebhookTarget): void {
    this.webhooks.set(target.platform, target);
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  /** From now on webhook posts get 503: the Bot API retries them (another instance, or us after a restart). */
  stopIntake(): void {
    this.intakeOpen = false;
  }

  /** Stops listening; a connection still open after a moment is cut. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const force = setTimeout(() => this.server.closeAllConnections(), 2_000).unref();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
    clearTimeout(force);
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && path === "/healthz") return send(res, 200, { status: "ok" });
    if (req.method === "GET" && path === "/readyz") {
      const { ready, body } = await this.opts.readiness.report();
      return send(res, ready ? 200 : 503, body);
    }
    const hook = WEBHOOK_PATH.exec(path);
    if (hook) return this.webhook(req, res, hook[1]!, hook[2]!);
    for (const handler of this.routes) if (await handler(req, res)) return;
    send(res, 404, { error: "not found" });
  }

  private async webhook(req: http.IncomingMessage, res: http.ServerResponse, platform: string, secret: string): Promise<void> {
    const { logger } = this.opts;
    const target = this.webhooks.get(platform);
    // A wrong secret looks exactly like a path that does not exist.
    if (!target || !sameSecret(secret, target.pathSecret)) return send(res, 404, { error: "not found" });
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return send(res, 405, { error: "POST only" });
    }
    const header = req.headers[SECRET_HEADER];
    if (target.headerSecret !== null && !sameSecret(typeof header === "string" ? header : undefined, target.headerSecret)) {
      logger.warn({ platform }, "webhook post with a wrong secret token header refused");
      return send(res, 401, { error: "bad secret token" });
    }
    if (!this.intakeOpen) return send(res, 503, { error: "shutting down" });
    const body = await readUpdate(req, this.opts.maxBodyBytes ?? MAX_BODY_BYTES);
    if (!body.ok) {
      logger.warn({ platform, status: body.status }, `webhook post refused: ${body.error}`);
      if (body.status === 413) res.setHeader("connection", "close");
      return send(res, body.status, { error: body.error });
    }
    send(res, 200, { ok: true });
    const updateId = body.update.update_id;
    this.opts.inflight.track(target.handleUpdate(body.update)).catch((err: unknown) => logger.error({ err, platform, updateId }, "webhook update failed"));
  }
}
