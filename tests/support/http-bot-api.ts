import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { FakeBotApi } from "./fake-bot-api.ts";

/** Where the bot asked for its updates to be posted (setWebhook), as Telegram keeps it. */
interface Webhook {
  url: string;
  secret: string | null;
}

/**
 * The fetch-level fake served over real HTTP, plus a getUpdates queue with long polling: enough
 * Bot API for `npm start` in a child process to run against. After the bot's setWebhook, queued
 * updates are posted to its URL instead, one at a time and in order, each until it is answered
 * 2xx (as Telegram does: an unanswered update is delivered again).
 */
export class HttpBotApi {
  readonly fake = new FakeBotApi();
  /** Every update ever pushed, delivered or not. */
  readonly updates: Update[] = [];
  private readonly queue: Update[] = [];
  private readonly deliveredHooks: ((updates: Update[]) => void)[] = [];
  private webhook: Webhook | null = null;
  private delivering = false;
  private waiters: (() => void)[] = [];
  /** Never reused by a later instance on the same database (the bot skips update ids it has seen). */
  private nextId = Date.now();
  private server: http.Server | null = null;
  root = "";
  /** Outage drill: from now on every request's socket is destroyed unanswered (a long poll already waiting too). */
  dropConnections = false;
  /** Outage drill: from now on every request is held unanswered, a black hole, until stop(). */
  holdRequests = false;
  /** Bot API methods that met an outage, in order (method names only: URLs carry the token). */
  readonly cutMethods: string[] = [];

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.root = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.waiters.forEach((w) => w());
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  push(update: Omit<Update, "update_id">): void {
    const full = { update_id: this.nextId++, ...update } as Update;
    this.updates.push(full);
    this.queue.push(full);
    this.waiters.splice(0).forEach((w) => w());
    void this.deliver();
  }

  /**
   * `hook` sees updates the moment they reach the bot: a getUpdates answer fully written, or a
   * webhook post fully sent (not yet answered). Drills kill the bot there.
   */
  onDelivered(hook: (updates: Update[]) => void): void {
    this.deliveredHooks.push(hook);
  }

  /** Webhook mode: posts the queue's head until the bot answers 2xx, then the next one. */
  private async deliver(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.webhook && this.queue.length > 0) {
        const update = this.queue[0]!;
        if (await this.post(this.webhook, update)) this.queue.shift();
        else await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      this.delivering = false;
    }
  }

  private post(hook: Webhook, update: Update): Promise<boolean> {
    return new Promise((resolve) => {
      const body = JSON.stringify(update);
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
      };
      if (hook.secret) headers["x-telegram-bot-api-secret-token"] = hook.secret;
      // Whatever happens to the connection (a bot killed mid-answer cuts the response without an
      // 'end' or an 'error'), the post settles: answered in full with a 2xx, or not delivered.
      let answered = false;
      const req = http.request(hook.url, { method: "POST", headers, timeout: 15_000 }, (res) => {
        res.resume();
        res.on("end", () => (answered = (res.statusCode ?? 500) < 300));
        res.on("close", () => resolve(answered));
        res.on("error", () => resolve(false));
      });
      req.on("error", () => resolve(false));
      req.on("close", () => setImmediate(() => resolve(answered)));
      req.on("timeout", () => req.destroy());
      req.on("finish", () => this.deliveredHooks.forEach((h) => h([update])));
      req.end(body);
    });
  }

  /** True when an outage drill takes this request: it is then dropped or left hanging, never answered. */
  private cut(req: http.IncomingMessage): boolean {
    if (!this.dropConnections && !this.holdRequests) return false;
    this.cutMethods.push((req.url ?? "").split("/").pop() ?? "");
    if (this.dropConnections) req.socket.destroy();
    return true;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.cut(req)) return;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (/\/getUpdates$/.test(req.url ?? "")) {
      const params = body.length ? (JSON.parse(body.toString()) as { offset?: number; timeout?: number }) : {};
      const offset = params.offset ?? 0;
      this.queue.splice(0, this.queue.length, ...this.queue.filter((u) => u.update_id >= offset));
      if (this.queue.length === 0 && (params.timeout ?? 0) > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(params.timeout ?? 0, 2) * 1000);
          this.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (this.cut(req)) return;
      const batch = this.queue.slice(0, 100);
      res.setHeader("content-type", "application/json").end(JSON.stringify({ ok: true, result: batch }), () => {
        if (batch.length > 0) this.deliveredHooks.forEach((h) => h(batch));
      });
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    const isJson = (req.headers["content-type"] ?? "").startsWith("application/json");
    const payload =
      body.length === 0
        ? undefined
        : isJson
          ? body.toString("utf8")
          : (async function* () {
              yield body;
            })();
    const init = { method: req.method ?? "GET", headers, body: payload } as unknown as RequestInit;
    const out = await this.fake.fetch(`${this.root}${req.url ?? "/"}`, init);
    this.followWebhook(req.url ?? "", isJson ? body.toString("utf8") : "");
    res.statusCode = out.status;
    res.setHeader("content-type", out.headers.get("content-type") ?? "application/json");
    res.end(Buffer.from(await out.arrayBuffer()));
  }

  /** setWebhook / deleteWebhook switch between posting updates and keeping them for getUpdates. */
  private followWebhook(url: string, json: string): void {
    if (/\/deleteWebhook$/.test(url)) this.webhook = null;
    if (!/\/setWebhook$/.test(url) || !json) return;
    const p = JSON.parse(json) as { url?: string; secret_token?: string };
    this.webhook = p.url ? { url: p.url, secret: p.secret_token ?? null } : null;
    void this.deliver();
  }
}
