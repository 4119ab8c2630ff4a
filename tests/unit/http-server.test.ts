import { Readable } from "node:stream";
import type { Update } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpServer, SECRET_HEADER } from "../../bot/http/server.ts";
import { webhookHeaderSecret, webhookPathSecret } from "../../bot/http/secrets.ts";
import type { ReadinessReport } from "../../bot/http/readiness.ts";
import { InFlight } from "../../bot/in-flight.ts";

const TG_TOKEN = "111:tg-secret-token";
const BALE_TOKEN = "222:bale-secret-token";
const TG_PATH = `/webhook/telegram/${webhookPathSecret(TG_TOKEN)}`;
const BALE_PATH = `/webhook/bale/${webhookPathSecret(BALE_TOKEN)}`;

let readiness: ReadinessReport = { ready: true, body: { status: "ready", checks: { mongodb: "ok" } } };
const inflight = new InFlight();
const handled: { platform: string; update: Update }[] = [];
/** Handlers stay in progress until released: the 200 must not wait for them. */
let release: () => void = () => undefined;
let gate = new Promise<void>((resolve) => (release = resolve));

const server = new HttpServer({ readiness: { report: async () => readiness }, inflight, logger: pino({ level: "silent" }), maxBodyBytes: 2048 });
for (const [platform, token, headerSecret] of [
  ["telegram", TG_TOKEN, webhookHeaderSecret(TG_TOKEN)],
  ["bale", BALE_TOKEN, null],
] as const) {
  server.addWebhook({
    platform,
    pathSecret: webhookPathSecret(token),
    headerSecret,
    handleUpdate: async (update) => {
      handled.push({ platform, update });
      await gate;
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
  return { update_id: id, message: { message_id: 1, date: 0, chat: { id: 5, type: "private", first_name: "A" }, text: "/start" } } as Update;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
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
    readiness = { ready: false, body: { status: "not ready", checks: { mongodb: "unreachable: not connected (disconnected)", "bot:telegram": "ok" } } };
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "not ready", checks: { mongodb: expect.stringMatching(/^unreachable/) } });
    readiness = { ready: true, body: { status: "ready" } };
  });

  it("answers a Telegram update 200 before processing it, and tracks the handler until it ends", async () => {
    const res = await post(TG_PATH, update(10), tgHeader);
    expect(res).toEqual({ status: 200, body: { ok: true } });
    expect(handled.at(-1)).toEqual({ platform: "telegram", update: update(10) });
    // The handler is still waiting on the gate: the reply did not wait for it.
    expect(inflight.size).toBe(1);
    release();
    expect(await inflight.drain(5_000)).toBe(true);
    gate = new Promise<void>((resolve) => (release = resolve));
  });

  it("takes Bale updates on their own path without a secret header", async () => {
    const res = await post(BALE_PATH, update(11));
    expect(res.status).toBe(200);
    expect(handled.at(-1)).toEqual({ platform: "bale", update: update(11) });
    release();
    await inflight.drain(5_000);
    gate = new Promise<void>((resolve) => (release = resolve));
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
    const chunked = await fetch(`${base}${TG_PATH}`, { method: "POST", headers: tgHeader, body: Readable.toWeb(Readable.from([Buffer.from(JSON.stringify(big))])), duplex: "half" } as RequestInit);
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
