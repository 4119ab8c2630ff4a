import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.ts";
import { normalizeCodeInput } from "../../models/tracking-code.ts";
import { mainMenuKeyboard } from "./main-menu.ts";
import { replyStatus } from "./status.ts";

/** Last in the chain: every private message gets an answer, never silence. */
export const fallbackHandlers = new Composer<BotContext>();

fallbackHandlers.on("message::bot_command", async (ctx) => {
  await ctx.reply(ctx.t("unknown-command"), { reply_markup: mainMenuKeyboard(ctx.t) });
});

fallbackHandlers.on("message:text", async (ctx) => {
  // After "Track a report" people just type the code.
  if (/^\d{8}$/.test(normalizeCodeInput(ctx.message.text))) {
    await replyStatus(ctx, ctx.message.text);
    return;
  }
  await ctx.reply(ctx.t("fallback-text"), { reply_markup: mainMenuKeyboard(ctx.t) });
});

fallbackHandlers.on("message", async (ctx) => {
  await ctx.reply(ctx.t("fallback-text"), { reply_markup: mainMenuKeyboard(ctx.t) });
});
