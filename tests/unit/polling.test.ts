import { Api, Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InFlight } from "../../bot/in-flight.ts";
import { startPolling } from "../../bot/intake/polling.ts";
import type { BotContext } from "../../bot/context.ts";
import { HttpBotApi } from "../support/http-bot-api.ts";
import { until } from "../support/child-process.ts";

const TOKEN = "444:polling-test";
const api = new HttpBotApi();
beforeAll(() => api.start());
afterAll(() => api.stop());

function text(chatId: number, body: string): Omit<Update, "update_id"> {
  return { message: { message_id: 1, date: 0, chat: { id: chatId, type: "private", first_name: "A" }, text: body } } as Omit<Update, "update_id">;
}

describe("long polling through the runner", () => {
  it("stop() ends fetching but not handlers; after they finish, confirm() makes the Bot API forget them", async () => {
    const bot = new Bot<BotContext>(TOKEN, { client: { apiRoot: api.root }, botInfo: api.fake.botInfo as UserFromGetMe });
    const inflight = new InFlight();
    const started: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const polling = startPolling(bot, {
      handle: async (update) => {
        started.push(update.update_id);
        await gate;
      },
      inflight,
      logger: pino({ level: "silent" }),
      onFatal: (err) => {
        throw err;
      },
    });
    for (let i = 0; i < 5; i++) api.push(text(100 + i, `/help ${i}`));
    await until(() => started.length === 5, "every fetched update to be started");
    await polling.stop();
    // The runner has stopped; the five handlers it started are still running.
    expect(inflight.size).toBe(5);
    release();
    expect(await inflight.drain(5_000)).toBe(true);
    await polling.confirm();
    // A new poller (a restart) gets nothing again: no update is handled twice.
    expect(await new Api(TOKEN, { apiRoot: api.root }).getUpdates({ offset: 0, timeout: 0 })).toEqual([]);
  });
});
