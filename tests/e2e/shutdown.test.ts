import type { Update } from "grammy/types";
import { afterEach, afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpBotApi } from "../support/http-bot-api.ts";
import { until, type Child } from "../support/child-process.ts";
import { httpPort, startBot, untilAsync, withDb } from "../support/bot-process.ts";
import { useTestDb } from "../support/test-db.ts";
import { createI18n, translator } from "../../core/i18n.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { webhookHeaderSecret, webhookPathSecret } from "../../bot/http/secrets.ts";
import { SECRET_HEADER } from "../../bot/http/server.ts";

const { uri, dbName } = useTestDb();

const TOKEN = "333333:shutdown-e2e-token";
const USERS = Array.from({ length: 10 }, (_, i) => ({ id: 7001 + i, name: `User${i + 1}` }));
const STAFF_CHATS = Array.from({ length: 20 }, (_, i) => -1003001 - i);
const SENTINEL = 7999;
const t = translator(createI18n("fa"), "en");

const api = new HttpBotApi();
const children: Child[] = [];

function command(userId: number, name: string, cmd: string): Omit<Update, "update_id"> {
  const from = { id: userId, is_bot: false, first_name: name, language_code: "en" };
  return {
    message: {
      message_id: 1,
      date: 0,
      chat: { id: userId, type: "private", first_name: name },
      from,
      text: cmd,
      entities: [{ type: "bot_command", offset: 0, length: cmd.length }],
    },
  } as Omit<Update, "update_id">;
}

/** The bot as `npm start` runs it, long polling the fake; rate limits on, as in production. */
async function startInstance(): Promise<Child> {
  const run = startBot({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.root,
    MONGODB_URI: withDb(uri, dbName),
    SHUTDOWN_GRACE_MS: "30000",
  });
  children.push(run);
  await until(() => run.output().includes("bot started (long polling)"), "the bot to start");
  return run;
}

const repliesToUsers = () => api.fake.callsOf("sendMessage").filter((c) => Number(c.payload.chat_id) > 0).length;

beforeAll(async () => {
  await api.start();
  // Outbox rows waiting when the burst arrives: the dispatcher is mid-work at SIGTERM too.
  const at = new Date().toISOString();
  await Outbox.insertMany(
    STAFF_CHATS.map((chatId, i) => ({
      _id: `shutdown-e2e-${i}`,
      platform: "telegram",
      chatId,
      kind: "daily_digest",
      locale: "en",
      payload: { at, scope: "chat", created: 1, resolved: 0, open: 2, overdue: 0 },
      nextAttemptAt: new Date(Date.now() - 1_000),
    })),
  );
});

afterEach(() => {
  for (const c of children.splice(0)) c.child.kill("SIGKILL");
});

afterAll(() => api.stop());

describe("graceful shutdown (long polling)", () => {
  it("SIGTERM during a burst: exit 0; every update answered exactly once across a restart; no outbox row left sending", async () => {
    const first = await startInstance();
    for (const cmd of ["/start", "/help", "/privacy"]) for (const u of USERS) api.push(command(u.id, u.name, cmd));
    await until(() => repliesToUsers() > 0, "the burst to be in progress");
    first.child.kill("SIGTERM");
    // Arrives while the first instance stops: whichever instance fetches it must answer it once.
    for (const u of USERS) api.push(command(u.id, u.name, "/help"));
    expect(await first.exited).toBe(0);
    expect(await Outbox.countDocuments({ status: "sending" })).toBe(0);

    const second = await startInstance();
    // Queued after everything else: once it is answered, the second instance has fetched all of it.
    api.push(command(SENTINEL, "Last", "/start"));
    await until(() => api.fake.textsTo(SENTINEL).length > 0, "the sentinel's reply");
    await untilAsync(
      async () => (await Outbox.countDocuments({ status: "sent" })) === STAFF_CHATS.length,
      "every outbox row to be sent",
    );
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    // Per chat, in order, nothing lost, nothing doubled.
    for (const u of USERS) {
      expect(api.fake.textsTo(u.id), `replies to ${u.name}`).toEqual([
        t("welcome", { name: u.name }),
        t("help"),
        t("privacy", { days: 365 }),
        t("help"),
      ]);
    }
    expect(api.fake.textsTo(SENTINEL)).toEqual([t("welcome", { name: "Last" })]);
    for (const chatId of STAFF_CHATS) expect(api.fake.textsTo(chatId), `messages to ${chatId}`).toHaveLength(1);
    expect(await Outbox.countDocuments({ status: { $ne: "sent" } })).toBe(0);
  });
});

/** When the line with `msg` was logged (pino's `time`: epoch ms or an ISO string, per the logger's setting). */
function loggedAt(output: string, msg: string): number {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; time?: number | string };
    if (entry.msg === msg) return typeof entry.time === "number" ? entry.time : Date.parse(String(entry.time));
  }
  throw new Error(`no "${msg}" line in the output`);
}

/** Rejects when `work` has not settled after `ms`: a generous ceiling, not a timing claim. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ceiling = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms)),
  );
  return Promise.race([work, ceiling]).finally(() => clearTimeout(timer));
}

const GRACE_MS = 2_000;
let drillRow = 0;

/** A digest row due now: the outbox dispatcher picks it up within its poll interval and sends it into the outage. */
async function queueOutboxRow(): Promise<void> {
  const at = new Date().toISOString();
  // A chat of its own: an earlier drill's row, still waiting to be retried, would hold its chat's queue.
  const n = drillRow++;
  await Outbox.create({
    _id: `shutdown-drill-${n}`,
    platform: "telegram",
    chatId: -1009001 - n,
    kind: "daily_digest",
    locale: "en",
    payload: { at, scope: "chat", created: 1, resolved: 0, open: 2, overdue: 0 },
    nextAttemptAt: new Date(Date.now() - 1_000),
  });
}

describe("shutdown always ends, whatever the Bot API does", () => {
  for (const mode of ["long polling", "webhook"] as const) {
    for (const outage of ["drop", "hang"] as const) {
      const what = outage === "drop" ? "drops every connection" : "never answers";
      it(`${mode}: the Bot API ${what} after start; SIGTERM exits 0 within SHUTDOWN_GRACE_MS + 1 s`, async () => {
        const fake = new HttpBotApi();
        await fake.start();
        try {
          const webhook = mode === "webhook";
          const run = startBot({
            TELEGRAM_BOT_TOKEN: TOKEN,
            TELEGRAM_API_ROOT: fake.root,
            MONGODB_URI: withDb(uri, dbName),
            SHUTDOWN_GRACE_MS: String(GRACE_MS),
            ...(webhook ? { WEBHOOK_URL: "https://citizen137.example/bots/" } : {}),
          });
          children.push(run);
          await until(() => run.output().includes(`bot started (${mode})`), "the bot to start");
          const path = `http://127.0.0.1:${await httpPort(run)}/webhook/telegram/${webhookPathSecret(TOKEN)}`;
          const deliver = (u: Omit<Update, "update_id">, id: number) =>
            fetch(path, {
              method: "POST",
              headers: { "content-type": "application/json", [SECRET_HEADER]: webhookHeaderSecret(TOKEN) },
              body: JSON.stringify({ update_id: id, ...u }),
            });
          // One update handled while the Bot API works: polling then has fetched updates to confirm at shutdown.
          const user = { id: 7101, name: "Before" };
          // Fresh ids: the inbox on this shared database recognises an id it has seen as a redelivery.
          const firstId = Date.now();
          if (webhook) expect((await deliver(command(user.id, user.name, "/start"), firstId)).status).toBe(200);
          else fake.push(command(user.id, user.name, "/start"));
          await until(() => fake.fake.textsTo(user.id).length > 0, "the reply before the outage");

          if (outage === "drop") fake.dropConnections = true;
          else fake.holdRequests = true;
          // Work in flight into the outage: an outbox send, and (webhook) an update whose reply cannot go out.
          await queueOutboxRow();
          if (webhook) void deliver(command(7102, "During", "/start"), firstId + 1).catch(() => undefined);
          const sends = webhook ? 2 : 1;
          await until(
            () => fake.cutMethods.filter((m) => m === "sendMessage").length >= sends,
            "sends to meet the outage",
          );

          run.child.kill("SIGTERM");
          expect(await within(run.exited, 20_000, "the bot to exit after SIGTERM")).toBe(0);
          const took = loggedAt(run.output(), "stopped") - loggedAt(run.output(), "shutting down");
          expect(took).toBeLessThanOrEqual(GRACE_MS + 1_000);
          expect(run.output()).not.toContain(TOKEN);
        } finally {
          await fake.stop();
        }
      }, 60_000);
    }
  }
});
