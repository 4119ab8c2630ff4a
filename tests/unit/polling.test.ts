import { Api, Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPolling } from "../../bot/intake/polling.ts";
import type { BotContext } from "../../core/context.ts";
import { HttpBotApi } from "../support/http-bot-api.ts";
import { until } from "../support/child-process.ts";

const TOKEN = "444:polling-test";
const api = new HttpBotApi();
beforeAll(() => api.start());
afterAll(() => api.stop());

function text(chatId: number, body: string): Omit<Update, "update_id"> {
  return {
    message: { message_id: 1, date: 0, chat: { id: chatId, type: "private", first_name: "A" }, text: body },
  } as Omit<Update, "update_id">;
}

const fresh = () => new Api(TOKEN, { apiRoot: api.root }).getUpdates({ offset: 0, timeout: 0 });

describe("long polling through the runner, into the inbox", () => {
  it("a fetched batch is confirmed only after it was recorded; a batch that could not be recorded comes again", async () => {
    const bot = new Bot<BotContext>(TOKEN, {
      client: { apiRoot: api.root },
      botInfo: api.fake.botInfo as UserFromGetMe,
    });
    const recorded: number[] = [];
    let failures = 2;
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const polling = startPolling(bot, {
      accept: async (updates) => {
        if (updates.length > 0) calls++;
        if (updates.length > 0 && failures-- > 0) throw new Error("database away");
        await gate;
        recorded.push(...updates.map((u) => u.update_id));
      },
      logger: pino({ level: "silent" }),
      onFatal: (err) => {
        throw err;
      },
    });
    for (let i = 0; i < 5; i++) api.push(text(100 + i, `/help ${i}`));
    // Two failed records, then the third delivery waits in `accept`: nothing is confirmed meanwhile.
    await until(() => calls === 3, "the third delivery of the batch", 20_000);
    expect((await fresh()).map((u) => u.update_id)).toHaveLength(5);
    release();
    await until(() => recorded.length === 5, "the batch to be recorded");
    await polling.stop();
    await polling.confirm();
    // A restart gets nothing again: what was recorded is confirmed.
    expect(await fresh()).toEqual([]);
    expect(new Set(recorded).size).toBe(5);
  });
});
