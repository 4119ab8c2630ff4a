import { Api, Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../core/logger.ts";
import { logUpdate, updateFields } from "../../bot/middleware/log-update.ts";
import type { AppDeps } from "../../core/app.ts";
import { formatCode, generateCode } from "../../models/report/tracking-code.ts";

const me = { id: 42, is_bot: true, first_name: "Citizen 137", username: "citizen137_bot" } as UserFromGetMe;
const chat = { id: 77, type: "private" as const, first_name: "Ali" };
const from = { id: 77, is_bot: false, first_name: "Ali" };

function ctxOf(update: Update): Context {
  return new Context(update, new Api("1:x"), me);
}

function message(id: number, text: string): Update {
  return { update_id: id, message: { message_id: 1, date: 0, chat, from, text } } as Update;
}

describe("update log fields", () => {
  it("update id, type and chat (a private chat by its type: its id is the person's); the report code of /status or /case (any digits)", () => {
    const code = generateCode(() => 0.5);
    const persian = formatCode(code).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    expect(updateFields(ctxOf(message(5, `/status ${persian}`)))).toEqual({
      updateId: 5,
      type: "message",
      chatType: "private",
      reportCode: code,
    });
    const inPrivate = { type: "message", chatType: "private" };
    expect(updateFields(ctxOf(message(6, "/case 12345678")))).toEqual({ updateId: 6, ...inPrivate });
    expect(updateFields(ctxOf(message(7, `my code is ${code}`)))).toEqual({ updateId: 7, ...inPrivate });
    expect(JSON.stringify(updateFields(ctxOf(message(7, "hi"))))).not.toContain("77");
  });

  it("the report id in button data; a staff group is named by its id", () => {
    const id = "665f1c2b9a8e4d0012345678";
    const group = { id: -1001370000001, type: "supergroup" as const, title: "Region 1" };
    const press = (data: string) =>
      ({
        update_id: 8,
        callback_query: {
          id: "q",
          from,
          chat_instance: "c",
          data,
          message: { message_id: 3, date: 0, chat: group },
        },
      }) as Update;
    expect(updateFields(ctxOf(press(`c:${id}:take`)))).toEqual({
      updateId: 8,
      type: "callback_query",
      chatId: -1001370000001,
      reportId: id,
    });
    expect(updateFields(ctxOf(press(`fb:${id}:r5`))).reportId).toBe(id);
    expect(updateFields(ctxOf(press("lang:en"))).reportId).toBeUndefined();
  });

  it("the middleware logs each update at debug, with the bot's platform and nothing the person wrote", async () => {
    const lines: string[] = [];
    const logger = createLogger("debug", { destination: { write: (s: string) => void lines.push(s) } }).child({
      platform: "bale",
    });
    let nextCalled = false;
    await logUpdate({ logger } as AppDeps)(ctxOf(message(9, "/start secret words")), async () => {
      nextCalled = true;
    });
    expect(nextCalled).toBe(true);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 20,
      platform: "bale",
      updateId: 9,
      type: "message",
      chatType: "private",
      msg: "update",
    });
    expect(lines[0]).not.toContain("secret words");
    expect(line).not.toHaveProperty("chatId");
  });
});
