import type { RouteHandler } from "../../core/http-route.ts";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import type { Logger } from "../../core/logger.ts";
import type { ReadinessReport } from "./readiness.ts";
import { readUpdate } from "./body.ts";
import { sameSecret } from "./secrets.ts";
import { errorSummary } from "../../core/error-summary.ts";

/** Telegram echoes setWebhook's secret_token in this header (Node lower-cases header names). */
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** Updates are a few KB; a megabyte is generous and keeps a flood from filling memory. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookTarget {
  platform: string;
  pathSecret: string;
  /** Expected X-Telegram-Bot-Api-Secret-Token; null where the platform sends none (Bale). */
  headerSecret: string | null;
  /**
   * Records one update durably (the inbox); handling happens afterwards, elsewhere. The post is
   * answered 200 once this resolves, 503 (the Bot API retries) when it rejects or takes too long.
   */
  handleUpdate(update: Update): Promise<void>;
}

export type { RouteHandler };

export interface HttpServerOptions {
  readiness: { report(): Promise<ReadinessReport> };
  logger: Logger;
  maxBodyBytes?: number;
  /** The whole request (headers and body) must arrive within this. Default 30 s. */
  requestTimeoutMs?: number;
  /** The request's headers must arrive within this (slowloris). Default 10 s; at most requestTimeoutMs. */
  headersTimeoutMs?: number;
  /** An answered keep-alive connection may wait this long for its next request. Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** A connection that has not sent a request is closed after this long without a byte. Default 10 s. */
  idleTimeoutMs?: number;
  /** Connections beyond this are closed on arrival. Default 512. */
  maxConnections?: number;
  /** Recording a webhook update taking longer than this is answered 503. Default 10 s. */
  webhookTimeoutMs?: number;
  /** close(): connections still open after this are cut. Default 1 s. */
  closeGraceMs?: number;
}

type Limits = Record<
  | "requestTimeoutMs"
  | "headersTimeoutMs"
  | "keepAliveTimeoutMs"
  | "idleTimeoutMs"
  | "maxConnections"
  | "webhookTimeoutMs"
  | "closeGraceMs",
  number
>;

export const HTTP_DEFAULTS: Readonly<Limits> = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 10_000,
  maxConnections: 512,
  webhookTimeoutMs: 10_000,
  closeGraceMs: 1_000,
};

/** The cap's warning is logged at most this often: a flood must not become a log flood. */
const DROP_LOG_EVERY_MS = 10_000;

const WEBHOOK_PATH = /^\/webhook\/([^/]+)\/([^/]+)$/;

/** The options given, without the undefined ones (they must not hide a default). */
function definedOnly(opts: HttpServerOptions): Partial<Limits> {
  return Object.fromEntries(Object.entries(opts).filter(([k, v]) => k in HTTP_DEFAULTS && v !== undefined));
}

function send(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

class RecordTimeout extends Error {
  override name = "RecordTimeout";
}

/**
 * The process's one HTTP server: /healthz, /readyz and, in webhook mode, one secret path per
 * platform. A webhook update is answered 200 only once `handleUpdate` has recorded it durably, so
 * an acknowledged update survives a crash; a failed or slow record gets 503 and the Bot API sends
 * the update again. No socket can be held open: timeouts for idle connections, headers, the
 * request and keep-alive, and a cap on concurrent connections.
 */
export class HttpServer {
  private readonly server: http.Server;
  private readonly webhooks = new Map<string, WebhookTarget>();
  private readonly routes: RouteHandler[] = [];
  private readonly limits: Limits;
  private intakeOpen = true;

  constructor(private readonly opts: HttpServerOptions) {
    const limits: Limits = { ...HTTP_DEFAULTS, ...definedOnly(opts) };
    this.limits = limits;
    const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
    this.server = http.createServer(
      {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // Node checks header/request deadlines on this interval (default 30 s): often enough that they act promptly.
        connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
      },
      (req, res) => {
        // A request arrived: the idle timeout is over (keep-alive and the deadlines above take it from here).
        req.socket.setTimeout(0);
        this.route(req, res).catch((err: unknown) => {
          opts.logger.error({ err: errorSummary(err), path: req.url }, "HTTP request failed");
          if (!res.headersSent) send(res, 500, { error: "internal error" });
          else res.destroy();
        });
      },
    );
    // A connection that sends nothing: Node destroys a socket whose timeout nobody handles.
    this.server.on("connection", (socket) => socket.setTimeout(limits.idleTimeoutMs));
    this.server.maxConnections = limits.maxConnections;
    let dropped = 0;
    let droppedLoggedAt = 0;
    this.server.on("drop", () => {
      dropped++;
      if (Date.now() - droppedLoggedAt < DROP_LOG_EVERY_MS) return;
      opts.logger.warn(
        { dropped, maxConnections: limits.maxConnections },
        "connections refused: at the connection cap",
      );
      dropped = 0;
      droppedLoggedAt = Date.now();
    });
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

  /** Stops listening; a connection still open after `closeGraceMs` (a record in progress) is cut. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const force = setTimeout(() => this.server.closeAllConnections(), this.limits.closeGraceMs).unref();
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

  private async webhook(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    platform: string,
    secret: string,
  ): Promise<void> {
    const { logger } = this.opts;
    const target = this.webhooks.get(platform);
    // A wrong secret looks exactly like a path that does not exist.
    if (!target || !sameSecret(secret, target.pathSecret)) return send(res, 404, { error: "not found" });
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return send(res, 405, { error: "POST only" });
    }
    const header = req.headers[SECRET_HEADER];
    if (
      target.headerSecret !== null &&
      !sameSecret(typeof header === "string" ? header : undefined, target.headerSecret)
    ) {
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
    const updateId = body.update.update_id;
    try {
      await this.within(target.handleUpdate(body.update), this.limits.webhookTimeoutMs);
    } catch (err) {
      // Platform and id only: never the update, nor an error message that could quote it.
      logger.error(
        { platform, updateId, err: errorSummary(err) },
        "webhook update not recorded: answered 503, the Bot API retries",
      );
      return send(res, 503, { error: "update not recorded" });
    }
    send(res, 200, { ok: true });
  }

  private async within(work: Promise<void>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new RecordTimeout(`not settled within ${ms} ms`)), ms)),
    );
    try {
      await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
