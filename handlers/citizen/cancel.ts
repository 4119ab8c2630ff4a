import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.ts";
import { REPORT_CONVERSATION } from "../../scenes/report/intake.ts";
import { mainMenuKeyboard } from "./main-menu.ts";

/** Installed before the conversation itself, so /cancel works at every step of the form. */
export const cancelHandlers = new Composer<BotContext>();

cancelHandlers.command("cancel", async (ctx) => {
  const active = ctx.conversation.active(REPORT_CONVERSATION) > 0;
  if (active) await ctx.conversation.exit(REPORT_CONVERSATION);
  await ctx.reply(ctx.t(active ? "cancel-done" : "cancel-nothing"), { reply_markup: mainMenuKeyboard(ctx.t) });
});
