import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { FakeBotApi } from "./fake-bot-api.ts";

/**
 * The fetch-level fake served over real HTTP, plus a getUpdates queue with long polling: enough
 * Bot API for `npm start` in a child process to run against.
 */
export class HttpBotApi {
  readonly fake = new FakeBotApi();
  private readonly queue: Update[] = [];
  private waiters: (() => void)[] = [];
  /** Never reused by a later instance on the same database (the bot skips update ids it has seen). */
  private nextId = Date.now();
  private server: http.Server | null = null;
  root = "";

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
    this.queue.push({ update_id: this.nextId++, ...update } as Update);
    this.waiters.splice(0).forEach((w) => w());
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
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
      res.setHeader("content-type", "application/json").end(JSON.stringify({ ok: true, result: this.queue.slice(0, 100) }));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string"));
    const isJson = (req.headers["content-type"] ?? "").startsWith("application/json");
    const payload = body.length === 0 ? undefined : isJson ? body.toString("utf8") : (async function* () {
      yield body;
    })();
    const init = { method: req.method ?? "GET", headers, body: payload } as unknown as RequestInit;
    const out = await this.fake.fetch(`${this.root}${req.url ?? "/"}`, init);
    res.statusCode = out.status;
    res.setHeader("content-type", out.headers.get("content-type") ?? "application/json");
    res.end(Buffer.from(await out.arrayBuffer()));
  }
}
