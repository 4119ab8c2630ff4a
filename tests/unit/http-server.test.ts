import net from "node:net";
import { Readable } from "node:stream";
import type { Update } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpServer, SECRET_HEADER, type HttpServerOptions } from "../../bot/http/server.ts";
import { webhookHeaderSecret, webhookPathSecret } from "../../bot/http/secrets.ts";
import type { ReadinessReport } from "../../bot/http/readiness.ts";
import { deferred } from "../support/deferred.ts";

const TG_TOKEN = "111:tg-secret-token";
const BALE_TOKEN = "222:bale-secret-token";
const TG_PATH = `/webhook/telegram/${webhookPathSecret(TG_TOKEN)}`;
const BALE_PATH = `/webhook/bale/${webhookPathSecret(BALE_TOKEN)}`;
/** In the update's text and in the recorder's error: neither may reach a log line. */
const PRIVATE_TEXT = "my neighbour's address is 12 Secret Lane";

let readiness: ReadinessReport = { ready: true, body: { status: "ready", checks: { mongodb: "ok" } } };
const logLines: string[] = [];
const logger = pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
const handled: { platform: string; update: Update }[] = [];
/** What recording an update does (every test sets its own); resolves by default. */
let record: (update: Update) => Promise<void> = async () => undefined;

const base0 = { readiness: { report: async () => readiness }, logger };
// A short webhook deadline so the "never settles" case ends quickly; the other recordings settle well before it.
const server = new HttpServer({ ...base0, maxBodyBytes: 2048, webhookTimeoutMs: 3_000 });
for (const [platform, token, headerSecret] of [
  ["telegram", TG_TOKEN, webhookHeaderSecret(TG_TOKEN)],
  ["bale", BALE_TOKEN, null],
] as const) {
  server.addWebhook({
    platform,
    pathSecret: webhookPathSecret(token),
    headerSecret,
    handleUpdate: (update) => {
      handled.push({ platform, update });
      return record(update);
    },
  });
}
let base = "";

beforeAll(async () => {
  const { port } = await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => server.close());

function update(id: number): Update {
  return {
    update_id: id,
    message: { message_id: 1, date: 0, chat: { id: 5, type: "private", first_name: "A" }, text: PRIVATE_TEXT },
  } as Update;
}

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects when `work` has not settled after `ms`: a generous ceiling, not a timing claim. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ceiling = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms)),
  );
  return Promise.race([work, ceiling]).finally(() => clearTimeout(timer));
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A TCP connection to `port` that says nothing; `closed` resolves when the server ends it. */
async function silentSocket(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect(port, "127.0.0.1");
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("close", () => reject(new Error("closed before connecting")));
  });
  return { socket, closed };
}

/** A keep-alive connection that has been answered once: proof the server accepted (and counts) it. */
async function answeredSocket(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const s = await silentSocket(port);
  const answered = new Promise<void>((resolve) => s.socket.once("data", () => resolve()));
  s.socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  await within(answered, 10_000, "an answer on a fresh connection");
  return s;
}

async function started(opts: Partial<HttpServerOptions>): Promise<{ server: HttpServer; port: number }> {
  const s = new HttpServer({ ...base0, ...opts });
  const { port } = await s.listen(0, "127.0.0.1");
  return { server: s, port };
}

const tgHeader = { [SECRET_HEADER]: webhookHeaderSecret(TG_TOKEN) };

describe("HTTP server", () => {
  it("GET /healthz: 200 while the process is up", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz: 200 when ready, 503 with the failed checks otherwise", async () => {
    let res = await fetch(`${base}/readyz`);
    expect([res.status, await res.json()]).toEqual([200, { status: "ready", checks: { mongodb: "ok" } }]);
    readiness = {
      ready: false,
      body: {
        status: "not ready",
        checks: { mongodb: "unreachable: not connected (disconnected)", "bot:telegram": "ok" },
      },
    };
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: "not ready",
      checks: { mongodb: expect.stringMatching(/^unreachable/) },
    });
    readiness = { ready: true, body: { status: "ready" } };
  });

  it("answers a webhook post 200 only once handleUpdate (recording the update) has resolved", async () => {
    const recording = deferred();
    record = () => recording.promise;
    let answered = false;
    const reply = post(TG_PATH, update(10), tgHeader).finally(() => (answered = true));
    await until(() => handled.some((h) => h.update.update_id === 10), "handleUpdate to be called");
    // Still recording: no answer yet (an early 200 would lose the update in a crash).
    await sleep(300);
    expect(answered).toBe(false);
    recording.resolve();
    expect(await reply).toEqual({ status: 200, body: { ok: true } });
    expect(handled.at(-1)).toEqual({ platform: "telegram", update: update(10) });
  });

  it("answers 503 when recording fails (the Bot API retries), logging platform and update id but never the body", async () => {
    record = () => Promise.reject(new Error(`insert failed for ${PRIVATE_TEXT}`));
    logLines.length = 0;
    expect(await post(TG_PATH, update(20), tgHeader)).toEqual({ status: 503, body: { error: "update not recorded" } });
    const logged = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({ platform: "telegram", updateId: 20, msg: expect.stringContaining("not recorded") }),
    ]);
    expect(logLines.join("\n")).not.toContain("Secret Lane");
  });

  it("answers 503 when recording does not settle within the webhook deadline", async () => {
    record = () => new Promise<void>(() => undefined);
    const res = await within(post(BALE_PATH, update(21)), 15_000, "the 503 for a recording that hangs");
    expect(res.status).toBe(503);
  });

  it("takes Bale updates on their own path without a secret header", async () => {
    record = async () => undefined;
    const res = await post(BALE_PATH, update(11));
    expect(res.status).toBe(200);
    expect(handled.at(-1)).toEqual({ platform: "bale", update: update(11) });
  });

  it("refuses a Telegram post with a wrong or missing secret header (401), unprocessed", async () => {
    const before = handled.length;
    expect((await post(TG_PATH, update(12), { [SECRET_HEADER]: webhookHeaderSecret(BALE_TOKEN) })).status).toBe(401);
    expect((await post(TG_PATH, update(13))).status).toBe(401);
    expect(handled.length).toBe(before);
  });

  it("answers 404 for a wrong secret, an unknown platform or path, and 405 for GET on a webhook", async () => {
    const before = handled.length;
    expect((await post(`/webhook/telegram/${webhookPathSecret(BALE_TOKEN)}`, update(14), tgHeader)).status).toBe(404);
    expect((await post(`/webhook/whatsapp/${webhookPathSecret(TG_TOKEN)}`, update(15), tgHeader)).status).toBe(404);
    expect((await post(`${TG_PATH}/extra`, update(16), tgHeader)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${base}${TG_PATH}`)).status).toBe(405);
    expect(handled.length).toBe(before);
  });

  it("refuses bad JSON and non-updates (400) and bodies over the cap (413)", async () => {
    const before = handled.length;
    expect(await post(TG_PATH, "{not json", tgHeader)).toEqual({ status: 400, body: { error: "body is not JSON" } });
    expect((await post(TG_PATH, { message: { text: "hi" } }, tgHeader)).status).toBe(400);
    expect((await post(TG_PATH, [update(17)], tgHeader)).status).toBe(400);
    const big = { ...update(18), padding: "x".repeat(4096) };
    expect((await post(TG_PATH, big, tgHeader)).status).toBe(413);
    // Without a content-length (chunked), the cap applies while reading.
    const chunked = await fetch(`${base}${TG_PATH}`, {
      method: "POST",
      headers: tgHeader,
      body: Readable.toWeb(Readable.from([Buffer.from(JSON.stringify(big))])),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(handled.length).toBe(before);
  });

  it("after stopIntake: webhook posts get 503 (the Bot API retries them), /healthz still 200", async () => {
    server.stopIntake();
    const before = handled.length;
    expect((await post(TG_PATH, update(19), tgHeader)).status).toBe(503);
    expect(handled.length).toBe(before);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("HTTP server: connections cannot be held open", () => {
  it("closes 200 connections that never send a request once the idle timeout passes", async () => {
    // Headers and request timeouts far above the idle one: the idle timeout is what closes them.
    const { server: s, port } = await started({
      idleTimeoutMs: 300,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 20_000,
    });
    try {
      const sockets = await Promise.all(Array.from({ length: 200 }, () => silentSocket(port)));
      await within(Promise.all(sockets.map((x) => x.closed)), 15_000, "the server to close all 200 idle connections");
      // Still serving new connections.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("refuses connections beyond maxConnections, and takes new ones once below the cap", async () => {
    const { server: s, port } = await started({ maxConnections: 5, idleTimeoutMs: 20_000, keepAliveTimeoutMs: 20_000 });
    try {
      const held = [];
      for (let i = 0; i < 5; i++) held.push(await answeredSocket(port));
      let heldClosed = false;
      void Promise.race(held.map((h) => h.closed)).then(() => (heldClosed = true));
      // The sixth is accepted by the kernel, then closed by the server without an answer.
      const extra = await silentSocket(port);
      let answered = false;
      extra.socket.once("data", () => (answered = true));
      extra.socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
      await within(extra.closed, 10_000, "the connection over the cap to be closed");
      expect(answered).toBe(false);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      expect(heldClosed).toBe(false);
      // Below the cap again: served.
      for (const h of held) h.socket.destroy();
      await until(() => heldClosed, "the held connections to close");
      let status = 0;
      for (const end = Date.now() + 10_000; status !== 200 && Date.now() < end; await sleep(50)) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
      }
      expect(status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
