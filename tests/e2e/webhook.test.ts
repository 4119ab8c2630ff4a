import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpBotApi } from "../support/http-bot-api.ts";
import { until, type Child } from "../support/child-process.ts";
import { httpPort, startBot, untilAsync, withDb } from "../support/bot-process.ts";
import { useTestDb } from "../support/test-db.ts";
import { webhookHeaderSecret, webhookPathSecret } from "../../bot/http/secrets.ts";
import { SECRET_HEADER } from "../../bot/http/server.ts";

const { uri, dbName } = useTestDb();

const TG_TOKEN = "111111:telegram-webhook-e2e";
const BALE_TOKEN = "222222:bale-webhook-e2e";
const WEBHOOK_URL = "https://citizen137.example/bots/";
const TG_PATH = `/webhook/telegram/${webhookPathSecret(TG_TOKEN)}`;
const BALE_PATH = `/webhook/bale/${webhookPathSecret(BALE_TOKEN)}`;
const TG_HEADER = { [SECRET_HEADER]: webhookHeaderSecret(TG_TOKEN) };

const telegram = new HttpBotApi();
const bale = new HttpBotApi();
let run: Child;
let base = "";
let nextId = 1;

function start(userId: number, name: string): Update {
  const user = { id: userId, is_bot: false, first_name: name, language_code: "en" };
  return {
    update_id: nextId++,
    message: {
      message_id: 1,
      date: 0,
      chat: { id: userId, type: "private", first_name: name },
      from: user,
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    },
  } as Update;
}

function post(path: string, update: Update, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(update),
  });
}

beforeAll(async () => {
  await Promise.all([telegram.start(), bale.start()]);
  run = startBot({
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_API_ROOT: telegram.root,
    BALE_BOT_TOKEN: BALE_TOKEN,
    BALE_API_ROOT: bale.root,
    WEBHOOK_URL,
    MONGODB_URI: withDb(uri, dbName),
    LOG_LEVEL: "debug",
  });
  base = `http://127.0.0.1:${await httpPort(run)}`;
  await untilAsync(async () => (await fetch(`${base}/readyz`)).status === 200, "/readyz to answer 200");
});

afterAll(async () => {
  run?.child.kill("SIGKILL");
  await Promise.all([telegram.stop(), bale.stop()]);
});

describe("webhook mode (npm start with WEBHOOK_URL)", () => {
  it("sets one webhook per platform on its secret path; Telegram's with a secret token; no polling", async () => {
    expect(telegram.fake.callsOf("setWebhook").map((c) => c.payload)).toEqual([
      {
        url: `https://citizen137.example/bots${TG_PATH}`,
        secret_token: webhookHeaderSecret(TG_TOKEN),
        allowed_updates: ["message", "edited_message", "callback_query"],
        drop_pending_updates: false,
      },
    ]);
    expect(bale.fake.callsOf("setWebhook").map((c) => c.payload)).toEqual([
      {
        url: `https://citizen137.example/bots${BALE_PATH}`,
        allowed_updates: ["message", "edited_message", "callback_query"],
        drop_pending_updates: false,
      },
    ]);
    for (const api of [telegram, bale]) {
      expect(api.fake.callsOf("getUpdates")).toEqual([]);
      expect(api.fake.callsOf("deleteWebhook")).toEqual([]);
    }
  });

  it("/healthz and /readyz answer 200 once both bots are up", async () => {
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: "ready", checks: { mongodb: "ok", "bot:telegram": "ok", "bot:bale": "ok" } },
    ]);
  });

  it("a /start posted to each platform's path is answered 200 and replied to through that platform", async () => {
    const tg = await post(TG_PATH, start(501, "Ali"), TG_HEADER);
    expect(tg.status).toBe(200);
    const bl = await post(BALE_PATH, start(502, "Sara"));
    expect(bl.status).toBe(200);
    await until(
      () => telegram.fake.textsTo(501).length > 0 && bale.fake.textsTo(502).length > 0,
      "both welcome replies",
    );
    expect(telegram.fake.textsTo(501)).toEqual([
      expect.stringContaining("Dear Ali, welcome to the municipality's 137 service"),
    ]);
    expect(bale.fake.textsTo(502)).toEqual([
      expect.stringContaining("Dear Sara, welcome to the municipality's 137 service"),
    ]);
    expect(bale.fake.textsTo(501)).toEqual([]);
    expect(telegram.fake.textsTo(502)).toEqual([]);
    // Each update is logged at debug with its platform, chat and kind: a private chat by its type (its id is the person's).
    const logged = run
      .output()
      .split("\n")
      .filter((l) => l.includes('"msg":"update"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ platform: "telegram", chatType: "private", type: "message" }),
        expect.objectContaining({ platform: "bale", chatType: "private", type: "message" }),
      ]),
    );
    expect(logged.filter((l) => "chatId" in l)).toEqual([]);
  });

  it("refuses a wrong secret header (401), a wrong secret or unknown path (404), and processes none of them", async () => {
    expect((await post(TG_PATH, start(503, "Reza"), { [SECRET_HEADER]: webhookHeaderSecret(BALE_TOKEN) })).status).toBe(
      401,
    );
    expect((await post(TG_PATH, start(503, "Reza"))).status).toBe(401);
    expect(
      (await post(`/webhook/telegram/${webhookPathSecret(BALE_TOKEN)}`, start(503, "Reza"), TG_HEADER)).status,
    ).toBe(404);
    expect((await post(`/webhook/bale/${webhookPathSecret(TG_TOKEN)}`, start(503, "Reza"))).status).toBe(404);
    expect((await post("/telegram", start(503, "Reza"), TG_HEADER)).status).toBe(404);
    // A good update afterwards is answered; the refused ones never reached the bot.
    expect((await post(TG_PATH, start(504, "Mina"), TG_HEADER)).status).toBe(200);
    await until(() => telegram.fake.textsTo(504).length > 0, "the reply to the good update");
    expect(telegram.fake.textsTo(503)).toEqual([]);
    expect(bale.fake.textsTo(503)).toEqual([]);
  });

  it("SIGTERM: exits 0 and leaves the webhooks in place for the other instances", async () => {
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("shutting down");
    expect(telegram.fake.callsOf("deleteWebhook")).toEqual([]);
    expect(run.output()).not.toContain(TG_TOKEN);
    expect(run.output()).not.toContain(webhookPathSecret(TG_TOKEN));
  });
});
